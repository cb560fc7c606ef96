"""How fast /directory/ answers at 200,000 cities, through the full middleware stack.

    DATABASE_URL=postgres://... .venv/bin/python bench/directory.py [--runs 200] [--fill 200000]

Production settings (DEBUG off, the manifest static storage, persistent connections),
django.test.Client, every case warmed up and then measured round-robin so that they
share the machine's noise. Each directory case is compared with a bare Django view
that goes through the same middleware: the ratio says what the directory itself costs,
whatever the machine. Prints medians, p95s, ratios, queries per request and PASS/FAIL
per target; exits 0 either way (it is a measurement), 2 when it cannot measure.
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
    from networks.querysets import member_cities

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

    samples: dict[str, list[float]] = {label: [] for label, _path, _kind in CASES}
    queries: dict[str, int] = {}
    sizes: dict[str, int] = {}
    rows: dict[str, int] = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        try:
            for label, path, _kind in CASES:
                for _ in range(WARM_UP):
                    response = fetch(client, path)
                sizes[label], rows[label] = len(response.content), listed(response)
                with CaptureQueriesContext(connection) as captured:
                    fetch(client, path)
                queries[label] = len(captured.captured_queries)

            gc.collect()
            for run in range(args.runs):
                # Round-robin, starting one case further each round.
                shift = run % len(CASES)
                for label, path, _kind in CASES[shift:] + CASES[:shift]:
                    started = time.perf_counter()
                    fetch(client, path)
                    samples[label].append((time.perf_counter() - started) * 1000)
        except AssertionError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            return 2
        finally:
            if static_folder is not None:
                static_folder.cleanup()

    median = {label: statistics.median(values) for label, values in samples.items()}
    p95 = {label: percentile(values, 0.95) for label, values in samples.items()}
    kinds = {label: kind for label, _path, kind in CASES}
    bare = next(label for label, kind in kinds.items() if kind == "bare")
    first = next(label for label, kind in kinds.items() if kind == "first")
    last = next(label for label, kind in kinds.items() if kind == "last")

    print()
    print(
        f"{'case':<24} {'median ms':>10} {'p95 ms':>8} {'× bare':>7} {'queries':>8} "
        f"{'KB':>6} {'rows':>5}"
    )
    for label, _path, kind in CASES:
        print(
            f"{label:<24} {median[label]:>10.2f} {p95[label]:>8.2f} "
            f"{median[label] / median[bare]:>7.1f} {queries[label]:>8} "
            f"{sizes[label] / 1024:>6.1f} {rows[label] if kind != 'bare' else '':>5}"
        )
    empty = [label for label, _path, kind in CASES if kind != "bare" and not rows[label]]
    if empty:
        print(f"Note: no city listed by {', '.join(empty)}: too little data to be meaningful.")

    checks = []
    for label, kind in kinds.items():
        if kind == "bare":
            continue
        ratio = median[label] / median[bare]
        checks.append(
            (
                f"{label}: median ≤ {MAX_RATIO_TO_BARE} × bare",
                f"{ratio:.1f} ×",
                ratio <= MAX_RATIO_TO_BARE,
            )
        )
    ratio = median[last] / median[first]
    checks.append(
        (
            f"last page ÷ first page ≤ {MAX_LAST_TO_FIRST}",
            f"{ratio:.2f}",
            ratio <= MAX_LAST_TO_FIRST,
        )
    )
    for label, kind in kinds.items():
        if kind == "search":
            ratio = median[label] / median[first]
            checks.append(
                (
                    f"{label} ÷ first page ≤ {MAX_SEARCH_TO_FIRST}",
                    f"{ratio:.2f}",
                    ratio <= MAX_SEARCH_TO_FIRST,
                )
            )
    for label, kind in kinds.items():
        if kind != "bare":
            checks.append(
                (
                    f"{label}: p95 ≤ {MAX_P95_MS} ms",
                    f"{p95[label]:.1f} ms",
                    p95[label] <= MAX_P95_MS,
                )
            )

    print()
    print("Targets:")
    for text, value, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text:<48} {value:>10}")
    missed = sum(1 for _text, _value, ok in checks if not ok)
    print()
    if missed:
        print(f"{missed} of {len(checks)} targets MISSED.")
    else:
        print(f"All {len(checks)} targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
