"""Spreadsheet import and export in the admin (django-import-export).

Imports are for those who see every network (the secretariat): a host's add
permission is for their own networks, row by row in the admin. Exports follow the
changelist's filters and the user's networks, and are logged like directory exports.
"""

from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from alliance.admin_export import CheckedExportFilters
from alliance.roles import sees_all_networks
from networks.models import DirectoryExport

SPREADSHEETS = [CSV, XLSX]


class LoggedExport(CheckedExportFilters):
    export_formats = SPREADSHEETS

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


class ImportLoggedExport(ImportExportMixin, LoggedExport):
    import_formats = SPREADSHEETS

    def has_import_permission(self, request):
        return sees_all_networks(request.user) and super().has_import_permission(request)
