"""How fast /directory/ answers at 200,000 cities, through the full middleware stack.

    DATABASE_URL=postgres://... .venv/bin/python bench/directory.py [--runs 200] [--fill 200000]

Production settings (DEBUG off, the manifest static storage, persistent connections),
django.test.Client, every case warmed up and then measured round-robin so that they
share the machine's noise. Each directory case is compared with a bare Django view
that goes through the same middleware: the ratio says what the directory itself costs,
whatever the machine. Prints medians, p95s, ratios, queries per request and PASS/FAIL
per target; exits 0 either way (it is a measurement), 2 when it cannot measure.

The directory caches a page's rendered results and its count per version of the data,
so each case is measured in three states, round-robin in the same run:
  warm         the page was seen since the last change (what most visits get);
  new page     its results were never rendered, its count is cached (another cursor);
  after change the data just changed: results, count and option lists all recomputed.
"""

import argparse
import gc
import math
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, path, kind): kind is "bare", "first", "last", "search" or "filter".
CASES = [
    ("bare view (baseline)", "/bench/bare/", "bare"),
    ("directory, first page", "/directory/", "first"),
    ("directory, last page", "/directory/?last=1", "last"),
    ("search ?q=san", "/directory/?q=san", "search"),
    ("search ?q=cordoba", "/directory/?q=cordoba", "search"),
    ("region+size+role", "/directory/?region=latam&size=small&role=member", "filter"),
]
WARM_UP = 10

# Targets.
MAX_RATIO_TO_BARE = 15
MAX_LAST_TO_FIRST = 1.5
MAX_SEARCH_TO_FIRST = 2
MAX_P95_MS = 25


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="Measured requests per case.")
    parser.add_argument(
        "--fill",
        type=int,
        default=200_000,
        help="Run fill_directory up to this many cities first (skipped when there are "
        "already that many; 0 never fills). Default 200,000.",
    )
    parser.add_argument("--seed", type=int, default=2020, help="fill_directory's seed.")
    parser.add_argument(
        "--allow-sqlite", action="store_true", help="Measure even if the database is SQLite."
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def production_environment() -> None:
    """Production settings unless the caller set them: DEBUG off, a throwaway key."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def collect_static_if_needed(settings) -> tempfile.TemporaryDirectory | None:
    """The manifest storage needs collectstatic; use a temporary STATIC_ROOT if missing."""
    if (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        return None
    folder = tempfile.TemporaryDirectory(prefix="alliance-bench-static-")
    settings.STATIC_ROOT = folder.name  # before setup, so storages and WhiteNoise see it
    return folder


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def fetch(client, path: str):
    response = client.get(path)
    if response.status_code != 200 or not response.content:
        raise AssertionError(
            f"{path}: status {response.status_code}, {len(response.content)} bytes"
        )
    return response


def listed(response) -> int:
    """How many cities the page lists (one row header per city)."""
    return response.content.count(b'class="table__city"')


def targets(median: dict, p95: dict, bare: float) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for one cache state; `median` and `p95` by case label."""
    kinds = {label: kind for label, _path, kind in CASES}
    first = next(label for label, kind in kinds.items() if kind == "first")
    last = next(label for label, kind in kinds.items() if kind == "last")
    checks = [
        (
            f"{label}: median ≤ {MAX_RATIO_TO_BARE} × bare",
            f"{value / bare:.1f} ×",
            value / bare <= MAX_RATIO_TO_BARE,
        )
        for label, value in median.items()
    ]
    ratio = median[last] / median[first]
    checks.append(
        (
            f"last page ÷ first page ≤ {MAX_LAST_TO_FIRST}",
            f"{ratio:.2f}",
            ratio <= MAX_LAST_TO_FIRST,
        )
    )
    for label, value in median.items():
        if kinds[label] == "search":
            ratio = value / median[first]
            checks.append(
                (
                    f"{label} ÷ first page ≤ {MAX_SEARCH_TO_FIRST}",
                    f"{ratio:.2f}",
                    ratio <= MAX_SEARCH_TO_FIRST,
                )
            )
    checks += [
        (f"{label}: p95 ≤ {MAX_P95_MS} ms", f"{value:.1f} ms", value <= MAX_P95_MS)
        for label, value in p95.items()
    ]
    return checks


def main(argv=None) -> int:
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

    if connection.vendor != "postgresql" and not args.allow_sqlite:
        print(
            f"bench/directory.py measures PostgreSQL, but the database is {connection.vendor} "
            "(set DATABASE_URL=postgres://..., or pass --allow-sqlite).",
            file=sys.stderr,
        )
        return 2

    from cities.models import City
    from networks.models.structure import member_cities

    if static_folder is not None:
        call_command("collectstatic", interactive=False, verbosity=0)

    if args.fill:
        have = City.objects.count()
        if have >= args.fill:
            print(f"{have:,} cities already (--fill {args.fill:,}): not filling.")
        else:
            print(f"{have:,} cities: filling up to {args.fill:,} with fill_directory…")
            call_command("fill_directory", args.fill, seed=args.seed)

    cities = City.objects.count()
    members = member_cities().count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("select version()")
            version = str(cursor.fetchone()[0]).split(" on ")[0]
    else:
        version = getattr(connection.Database, "sqlite_version", "?")
    print(
        f"Database: {connection.vendor} ({version}), {cities:,} cities, {members:,} members. "
        f"DEBUG={settings.DEBUG}, CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}, "
        f"{args.runs} runs per case after {WARM_UP} warm-up requests."
    )

    from alliance import data_version
    from networks.directory import query as directory

    states = ["warm", "new page", "after change"]
    unique = iter(range(1, 10**9))
    real_key, real_version = directory.results_cache_key, data_version.current

    def prepare(state: str) -> None:
        # "new page": a results key never used before, so the page is rendered again;
        # "after change": a version never used before, as a save in the admin makes,
        # without moving the version the other states read.
        directory.results_cache_key = real_key
        data_version.current = real_version
        if state == "new page":
            directory.results_cache_key = lambda *args: f"bench-miss-{next(unique)}"  # noqa: ARG005
        elif state == "after change":
            version = -next(unique)
            data_version.current = lambda: version

    labels = [(state, label) for state in states for label, _path, kind in CASES if kind != "bare"]
    bare_label = next(label for label, _path, kind in CASES if kind == "bare")
    samples: dict = {key: [] for key in [("", bare_label), *labels]}
    queries: dict = {}
    sizes: dict[str, int] = {}
    rows: dict[str, int] = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        try:
            for state in states:
                for label, path, kind in CASES:
                    key = ("", label) if kind == "bare" else (state, label)
                    for _ in range(WARM_UP):
                        prepare(state)
                        response = fetch(client, path)
                    sizes[label], rows[label] = len(response.content), listed(response)
                    prepare(state)
                    with CaptureQueriesContext(connection) as captured:
                        fetch(client, path)
                    queries[key] = len(captured.captured_queries)

            gc.collect()
            for run in range(args.runs):
                # Round-robin, starting one case further each round.
                shift = run % len(CASES)
                for label, path, kind in CASES[shift:] + CASES[:shift]:
                    for state in states if kind != "bare" else ["warm"]:
                        key = ("", label) if kind == "bare" else (state, label)
                        prepare(state)
                        started = time.perf_counter()
                        fetch(client, path)
                        samples[key].append((time.perf_counter() - started) * 1000)
        except AssertionError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            return 2
        finally:
            directory.results_cache_key, data_version.current = real_key, real_version
            if static_folder is not None:
                static_folder.cleanup()

    median = {key: statistics.median(values) for key, values in samples.items()}
    p95 = {key: percentile(values, 0.95) for key, values in samples.items()}
    bare = median[("", bare_label)]
    print()
    print(
        f"{'case':<24} {'median ms':>10} {'p95 ms':>8} {'× bare':>7} {'queries':>8} "
        f"{'KB':>6} {'rows':>5}"
    )
    print(
        f"{bare_label:<24} {bare:>10.2f} {p95[('', bare_label)]:>8.2f} {1:>7.1f} "
        f"{queries[('', bare_label)]:>8}"
    )
    missed = total = 0
    for state in states:
        print(f"\n{state}:")
        for label, _path, kind in CASES:
            if kind == "bare":
                continue
            key = (state, label)
            print(
                f"  {label:<22} {median[key]:>10.2f} {p95[key]:>8.2f} "
                f"{median[key] / bare:>7.1f} {queries[key]:>8} "
                f"{sizes[label] / 1024:>6.1f} {rows[label]:>5}"
            )
    empty = [label for label, _path, kind in CASES if kind != "bare" and not rows[label]]
    if empty:
        print(f"Note: no city listed by {', '.join(empty)}: too little data to be meaningful.")

    for state in states:
        checks = targets(
            {label: median[(state, label)] for label, _p, kind in CASES if kind != "bare"},
            {label: p95[(state, label)] for label, _p, kind in CASES if kind != "bare"},
            bare,
        )
        print(f"\nTargets, {state}:")
        for text, value, ok in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {text:<48} {value:>10}")
        missed += sum(1 for _text, _value, ok in checks if not ok)
        total += len(checks)
    print()
    if missed:
        print(f"{missed} of {total} targets MISSED.")
    else:
        print(f"All {total} targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
