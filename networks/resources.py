"""Memberships in and out of spreadsheets: a row names its city and network by slug."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from cities.models import City
from networks.models import Membership, Network
from networks.reminders import reminders_sync_network
from networks.services import city_refresh_member_since


class MembershipResource(resources.ModelResource):
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
        self.touched_cities, self.touched_networks = set(), set()

    def after_save_instance(self, instance, row, **kwargs):
        self.touched_cities.add(instance.city_id)
        self.touched_networks.add(instance.network_id)

    def after_import(self, dataset, result, **kwargs):
        # What the admin's save_model does for one membership, once per city and network.
        if kwargs.get("dry_run"):
            return
        for city in City.objects.filter(pk__in=self.touched_cities):
            city_refresh_member_since(city)
        for network in Network.objects.filter(pk__in=self.touched_networks):
            reminders_sync_network(network=network)
