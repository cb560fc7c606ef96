"""The map of member cities at 200,000 cities, on a cache miss and warm, against a bare view.

    DATABASE_URL=postgres://... .venv/bin/python bench/map.py [--runs 100] [--fill 200000]

Same method as bench/pages.py (production settings, django.test.Client, warm-up,
round-robin so every case shares the machine's noise, both states in the same run):
  cold  a version of the data never seen (the first visit after any change): the grid
        is aggregated again in the database (networks.map.grid) and drawn;
  warm  the map was seen since the last change: read from the cache.
Cases: /map/ unfiltered, by the largest network, by a region, by both, and the largest
network's page (which shows its members' map). Prints medians, p95s, ratio to the bare
view, queries, page and SVG KB, and PASS/FAIL per target (issue #18: the map page's p95
≤ 100 ms warm, its SVG under ~300 KB); exits 0 either way (a measurement), 2 when it
cannot measure.
"""

import argparse
import gc
import re
import statistics
import sys
import time

from directory import collect_static_if_needed, percentile, production_environment

WARM_UP = 5
MAX_WARM_P95_MS = 100
MAX_SVG_KB = 300
SVG = re.compile(rb'<svg class="map__svg".*?</svg>', re.S)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100, help="Measured requests per case.")
    parser.add_argument("--fill", type=int, default=200_000, help="fill_directory up to this.")
    parser.add_argument("--seed", type=int, default=2020, help="fill_directory's seed.")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def cases() -> list[tuple[str, str, bool]]:
    """(label, path, is a /map/ page); the first is the bare view."""
    from django.db.models import Count, Q

    from networks.models import Network

    largest = (
        Network.objects.active()
        .annotate(n=Count("memberships", filter=Q(memberships__status="active")))
        .order_by("-n")
        .first()
    )
    return [
        ("bare view (baseline)", "/bench/bare/", False),
        ("map", "/map/", True),
        (f"map ?network={largest.slug}", f"/map/?network={largest.slug}", True),
        ("map ?region=europe", "/map/?region=europe", True),
        ("map network+region", f"/map/?network={largest.slug}&region=latam", True),
        (f"network page {largest.slug}", largest.get_absolute_url(), False),
    ]


def main(argv=None) -> int:  # noqa: C901 - one linear measurement
    args = parse_args(argv)
    production_environment()

    from django.conf import settings

    static_folder = collect_static_if_needed(settings)

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    if connection.vendor != "postgresql":
        print("bench/map.py measures PostgreSQL (set DATABASE_URL).", file=sys.stderr)
        return 2
    if static_folder is not None:
        call_command("collectstatic", interactive=False, verbosity=0)

    from alliance import data_version
    from cities.models import City

    if args.fill:
        have = City.objects.count()
        if have < args.fill:
            print(f"{have:,} cities: filling up to {args.fill:,} with fill_directory…")
            call_command("fill_directory", args.fill, seed=args.seed)
    all_cases = cases()
    members = City.objects.filter(is_member=True).count()
    placed = City.objects.filter(is_member=True, latitude__isnull=False).count()
    print(
        f"{City.objects.count():,} cities, {members:,} members ({placed:,} with coordinates). "
        f"DEBUG={settings.DEBUG}. {args.runs} runs per case and state after {WARM_UP} "
        "warm-up requests."
    )

    client = Client()
    states = ["cold", "warm"]
    unique = iter(range(1, 10**9))
    real_version = data_version.current

    def prepare(state: str) -> None:
        # cold: a version never used before, as a save in the admin makes.
        data_version.current = real_version
        if state == "cold":
            version = -next(unique)
            data_version.current = lambda: version

    def fetch(path):
        response = client.get(path)
        if response.status_code != 200 or not response.content:
            raise AssertionError(f"{path}: status {response.status_code}")
        return response

    samples: dict = {}
    queries: dict = {}
    sizes: dict = {}
    svg_sizes: dict = {}
    marks: dict = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        try:
            for label, path, _is_map in all_cases:
                for state in states:
                    for _ in range(WARM_UP):
                        prepare(state)
                        response = fetch(path)
                    sizes[label] = len(response.content)
                    svg = SVG.search(response.content)
                    svg_sizes[label] = len(svg.group(0)) if svg else 0
                    marks[label] = svg.group(0).count(b"<a ") if svg else 0
                    prepare(state)
                    with CaptureQueriesContext(connection) as captured:
                        fetch(path)
                    queries[(state, label)] = len(captured.captured_queries)
                    samples[(state, label)] = []
            gc.collect()
            for run in range(args.runs):
                shift = run % len(all_cases)
                for label, path, _is_map in all_cases[shift:] + all_cases[:shift]:
                    for state in states:
                        prepare(state)
                        started = time.perf_counter()
                        fetch(path)
                        samples[(state, label)].append((time.perf_counter() - started) * 1000)
        except AssertionError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            return 2
        finally:
            data_version.current = real_version
            if static_folder is not None:
                static_folder.cleanup()

    median = {key: statistics.median(values) for key, values in samples.items()}
    p95 = {key: percentile(values, 0.95) for key, values in samples.items()}
    bare = median[("warm", all_cases[0][0])]
    header = (
        f"{'case':<30} {'cold med':>8} {'cold p95':>8} {'q':>3}  {'warm med':>8} "
        f"{'warm p95':>8} {'q':>3} {'warm×bare':>9} {'KB':>6} {'SVG KB':>6} {'marks':>5}"
    )
    print(f"\n{header}")
    for label, _path, _is_map in all_cases:
        cold, warm = ("cold", label), ("warm", label)
        print(
            f"{label:<30} {median[cold]:>8.1f} {p95[cold]:>8.1f} {queries[cold]:>3}  "
            f"{median[warm]:>8.1f} {p95[warm]:>8.1f} {queries[warm]:>3} "
            f"{median[warm] / bare:>9.1f} {sizes[label] / 1024:>6.1f} "
            f"{svg_sizes[label] / 1024:>6.1f} {marks[label]:>5}"
        )

    checks = []
    for label, _path, is_map in all_cases[1:]:
        warm = ("warm", label)
        if is_map:
            checks.append(
                (
                    f"{label}: warm p95 ≤ {MAX_WARM_P95_MS} ms",
                    f"{p95[warm]:.1f} ms",
                    p95[warm] <= MAX_WARM_P95_MS,
                )
            )
        checks.append(
            (
                f"{label}: SVG ≤ {MAX_SVG_KB} KB",
                f"{svg_sizes[label] / 1024:.0f} KB",
                0 < svg_sizes[label] <= MAX_SVG_KB * 1024,
            )
        )
    print("\nTargets:")
    for text, value, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text:<52} {value:>10}")
    missed = sum(1 for _text, _value, ok in checks if not ok)
    print(
        f"\n{missed} of {len(checks)} targets MISSED."
        if missed
        else f"\nAll {len(checks)} targets met."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
