"""Reminders and the outbox survive what production does to them.

A worker killed in the middle of a batch, a broker that stops answering, a beat tick
that cannot publish: every reminder and every queued email still goes out, once (a
worker's death can repeat the one message it had in flight).

The tests with a real Celery worker (a subprocess on a queue of its own, against the
test database, the Redis broker and an SMTP server on loopback) need PostgreSQL and
Redis: skipped on a laptop, failures under CI=true. The outage test runs a private
redis-server and freezes it with SIGSTOP.

The worker tests commit (transaction=True: the worker must see the rows), so
pytest-django empties every table after them, the data migrations' rows (principles)
included; it runs such tests after all the others, as it does the browser test.
"""

import asyncio
import base64
import contextlib
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from alliance import delivery, outbox
from alliance.celery import app
from alliance.models import OutboundEmail, User
from cities.models import City, CityOfficial
from networks.applications.services import application_approve
from networks.meetings import reminders
from networks.meetings.services import meeting_schedule
from networks.models import Application, Meeting, Membership, Reminder, ReminderRule
from networks.tasks import dispatch_reminders, send_reminder_batch
from tests.conftest import publishing_to, require
from tests.factories import ApplicationFactory, NetworkFactory
from tests.networks.test_apply import new_city_data, post
from tests.private_redis import PrivateRedis, free_port

REPO = Path(__file__).resolve().parents[2]
STALE_SECONDS = 2  # the workers' DELIVERY_LEASE_SECONDS in these tests
WORKER_START_TIMEOUT = 30

# Helpers --------------------------------------------------------------------------------


def wait_until(predicate, *, timeout: float, what: str, workers=(), poll: float = 0.05):
    """Poll until `predicate()` is truthy; fail after `timeout` s or if a worker died."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        for worker in workers:
            if worker.poll() is not None:
                pytest.fail(f"the worker exited ({worker.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


def need_postgresql_and_redis_broker():
    require(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    require(
        settings.CELERY_BROKER_URL.startswith("redis"),
        "CELERY_BROKER_URL does not point at Redis",
    )


class Sink:
    """SMTP server handler: records recipient and X-Alliance-Reminder-Id of each message.

    The message is recorded *before* the pause, as a real server that has the whole
    message would deliver it even if the client vanished before reading the 250.
    """

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.lock = threading.Lock()
        self.received: list[tuple[str, str | None]] = []

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, headers.get("X-Alliance-Reminder-Id")))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def snapshot(self) -> list[tuple[str, str | None]]:
        with self.lock:
            return list(self.received)


@pytest.fixture
def sink():
    from aiosmtpd.controller import Controller

    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def worker_database_url() -> str:
    db = connection.settings_dict  # pytest-django has pointed NAME at the test database
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


class Workers:
    """Real Celery workers (subprocesses) consuming one queue of this test's own."""

    def __init__(
        self,
        tmp_path: Path,
        smtp_port: int,
        pool: str = "solo",
        concurrency: int = 1,
        lease: int = STALE_SECONDS,
    ):
        self.queue = f"resilience-{uuid.uuid4().hex[:12]}"
        self.tmp_path = tmp_path
        self.processes: list[subprocess.Popen] = []
        self.env = {
            name: os.environ[name]
            for name in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "SITE_URL", "REDIS_URL")
            if name in os.environ
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="alliance.settings",
            DJANGO_SECRET_KEY=os.environ["DJANGO_SECRET_KEY"],
            DJANGO_SECURE_SSL_REDIRECT=os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "false"),
            DATABASE_URL=worker_database_url(),
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            DELIVERY_LEASE_SECONDS=str(lease),
            PYTHONUNBUFFERED="1",
            # Through the settings, as production sets it (Celery would read an explicit
            # --pool=prefork as its default and use the configured pool instead).
            CELERY_WORKER_POOL=pool,
            CELERY_WORKER_CONCURRENCY=str(concurrency),
        )

    def start(self) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.processes)}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "alliance",
            "worker",
            "--loglevel=WARNING",
            "-Q",
            self.queue,
            # Its own node name; no start-up handshake with (or chatter to) other
            # workers that may share the CI broker.
            "-n",
            f"{self.queue}-{len(self.processes)}@%h",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603
                command, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def publish(self, batches) -> None:
        for batch in batches:
            send_reminder_batch.apply_async((batch,), queue=self.queue)

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
            for log in sorted(self.tmp_path.glob("worker-*.log"))
        )

    def stop(self) -> None:
        self.stop_quietly(settings.CELERY_BROKER_URL)

    def stop_quietly(self, broker_url: str) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        forget_queue(broker_url, self.queue)


def forget_queue(broker_url: str, token: str) -> None:
    """Remove from the shared broker what this test's queue and workers left there.

    A SIGKILLed worker leaves its unacknowledged message (kombu would give it back to
    the queue after the visibility timeout, an hour) and its bindings behind.
    """
    import redis

    client = redis.Redis.from_url(broker_url, socket_timeout=2)
    mark = token.encode()
    for key in client.scan_iter(match=f"*{token}*"):
        client.delete(key)
    for key in client.scan_iter(match="_kombu.binding.*"):
        for member in client.smembers(key):
            if mark in member:
                client.srem(key, member)
    for tag, raw in client.hscan_iter("unacked"):
        if mark in raw:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.close()


@pytest.fixture
def publishing_to_the_broker():
    """Tasks go through the broker, not run inline as in the rest of the suite."""
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = True


def make_network_with_officials(count: int, minutes_before: int = 24 * 60):
    """A network with one reminder rule and `count` officials of active member cities."""
    network = NetworkFactory(name="Resilience Network", default_language="en")
    ReminderRule.objects.create(network=network, minutes_before=minutes_before)
    token = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        User(email=f"official{n}-{token}@example.org", first_name="Ana", last_name=f"N{n}")
        for n in range(count)
    )
    zones = ["America/Bogota", "America/Sao_Paulo", "Europe/Madrid", "Asia/Tokyo"]
    cities = City.objects.bulk_create(
        City(
            name=f"Ciudad {n}",
            slug=f"ciudad-{n}-{token}",
            country="CO",
            region="latam",
            time_zone=zones[n % len(zones)],
        )
        for n in range(count)
    )
    CityOfficial.objects.bulk_create(
        CityOfficial(user=user, city=city, role=CityOfficial.Role.FOCAL_POINT)
        for user, city in zip(users, cities, strict=True)
    )
    Membership.objects.bulk_create(
        Membership(city=city, network=network, role="member", status="active") for city in cities
    )
    return network, users


def schedule_meeting_due_now(network) -> Meeting:
    meeting = meeting_schedule(
        meeting=Meeting(
            network=network,
            title="Quarterly meeting",
            starts_at=timezone.now() + datetime.timedelta(days=10),
            place="Ruta N, Medellín",
        )
    )
    now = timezone.now()
    meeting.reminders.update(due_at=now, next_attempt_at=now)
    return meeting


def lease_for_this_process(monkeypatch, seconds: float) -> None:
    lease = datetime.timedelta(seconds=seconds)
    monkeypatch.setattr(delivery, "LEASE", lease)
    monkeypatch.setattr(delivery, "RENEW", min(datetime.timedelta(seconds=5), lease / 3))


# a. A worker killed mid-batch --------------------------------------------------------

OFFICIALS = 1000
KILL_AFTER = 330  # in the middle of a batch (BATCH rows each), not on its boundary


# solo: one message in flight when the worker dies. threads x4, the production pool:
# up to four, one per thread, so up to four duplicates, each of its own row.
@pytest.mark.parametrize(("pool", "concurrency"), [("solo", 1), ("threads", 4)])
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_at_most_one_per_slot(
    tmp_path, sink, publishing_to_the_broker, monkeypatch, pool, concurrency
):
    need_postgresql_and_redis_broker()
    handler, smtp_port = sink
    handler.delay = 0.005  # 5 ms per message: 1,000 messages take several seconds
    # In production due_batches runs in a worker (beat triggers dispatch_reminders), with
    # the workers' settings; here this process plays beat, so it gets their lease.
    lease_for_this_process(monkeypatch, STALE_SECONDS)

    network, users = make_network_with_officials(OFFICIALS)
    meeting = schedule_meeting_due_now(network)
    assert meeting.reminders.filter(status="pending").count() == OFFICIALS

    workers = Workers(tmp_path, smtp_port, pool, concurrency)
    try:
        first = workers.start()
        workers.publish(reminders.due_batches())
        wait_until(
            lambda: handler.count() >= KILL_AFTER,
            timeout=60,
            what=f"{KILL_AFTER} messages at the SMTP server",
            workers=[first],
            poll=0.005,
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = timezone.now()
        received_before_the_kill = handler.count()

        second = workers.start()
        # The new worker takes the batches still queued. The dead worker's batch is
        # neither requeued (its message stays unacknowledged in Redis for the visibility
        # timeout, an hour) nor claimable: its unsent rows stay "sending", claimed
        # before the kill, until a dispatch releases them as stale.
        wait_until(
            lambda: (
                not Reminder.objects.filter(status="pending").exists()
                and not Reminder.objects.filter(
                    status="sending", claimed_at__gte=killed_at
                ).exists()
            ),
            timeout=60,
            what="the new worker to drain the queued batches",
            workers=[second],
        )
        orphans = set(Reminder.objects.filter(status="sending").values_list("pk", flat=True))
        assert 0 < len(orphans) <= concurrency * reminders.BATCH, (
            "the kill should have left part of its batches claimed by the dead worker"
        )
        last_claim = max(
            Reminder.objects.filter(pk__in=orphans).values_list("claimed_at", flat=True)
        )
        stale_after = last_claim + datetime.timedelta(seconds=STALE_SECONDS + 0.5)
        time.sleep(max(0.0, (stale_after - timezone.now()).total_seconds()))

        # What beat does every minute: release the stale claims, batch what is due.
        batches = reminders.due_batches()
        assert {pk for batch in batches for pk in batch} == orphans
        workers.publish(batches)
        wait_until(
            lambda: Reminder.objects.filter(meeting=meeting, status="sent").count() == OFFICIALS,
            timeout=120,
            what="every ledger row to be sent",
            workers=[second],
        )
        # Let a (wrong) late duplicate arrive before counting.
        time.sleep(0.5)
    except BaseException:
        print(workers.logs())
        raise
    finally:
        workers.stop()

    # The ledger: one row per recipient, every one sent; the orphans took two attempts.
    per_recipient = meeting.reminders.values("recipient").annotate(n=Count("id"))
    assert per_recipient.count() == OFFICIALS
    assert not per_recipient.filter(n__gt=1).exists()
    assert set(meeting.reminders.values_list("status", flat=True)) == {"sent"}
    assert set(meeting.reminders.exclude(pk__in=orphans).values_list("attempts", flat=True)) == {1}
    assert set(meeting.reminders.filter(pk__in=orphans).values_list("attempts", flat=True)) == {2}

    # The SMTP server: everyone at least once, each message for its ledger row.
    received = handler.snapshot()
    emails = {user.email for user in users}
    assert {rcpt for rcpt, _ in received} == emails
    row_of = {
        str(pk): email for pk, email in meeting.reminders.values_list("pk", "recipient__email")
    }
    assert all(row_of[row_id] == rcpt for rcpt, row_id in received)

    # At most one duplicate per slot. Each worker slot sends one message at a time over
    # its connection and stamps its row right after the server's 250; a SIGKILL can land
    # between the server taking a message and that stamp (our server records a message
    # before its 5 ms pause, so a kill during the pause counts). That row stays
    # "sending" and is sent again once released. Every other row of the dead worker's
    # batches was either stamped "sent" (never sent again) or not yet handed to the
    # server. More would mean rows stamped in bulk after sending, or a live claim
    # released.
    duplicates = len(received) - len(emails)
    print(
        f"{pool} x{concurrency}: received before the kill: {received_before_the_kill}, "
        f"orphaned claims: {len(orphans)}, messages: {len(received)}, "
        f"duplicates: {duplicates}"
    )
    assert duplicates <= concurrency, f"{duplicates} duplicates"
    copies = Counter(row for _, row in received)
    assert all(n <= 2 for n in copies.values())
    assert {int(row) for row, n in copies.items() if n > 1} <= orphans


# With a realistic SMTP latency, a batch sends for longer than the lease: the lease is
# renewed while it sends, so beat ticking all along never hands a live batch to another
# worker, and the dead worker's rows go out again once its lease has run out.
REALISTIC_OFFICIALS = 600
REALISTIC_DELAY = 0.06  # s per message at the SMTP server: 250 rows take 15 s
REALISTIC_LEASE = 10  # s: shorter than a batch takes, so only renewal keeps it
BEAT_EVERY = 2  # s (a minute in production; often here, to tempt a takeover)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_recovered_within_two_minutes_and_no_live_batch_is_taken_over(
    tmp_path, sink, publishing_to_the_broker, monkeypatch
):
    need_postgresql_and_redis_broker()
    handler, smtp_port = sink
    handler.delay = REALISTIC_DELAY
    lease_for_this_process(monkeypatch, REALISTIC_LEASE)
    concurrency = 4
    network, users = make_network_with_officials(REALISTIC_OFFICIALS)
    meeting = schedule_meeting_due_now(network)

    workers = Workers(tmp_path, smtp_port, "threads", concurrency, lease=REALISTIC_LEASE)
    try:
        first = workers.start()
        workers.publish(reminders.due_batches())
        wait_until(
            lambda: handler.count() >= 120,
            timeout=90,
            what="120 messages at the SMTP server",
            workers=[first],
            poll=0.01,
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed = time.monotonic()
        orphans = set(Reminder.objects.filter(status="sending").values_list("pk", flat=True))
        assert orphans, "the kill should have left rows claimed by the dead worker"

        second = workers.start()
        # Beat: every tick releases expired leases and hands out what is due.
        while Reminder.objects.filter(meeting=meeting, status="sent").count() < len(users):
            assert time.monotonic() - killed < 120, "not recovered within two minutes"
            assert second.poll() is None, "the second worker exited"
            workers.publish(reminders.due_batches())
            time.sleep(BEAT_EVERY)
        recovered_after = time.monotonic() - killed
        time.sleep(0.5)  # let a (wrong) late duplicate arrive before counting
    except BaseException:
        print(workers.logs())
        raise
    finally:
        workers.stop()

    received = handler.snapshot()
    copies = Counter(row for _, row in received)
    duplicates = len(received) - len(users)
    print(
        f"threads x{concurrency}, {REALISTIC_DELAY * 1000:.0f} ms a message, lease "
        f"{REALISTIC_LEASE} s: orphaned {len(orphans)}, recovered after "
        f"{recovered_after:.0f} s, messages {len(received)}, duplicates {duplicates}"
    )
    assert {rcpt for rcpt, _ in received} == {user.email for user in users}
    # No live batch taken over: only the dead worker's rows were claimed twice.
    attempts = dict(meeting.reminders.values_list("pk", "attempts"))
    assert {pk for pk, n in attempts.items() if n > 1} <= orphans
    assert max(attempts.values()) <= 2
    # At most one duplicate per message in flight (one per thread) when it died.
    assert duplicates <= concurrency
    assert all(n <= 2 for n in copies.values())
    assert {int(row) for row, n in copies.items() if n > 1} <= orphans


# b. A broker that does not answer ----------------------------------------------------


@pytest.fixture
def frozen_broker():
    """Publishing goes to a private redis-server; the test freezes it (SIGSTOP).

    Yields the server and a client of it, to read what landed once it is thawed.
    """
    import redis

    server = PrivateRedis().start()
    client = redis.Redis(port=server.port, socket_timeout=1, socket_connect_timeout=1)
    try:
        with publishing_to(f"{server.url}/0"):
            yield server, client
    finally:
        client.close()
        server.kill()


@contextlib.contextmanager
def answers_within(limit: float, what: str, capture):
    """Time `what` including its on-commit callbacks, which publish to the broker."""
    started = time.monotonic()
    with capture(execute=True):
        yield
    seconds = time.monotonic() - started
    print(f"{what} with a frozen broker: {seconds:.2f} s")
    assert seconds < limit, f"{what} took {seconds:.2f} s"


def landed_messages(client) -> list[tuple[str, list]]:
    """Task messages that reached the frozen Redis although their publisher timed out."""
    messages = []
    for raw in client.lrange("celery", 0, -1):
        envelope = json.loads(raw)
        body = envelope["body"]
        if envelope["properties"].get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args, _kwargs, _embed = json.loads(body)
        messages.append((envelope["headers"]["task"], args))
    return messages


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_slows_no_request_and_loses_no_email(
    frozen_broker,
    client,
    verified_user,
    staff_user,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    server, redis_client = frozen_broker
    network = NetworkFactory(name="Regional Alliance for Latin America", default_language="en")
    ReminderRule.objects.create(network=network, minutes_before=24 * 60)
    application = ApplicationFactory(network=network)
    server.freeze()  # accepts connections, never answers

    capture = django_capture_on_commit_callbacks

    # (1) The secretariat approves an application.
    with answers_within(2, "approving", capture):
        membership = application_approve(application=application, reviewer=staff_user)
    assert membership.status == "active"

    # (2) An official applies through /apply/.
    client.force_login(verified_user)
    with answers_within(2, "applying", capture):
        response = post(client, new_city_data(network))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "applications:submitted", args=[Application.objects.get(city__isnull=True).pk]
    )

    # (3) The secretariat schedules a meeting (ledger rows only: no email of its own).
    with answers_within(2, "scheduling", capture):
        meeting = meeting_schedule(
            meeting=Meeting(
                network=network,
                title="Quarterly meeting",
                starts_at=timezone.now() + datetime.timedelta(days=10),
                place="Ruta N, Medellín",
            )
        )
    assert list(meeting.reminders.values_list("recipient", "status")) == [
        (application.applicant_id, "pending")
    ]

    emails = list(OutboundEmail.objects.order_by("pk"))
    assert [(e.template, e.to, e.status) for e in emails] == [
        ("application-approved", application.applicant.email, "pending"),
        ("application-received", verified_user.email, "pending"),
    ]
    assert mailoutbox == []

    # The broker answers again. A publish that timed out may still have reached it
    # (its bytes were in the socket); a worker would run it as well as the flush.
    server.thaw()
    wait_until(lambda: redis_client.ping(), timeout=10, what="redis to answer again")
    landed = landed_messages(redis_client)
    assert all(task == "alliance.tasks.deliver_email" for task, _ in landed)

    # What beat runs every minute, once the rows are older than the flush's grace.
    OutboundEmail.objects.update(created_at=timezone.now() - 2 * outbox.FLUSH_GRACE)
    ids = outbox.due_ids()
    assert sorted(ids) == [e.pk for e in emails]
    outbox.deliver(ids)
    for task, args in landed:  # the late messages, as a worker would run them
        app.tasks[task].apply(args=args)
    outbox.deliver(outbox.due_ids())  # the next minute's flush finds nothing

    assert sorted(m.to[0] for m in mailoutbox) == sorted(e.to for e in emails)
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


# c. The beat task publishes through the broker ---------------------------------------


@pytest.fixture
def reminder_queue(monkeypatch):
    """send_reminder_batch published by dispatch_reminders goes to a queue of its own."""
    task = app.tasks[send_reminder_batch.name]
    queue = f"resilience-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(task, "queue", queue, raising=False)
    monkeypatch.setattr(task, "_exec_options", None)  # Celery caches the options
    return queue


@pytest.mark.django_db(transaction=True)
def test_dispatch_reminders_publishes_the_due_batches_for_a_worker(
    tmp_path, sink, publishing_to_the_broker, reminder_queue
):
    need_postgresql_and_redis_broker()
    import redis

    handler, smtp_port = sink
    count = reminders.BATCH + reminders.BATCH // 2
    network, users = make_network_with_officials(count)
    meeting = schedule_meeting_due_now(network)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
    workers = Workers(tmp_path, smtp_port)
    workers.queue = reminder_queue
    try:
        dispatch_reminders()
        # Two messages in the broker (a batch and a half), not yet claimed by anyone.
        assert broker.llen(reminder_queue) == 2
        assert meeting.reminders.filter(status="pending").count() == count

        worker = workers.start()
        wait_until(
            lambda: meeting.reminders.filter(status="sent").count() == count,
            timeout=WORKER_START_TIMEOUT + 30,
            what="the worker to send the reminders",
            workers=[worker],
        )
    except BaseException:
        print(workers.logs())
        raise
    finally:
        broker.close()
        workers.stop()
    assert sorted(rcpt for rcpt, _ in handler.snapshot()) == sorted(u.email for u in users)


@pytest.mark.django_db
def test_dispatch_reminders_with_the_broker_down_loses_no_reminder(broker_down, mailoutbox):
    from kombu.exceptions import OperationalError

    network, users = make_network_with_officials(250)
    meeting = schedule_meeting_due_now(network)

    started = time.monotonic()
    with pytest.raises(OperationalError):  # the beat-run task fails, and is logged as such
        dispatch_reminders()
    assert time.monotonic() - started < 5
    # Dispatching claims nothing: the rows wait, untouched, for the next tick.
    assert (
        meeting.reminders.filter(status="pending", attempts=0, claim_token__isnull=True).count()
        == 250
    )
    assert mailoutbox == []

    # The broker is back (in this suite, tasks then run inline): the next tick sends all.
    broker_down.conf.broker_write_url = None
    broker_down.conf.task_always_eager = True
    dispatch_reminders()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)
    assert set(meeting.reminders.values_list("status", flat=True)) == {"sent"}
    dispatch_reminders()
    assert len(mailoutbox) == 250


# d. A broker outage under a running worker --------------------------------------------


class PrivateBroker(PrivateRedis):
    """A private redis-server whose database 0 is the broker, to kill, restart and freeze."""

    @property
    def url(self) -> str:
        return f"{super().url}/0"


@pytest.fixture
def private_broker():
    broker = PrivateBroker().start()
    try:
        with publishing_to(broker.url) as reset_pools:
            broker.reset_pools = reset_pools
            yield broker
    finally:
        broker.kill()


OUTAGE_SECONDS = 20  # as long as the outage of issue #14's run


@pytest.mark.parametrize("outage", ["killed and restarted", "frozen"])
@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_running_through_a_broker_outage_and_sends_afterwards(
    tmp_path, sink, private_broker, outage
):
    require(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    handler, smtp_port = sink
    handler.delay = 0.05  # the batches are still sending when the broker goes
    network, users = make_network_with_officials(400)
    schedule_meeting_due_now(network)

    workers = Workers(tmp_path, smtp_port, "threads", 4)
    workers.env["CELERY_BROKER_URL"] = private_broker.url
    ids = [pk for batch in reminders.due_batches() for pk in batch]
    batches = [ids[start : start + 100] for start in range(0, len(ids), 100)]  # 4 at once
    try:
        worker = workers.start()
        workers.publish(batches)
        wait_until(
            lambda: handler.count() >= 20,
            timeout=60,
            what="the first messages",
            workers=[worker],
        )
        if outage == "frozen":
            private_broker.freeze()
            time.sleep(OUTAGE_SECONDS)
            private_broker.thaw()
        else:
            private_broker.kill()
            time.sleep(OUTAGE_SECONDS)
            private_broker.start()
        private_broker.reset_pools()
        assert worker.poll() is None, "the worker exited during the outage"

        # After the outage: a meeting scheduled now, its reminders due, sent by the same
        # worker process (and whatever the outage interrupted, released and sent too).
        # A restarted Redis has lost the queue's binding until the worker reconnects
        # and declares it again, so, as beat does every minute, publish until sent.
        later, later_users = make_network_with_officials(20)
        after = schedule_meeting_due_now(later)
        ids = list(after.reminders.values_list("pk", flat=True))
        deadline = time.monotonic() + 60
        while after.reminders.filter(status="sent").count() < len(ids):
            assert worker.poll() is None, "the worker exited after the outage"
            assert time.monotonic() < deadline, "nothing sent within a minute of the outage"
            with contextlib.suppress(Exception):  # publishing while the worker reconnects
                workers.publish([ids])
            time.sleep(2)
        assert worker.poll() is None
        assert len(workers.processes) == 1  # the same process, never restarted
    except BaseException:
        print(workers.logs())
        raise
    finally:
        workers.stop_quietly(private_broker.url)

    received = {rcpt for rcpt, _ in handler.snapshot()}
    assert {user.email for user in later_users} <= received
    assert "Unrecoverable error" not in workers.logs()
