"""Every page type at 200,000 cities, on a cache miss and warm, against a bare view.

    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py [--runs 100] [--fill 200000]

Same method as bench/directory.py (production settings, django.test.Client, warm-up,
round-robin so every case shares the machine's noise). The data: fill_directory's
200,000 cities, plus what it does not make, added once and marked so a second run
reuses it: in the largest network, 5,000 pioneer links (one pioneer mentoring 3,000
cities), three years of weekly meetings and 3,000 answers to the next one; and an
applicant with 60 applications.

Two states per case, round-robin in the same run:
  cold  a version of the data never seen (what the first visit after any change in the
        admin gets): every figure, section and count kept per version is recomputed;
  warm  the page was seen since the last change.
The alliance-wide figures (home page, networks index, dashboard) are not kept per
version but recounted by beat (networks.directory.figures.refresh_alliance); the time that
recount takes is printed on its own. Prints medians, p95s, ratio to the bare view,
queries, KB, and PASS/FAIL per target; exits 0 either way (it is a measurement), 2
when it cannot measure.
"""

import datetime
import statistics
import sys
import time

import startup
import timing

WARM_UP = 5
# Targets (issue #21), for the public pages; signed-in pages are measured and shown.
MAX_COLD_P95_MS = 100
MAX_KB = 300
MAX_WARM_RATIO = 15
MARK = "bench/pages.py"  # notes of the links it adds, titles of its meetings
LINKS_OF_ONE_PIONEER = 3_000
OTHER_PIONEERS, LINKS_EACH = 40, 50
APPLICATIONS = 60


def ensure_scale_data() -> dict:
    """What fill_directory does not make, once: links, meetings, answers, applications.

    Returns {"network", "pioneer", "city", "meeting", "official", "applicant"}.
    """
    from django.db import connection
    from django.utils import timezone

    from alliance.models import User
    from cities.models import City, CityOfficial
    from networks.models import Application, Meeting, Membership, PioneerLink, Rsvp

    largest = startup.largest_network()
    members = list(
        Membership.objects.active()
        .filter(network=largest)
        .order_by("-city__population", "city_id")
        .values_list("city_id", flat=True)[: LINKS_OF_ONE_PIONEER + OTHER_PIONEERS * 60]
    )
    pioneer_id, others = members[0], members[1 : OTHER_PIONEERS + 1]
    mentees = members[OTHER_PIONEERS + 1 :]
    if not PioneerLink.objects.filter(network=largest, notes=MARK).exists():
        links = [
            PioneerLink(network=largest, pioneer_id=pioneer_id, mentee_id=m, notes=MARK)
            for m in mentees[:LINKS_OF_ONE_PIONEER]
        ]
        # At 200,000 cities there are OTHER_PIONEERS others and mentees to spare; a small
        # --fill makes fewer links rather than fail.
        links += [
            PioneerLink(
                network=largest,
                pioneer_id=others[i % len(others)],
                mentee_id=mentees[-1 - i],
                notes=MARK,
            )
            for i in range(min(OTHER_PIONEERS * LINKS_EACH, len(mentees)) if others else 0)
        ]
        PioneerLink.objects.bulk_create(links, ignore_conflicts=True)
    now = timezone.now()
    if not Meeting.objects.filter(network=largest, title__startswith=MARK).exists():
        Meeting.objects.bulk_create(
            Meeting(
                network=largest,
                title=f"{MARK} weekly call {week}",
                starts_at=now + datetime.timedelta(weeks=week),
                place="Online",
                online_url="https://meet.example.org/bench",
            )
            for week in range(-156, 12)
        )
    meeting = (
        Meeting.objects.upcoming(now)
        .filter(network=largest, title__startswith=MARK)
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        raise AssertionError("no upcoming bench meeting: run again to add the next weeks")
    if not meeting.rsvps.exists():
        answers = [value for value, _label in Rsvp.Answer.choices]
        Rsvp.objects.bulk_create(
            Rsvp(meeting=meeting, city_id=city, answer=answers[i % 3])
            for i, city in enumerate(mentees[:LINKS_OF_ONE_PIONEER])
        )
    official_user, _ = User.objects.get_or_create(email="bench-pages-official@example.invalid")
    city = City.objects.get(pk=mentees[0])
    CityOfficial.objects.get_or_create(user=official_user, defaults={"city": city})
    applicant, _ = User.objects.get_or_create(email="bench-pages-applicant@example.invalid")
    if not Application.objects.filter(applicant=applicant).exists():
        Application.objects.bulk_create(
            Application(
                applicant=applicant,
                network=largest,
                city_name=f"Bench applicant town {i}",
                applicant_name="Bench",
                applicant_email=applicant.email,
                motivation="Load test.",
                consented_at=now,
            )
            for i in range(APPLICATIONS)
        )
    if connection.vendor == "postgresql":
        # bulk_create leaves the planner guessing: 10 links where there are 3,000.
        with connection.cursor() as cursor:
            for table in ("networks_pioneerlink", "networks_meeting", "networks_rsvp"):
                cursor.execute(f"ANALYZE {table}")
    return {
        "network": largest,
        "pioneer": City.objects.get(pk=pioneer_id),
        "city": city,
        "meeting": meeting,
        "official": official_user,
        "applicant": applicant,
    }


def cases(data: dict) -> list[tuple[str, str, str | None, bool]]:
    """(label, path, who is signed in, public?); the first is the bare view."""
    network, pioneer, city = data["network"], data["pioneer"], data["city"]
    return [
        ("bare view (baseline)", "/bench/bare/", None, False),
        ("home", "/", None, True),
        ("networks index", "/networks/", None, True),
        (f"network {network.slug}", network.get_absolute_url(), None, True),
        ("network india", "/networks/india/", None, True),
        ("city, 3,000 links", pioneer.get_absolute_url(), None, True),
        ("city, member", city.get_absolute_url(), None, True),
        ("directory", "/directory/", None, True),
        ("partners", "/partners/", None, True),
        ("faq", "/faq/", None, True),
        ("privacy", "/privacy/", None, True),
        ("apply (search)", "/apply/?q=san", None, True),
        ("meeting, 3,000 answers", data["meeting"].get_absolute_url(), "staff", False),
        ("network feed (.ics)", f"/networks/{network.slug}/calendar.ics", "official", False),
        ("my applications", "/applications/", "applicant", False),
        ("admin dashboard", "/admin/", "staff", False),
    ]


def main(argv=None) -> int:
    args = startup.parsed(startup.arguments(__doc__, runs=100), argv)
    bench = startup.start_django(
        "bench/pages.py", args.runs, WARM_UP, allow_sqlite=args.allow_sqlite
    )
    from admin import bench_admin_user
    from django.conf import settings
    from django.test import Client

    from cities.models import City
    from networks.directory import figures

    startup.fill(args.fill, args.seed)
    data = ensure_scale_data()
    data["staff"] = bench_admin_user()  # a superuser with a second factor
    all_cases = cases(data)

    recount = []
    for _ in range(5):
        started = time.perf_counter()
        figures.refresh_alliance(force=True)
        recount.append((time.perf_counter() - started) * 1000)
    print(
        f"{City.objects.count():,} cities, {figures.alliance()['member_cities']:,} members; "
        f"largest network {data['network'].slug}. DEBUG={settings.DEBUG}. "
        f"{args.runs} runs per case and state after {WARM_UP} warm-up requests."
    )

    clients = {None: Client()}
    for who in ("staff", "official", "applicant"):
        clients[who] = Client()
        clients[who].force_login(data[who])
    sizes: dict = {}

    def inspect(case, _state, response) -> None:
        sizes[case[0]] = len(response.content)

    samples, queries = bench.measure(
        all_cases,
        lambda case: timing.fetch(clients[case[2]], case[1]),
        states=("cold", "warm"),
        fresh="cold",
        inspect=inspect,
    )

    median, p95 = timing.summarise(samples)
    bare = median[("warm", all_cases[0][0])]
    print(
        f"\nalliance-wide figures recounted by beat: median "
        f"{statistics.median(recount):.0f} ms, max {max(recount):.0f} ms (off the request path)"
    )
    header = (
        f"{'case':<26} {'cold med':>8} {'cold p95':>8} {'q':>3}  "
        f"{'warm med':>8} {'warm p95':>8} {'q':>3} {'warm×bare':>9} {'KB':>6}"
    )
    print(f"\n{header}")
    for label, _path, _who, public in all_cases:
        cold, warm = ("cold", label), ("warm", label)
        mark = "" if public else " *"
        print(
            f"{label + mark:<26} {median[cold]:>8.1f} {p95[cold]:>8.1f} {queries[cold]:>3}  "
            f"{median[warm]:>8.1f} {p95[warm]:>8.1f} {queries[warm]:>3} "
            f"{median[warm] / bare:>9.1f} {sizes[label] / 1024:>6.1f}"
        )
    print("* signed in; not a public page (measured, no target)")

    checks = []
    for label, _path, _who, public in all_cases[1:]:
        if not public:
            continue
        cold, warm = ("cold", label), ("warm", label)
        checks += [
            (
                f"{label}: cold p95 ≤ {MAX_COLD_P95_MS} ms",
                f"{p95[cold]:.1f} ms",
                p95[cold] <= MAX_COLD_P95_MS,
            ),
            (
                f"{label}: ≤ {MAX_KB} KB",
                f"{sizes[label] / 1024:.0f} KB",
                sizes[label] <= MAX_KB * 1024,
            ),
            (
                f"{label}: warm median ≤ {MAX_WARM_RATIO} × bare",
                f"{median[warm] / bare:.1f} ×",
                median[warm] / bare <= MAX_WARM_RATIO,
            ),
        ]
    timing.verdict(timing.report("Targets (public pages):", checks, 52), len(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
