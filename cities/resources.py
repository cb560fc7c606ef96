"""Cities in and out of spreadsheets (django-import-export), matched by slug."""

from import_export import resources

from cities.models import City, CityOfficial

CITY_COLUMNS = (
    "slug",
    "name",
    "country",
    "region",
    "subdivision",
    "population",
    "latitude",
    "longitude",
    "time_zone",
    "website",
    "geonames_id",
    "alternate_names",
)


class CityResource(resources.ModelResource):
    class Meta:
        model = City
        fields = CITY_COLUMNS
        export_order = CITY_COLUMNS
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        # full_clean() on every row: a bad country or population is refused with its reason.
        clean_model_instances = True


class CityOfficialResource(resources.ModelResource):
    """Contact details for export only; every export is logged."""

    class Meta:
        model = CityOfficial
        fields = (
            "city__slug",
            "city__name",
            "user__email",
            "user__first_name",
            "user__last_name",
            "role",
            "position",
            "phone",
            "is_primary_contact",
            "contact_audience",
        )
        export_order = fields
