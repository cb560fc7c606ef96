"""Admin list helpers that the apps' ModelAdmins share (a basement module: it imports
no app, so networks and cities may use it)."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class _DrillDownChangeList(ChangeList):
    def get_filters(self, request):
        # Django builds the date drill-down's bounds from the query string and catches
        # only some of what can go wrong: ?<field>__year=9999 (the year after is past
        # datetime's range) or a year past C's long raised a 500.
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class SafeDateDrillDown:
    """For a ModelAdmin with date_hierarchy: nonsense dates send back to the list (?e=1).

    Mixed into every ModelAdmin by AllianceAdminSite.register, so no admin needs to
    name it."""

    def get_changelist(self, request, **kwargs):
        return _DrillDownChangeList
