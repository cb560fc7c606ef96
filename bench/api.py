"""How fast /api/v1/cities/ answers at 200,000 cities, against /directory/ and a bare view.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/api.py [--runs 200]

One run, production settings, django.test.Client through the full middleware stack,
cases measured round-robin so they share the machine's noise: the bare view (the
floor), the API's first page, last page, a search and a three-filter query, the same
four cases of /directory/, and a 304 (the API's first page revalidated with its ETag).
Each case is measured in two states: warm (the page was seen since the last change,
what most requests get) and after a change (a new data version: results and counts
computed again, for both). Targets (issue #18): each API case's median ≤ 1.2 × the
same directory case, its p95 ≤ 25 ms, and the 304's median ≤ 2 × the bare view.
Prints medians, p95s, ratios and PASS/FAIL; exits 0 (a measurement), 2 when it cannot.
"""

import argparse
import gc
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_directory", HERE / "directory.py")
shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shared)

QUERIES = {
    "first page": "",
    "last page": "?last=1",
    "search ?q=san": "?q=san",
    "region+size+role": "?region=latam&size=small&role=member",
}
MAX_API_TO_DIRECTORY = 1.2
MAX_P95_MS = 25
MAX_304_TO_BARE = 2
WARM_UP = 10


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="Measured requests per case.")
    args = parser.parse_args(argv)
    # The API's rate limit would refuse a benchmark's thousands of requests.
    os.environ.setdefault("API_RATE_ANONYMOUS", "9999999/m")
    shared.production_environment()

    from django.conf import settings

    static_folder = shared.collect_static_if_needed(settings)

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from alliance import data_version
    from cities.models import City

    if connection.vendor != "postgresql":
        print("bench/api.py measures PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    if static_folder is not None:
        call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"{City.objects.count():,} cities, {City.objects.filter(is_member=True).count():,} "
        f"members; cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"{args.runs} runs per case after {WARM_UP} warm-up requests."
    )

    cases = [("bare", "/bench/bare/", {})]
    for label, query in QUERIES.items():
        cases.append((f"api {label}", f"/api/v1/cities/{query}", {}))
        cases.append((f"directory {label}", f"/directory/{query}", {}))
    real_version = data_version.current
    counter = iter(range(1, 10**9))
    # A version lasts at most a minute (alliance/data_version.py): "warm" keeps the one
    # current now for the whole run, or the 304 case's ETag would go stale mid-run.
    warm_version = real_version()

    def prepare(state):
        data_version.current = lambda: warm_version
        if state == "after change":
            version = -next(counter)
            data_version.current = lambda: version

    samples: dict = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        prepare("warm")
        etag = client.get("/api/v1/cities/")["ETag"]
        cases.append(("api 304", "/api/v1/cities/", {"HTTP_IF_NONE_MATCH": etag}))
        states = {label: ["warm"] for label, _p, _h in cases}
        for label, _path, _headers in cases:
            if label.startswith(("api ", "directory ")) and label != "api 304":
                states[label].append("after change")
        try:
            for label, path, headers in cases:
                for state in states[label]:
                    for _ in range(WARM_UP):
                        prepare(state)
                        client.get(path, **headers)
            gc.collect()
            for run in range(args.runs):
                shift = run % len(cases)
                for label, path, headers in cases[shift:] + cases[:shift]:
                    for state in states[label]:
                        prepare(state)
                        started = time.perf_counter()
                        response = client.get(path, **headers)
                        elapsed = (time.perf_counter() - started) * 1000
                        want = 304 if label == "api 304" else 200
                        if response.status_code != want:
                            raise AssertionError(f"{path}: {response.status_code}")
                        samples.setdefault((state, label), []).append(elapsed)
        except AssertionError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            return 2
        finally:
            data_version.current = real_version
            if static_folder is not None:
                static_folder.cleanup()

    median = {key: statistics.median(values) for key, values in samples.items()}
    p95 = {key: shared.percentile(values, 0.95) for key, values in samples.items()}
    bare = median[("warm", "bare")]
    print(f"\n{'state':<13} {'case':<30} {'median ms':>10} {'p95 ms':>8} {'× bare':>7}")
    for (state, label), value in median.items():
        print(
            f"{state:<13} {label:<30} {value:>10.2f} {p95[(state, label)]:>8.2f} "
            f"{value / bare:>7.1f}"
        )
    checks = []
    for state in ("warm", "after change"):
        for label in QUERIES:
            api, html = median[(state, f"api {label}")], median[(state, f"directory {label}")]
            checks.append(
                (
                    f"{state}, {label}: API ≤ {MAX_API_TO_DIRECTORY} × directory",
                    f"{api / html:.2f} ×",
                    api / html <= MAX_API_TO_DIRECTORY,
                )
            )
            worst = p95[(state, f"api {label}")]
            checks.append(
                (f"{state}, {label}: API p95 ≤ {MAX_P95_MS} ms", f"{worst:.1f} ms", worst <= 25)
            )
    not_modified = median[("warm", "api 304")] / bare
    checks.append((f"304 ≤ {MAX_304_TO_BARE} × bare", f"{not_modified:.2f} ×", not_modified <= 2))
    print()
    for target, measured, met in checks:
        print(f"{'PASS' if met else 'FAIL'}  {target}: {measured}")
    missed = sum(not met for _t, _m, met in checks)
    print(f"\n{missed} of {len(checks)} targets MISSED." if missed else "\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
