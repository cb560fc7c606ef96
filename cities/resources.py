"""Cities in and out of spreadsheets (django-import-export), matched by slug."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export.instance_loaders import CachedInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance.spreadsheets import SpreadsheetResource
from cities.models import City, CityOfficial, search_text

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


class CityResource(SpreadsheetResource):
    """Validated row by row (full_clean), written in batches with their history rows.

    Batches keep a 20,000-row file well under a minute; the import still runs in one
    transaction, so a batch that fails leaves nothing behind.
    """

    class Meta:
        model = City
        fields = CITY_COLUMNS
        export_order = CITY_COLUMNS
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        # full_clean() on every row: a bad country or population is refused with its reason.
        clean_model_instances = True
        use_bulk = True
        batch_size = 1000
        instance_loader_class = CachedInstanceLoader  # one query for the file's slugs

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The library's full_clean() without validate_constraints: the one check constraint
        # (population > 0) is the field's MinValueValidator(1) again, and checking it
        # costs a query per row.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=errors.keys(), validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.user = kwargs.get("user")

    def before_save_instance(self, instance, row, **kwargs):
        # What City.save() does, which bulk writes skip.
        instance.search_name = search_text(instance.name, instance.alternate_names)
        instance.updated_at = timezone.now()

    def get_bulk_update_fields(self):
        return [*super().get_bulk_update_fields(), "search_name", "updated_at"]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances, City, batch_size=batch_size, default_user=self.user
                )
            except Exception as error:  # noqa: BLE001 - reported like the library's own
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                bulk_update_with_history(
                    self.update_instances,
                    City,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self.user,
                )
            except Exception as error:  # noqa: BLE001
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()


class CityOfficialResource(SpreadsheetResource):
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
