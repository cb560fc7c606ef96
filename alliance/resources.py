"""Partners in and out of spreadsheets, matched by slug."""

from alliance.models import Partner
from alliance.spreadsheets import SpreadsheetResource

PARTNER_COLUMNS = ("slug", "name", "kind", "tier", "website", "description", "is_published")


class PartnerResource(SpreadsheetResource):
    class Meta:
        model = Partner
        fields = PARTNER_COLUMNS
        export_order = PARTNER_COLUMNS
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
