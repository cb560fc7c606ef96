"""The beat task dispatch_reminders publishes the due batches through the broker.

A worker on the Redis broker sends what it published (PostgreSQL and Redis: skipped on
a laptop, a failure under CI=true); with the broker down nothing is claimed and the next
tick sends everything.

The worker tests commit (transaction=True: the worker must see the rows), so
pytest-django empties every table after them, the data migrations' rows (principles)
included; it runs such tests after all the others, as it does the browser test.
"""

import time
import uuid

import pytest
from django.conf import settings

from alliance.celery import app
from networks.meetings import reminders
from networks.tasks import dispatch_reminders, send_reminder_batch
from tests.networks.reminder_harness import (
    WORKER_START_TIMEOUT,
    Workers,
    make_network_with_officials,
    need_postgresql_and_redis_broker,
    schedule_meeting_due_now,
    wait_until,
)

# The beat task publishes through the broker -------------------------------------------


def test_a_burst_is_cut_into_batches_of_staggered_sizes():
    # A worker's threads each take one batch of a burst; with batches of one size they
    # would all finish them, and claim the next, at the same moment.
    ids = list(range(1, 6001))
    batches = reminders.staggered(ids)
    assert [pk for batch in batches for pk in batch] == ids
    first_round = [len(batch) for batch in batches[:5]]
    assert len(set(first_round)) == 5
    assert sum(first_round) / 5 == reminders.BATCH
    assert max(map(len, batches)) <= max(reminders.BATCH_SIZES)


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
    count = reminders.BATCH_SIZES[0] + reminders.BATCH_SIZES[1] // 2
    network, users = make_network_with_officials(count)
    meeting = schedule_meeting_due_now(network)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
    workers = Workers(tmp_path, smtp_port)
    workers.queue = reminder_queue
    try:
        dispatch_reminders()
        # Two messages in the broker (a batch and part of the next), not yet claimed.
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
