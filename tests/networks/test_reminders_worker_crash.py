"""Reminders survive a worker killed in the middle of a batch.

Every reminder still goes out, once; a worker's death can repeat the one message each of
its slots had in flight, and beat takes over no live batch. The tests run real Celery
workers (tests.networks.reminder_harness) and need PostgreSQL and Redis: skipped on a
laptop, failures under CI=true.

The worker tests commit (transaction=True: the worker must see the rows), so
pytest-django empties every table after them, the data migrations' rows (principles)
included; it runs such tests after all the others, as it does the browser test.
"""

import datetime
import os
import signal
import time
from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from networks.meetings import reminders
from networks.models import Reminder
from tests.networks.reminder_harness import (
    STALE_SECONDS,
    Workers,
    lease_for_this_process,
    make_network_with_officials,
    need_postgresql_and_redis_broker,
    schedule_meeting_due_now,
    wait_until,
)

# A worker killed mid-batch ------------------------------------------------------------

OFFICIALS = 1000
KILL_AFTER = 330  # in the middle of a batch (BATCH_SIZES rows), not on its boundary


# solo: one message in flight when the worker dies. threads x8, the production pool:
# up to eight, one per thread, so up to eight duplicates, each of its own row.
@pytest.mark.parametrize(("pool", "concurrency"), [("solo", 1), ("threads", 8)])
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
        assert 0 < len(orphans) <= concurrency * max(reminders.BATCH_SIZES), (
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
