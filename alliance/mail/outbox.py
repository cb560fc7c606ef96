"""The outbox: an email is stored with whatever caused it, then a worker sends it.

Account emails, application decisions, meeting changes and invitations are rendered
(alliance.mail.compose) and stored as OutboundEmail rows in the transaction that caused
them, so a broker or mail-server outage never loses a message nor fails the request.
Once the transaction commits, a task (alliance.mail.tasks) hands the row to the
delivery loop (alliance.mail.delivery); a periodic flush hands out whatever is still
due (retries, and rows queued while the broker was down).
"""

import datetime
import logging
import time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alliance.mail import compose, delivery
from alliance.models import OutboundEmail

logger = logging.getLogger(__name__)

# Fresh rows are handed to a worker on commit; the flush leaves them that long.
FLUSH_GRACE = datetime.timedelta(seconds=30)
# After a failed publish, wait this long before trying the broker again: a request that
# queues a hundred emails must not wait a second for each while the broker is down.
BROKER_BACKOFF_SECONDS = 30
_broker_down_until = 0.0


def queue_email(
    *,
    template: str,
    to: str,
    context: dict,
    language: str | None = None,
    time_zone: str | None = None,
    calendar: bytes | str = "",
) -> OutboundEmail:
    """Render the email `template` for `to` and store it; it is sent after the commit.

    `language`, `time_zone`: the recipient's (see compose.render). `calendar`: a
    meeting's iCalendar file (networks.meetings.calendar.meeting_ics), attached as
    meeting.ics.
    """
    rendered = compose.render(template, context, language=language, time_zone=time_zone)
    return queue_rendered(template=template, to=to, rendered=rendered, calendar=calendar)


def queue_rendered(
    *, template: str, to: str, rendered: compose.Rendered, calendar: bytes | str = ""
) -> OutboundEmail:
    """Store an email rendered by compose.render() (shared by the recipients who read
    the same words); it is handed to a worker once the current transaction commits.

    `calendar`: an iCalendar file (bytes in UTF-8, or text) attached as meeting.ics.
    """
    if isinstance(calendar, bytes):
        calendar = calendar.decode()
    email = OutboundEmail.objects.create(
        template=template,
        to=to,
        subject=compose.one_line(rendered.subject),
        body_text=rendered.text,
        body_html=rendered.html,
        calendar=calendar,
    )
    transaction.on_commit(lambda: enqueue_delivery(email.pk))
    return email


def broker_down() -> bool:
    """Whether a publish failed less than BROKER_BACKOFF_SECONDS ago: other work a
    request queues (e.g. alliance.api's downloads) skips the broker too."""
    return time.monotonic() < _broker_down_until


def note_broker_down() -> None:
    """A publish failed: nothing is published for BROKER_BACKOFF_SECONDS."""
    global _broker_down_until
    _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS


def enqueue_delivery(email_id: int) -> None:
    """Publish the delivery task of one row; with the broker down, leave it to the flush."""
    from alliance.mail.tasks import deliver_email

    if broker_down():
        return  # the row stays pending; the periodic flush sends it
    try:
        # retry=False and the broker's short timeouts keep a request fast when the
        # broker is down; the row stays pending and the periodic flush sends it later.
        deliver_email.apply_async((email_id,), retry=False)
    except Exception:
        note_broker_down()
        logger.warning("broker unavailable; email %s waits in the outbox", email_id, exc_info=True)


def as_message(email: OutboundEmail):
    """The stored email as Django's EmailMultiAlternatives (compose.message)."""
    rendered = compose.Rendered(subject=email.subject, text=email.body_text, html=email.body_html)
    attachments = (
        [(compose.CALENDAR_NAME, email.calendar, compose.CALENDAR_TYPE)] if email.calendar else []
    )
    return compose.message(to=email.to, rendered=rendered, attachments=attachments)


def claim(email_ids) -> list[OutboundEmail]:
    """Claim the due rows among `email_ids` for this worker (delivery.claim)."""
    return delivery.claim(OutboundEmail.objects.filter(pk__in=list(email_ids)))


def deliver(email_ids) -> dict[str, int]:
    """Send the rows among `email_ids` that are still due, each once (delivery.send's
    counts: sent, retry, failed, and lost when another worker took rows over)."""
    return delivery.send(claim(email_ids), as_message)


def due_ids(limit: int = 500) -> list[int]:
    """Release claims whose lease ran out, then list rows due and not just queued."""
    delivery.release_stale(OutboundEmail)
    now = timezone.now()
    due = OutboundEmail.objects.filter(
        Q(attempts__gt=0) | Q(created_at__lt=now - FLUSH_GRACE),
        status=OutboundEmail.Status.PENDING,
        next_attempt_at__lte=now,
    )
    return list(due.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
