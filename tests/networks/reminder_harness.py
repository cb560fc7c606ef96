"""Harness of the reminder resilience tests: real Celery workers and an SMTP sink.

The workers are subprocesses consuming a queue of the test's own, against the test
database, the Redis broker and an SMTP server on loopback (Sink; the `sink` and
`publishing_to_the_broker` fixtures are in this folder's conftest). Tests that use them
need PostgreSQL and Redis: skipped on a laptop, failures under CI=true.
"""

import asyncio
import datetime
import os
import subprocess
import sys
import threading
import time
import uuid
from email.parser import BytesHeaderParser
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from alliance.mail import delivery
from alliance.models import User
from cities.models import City, CityOfficial
from networks.meetings.services import meeting_schedule
from networks.models import Meeting, Membership, ReminderRule
from networks.tasks import send_reminder_batch
from tests.conftest import require
from tests.factories import NetworkFactory

REPO = Path(__file__).resolve().parents[2]
STALE_SECONDS = 2  # the workers' DELIVERY_LEASE_SECONDS in these tests
WORKER_START_TIMEOUT = 30


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
