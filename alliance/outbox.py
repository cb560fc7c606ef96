"""Sending what the outbox holds: claim a row, send it, stamp the result."""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.utils import timezone

from alliance.models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A row left "sending" this long belongs to a worker that died mid-send.
STALE_CLAIM = datetime.timedelta(minutes=10)
# Fresh rows are handed to a worker on commit; the flush leaves them that long.
FLUSH_GRACE = datetime.timedelta(seconds=30)


class PermanentFailure(Exception):
    pass


def classify(exc: Exception) -> type[Exception]:
    """PermanentFailure for what retrying cannot fix (a refused address), else the error."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return PermanentFailure if codes and all(500 <= c < 600 for c in codes) else type(exc)
    if isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600:
        return PermanentFailure
    return type(exc)


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(60 * 2 ** (attempts - 1), 3600))


def claim(email_ids) -> list[OutboundEmail]:
    """Take the due rows among `email_ids` for this worker; others are skipped."""
    now = timezone.now()
    claimed = []
    for email_id in email_ids:
        # A conditional update is the lock: of two workers, only one sees rowcount 1.
        won = OutboundEmail.objects.filter(
            pk=email_id, status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now
        ).update(status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        if won:
            claimed.append(OutboundEmail.objects.get(pk=email_id))
    return claimed


def as_message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.to],
        headers={"X-Alliance-Email-Id": str(email.pk)},
        reply_to=[settings.SECRETARIAT_EMAIL],
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def deliver(email_ids) -> dict[str, int]:
    """Send the claimed rows over one SMTP connection; stamp each row's own result."""
    emails = claim(email_ids)
    result = {"sent": 0, "retry": 0, "failed": 0}
    if not emails:
        return result
    connection = get_connection()
    try:
        connection.open()
    except OSError as exc:
        for email in emails:
            result[_record_failure(email, exc)] += 1
        return result
    try:
        for index, email in enumerate(emails):
            try:
                connection.send_messages([as_message(email)])
            except OSError as exc:  # smtplib's errors are OSErrors too
                if isinstance(exc, smtplib.SMTPException) and not isinstance(
                    exc, smtplib.SMTPServerDisconnected
                ):
                    result[_record_failure(email, exc)] += 1
                    continue
                # The connection is gone: this and the rest of the batch try again later.
                for left in emails[index:]:
                    result[_record_failure(left, exc)] += 1
                break
            OutboundEmail.objects.filter(pk=email.pk).update(
                status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            result["sent"] += 1
    finally:
        connection.close()
    return result


def _record_failure(email: OutboundEmail, exc: Exception) -> str:
    permanent = classify(exc) is PermanentFailure
    exhausted = email.attempts >= MAX_ATTEMPTS
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if permanent or exhausted:
        logger.error("email %s failed for good: %s", email.pk, error)
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED, last_error=error
        )
        return "failed"
    logger.warning("email %s will be retried: %s", email.pk, error)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.PENDING,
        last_error=error,
        next_attempt_at=timezone.now() + backoff(email.attempts),
    )
    return "retry"


def due_ids(limit: int = 500) -> list[int]:
    """Release stale claims, then list rows that are due and not just queued."""
    now = timezone.now()
    OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=OutboundEmail.Status.PENDING)
    due = OutboundEmail.objects.filter(
        Q(attempts__gt=0) | Q(created_at__lt=now - FLUSH_GRACE),
        status=OutboundEmail.Status.PENDING,
        next_attempt_at__lte=now,
    )
    return list(due.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
