"""One city to add, with its memberships and pledged principles, deterministically."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from cities.models import City, search_text
from cities.regions import region_for_country
from networks.directory.fill.names import alternate_names, coordinate
from networks.directory.fill.networks import Networks
from networks.models import Membership

FIRST_DAY = datetime.date(2020, 11, 1)  # the pioneers were announced in November 2020
MIN_POPULATION = 1_000
Q5 = Decimal("0.00001")


class Planner:
    """Builds unsaved cities with their memberships and principles, deterministically."""

    def __init__(self, *, seed: int, networks: Networks, principle_ids: list[int]):
        self.seed = seed
        self.networks = networks
        self.principle_ids = principle_ids
        self.today = timezone.localdate()
        self.span = max((self.today - FIRST_DAY).days, 0)

    def rng(self, key: str) -> random.Random:
        # One generator per city, seeded by the seed and the city's identity: a city
        # gets the same figures whichever run or batch creates it.
        return random.Random(f"{self.seed}:{key}")  # noqa: S311 - test data, not secrets

    def real(self, row: dict, slug: str):
        rng = self.rng(f"geonames:{row['geonameid']}")
        name, country = row["name"], row["countrycode"]
        others = alternate_names(row)
        city = City(
            geonames_id=int(row["geonameid"]),
            name=name,
            slug=slug,
            country=country,
            region=region_for_country(country) or "",
            population=int(row["population"]) or None,
            latitude=Decimal(str(row["latitude"])).quantize(Q5),
            longitude=Decimal(str(row["longitude"])).quantize(Q5),
            time_zone=row["timezone"],
            alternate_names=others,
            search_name=search_text(name, others),
        )
        return self._extras(city, rng)

    def synthetic(self, row: dict, name: str, slug: str):
        rng = self.rng(f"synthetic:{slug}")
        country = row["countrycode"]
        base = int(row["population"] or 0) or 20_000
        city = City(
            name=name,
            slug=slug,
            country=country,
            region=region_for_country(country) or "",
            population=max(MIN_POPULATION, int(base * rng.uniform(0.02, 0.4))),
            latitude=coordinate(row["latitude"] + rng.uniform(-0.25, 0.25), 90),
            longitude=coordinate(row["longitude"] + rng.uniform(-0.25, 0.25), 180),
            time_zone=row["timezone"],
            search_name=search_text(name),
        )
        return self._extras(city, rng)

    def _extras(self, city: City, rng: random.Random):
        chosen: list[tuple[int, str | None]] = []
        regional = self.networks.regional.get(city.region)
        if regional and rng.random() < 0.80:
            chosen.append((regional, None))
        national = self.networks.national.get(str(city.country))
        if national and rng.random() < 0.25:
            chosen.append((national, None))
        if self.networks.global_id and rng.random() < 0.01:
            chosen.append((self.networks.global_id, Membership.Role.PIONEER))
        memberships = [self._membership(network, role, rng) for network, role in chosen]
        principles = rng.sample(self.principle_ids, rng.randint(0, min(3, len(self.principle_ids))))
        return city, memberships, principles

    def _membership(self, network_id: int, role: str | None, rng: random.Random) -> Membership:
        if role is None:
            role = Membership.Role.FOUNDING if rng.random() < 0.05 else Membership.Role.MEMBER
        roll = rng.random()
        if roll < 0.92:
            status = Membership.Status.ACTIVE
        elif roll < 0.96:
            status = Membership.Status.LAPSED
        elif roll < 0.98:
            status = Membership.Status.SUSPENDED
        else:
            status = Membership.Status.PENDING
        joined = FIRST_DAY + datetime.timedelta(days=rng.randint(0, self.span))
        changed = joined
        if status in (Membership.Status.LAPSED, Membership.Status.SUSPENDED):
            changed += datetime.timedelta(days=rng.randint(0, (self.today - joined).days))
        return Membership(
            network_id=network_id,
            role=role,
            status=status,
            # A pending application has not joined yet.
            joined_on=None if status == Membership.Status.PENDING else joined,
            status_changed_at=datetime.datetime.combine(
                changed, datetime.time(12), tzinfo=datetime.UTC
            ),
        )
