"""What the request benchmarks share: production settings, the PostgreSQL and fill checks,
the round-robin timing loop, percentiles and the PASS/FAIL report.

Used by bench/directory.py, admin.py, pages.py, map.py and api.py (imported as `timing`:
a script's own folder is first on sys.path). Times are in milliseconds, sizes in bytes.
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
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments(doc: str, *, runs: int, allow_sqlite: bool = True) -> argparse.ArgumentParser:
    """A parser with --runs (default `runs`), --fill, --seed and, if `allow_sqlite`,
    --allow-sqlite; its description is the first paragraph of the script's `doc`."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=runs, help="Measured requests per case.")
    parser.add_argument(
        "--fill",
        type=int,
        default=200_000,
        help="Run fill_directory up to this many cities first (skipped when there are "
        "already that many; 0 never fills). Default 200,000.",
    )
    parser.add_argument("--seed", type=int, default=2020, help="fill_directory's seed.")
    if allow_sqlite:
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Measure even if the database is SQLite."
        )
    return parser


def parsed(parser: argparse.ArgumentParser, argv) -> argparse.Namespace:
    """`parser`'s arguments from `argv` (None: sys.argv); exits 2 when --runs < 1."""
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


class Bench:
    """One script's measurement: `runs` rounds after `warm_up` requests per case and
    state; `static_folder`, start_django's temporary STATIC_ROOT (None: the real one)."""

    def __init__(self, runs: int, warm_up: int, static_folder):
        self.runs, self.warm_up, self.static_folder = runs, warm_up, static_folder

    def measure(self, cases: Sequence[tuple], request: Callable, **options) -> tuple[dict, dict]:
        """measure() with this bench's runs, warm-up and static folder."""
        return measure(
            cases,
            request,
            runs=self.runs,
            warm_up=self.warm_up,
            static_folder=self.static_folder,
            **options,
        )


def start_django(
    script: str, runs: int, warm_up: int, *, allow_sqlite: bool | None = None
) -> Bench:
    """Production settings, django.setup(), then collectstatic into a temporary folder if
    there is no manifest. Returns the Bench of `runs` rounds after `warm_up` requests,
    which removes that folder once it has measured.

    Exits 2 (SystemExit, after saying why on stderr) when the database is not PostgreSQL
    and not `allow_sqlite` (None: `script` has no --allow-sqlite option to suggest).
    """
    production_environment()
    from django.conf import settings

    static_folder = collect_static_if_needed(settings)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql" and not allow_sqlite:
        hint = ", or pass --allow-sqlite" if allow_sqlite is not None else ""
        print(
            f"{script} measures PostgreSQL, but the database is {connection.vendor} "
            f"(set DATABASE_URL=postgres://...{hint}).",
            file=sys.stderr,
        )
        raise SystemExit(2)
    if static_folder is not None:
        call_command("collectstatic", interactive=False, verbosity=0)
    return Bench(runs, warm_up, static_folder)


def fill(cities: int, seed: int, *, say_when_full: bool = False) -> None:
    """fill_directory up to `cities` cities (0: never) with `seed`, if there are fewer."""
    if not cities:
        return
    from django.core.management import call_command

    from cities.models import City

    have = City.objects.count()
    if have >= cities:
        if say_when_full:
            print(f"{have:,} cities already (--fill {cities:,}): not filling.")
    else:
        print(f"{have:,} cities: filling up to {cities:,} with fill_directory…")
        call_command("fill_directory", cities, seed=seed)


def largest_network():
    """The active network with the most active memberships (fill_directory's data)."""
    from django.db.models import Count, Q

    from networks.models import Network

    return (
        Network.objects.active()
        .annotate(n=Count("memberships", filter=Q(memberships__status="active")))
        .order_by("-n")
        .first()
    )


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile of `samples`; `fraction` in (0, 1]."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarise(samples: dict) -> tuple[dict, dict]:
    """(median, p95) of each list of `samples`, under the same keys (milliseconds)."""
    median = {key: statistics.median(values) for key, values in samples.items()}
    p95 = {key: percentile(values, 0.95) for key, values in samples.items()}
    return median, p95


def fetch(client, path: str, **headers):
    """`client`'s GET of `path`; AssertionError unless it is a 200 with a body."""
    response = client.get(path, **headers)
    if response.status_code != 200 or not response.content:
        raise AssertionError(
            f"{path}: status {response.status_code}, {len(response.content)} bytes"
        )
    return response


class DataVersions:
    """Stands in for alliance.data_version.current before each request: in the state
    `fresh` (None: none), a version never used before (as a save in the admin makes),
    without moving the version the other states read. `restore()` puts the real one back."""

    def __init__(self, fresh: str | None):
        from alliance import data_version

        self.module, self.real, self.fresh = data_version, data_version.current, fresh
        self.unique = iter(range(1, 10**9))

    def __call__(self, state: str) -> None:
        self.module.current = self.real
        if state == self.fresh:
            version = -next(self.unique)
            self.module.current = lambda: version

    def restore(self) -> None:
        self.module.current = self.real


def measure(
    cases: Sequence[tuple],
    request: Callable,
    *,
    runs: int,
    warm_up: int,
    static_folder: tempfile.TemporaryDirectory | None,
    states: Sequence[str] | Callable[[tuple], Sequence[str]] = ("warm",),
    fresh: str | None = None,
    prepare: Callable[[str], None] | None = None,
    inspect: Callable | None = None,
    count_queries: bool = True,
    restore: Callable[[], None] | None = None,
) -> tuple[dict, dict]:
    """Under bench.urls (the portal plus the bare view), warm every case up in each of its
    states, then time `runs` rounds round-robin, starting one case further each round,
    so that the cases share the machine's noise. Then, whatever happened, the real data
    version back, `restore()` and the removal of `static_folder` (start_django's).

    cases: tuples whose first item is the label. request(case) -> the response, raising
    AssertionError when it is wrong. states: of every case, or states(case). Before
    every request, untimed: in the state `fresh`, a data version never used before (see
    DataVersions), then prepare(state). inspect(case, state, response) sees each last
    warm-up response.
    Returns (samples, queries): {(state, label): [ms per request]} and, if
    `count_queries`, {(state, label): SQL queries of one more request}. Exits 2
    (SystemExit, after printing FAILED on stderr) when a response was wrong.
    """
    from django.test.utils import override_settings

    versions = DataVersions(fresh)
    states_of = states if callable(states) else lambda case: states

    def before(state: str) -> None:
        versions(state)
        if prepare is not None:
            prepare(state)

    with override_settings(ROOT_URLCONF="bench.urls"):
        try:
            samples, queries = _warm_up(
                cases, warm_up, request, states_of, before, inspect, count_queries
            )
            gc.collect()
            for run in range(runs):
                shift = run % len(cases)
                for case in [*cases[shift:], *cases[:shift]]:
                    for state in states_of(case):
                        before(state)
                        started = time.perf_counter()
                        request(case)
                        samples[(state, case[0])].append((time.perf_counter() - started) * 1000)
        except AssertionError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            raise SystemExit(2) from error
        finally:
            versions.restore()
            if restore is not None:
                restore()
            if static_folder is not None:
                static_folder.cleanup()
    return samples, queries


def _warm_up(cases, warm_up, request, states, prepare, inspect, count_queries):
    """measure()'s first part: ({(state, label): []}, {(state, label): queries})."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples: dict = {}
    queries: dict = {}
    for case in cases:
        for state in states(case):
            for _ in range(warm_up):
                prepare(state)
                response = request(case)
            if inspect is not None:
                inspect(case, state, response)
            if count_queries:
                prepare(state)
                with CaptureQueriesContext(connection) as captured:
                    request(case)
                queries[(state, case[0])] = len(captured.captured_queries)
            samples[(state, case[0])] = []
    return samples, queries


def report(title: str, checks: list[tuple[str, str, bool]], width: int) -> int:
    """Prints `title` and a PASS/FAIL line per (target, measured, met); returns how
    many were missed."""
    print(f"\n{title}")
    for text, value, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text:<{width}} {value:>10}")
    return sum(1 for _text, _value, ok in checks if not ok)


def verdict(missed: int, total: int) -> None:
    """The last line: how many of `total` targets were missed, or that all were met."""
    print(f"\n{missed} of {total} targets MISSED." if missed else f"\nAll {total} targets met.")
