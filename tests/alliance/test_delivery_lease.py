"""A claim is a lease renewed while its batch sends (issue #14).

A dead worker's rows are handed out again once its lease runs out (about a minute);
a live batch that sends for longer than the lease keeps its rows; and a worker whose
rows were released meanwhile does not send them as well.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from alliance.mail import delivery, outbox
from alliance.models import OutboundEmail
from tests.alliance.test_outbox import queued

pytestmark = pytest.mark.django_db


def test_a_batch_sending_for_longer_than_the_lease_is_never_taken_over(mailoutbox):
    emails = [queued(to=f"p{n}@example.org") for n in range(6)]
    released = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        rows = outbox.claim([e.pk for e in emails])

        def slow(email):
            # Each message takes half a lease; meanwhile beat looks for dead workers.
            clock.shift(delivery.LEASE / 2)
            released.append(delivery.release_stale(OutboundEmail))
            return outbox.as_message(email)

        result = delivery.send(rows, slow)

    assert result["sent"] == 6
    assert released == [0] * 6
    assert sorted(m.to[0] for m in mailoutbox) == sorted(e.to for e in emails)
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_a_dead_workers_rows_are_released_once_its_lease_runs_out(mailoutbox):
    email = queued()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        outbox.claim([email.pk])  # and the worker dies
        clock.shift(delivery.LEASE - datetime.timedelta(seconds=1))
        assert outbox.due_ids() == []  # still leased
        clock.shift(datetime.timedelta(seconds=2))
        assert outbox.due_ids() == [email.pk]
        outbox.deliver([email.pk])
    assert len(mailoutbox) == 1


def test_a_worker_whose_rows_were_released_does_not_send_them_too(mailoutbox):
    emails = [queued(to=f"p{n}@example.org") for n in range(4)]
    ids = [e.pk for e in emails]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        stalled = outbox.claim(ids)
        # The worker stalled past its lease: beat released the rows, another took them.
        clock.shift(delivery.LEASE + delivery.RENEW + datetime.timedelta(seconds=1))
        assert delivery.release_stale(OutboundEmail) == 4
        assert outbox.deliver(ids)["sent"] == 4
        # The stalled worker carries on with its batch.
        result = delivery.send(stalled, outbox.as_message)
    assert result == {"sent": 0, "retry": 0, "failed": 0, "lost": 4}
    assert len(mailoutbox) == 4
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_421_to_one_message_does_not_hold_back_the_rest_of_the_batch(smtp):
    emails = [queued(to=f"p{n}@example.org") for n in range(3)]
    smtp.refuse["p1@example.org"] = "421 Too busy, closing the connection"
    result = outbox.deliver([e.pk for e in emails])
    assert result == {"sent": 2, "retry": 1, "failed": 0}
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["p0@example.org", "p2@example.org"]
    statuses = dict(OutboundEmail.objects.values_list("to", "status"))
    assert statuses == {
        "p0@example.org": "sent",
        "p1@example.org": "pending",
        "p2@example.org": "sent",
    }
