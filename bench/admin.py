"""How fast the admin's city and membership changelists answer at 200,000 cities.

    DATABASE_URL=postgres://... .venv/bin/python bench/admin.py [--runs 100] [--fill 200000]

Same method as bench/directory.py (production settings, django.test.Client, warm-up,
round-robin): each changelist case is compared with a bare view through the same
middleware, as a signed-in superuser with a second factor, in two states: warm (the
list seen since the last change: its count is kept per data version) and after change
(a data version never seen, as the first visit after any save gets: the count runs
again). Prints medians, p95s, ratios, queries per request and PASS/FAIL per target,
which holds in both states. Exits 0 either way (it is a
measurement), 2 when it cannot measure.

Imports are bench/import.py's: the admin imports in the background (ImportJob and its
Celery tasks), which that script times through the same tasks at 200,000 rows.
"""

import sys

import startup
import timing

CASES = [
    ("bare view (baseline)", "/bench/bare/", "bare"),
    ("cities, first page", "/admin/cities/city/", "first"),
    ("cities, region filter", "/admin/cities/city/?region__exact=latam", "filter"),
    ("cities, country filter", "/admin/cities/city/?country__exact=BR", "filter"),
    ("cities, search ?q=san", "/admin/cities/city/?q=san", "search"),
    ("memberships, first page", "/admin/networks/membership/", "first"),
    ("memberships, active", "/admin/networks/membership/?status__exact=active", "filter"),
    ("memberships, search ?q=san", "/admin/networks/membership/?q=san", "search"),
    ("dashboard (admin index)", "/admin/", "dashboard"),
]
WARM_UP = 10
MAX_P95_MS = 75  # issue #19
MAX_QUERIES = 12


def bench_admin_user():
    """The benchmarks' superuser (bench-admin@example.invalid) with a TOTP second factor,
    made on first use; bench/pages.py signs in as it too."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from alliance.models import User

    user, _created = User.objects.get_or_create(
        email="bench-admin@example.invalid", defaults={"is_staff": True, "is_superuser": True}
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def main(argv=None) -> int:
    args = startup.parsed(startup.arguments(__doc__, runs=100), argv)
    bench = startup.start_django(
        "bench/admin.py", args.runs, WARM_UP, allow_sqlite=args.allow_sqlite
    )
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from cities.models import City
    from networks.models import Membership

    startup.fill(args.fill, args.seed)
    print(
        f"Database: {connection.vendor}, {City.objects.count():,} cities, "
        f"{Membership.objects.count():,} memberships; DEBUG={settings.DEBUG}; "
        f"{args.runs} runs per case after {WARM_UP} warm-up requests."
    )

    rows = {}

    def count_rows(case, _state, response) -> None:
        rows[case[0]] = response.content.count(b'name="_selected_action"')

    client = Client()
    client.force_login(bench_admin_user())
    states = ("warm", "after change")
    samples, queries = bench.measure(
        CASES,
        lambda case: timing.fetch(client, case[1]),
        states=lambda case: ["warm"] if case[2] == "bare" else states,
        fresh="after change",
        inspect=count_rows,
    )

    median, p95 = timing.summarise(samples)
    bare = ("warm", CASES[0][0])
    checks = []
    for state in states:
        print(f"\n{state}:")
        print(
            f"{'case':<26} {'median ms':>10} {'p95 ms':>8} {'× bare':>7} {'queries':>8} {'rows':>5}"
        )
        for label, _path, kind in CASES:
            key = (state, label)
            if key not in median:
                continue
            print(
                f"{label:<26} {median[key]:>10.2f} {p95[key]:>8.2f} "
                f"{median[key] / median[bare]:>7.1f} {queries[key]:>8} "
                f"{rows[label] if kind != 'bare' else '':>5}"
            )
            if kind == "bare":
                continue
            checks.append(
                (
                    f"{state}, {label}: p95 ≤ {MAX_P95_MS} ms",
                    f"{p95[key]:.1f} ms",
                    p95[key] <= MAX_P95_MS,
                )
            )
            checks.append(
                (
                    f"{state}, {label}: queries ≤ {MAX_QUERIES}",
                    str(queries[key]),
                    queries[key] <= MAX_QUERIES,
                )
            )
    timing.verdict(timing.report("Targets:", checks, 62), len(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
