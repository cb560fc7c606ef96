"""Reading the directory: keyset pages and their rows at 200,000 cities (the counts are
in networks/directory/counting.py)."""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from alliance.request_data import INTEGER_RANGE, storable
from networks.directory.counting import digest
from networks.models import Membership, Network

PAGE_SIZE = 50
# Rendered results (table, pager) of a page, per version of the data; the minute bounds
# what a bulk update that sends no signal could leave stale.
RESULTS_CACHE_SECONDS = 60

# Sort name -> (field, descending). The id breaks ties, so the order is stable.
ORDERS = {
    "name": ("name", False),
    "population": ("population", True),
    "joined": ("member_since", True),
}


class BadCursor(ValueError):
    pass


@dataclass
class Page:
    cities: list
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool
    is_last: bool
    # Rows in the whole queryset, when page() was asked to count them.
    total: int | None = None


def encode_cursor(value, pk: int) -> str:
    if isinstance(value, datetime.date):
        value = value.isoformat()
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        # JSON carries what no database takes: NUL, lone surrogates, 2**70.
        if not isinstance(pk, int) or not _fits(pk):
            raise TypeError
        if value is not None:
            if sort == "name" and not (isinstance(value, str) and storable(value)):
                raise TypeError
            if sort == "population" and not (isinstance(value, int) and _fits(value)):
                raise TypeError
            if sort == "joined":
                value = datetime.date.fromisoformat(value)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise BadCursor(cursor) from None
    return value, pk


def _fits(number: int) -> bool:
    low, high = INTEGER_RANGE
    return low <= number <= high


def _after(field: str, descending: bool, value, pk: int) -> Q:
    """Rows strictly after (value, pk) in the order; NULL values sort last."""
    if value is None:
        return Q(**{f"{field}__isnull": True, "pk__gt": pk})
    beyond = Q(**{f"{field}__lt" if descending else f"{field}__gt": value})
    return beyond | Q(**{field: value, "pk__gt": pk}) | Q(**{f"{field}__isnull": True})


def _before(field: str, descending: bool, value, pk: int) -> Q:
    """Rows strictly before (value, pk) in the order."""
    if value is None:
        return Q(**{f"{field}__isnull": False}) | Q(**{f"{field}__isnull": True, "pk__lt": pk})
    ahead = Q(**{f"{field}__gt" if descending else f"{field}__lt": value})
    return ahead | Q(**{field: value, "pk__lt": pk})


def _ordering(field: str, descending: bool, reverse: bool = False):
    """ORDER BY for the sort, NULLs last; `reverse` walks it backwards (for ?before=)."""
    from django.db.models import F

    column = F(field)
    if descending != reverse:
        column = column.desc(nulls_first=True) if reverse else column.desc(nulls_last=True)
    else:
        column = column.asc(nulls_first=True) if reverse else column.asc(nulls_last=True)
    return [column, "-pk" if reverse else "pk"]


# What a directory row shows; the rest of a city (descriptions, other names, logo)
# stays in the database.
ROW_FIELDS = ["id", "name", "slug", "country", "region", "population", "member_since"]


def _network_text_fields() -> list[str]:
    # Networks' descriptions, in every language, are not shown in the directory.
    return [f.name for f in Network._meta.concrete_fields if f.name.startswith("description")]


def with_memberships(queryset: QuerySet) -> QuerySet:
    """Cities with their active memberships as `active_memberships` (the CSV export)."""
    active = (
        Membership.objects.active()
        .filter(network__is_active=True)
        .select_related("network")
        .defer(*(f"network__{name}" for name in _network_text_fields()))
        .order_by("network__name")
    )
    return queryset.prefetch_related(Prefetch("memberships", active, to_attr="active_memberships"))


def memberships_of(cities: list) -> dict[int, list[tuple[str, str]]]:
    """(network name, role) of each city's active memberships, by network name.

    Plain values in one query: a page shows some 50 badges, and building a Membership
    and a Network object for each cost more than the page's own query. The name is
    the current language's, else the English one (modeltranslation's fallback).
    """
    localized = build_localized_fieldname("name", get_language() or "en")
    fallback = build_localized_fieldname("name", "en")
    found: dict[int, list[tuple[str, str]]] = {city.pk: [] for city in cities}
    pairs = (
        Membership.objects.active()
        .filter(city__in=list(found), network__is_active=True)
        .values_list("city_id", f"network__{localized}", f"network__{fallback}", "role")
        .order_by()  # sorted here: Membership's own ordering would join the cities again
    )
    for city_id, name, english, role in pairs:
        found[city_id].append((name or english, role))
    for badges in found.values():
        badges.sort()
    return found


def page(
    queryset: QuerySet,
    *,
    sort: str,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    size: int = PAGE_SIZE,
    count_all: bool = False,
) -> Page:
    """The `size` cities after the cursor `after`, before `before`, the `last` ones or
    the first ones, in the order `sort` (a key of ORDERS); BadCursor for a cursor that
    does not decode.

    `count_all` (first or last page only, else ValueError): the page also says how many
    rows the whole queryset has (Page.total), from the same query, as a window count,
    which reads every matching row: for a set of filters known to have few (counting
    .known_small), one scan instead of a scan for the page and another for the count.
    """
    field, descending = ORDERS[sort]
    if count_all:
        if after or before:
            raise ValueError("count_all counts from the first or the last page only")
        # Filtered on the count (always true) so that Django counts in a subquery: with
        # the LIMIT outside, PostgreSQL no longer walks the whole name index in order (a
        # plan for 51 rows) to count rows it could have read through the search's index.
        queryset = queryset.annotate(directory_total=Window(Count("pk"))).filter(
            directory_total__gt=0
        )
    if after:
        value, pk = decode_cursor(after, sort)
        rows = list(
            queryset.filter(_after(field, descending, value, pk)).order_by(
                *_ordering(field, descending)
            )[: size + 1]
        )
        has_more, rows = len(rows) > size, rows[:size]
        is_first, is_last = False, not has_more
    elif before or last:
        window = queryset
        if before:
            value, pk = decode_cursor(before, sort)
            window = queryset.filter(_before(field, descending, value, pk))
        rows = list(window.order_by(*_ordering(field, descending, reverse=True))[: size + 1])
        has_more, rows = len(rows) > size, rows[:size][::-1]
        is_first, is_last = not has_more, not before
    else:
        rows = list(queryset.order_by(*_ordering(field, descending))[: size + 1])
        has_more, rows = len(rows) > size, rows[:size]
        is_first, is_last = True, not has_more

    def key(city):
        value = getattr(city, field)
        return encode_cursor(value, city.pk)

    return Page(
        cities=rows,
        next_cursor=key(rows[-1]) if rows and not is_last else None,
        previous_cursor=key(rows[0]) if rows and not is_first else None,
        is_first=is_first,
        is_last=is_last,
        total=(rows[0].directory_total if rows else 0) if count_all else None,
    )


def results_cache_key(params: dict, language: str, version: int) -> str:
    """The rendered results of one page: its filters, sort and cursor, in one language."""
    return f"directory-results:{version}:{language}:{digest(params)}"


@dataclass
class Row:
    url: str
    name: str
    country_code: str
    country_name: str
    flag: str
    region: str
    size: str
    size_short: str
    population: int | None
    memberships: list


def rows(cities: list) -> list[Row]:
    """Plain values for the directory table: cheaper to render than model lookups per cell.

    Country names and flags repeat across a page, so each is looked up once.
    """
    from cities.regions import Region
    from cities.sizes import SHORT_LABELS, SizeClass

    placeholder = "__slug__"
    url_pattern = reverse("cities:detail", kwargs={"slug": placeholder})
    # Labels translated once per page rather than once per cell.
    regions = {value: str(label) for value, label in Region.choices}
    sizes = {size: str(size.label) for size in SizeClass}
    short_sizes = {size: str(label) for size, label in SHORT_LABELS.items()}
    roles = {value: str(label) for value, label in Membership.Role.choices}
    countries: dict[str, tuple[str, str]] = {}
    badges = memberships_of(cities)
    result = []
    for city in cities:
        code = city.country.code
        if code not in countries:
            countries[code] = (str(city.country.name), city.country.flag)
        size = city.size_class
        result.append(
            Row(
                url=url_pattern.replace(placeholder, city.slug),
                name=city.name,
                country_code=code,
                country_name=countries[code][0],
                flag=countries[code][1],
                region=regions.get(city.region, ""),
                size=sizes[size] if size else "",
                size_short=short_sizes[size] if size else "",
                population=city.population,
                memberships=[
                    (network, role, roles.get(role, role)) for network, role in badges[city.pk]
                ],
            )
        )
    return result


def rows_html(rows: list[Row]) -> str:
    """The table's <tr>s, built here rather than in the template.

    Fifty rows of six cells and their badges cost the template language several
    milliseconds, most of a page whose results were not cached yet. Every value is
    escaped; the markup follows templates/directory/_results.html's table head.
    """
    population_label = escape(_("Population"))
    not_recorded = (
        '<span class="muted" aria-hidden="true">—</span>'
        f'<span class="visually-hidden">{escape(_("Not recorded"))}</span>'
    )
    html = []
    for row in rows:
        flag = (
            f'<img class="flag" src="{escape(row.flag)}" alt="" width="16" height="11">'
            if row.flag
            else ""
        )
        badges = "".join(
            f'<li class="memberships__item"><span class="memberships__network">{escape(network)}'
            f'</span> <span class="badge badge--{escape(role)}">{escape(label)}</span></li>'
            for network, role, label in row.memberships
        )
        population = (
            not_recorded
            if row.population is None
            else escape(number_format(row.population, force_grouping=True))
        )
        html.append(
            "<tr>"
            f'<th scope="row" class="table__city"><a href="{escape(row.url)}">{escape(row.name)}'
            "</a></th>"
            f'<td class="table__country"><span class="country">{flag}'
            f'<span class="country__name">{escape(row.country_name)}</span></span></td>'
            f'<td class="table__region">{escape(row.region)}</td>'
            f'<td class="table__size"><span title="{escape(row.size)}">'
            f"{escape(row.size_short)}</span></td>"
            '<td class="table__memberships">'
            + (f'<ul class="memberships">{badges}</ul>' if badges else "")
            + "</td>"
            f'<td class="table__number" data-label="{population_label}">{population}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 (every value escaped above)
