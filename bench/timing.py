"""What the request benchmarks share once Django is up (bench/startup.py): the
round-robin timing loop, the data-version switch, percentiles and the PASS/FAIL report.

Used by bench/directory.py, admin.py, pages.py, map.py and api.py (imported as `timing`:
a script's own folder is first on sys.path). Times are in milliseconds, sizes in bytes.
"""

import gc
import itertools
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence


class Bench:
    """One script's measurement: `runs` rounds after `warm_up` requests per case and
    state; `static_folder`, startup.start_django's temporary STATIC_ROOT (None: the real
    one)."""

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
    without moving the version the other states read. `restore()` puts the real one back.

    The other states read the version current when the run began, for the whole run: a
    version lasts at most a minute (alliance/data_version.py), and a warm page (or an
    ETag taken before the run, bench/api.py's 304) must not go stale mid-run."""

    def __init__(self, fresh: str | None):
        from alliance import data_version

        self.module, self.real, self.fresh = data_version, data_version.current, fresh
        # From the clock, not from 1: another run within a minute would find what this
        # one cached under "new" versions, and measure cache hits as changes.
        self.unique = itertools.count(time.time_ns())
        steady = data_version.current()
        self.steady = lambda: steady

    def __call__(self, state: str) -> None:
        self.module.current = self.steady
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
    version back, `restore()` and the removal of `static_folder` (startup.start_django's).

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
