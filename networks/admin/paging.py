"""Changelists that stay fast at 200,000 cities.

Django's changelist counts its rows on every page view; at this size that COUNT(*) is
most of the page's cost. The count here is exact up to 10,000 rows and the planner's
estimate beyond (PostgreSQL), as in the directory, and kept until the data changes.
Rendering the rows is the other cost (a few tenths of a millisecond a row in Django's
admin, bench/admin.py), hence LIST_PER_PAGE.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cities.gazetteer import fold
from cities.models import City
from networks.directory.counting import count
from networks.models import Network

# Rows per changelist page for the 200,000-row lists, instead of Django's 100: half the
# rendering, which was most of a page's time (issue #19, bench/admin.py); people find a
# city or a membership there by search and filters rather than by scrolling.
LIST_PER_PAGE = 50

SEARCH_HELP = _("Name or other name (accents and case ignored), or the start of the slug.")


class EstimatedCountPaginator(Paginator):
    """Django's paginator with the directory's count (networks.directory.counting.count):
    exact up to 10,000 rows, else the planner's estimate; kept per version of the data
    and per query (its SQL: the filters, the search and a host's scope), so that paging
    through a search or a filter counts once per change of the data, and a list known
    to be too long to count goes straight to the estimate after a change.

    Only for cities and memberships (and what a change to them moves): the version is
    theirs (alliance.data_version), and a count stays exact for as long as it."""

    @cached_property
    def count(self) -> int:
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:  # a queryset that cannot match (none())
            return 0
        return count(self.object_list, {"changelist": f"{sql} {params!r}"})[0]


def search_cities(queryset, term: str):
    """Cities whose folded names contain `term` (trigram index) or whose slug starts so."""
    term = term.strip()
    if not term:
        return queryset
    # Filtered directly, not through pk IN (...): a BitmapOr of the two indexes.
    return queryset.filter(Q(search_name__contains=fold(term)) | Q(slug__startswith=term.lower()))


class FastCitySearch:
    """The admin's search box through `search_cities` instead of ICONTAINS on each field."""

    search_help_text = SEARCH_HELP

    def get_search_results(self, request, queryset, search_term):
        return search_cities(queryset, search_term), False


class FoldedCitySearch:
    """Adds to the admin's search the rows whose city (`city_search_fields`) is found by
    `search_cities`, so "lodz" finds Łódź's rows as the city changelist does."""

    city_search_fields: tuple[str, ...] = ("city",)
    # Folded text fields of the row itself (a city described but not yet in the directory).
    folded_name_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term:
            return found, may_have_duplicates
        cities = search_cities(City.objects.all(), term).values("pk")
        by_city = Q()
        for field in self.city_search_fields:
            by_city |= Q(**{f"{field}__in": cities})
        if fold(term):
            for field in self.folded_name_fields:
                by_city |= Q(**{f"{field}__contains": fold(term)})
        return found | queryset.filter(by_city), may_have_duplicates


class FastMembershipSearch:
    search_help_text = _("City name (accents ignored), or the network's name.")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        cities = search_cities(City.objects.all(), term).values("pk")
        condition = Q(city__in=cities)
        # Networks are few: asking first keeps "city in …" alone (an index semi-join)
        # when no network matches; OR-ing both made PostgreSQL scan every membership.
        networks = list(Network.objects.filter(name__icontains=term).values_list("pk", flat=True))
        if networks:
            condition |= Q(network__in=networks)
        return queryset.filter(condition), False
