"""Reading the directory: keyset pages of cities at 200,000 cities (their table is built
in networks/directory/table.py, the counts in networks/directory/counting.py)."""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Window

from alliance.request_data import INTEGER_RANGE, storable
from networks.directory import counting
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


def counted_page(
    queryset: QuerySet,
    *,
    filters: dict,
    version: int | None,
    cached: dict,
    sort: str,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
) -> tuple[Page, int, bool]:
    """page() of `queryset` (its ROW_FIELDS) and the total of `filters` at data
    `version`: (page, rows, exact), as /directory/ and /api/v1/cities/ show them.

    `cached`: what the caller read of counting.cache_keys(filters, version). After a
    change, a search or filter with few matches (as when last counted) is counted with
    its first or last page: one scan of the matching rows instead of two (issue #19);
    else counting.count(). Raises BadCursor for a cursor that does not decode.
    """
    count_all = not (after or before) and counting.known_small(cached, filters, version)
    found = page(
        queryset.only(*ROW_FIELDS),
        sort=sort,
        after=after,
        before=before,
        last=last,
        count_all=count_all,
    )
    if count_all:
        counting.remember(filters, version, found.total, True, cached)
        return found, found.total, True
    total, exact = counting.count(queryset, filters, version, cached=cached)
    return found, total, exact


def results_cache_key(params: dict, language: str, version: int) -> str:
    """The rendered results of one page: its filters, sort and cursor, in one language."""
    return f"directory-results:{version}:{language}:{counting.digest(params)}"
