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

import re
import sys

import startup
import timing

WARM_UP = 5
MAX_WARM_P95_MS = 100
MAX_SVG_KB = 300
SVG = re.compile(rb'<svg class="map__svg".*?</svg>', re.S)


def cases() -> list[tuple[str, str, bool]]:
    """(label, path, is a /map/ page); the first is the bare view."""
    largest = startup.largest_network()
    return [
        ("bare view (baseline)", "/bench/bare/", False),
        ("map", "/map/", True),
        (f"map ?network={largest.slug}", f"/map/?network={largest.slug}", True),
        ("map ?region=europe", "/map/?region=europe", True),
        ("map network+region", f"/map/?network={largest.slug}&region=latam", True),
        (f"network page {largest.slug}", largest.get_absolute_url(), False),
    ]


def main(argv=None) -> int:
    args = startup.parsed(startup.arguments(__doc__, runs=100, allow_sqlite=False), argv)
    bench = startup.start_django("bench/map.py", args.runs, WARM_UP)
    from django.conf import settings
    from django.test import Client

    from cities.models import City

    startup.fill(args.fill, args.seed)
    all_cases = cases()
    members = City.objects.filter(is_member=True).count()
    placed = City.objects.filter(is_member=True, latitude__isnull=False).count()
    print(
        f"{City.objects.count():,} cities, {members:,} members ({placed:,} with coordinates). "
        f"DEBUG={settings.DEBUG}. {args.runs} runs per case and state after {WARM_UP} "
        "warm-up requests."
    )

    sizes: dict = {}
    svg_sizes: dict = {}
    marks: dict = {}

    def inspect(case, _state, response) -> None:
        label = case[0]
        sizes[label] = len(response.content)
        svg = SVG.search(response.content)
        svg_sizes[label] = len(svg.group(0)) if svg else 0
        marks[label] = svg.group(0).count(b"<a ") if svg else 0

    client = Client()
    samples, queries = bench.measure(
        all_cases,
        lambda case: timing.fetch(client, case[1]),
        states=("cold", "warm"),
        fresh="cold",
        inspect=inspect,
    )

    median, p95 = timing.summarise(samples)
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
    timing.verdict(timing.report("Targets:", checks, 52), len(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
