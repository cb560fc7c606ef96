"""Honest counts of the directory at 200,000 cities: exact up to EXACT_COUNT_LIMIT
rows, else the planner's estimate, kept per set of filters and version of the data,
and whether a set of filters was last seen "small" (countable) or "large", kept across
versions (networks/directory/views.py counts a small one with its page, in one query)."""

import hashlib
import json

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet

from alliance import data_version

EXACT_COUNT_LIMIT = 10_000  # rows
COUNT_CACHE_SECONDS = 60
LARGE_CACHE_SECONDS = 15 * 60
# What the size flag of cache_keys() holds.
SMALL, LARGE = "small", "large"


def count(
    queryset: QuerySet, filters: dict | None = None, version=None, *, cached: dict | None = None
) -> tuple[int, bool]:
    """(number, exact): exact up to EXACT_COUNT_LIMIT, else the planner's estimate.

    Counting thousands of matches costs more than the page itself, and people page
    through the same filters, so with `filters` a count is kept for a minute per set
    of filters and per version of the data: any change to cities or memberships
    starts a new version, so an exact count stays exact. That a set of filters had
    too many matches to count is kept across versions for a while, so a change does
    not make its next visitor count 10,000 rows only to show an estimate again; that it
    had few enough to count is kept as long (see `remember`).

    `cached`: what the caller already read of `cache_keys(filters, version)` (with
    its own key, in one round trip: the API); else both are read here, in one.
    """
    if filters is None:
        return _count(queryset)
    key, size_key = cache_keys(filters, version)
    # Both keys in one round trip to the cache, which after a change (a new version)
    # costs a page more than reading one key it does not need (issue #18).
    cached = cache.get_many([key, size_key]) if cached is None else cached
    if cached.get(key) is not None:
        return tuple(cached[key])
    if connection.vendor == "postgresql" and cached.get(size_key) == LARGE:
        total, exact = max(_estimate(queryset), EXACT_COUNT_LIMIT + 1), False
    else:
        total, exact = _count(queryset)
    remember(filters, version, total, exact, cached)
    return total, exact


def remember(
    filters: dict, version: int | None, total: int, exact: bool, cached: dict | None = None
) -> None:
    """Keep `total` (rows; `exact` or the planner's estimate) as the count of `filters`
    at `version`, and whether it was small enough to count (at most EXACT_COUNT_LIMIT
    rows) across versions, for LARGE_CACHE_SECONDS. `cached`: what was read of
    `cache_keys(filters, version)`; a size flag it already holds is not written again
    (one round trip to the cache less after a change)."""
    key, size_key = cache_keys(filters, version)
    size = SMALL if exact and total <= EXACT_COUNT_LIMIT else LARGE
    if (cached or {}).get(size_key) != size:
        cache.set(size_key, size, LARGE_CACHE_SECONDS)
    cache.set(key, (total, exact), COUNT_CACHE_SECONDS)


def known_small(cached: dict, filters: dict, version: int | None = None) -> bool:
    """Whether `cached` (what was read of `cache_keys(filters, version)`) says the rows
    of `filters` were few enough to count when last counted, and holds no count at
    `version`: then counting them with their page costs one scan instead of two."""
    key, size_key = cache_keys(filters, version)
    return cached.get(key) is None and cached.get(size_key) == SMALL


def about(number: int) -> int:
    """`number` (rows) rounded to two significant figures, as the directory shows an
    estimated total: 183,412 -> 180,000."""
    digits = len(str(number))
    step = 10 ** max(digits - 2, 0)
    return round(number / step) * step


def digest(params: dict) -> str:
    """A short, stable key (32 hex characters) for a dict of query parameters."""
    raw = json.dumps(sorted(params.items()), default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def cache_keys(filters: dict, version: int | None = None) -> tuple[str, str]:
    """The cache keys count() reads for `filters`: (its count at `version`, its size
    flag: SMALL, LARGE or absent)."""
    return count_cache_key(filters, version), f"directory-size:{digest(filters)}"


def count_cache_key(filters: dict, version: int | None = None) -> str:
    version = data_version.current() if version is None else version
    return f"directory-count:{version}:{digest(filters)}"


def _count(queryset: QuerySet) -> tuple[int, bool]:
    capped = queryset.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1].count()
    if capped <= EXACT_COUNT_LIMIT or connection.vendor != "postgresql":
        if capped > EXACT_COUNT_LIMIT:
            return queryset.count(), True
        return capped, True
    return max(_estimate(queryset), capped), False


def _estimate(queryset: QuerySet) -> int:
    """The planner's estimate of the number of rows (PostgreSQL)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
