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
import os
import sys

import startup
import timing

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
    bench = startup.start_django("bench/api.py", args.runs, WARM_UP)
    from django.conf import settings
    from django.test import Client

    from cities.models import City

    print(
        f"{City.objects.count():,} cities, {City.objects.filter(is_member=True).count():,} "
        f"members; cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"{args.runs} runs per case after {WARM_UP} warm-up requests."
    )

    cases = [("bare", "/bench/bare/", {})]
    for label, query in QUERIES.items():
        cases.append((f"api {label}", f"/api/v1/cities/{query}", {}))
        cases.append((f"directory {label}", f"/directory/{query}", {}))

    def request(case):
        label, path, headers = case
        response = client.get(path, **headers)
        want = 304 if label == "api 304" else 200
        if response.status_code != want:
            raise AssertionError(f"{path}: {response.status_code}")
        return response

    client = Client()
    etag = client.get("/api/v1/cities/")["ETag"]
    cases.append(("api 304", "/api/v1/cities/", {"HTTP_IF_NONE_MATCH": etag}))
    states = {label: ["warm"] for label, _p, _h in cases}
    for label, _path, _headers in cases:
        if label.startswith(("api ", "directory ")) and label != "api 304":
            states[label].append("after change")
    samples, _queries = bench.measure(
        cases,
        request,
        states=lambda case: states[case[0]],
        fresh="after change",
        count_queries=False,
    )

    median, p95 = timing.summarise(samples)
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
