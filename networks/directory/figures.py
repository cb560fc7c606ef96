"""Counts the public pages and the admin's dashboard show, without counting per visit.

At 200,000 cities the home page's figures took 1.1 s and a network page counted its
100,000 members on every visit (issue #21). Two kinds of figures:

- one network's (its members by role, its pioneer links): cheap on the indexes (a few
  ms for 40,000 members), counted once per version of the directory's data, so they
  stay exact: every change to cities, memberships, networks or pioneer links starts a
  new version (`alliance.data_version.changed`, sent by networks/signals.py);
- the alliance's (member cities, countries, members and links of every network):
  scanning every member city costs 0.1-0.5 s, too much for the first visitor after each
  change, so beat recounts them when the data changed (`refresh_alliance`) and pages
  read what it kept. City.is_member, kept by the same signals, says which cities count
  as members without looking at their memberships.
"""

import time

from django.core.cache import cache
from django.db.models import Count

from alliance import data_version
from cities.models import City
from networks.models import Membership, PioneerLink

# Old versions' figures are never read again; they only need to leave the cache.
FIGURES_CACHE_SECONDS = 60 * 60
# Alliance-wide figures scan every member city and membership (0.1-0.5 s at 200,000
# cities on a busy machine), too much for the first visitor after each change: beat
# recounts them every FIGURES_REFRESH_SECONDS when the data changed (refresh_alliance),
# and a page counts them itself only when none are kept at all.
FIGURES_REFRESH_SECONDS = 120
ALLIANCE_KEY = "figures:alliance"
ALLIANCE_MAX_AGE = 10 * FIGURES_REFRESH_SECONDS


def _cached(name: str, compute, version: int | None = None):
    version = data_version.current() if version is None else version
    key = f"figures:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FIGURES_CACHE_SECONDS)
    return value


def _count_alliance(version: int) -> dict:
    members = City.objects.filter(is_member=True).aggregate(
        member_cities=Count("id"), countries=Count("country", distinct=True)
    )
    by_network = Membership.objects.active().order_by().values_list("network")
    links = PioneerLink.objects.current().order_by().values_list("network")
    return {
        **members,
        "members_by_network": dict(by_network.annotate(n=Count("id"))),
        "links_by_network": dict(links.annotate(n=Count("id"))),
        "version": version,
        "counted_at": time.time(),
    }


def refresh_alliance(force: bool = False) -> bool:
    """Count the alliance-wide figures again if the data changed since (beat's task).

    Returns whether it counted. The version is read before counting, so a change made
    while counting leaves the figures marked with the older version: the next run
    counts again.
    """
    version = data_version.current()
    kept = cache.get(ALLIANCE_KEY)
    if not force and kept is not None and kept["version"] == version:
        cache.touch(ALLIANCE_KEY, ALLIANCE_MAX_AGE)
        return False
    cache.set(ALLIANCE_KEY, _count_alliance(version), ALLIANCE_MAX_AGE)
    return True


def alliance() -> dict:
    """The alliance-wide figures as beat last counted them (at most a couple of
    minutes behind the data), or counted now when none are kept, or when the data
    changed and beat has not recounted for twice its period (no beat, or a cache
    local to each process, as on a laptop).

    {"member_cities": cities listed in the directory (an active membership of an active
    network), "countries": their countries, "members_by_network": {network id: active
    memberships}, "links_by_network": {network id: current pioneer links}, "version",
    "counted_at": time.time() of the count}
    """
    kept = cache.get(ALLIANCE_KEY)
    if kept is None or (
        time.time() - kept["counted_at"] > 2 * FIGURES_REFRESH_SECONDS
        and kept["version"] != data_version.current()
    ):
        kept = _count_alliance(data_version.current())
        cache.set(ALLIANCE_KEY, kept, ALLIANCE_MAX_AGE)
    return kept


def network(network, version: int | None = None) -> dict:
    """One network's page figures.

    {"roles": {role: active memberships}, "members": int, "links": {"links", "active",
    "proposed", "pioneers", "mentees"}, "focus": [(focus, links)]}
    """

    def compute():
        roles = network.memberships.active().role_counts()
        links = network.pioneer_links.current()
        return {
            "roles": roles,
            "members": sum(roles.values()),
            "links": links.summary(),
            "focus": links.focus_counts(),
        }

    return _cached(f"network:{network.pk}", compute, version)


def with_member_counts(networks) -> list:
    """`networks` as a list, each with `member_count` (active memberships) set from the
    kept alliance-wide figures rather than counted per visit."""
    counts = alliance()["members_by_network"]
    networks = list(networks)
    for item in networks:
        item.member_count = counts.get(item.pk, 0)
    return networks
