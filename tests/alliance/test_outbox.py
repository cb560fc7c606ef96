"""The outbox against a real SMTP server on loopback (aiosmtpd)."""

import datetime

import pytest
from django.utils import timezone

from alliance.mail import delivery, outbox
from alliance.mail.compose import Rendered
from alliance.mail.outbox import queue_rendered
from alliance.models import OutboundEmail

pytestmark = pytest.mark.django_db


def queued(to="official@pasto.gov.co", subject="Your application"):
    rendered = Rendered(subject=subject, text="Plain body", html="<p>HTML body</p>")
    return queue_rendered(template="test", to=to, rendered=rendered)


def test_a_queued_email_reaches_the_smtp_server_once_with_both_bodies(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queued()
    outbox.deliver([email.pk])  # a duplicate delivery of the same task changes nothing

    assert len(smtp.messages) == 1
    raw = smtp.messages[0].content.decode()
    assert "Plain body" in raw and "<p>HTML body</p>" in raw
    assert smtp.messages[0].rcpt_tos == ["official@pasto.gov.co"]
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1 and email.sent_at


def test_many_emails_go_over_one_connection_each_stamped(smtp):
    emails = [queued(to=f"person{n}@example.org") for n in range(5)]
    result = outbox.deliver([e.pk for e in emails])
    assert result == {"sent": 5, "retry": 0, "failed": 0}
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == sorted(e.to for e in emails)


def test_a_refused_address_fails_for_good_without_blocking_the_others(smtp):
    smtp.refuse["nobody@example.org"] = "550 5.1.1 No such user"
    bad, good = queued(to="nobody@example.org"), queued(to="someone@example.org")
    result = outbox.deliver([bad.pk, good.pk])
    assert result == {"sent": 1, "retry": 0, "failed": 1}
    bad.refresh_from_db()
    assert bad.status == "failed" and "550" in bad.last_error
    outbox.deliver(outbox.due_ids())
    assert len(smtp.messages) == 1


def test_a_temporary_refusal_is_retried_later_with_backoff(smtp):
    smtp.refuse["busy@example.org"] = "451 4.3.0 Try again later"
    email = queued(to="busy@example.org")
    outbox.deliver([email.pk])
    email.refresh_from_db()
    assert email.status == "pending" and email.attempts == 1
    assert email.next_attempt_at > timezone.now() + datetime.timedelta(seconds=30)
    assert outbox.due_ids() == []  # not before its time

    del smtp.refuse["busy@example.org"]
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    outbox.deliver(outbox.due_ids())
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 2
    assert len(smtp.messages) == 1


def test_server_unreachable_keeps_the_email_pending(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    email = queued()
    assert outbox.deliver([email.pk]) == {"sent": 0, "retry": 1, "failed": 0}
    email.refresh_from_db()
    assert email.status == "pending" and "Connection refused" in email.last_error


def test_gives_up_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    email = queued()
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=delivery.MAX_ATTEMPTS - 1)
    outbox.deliver([email.pk])
    email.refresh_from_db()
    assert email.status == "failed"


def test_a_row_left_sending_by_a_dead_worker_is_sent_again(mailoutbox):
    email = queued()
    stale = timezone.now() - delivery.LEASE - datetime.timedelta(seconds=1)
    OutboundEmail.objects.filter(pk=email.pk).update(status="sending", claimed_at=stale, attempts=1)
    outbox.deliver(outbox.due_ids())
    assert len(mailoutbox) == 1


def test_two_workers_claiming_the_same_rows_send_each_once(mailoutbox):
    emails = [queued(to=f"p{n}@example.org") for n in range(3)]
    ids = [e.pk for e in emails]
    first = outbox.claim(ids)
    second = outbox.claim(ids)
    assert len(first) == 3 and second == []


def test_flush_leaves_freshly_queued_rows_to_their_own_task():
    queued()
    assert outbox.due_ids() == []


def test_subject_newlines_cannot_inject_headers(mailoutbox):
    email = queued(subject="Hello\r\nBcc: victim@example.org")
    outbox.deliver([email.pk])
    assert mailoutbox[0].subject == "Hello Bcc: victim@example.org"
    assert mailoutbox[0].bcc == []


def test_only_the_claim_that_sent_a_row_stamps_it_sent():
    email = queued()
    (claimed,) = outbox.claim([email.pk])
    delivery.release_stale(OutboundEmail, datetime.timedelta(seconds=-1))
    (again,) = outbox.claim([email.pk])  # another worker's claim of the released row
    delivery.mark_sent(claimed)
    email.refresh_from_db()
    assert email.status == "sending" and email.sent_at is None
    delivery.mark_sent(again)
    email.refresh_from_db()
    assert email.status == "sent" and email.sent_at and email.last_error == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql("synchronous_commit is a PostgreSQL setting")
def test_a_sent_stamp_does_not_wait_for_the_disk_but_a_callers_transaction_does():
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    relaxed = "set_config('synchronous_commit', 'off', true)"
    # Created directly: queued ones would be sent as soon as they commit.
    emails = [OutboundEmail.objects.create(template="t", to=f"{n}@example.org") for n in "ab"]
    rows = outbox.claim([email.pk for email in emails])
    with CaptureQueriesContext(connection) as alone:
        delivery.mark_sent(rows[0])
    with CaptureQueriesContext(connection) as inside, transaction.atomic():
        delivery.mark_sent(rows[1])
    assert [relaxed in query["sql"] for query in alone.captured_queries] == [True]
    assert not any(relaxed in query["sql"] for query in inside.captured_queries)
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("G20 Global Smart Cities Alliance <noreply@example.org>", "noreply@example.org"),
        (
            "Alianza G20 de Ciudades Inteligentes — Secretaría <noreply@example.org>",
            "noreply@example.org",
        ),
        ("noreply@münchen.example", "noreply@xn--mnchen-3ya.example"),  # IDNA, RFC 5890
    ],
)
def test_the_sender_goes_out_as_the_relay_expects_on_every_message(
    smtp, settings, sender, expected
):
    settings.DEFAULT_FROM_EMAIL = sender
    emails = [queued(to=f"person{n}@example.org") for n in range(2)]
    outbox.deliver([email.pk for email in emails])
    # MAIL FROM carries the bare address, in ASCII.
    assert [message.mail_from for message in smtp.messages] == [expected, expected]
