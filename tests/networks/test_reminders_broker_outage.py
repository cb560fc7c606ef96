"""Reminders and the outbox survive a broker that stops answering.

A frozen broker slows no request and loses no email; a worker keeps running through a
broker killed and restarted, or frozen (SIGSTOP), and sends afterwards. Each test runs a
private redis-server (tests.private_redis); the worker test needs PostgreSQL: skipped on
a laptop, a failure under CI=true.

The worker tests commit (transaction=True: the worker must see the rows), so
pytest-django empties every table after them, the data migrations' rows (principles)
included; it runs such tests after all the others, as it does the browser test.
"""

import base64
import contextlib
import datetime
import json
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alliance.celery import app
from alliance.mail import outbox
from alliance.models import OutboundEmail
from networks.applications.services import application_approve
from networks.meetings import reminders
from networks.meetings.services import meeting_schedule
from networks.models import Application, Meeting, ReminderRule
from tests.conftest import publishing_to, require
from tests.factories import ApplicationFactory, NetworkFactory
from tests.networks.apply_forms import new_city_data, post
from tests.networks.reminder_harness import (
    Workers,
    make_network_with_officials,
    schedule_meeting_due_now,
    wait_until,
)
from tests.private_redis import PrivateRedis

# A broker that does not answer --------------------------------------------------------


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
    assert all(task == "alliance.mail.tasks.deliver_email" for task, _ in landed)

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


# A broker outage under a running worker -----------------------------------------------


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
