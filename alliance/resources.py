"""Partners in and out of spreadsheets, matched by slug."""

from import_export import resources

from alliance.models import Partner

PARTNER_COLUMNS = ("slug", "name", "kind", "tier", "website", "description", "is_published")


class PartnerResource(resources.ModelResource):
    class Meta:
        model = Partner
        fields = PARTNER_COLUMNS
        export_order = PARTNER_COLUMNS
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
