"""Spreadsheet import and export in the admin (django-import-export).

Cities and memberships are imported in the background (networks/admin/imports.py);
other models (partners) through django-import-export in the request. Exports follow the
changelist's filters and the user's networks, and are logged like directory exports.
Every import and export goes through alliance.spreadsheets (separator, encoding,
dates, formula-safe cells).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.resources import modelresource_factory

from alliance.admin_export import CheckedExportFilters
from alliance.spreadsheets import (
    FORMAT_HELP,
    SPREADSHEETS,
    SpreadsheetError,
    SpreadsheetResource,
)
from networks import access
from networks.models import DirectoryExport


class SpreadsheetExport(CheckedExportFilters):
    export_formats = SPREADSHEETS

    def get_resource_classes(self, request):
        # An admin without its own resource still gets ISO dates.
        if not self.resource_classes:
            return [modelresource_factory(self.model, resource_class=SpreadsheetResource)]
        return super().get_resource_classes(request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The library's, with every value native: numbers and dates stay numbers and
        # dates in a workbook, and a CSV writes them as Python does (ISO dates, decimal
        # point) instead of in the admin's language, where "-34,6" would also look
        # like a formula to spreadsheet_cell. (The library only knows its own XLSX
        # class as binary, by identity.)
        if not self.has_export_permission(request):
            raise PermissionDenied
        kwargs.pop("encoding", None)
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        return file_format.export_data(data)


class LoggedExport(SpreadsheetExport):
    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        DirectoryExport.objects.create(
            user=request.user,
            filters={
                "admin": self.model._meta.label_lower,
                "format": file_format.get_title(),
                **request.GET.dict(),
            },
        )
        return data


class SpreadsheetImportExport(ImportExportMixin, SpreadsheetExport):
    import_formats = SPREADSHEETS
    import_template_name = "admin/import_export/spreadsheet_import.html"
    # Row errors show their message only, never the Python traceback.
    import_error_display = ("message",)

    def get_import_context_data(self, **kwargs):
        return {**super().get_import_context_data(**kwargs), "format_help": FORMAT_HELP}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _(
                    "The file could not be read. Check that the format chosen is the one "
                    "the file was saved in (CSV or Excel .xlsx)."
                ),
            )


class BackgroundImportLoggedExport(LoggedExport):
    """A logged export, and a link to the background import of `import_kind`
    (networks/admin/imports.py) for those who may import it (networks.access)."""

    import_kind = ""
    import_export_change_list_template = "admin/networks/change_list_import.html"

    def changelist_view(self, request, extra_context=None):
        allowed = access.import_error(request.user, self.import_kind) is None
        extra = {"import_kind": self.import_kind if allowed else ""}
        return super().changelist_view(request, {**(extra_context or {}), **extra})
