"""The admin dashboard's "model policies adopted per network, year by year".

The roadmap (networks/policies) records when each city adopted each model policy; a
network's figure for a year is the number of (member city, model policy) steps adopted
by the end of that year, counting the cities that are active members today. The years
run from the roadmap's publication (November 2020, ../shared/DOMAIN.md) to this year.
One grouped query, counted once per version of the data and set of networks.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from alliance import data_version
from networks.models import Membership
from networks.policies.models import RoadmapEntry

FIRST_YEAR = 2020
CACHE_SECONDS = 60 * 60


@dataclass
class AdoptionRow:
    """One network: `by_year` the steps adopted by the end of each year of `years`
    (cumulative), `undated` those adopted with no date recorded."""

    name: str
    by_year: list[int]
    undated: int


def adoption_per_network(networks: list, today=None) -> tuple[list[int], list[AdoptionRow]]:
    """(years, rows) for `networks` (Network objects, in the order shown), cached per
    version of the data. Networks with no adopted step are left out."""
    today = today or timezone.localdate()
    ids = [network.pk for network in networks]
    key = f"dashboard-adoption:{data_version.current()}:{today.year}:{','.join(map(str, ids))}"
    counts = cache.get(key)
    if counts is None:
        counts = _counts(ids)
        cache.set(key, counts, CACHE_SECONDS)
    years = list(range(FIRST_YEAR, max(today.year, FIRST_YEAR) + 1))
    rows = []
    for network in networks:
        mine = {year: n for (pk, year), n in counts.items() if pk == network.pk}
        if not mine:
            continue
        # Steps dated before the roadmap was published count from its first year.
        running = sum(n for year, n in mine.items() if year is not None and year < FIRST_YEAR)
        by_year = []
        for year in years:
            running += mine.get(year, 0)
            by_year.append(running)
        rows.append(AdoptionRow(str(network.name), by_year, mine.get(None, 0)))
    return years, rows


def _counts(ids: list[int]) -> dict[tuple[int, int | None], int]:
    """{(network id, year adopted or None): adopted steps of its active member cities}."""
    rows = (
        Membership.objects.filter(
            network__in=ids,
            status=Membership.Status.ACTIVE,
            city__roadmap__status=RoadmapEntry.Status.ADOPTED,
        )
        .annotate(year=ExtractYear("city__roadmap__since"))
        .values_list("network", "year")
        .annotate(n=Count("city__roadmap"))
        .order_by()
    )
    return {(network, year): n for network, year, n in rows}
