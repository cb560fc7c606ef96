"""Memberships in and out of spreadsheets: a row names its city and network by slug."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget

from alliance.spreadsheets import SpreadsheetResource
from cities.models import City
from networks.meetings.reminders import reminders_sync_network
from networks.models import Membership, Network


class MembershipResource(SpreadsheetResource):
    city = fields.Field(
        attribute="city", column_name="city", widget=ForeignKeyWidget(City, field="slug")
    )
    network = fields.Field(
        attribute="network", column_name="network", widget=ForeignKeyWidget(Network, field="slug")
    )

    class Meta:
        model = Membership
        fields = ("city", "network", "role", "status", "joined_on")
        export_order = fields
        import_id_fields = ["city", "network"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.touched_networks = set()

    def after_save_instance(self, instance, row, **kwargs):
        # Each save keeps its city's directory fields (networks.signals); reminders are
        # synced once per network after the file.
        self.touched_networks.add(instance.network_id)

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run"):
            return
        for network in Network.objects.filter(pk__in=self.touched_networks):
            reminders_sync_network(network=network)
