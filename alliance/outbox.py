"""Sending what the outbox holds."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.utils import timezone

from alliance import delivery
from alliance.models import OutboundEmail

# Fresh rows are handed to a worker on commit; the flush leaves them that long.
FLUSH_GRACE = datetime.timedelta(seconds=30)


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


def claim(email_ids) -> list[OutboundEmail]:
    return delivery.claim(OutboundEmail.objects.filter(pk__in=list(email_ids)))


def deliver(email_ids) -> dict[str, int]:
    """Send the rows among `email_ids` that are still due; each row once."""
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
