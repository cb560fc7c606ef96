"""Memberships in and out of spreadsheets: a row names its city and network by slug."""

from django.utils.translation import gettext
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from alliance.acting import acting
from alliance.spreadsheets import SpreadsheetResource
from cities.models import City
from networks.facts.ledger import one_sync
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

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        """Each saved row goes through networks.facts.memberships (status-change row,
        directory fields, ledger); the ledger is synced once per meeting for the file,
        and each status-change row says it came from a spreadsheet."""
        if dry_run:
            return super().import_data(dataset, dry_run, *args, **kwargs)
        with one_sync(), acting(note=gettext("Imported from a spreadsheet")):
            return super().import_data(dataset, dry_run, *args, **kwargs)
