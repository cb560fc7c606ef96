"""Admin exports (django-import-export) follow the changelist's filters, checked."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin

from alliance.request_data import BadParameter


class CheckedExportFilters(ExportMixin):
    """An export URL with a filter the changelist does not have (?x=1) or a value it
    cannot use (?network__id__exact=abc) is a 400, not a 500.

    The changelist itself sends such a URL back to itself with ?e=1; an export has no
    list to go back to, so it says what is wrong.
    """

    def get_export_queryset(self, request):
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters:
            raise BadParameter(
                _("This export's address has a filter that the list does not offer.")
            ) from None
