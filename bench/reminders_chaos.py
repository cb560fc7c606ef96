"""Reminders through kills, a broker outage and syncs while they are due (issue #14).

    DATABASE_URL=postgres://… .venv/bin/python bench/reminders_chaos.py
    [--cities 300] [--officials 5] [--delay 0.1] [--lease 15] [--redis-port 6391]

In a database of its own (alliance_reminders_chaos, created, migrated and dropped here)
it builds one network of CITIES member cities with OFFICIALS officials each, in four
languages and four time zones, and a meeting whose one-day reminders fall due a few
seconds after the start. A private redis-server (on REDIS_PORT) is the broker and the
cache; an SMTP sink on loopback answers each message after DELAY seconds, and 421 to
one message in 40 (those are retried after their backoff). Two Celery workers (the
production pool, threads x4) send; this process plays beat every 5 s (due_batches,
published) and, while the reminders are due, does what operators and members do:

    +1 s   an application to the network is approved                      (sync)
    +3 s   worker A is SIGKILLed; a new one starts
    +5 s   Redis is killed for 15 s
    +8 s   a membership import adds a city; an official is added to a city (syncs)
    +10 s  one member city lapses (its pending reminders are rightly cancelled)
    +12 s  a rule is added                                              (sync)
    +25 s  worker B is SIGKILLed; a new one starts
    +28 s  Redis is frozen (SIGSTOP) for 8 s; another application is approved
    +38 s  another meeting of the network is rescheduled                 (sync)

Then it waits until every expected reminder has arrived (or 7 minutes) and reports:
expected (the due rows of the cities that stayed members), delivered once, lost (never
arrived: must be 0), duplicated (copies beyond the first: at most one per message in
flight at a kill). Exit status 0 when nothing is lost, 1 otherwise, 2 without
PostgreSQL or redis-server.
"""

import argparse
import atexit
import datetime
import logging
import os
import secrets
import shutil
import signal
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import scratchdb
from mailsink import FlakySink, free_port
from reminder_data import LANGUAGES, member_cities
from workers import REPO, PrivateRedis, start_worker, stop_workers

sys.path.insert(0, str(REPO))

CHAOS_DB = os.environ.get("CHAOS_DB", "alliance_reminders_chaos")
WORKER_ENV = {"EMAIL_TIMEOUT": "5"}  # seconds: a frozen relay must not hold a worker


def build(cities: int, officials: int):
    """The network (one-day rule), `cities` members with `officials` officials each plus
    three spare cities, and two meetings; returns (network, meeting, other meeting,
    member cities, spare cities)."""
    from django.utils import timezone

    from networks.meetings.services import meeting_schedule
    from networks.models import Meeting, ReminderRule
    from tests.factories import NetworkFactory

    network = NetworkFactory(name="Regional Alliance for Latin America", slug="latam")
    ReminderRule.objects.create(network=network, minutes_before=24 * 60)
    # three spare cities: two applicants and one imported
    members, spare = member_cities(
        network, cities, officials=officials, spare=3, languages=LANGUAGES
    )
    start = timezone.now() + datetime.timedelta(days=1, seconds=20)
    meeting = meeting_schedule(
        meeting=Meeting(network=network, title="Quarterly", starts_at=start, place="Medellín")
    )
    other = meeting_schedule(
        meeting=Meeting(
            network=network,
            title="Working group",
            starts_at=start + datetime.timedelta(days=10),
            place="Medellín",
        )
    )
    return network, meeting, other, members, spare


def main() -> int:  # noqa: PLR0915 - a script that reads top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=300)
    parser.add_argument("--officials", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--lease", type=int, default=15)
    parser.add_argument("--redis-port", type=int, default=6391)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not scratchdb.is_postgresql(url) or not shutil.which("redis-server"):
        print("needs DATABASE_URL=postgres://… and redis-server", file=sys.stderr)
        return 2
    redis_url = f"redis://127.0.0.1:{args.redis_port}"
    os.environ.update(
        DATABASE_URL=scratchdb.recreate(url, CHAOS_DB),
        CELERY_BROKER_URL=f"{redis_url}/0",
        REDIS_URL=f"{redis_url}/1",
        DELIVERY_LEASE_SECONDS=str(args.lease),
        DJANGO_SETTINGS_MODULE="alliance.settings",
        SITE_URL="https://portal.example.org",
        PYTHONUNBUFFERED="1",
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.utils import timezone

    from alliance.celery import app
    from alliance.models import User
    from cities.models import CityOfficial
    from networks.applications.services import application_approve
    from networks.meetings import reminders
    from networks.meetings.services import meeting_reschedule
    from networks.models import Membership, ReminderRule
    from networks.services import membership_set_status
    from networks.tasks import send_reminder_batch
    from tests.factories import UserFactory, with_totp

    call_command("migrate", verbosity=0)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every command
    redis = PrivateRedis(args.redis_port)
    redis.start()
    atexit.register(redis.kill)  # after a traceback too: no redis-server left behind
    sink = FlakySink(args.delay)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.conf.task_always_eager = False
    queue = f"chaos-{uuid.uuid4().hex[:8]}"
    logs = Path(f"/tmp/{queue}")  # noqa: S108 - the run's own folder, printed
    logs.mkdir()

    def new_worker() -> None:
        log = logs / f"worker-{len(workers)}.log"
        workers.append(start_worker(queue, controller.port, log, env=WORKER_ENV, wait=False))

    workers = []
    atexit.register(stop_workers, workers)  # likewise for the workers, before Redis
    new_worker()
    new_worker()
    network, meeting, other, members, spare = build(args.cities, args.officials)
    # Approving takes one who manages the network (networks.access): the secretariat.
    reviewer = with_totp(UserFactory(is_staff=True, is_superuser=True))
    rows = meeting.reminders.count()
    print(f"{rows} reminders, due at {min(meeting.reminders.values_list('due_at', flat=True))}")

    stop = threading.Event()
    beat_failures = Counter()

    def beat():
        while not stop.wait(5):
            try:
                for batch in reminders.due_batches():
                    send_reminder_batch.apply_async((batch,), queue=queue, retry=False)
            except Exception as exc:  # as beat's failed tick: logged, the next one tries
                beat_failures[type(exc).__name__] += 1

    def apply(city):
        from tests.factories import ApplicationFactory

        applicant = city.officials.first().user
        return ApplicationFactory(network=network, city=city, applicant=applicant)

    def at(second, what, action):
        time.sleep(max(0.0, due + second - time.monotonic()))
        started = time.monotonic()
        action()
        print(f"+{second:>2} s {what} ({time.monotonic() - started:.2f} s)")

    def kill_worker(index):
        os.kill(workers[index].pid, signal.SIGKILL)
        workers[index].wait()
        new_worker()

    def import_city():
        import tablib

        from networks.admin.resources import MembershipResource

        data = tablib.Dataset(headers=["city", "network", "role", "status", "joined_on"])
        data.append([spare[2].slug, network.slug, "member", "active", ""])
        result = MembershipResource().import_data(data, dry_run=False, raise_errors=True)
        assert not result.has_errors()
        # An official added to a member city, as the city's admin page does.
        user = User.objects.create(email="added@example.org", first_name="Beto", language="es")
        CityOfficial.objects.create(user=user, city=members[1], role="focal-point")
        reminders.reminders_sync_city(city=members[1])

    lapsed = members[2]
    first, second = apply(spare[0]), apply(spare[1])
    first_due = min(meeting.reminders.values_list("due_at", flat=True))
    due = time.monotonic() + max(0.0, (first_due - timezone.now()).total_seconds())
    threading.Thread(target=beat, daemon=True).start()
    at(1, "application approved", lambda: application_approve(application=first, reviewer=reviewer))
    at(3, "worker A SIGKILLed", lambda: kill_worker(0))
    at(5, "Redis killed", redis.kill)
    at(8, "membership import, official added", import_city)
    at(
        10,
        "a member city lapsed",
        lambda: membership_set_status(
            membership=Membership.objects.get(city=lapsed, network=network), status="lapsed"
        ),
    )
    at(
        12,
        "rule added",
        lambda: (
            ReminderRule.objects.create(network=network, minutes_before=3 * 24 * 60),
            reminders.reminders_sync_network(network=network),
        ),
    )
    at(20, "Redis back", redis.start)
    at(25, "worker B SIGKILLed", lambda: kill_worker(1))
    at(28, "Redis frozen", lambda: os.kill(redis.process.pid, signal.SIGSTOP))
    at(
        30,
        "application approved",
        lambda: application_approve(application=second, reviewer=reviewer),
    )
    at(36, "Redis thawed", lambda: os.kill(redis.process.pid, signal.SIGCONT))
    at(
        38,
        "another meeting rescheduled",
        lambda: meeting_reschedule(
            meeting=other, starts_at=other.starts_at + datetime.timedelta(hours=1)
        ),
    )

    lapsed_users = set(CityOfficial.objects.filter(city=lapsed).values_list("user", flat=True))
    expected = {
        str(pk): email
        for pk, email, user in meeting.reminders.filter(
            meeting_starts_at=meeting.starts_at, rule__minutes_before=24 * 60
        ).values_list("pk", "recipient__email", "recipient")
        if user not in lapsed_users
    }
    deadline = time.monotonic() + 420  # three backoffs after a 421: 60 + 120 + 240 s
    while time.monotonic() < deadline:
        with sink.lock:
            arrived = {row for _, row in sink.received}
        if set(expected) <= arrived:
            break
        time.sleep(2)
    time.sleep(3)  # a late duplicate, if any, before counting
    stop.set()
    with sink.lock:
        copies = Counter(row for _, row in sink.received)
    statuses = Counter(meeting.reminders.values_list("status", flat=True))
    survivors = [w for w in workers if w.poll() is None]
    unrecoverable = sum(
        "Unrecoverable error" in log.read_text(errors="replace") for log in logs.glob("*.log")
    )
    stop_workers(survivors)
    controller.stop()
    redis.kill()

    delivered_once = sum(1 for row in expected if copies[row] == 1)
    lost = sum(1 for row in expected if copies[row] == 0)
    duplicated = sum(copies[row] - 1 for row in expected if copies[row] > 1)
    print(
        f"\nexpected {len(expected)}, delivered once {delivered_once}, lost {lost}, "
        f"duplicated {duplicated} (in {sum(1 for row in expected if copies[row] > 1)} rows)"
    )
    print(f"ledger of the meeting: {dict(statuses)}")
    missing = [int(row) for row in expected if copies[row] == 0]
    if missing:
        left = Counter(meeting.reminders.filter(pk__in=missing).values_list("status", flat=True))
        print(f"not arrived by the end, by ledger status: {dict(left)}")
    print(f"lapsed city's officials: {len(lapsed_users)} (sent before the lapse, or cancelled)")
    print(f"beat ticks that could not publish: {dict(beat_failures)}")
    print(
        f"workers: {len(workers)} started, 2 SIGKILLed, {len(survivors)} alive at the end, "
        f"{unrecoverable} with an unrecoverable error; logs in {logs}"
    )
    scratchdb.drop(url, CHAOS_DB)
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
