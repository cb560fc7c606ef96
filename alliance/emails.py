"""One way to send email: render the three templates, store the message, queue it.

Templates live in templates/emails/<name>-subject.txt, <name>-body.txt and
<name>-body.html (the HTML one extends emails/base.html).
"""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from alliance.models import OutboundEmail

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict, language: str | None = None) -> dict:
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}-subject.txt", context)
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    # A subject is one line: newlines there would be a header injection.
    subject = " ".join(subject.split())
    return {"subject": subject[:300], "body_text": text, "body_html": html}


def queue_email(
    *, template: str, to: str, context: dict, language: str | None = None
) -> OutboundEmail:
    """Store the message now and send it once the current transaction commits."""
    rendered = render_email(template, context, language)
    return queue_message(
        template=template,
        to=to,
        subject=rendered["subject"],
        text=rendered["body_text"],
        html=rendered["body_html"],
    )


def queue_message(*, template: str, to: str, subject: str, text: str, html: str = ""):
    """Store a rendered message now and send it once the current transaction commits."""
    email = OutboundEmail.objects.create(
        template=template,
        to=to,
        subject=" ".join(subject.split())[:300],
        body_text=text,
        body_html=html,
    )
    transaction.on_commit(lambda: enqueue_delivery(email.pk))
    return email


# After a failed publish, wait this long before trying the broker again: a request that
# queues a hundred emails must not wait a second for each while the broker is down.
BROKER_BACKOFF_SECONDS = 30
_broker_down_until = 0.0


def broker_down() -> bool:
    """Whether a publish failed less than BROKER_BACKOFF_SECONDS ago: other work a
    request queues (e.g. alliance.api's downloads) skips the broker too."""
    return time.monotonic() < _broker_down_until


def note_broker_down() -> None:
    """A publish failed: nothing is published for BROKER_BACKOFF_SECONDS."""
    global _broker_down_until
    _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS


def enqueue_delivery(email_id: int) -> None:
    global _broker_down_until
    from alliance.tasks import deliver_email

    if time.monotonic() < _broker_down_until:
        return  # the row stays pending; the periodic flush sends it
    try:
        # retry=False and the broker's short timeouts keep a request fast when the
        # broker is down; the row stays pending and the periodic flush sends it later.
        deliver_email.apply_async((email_id,), retry=False)
    except Exception:
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("broker unavailable; email %s waits in the outbox", email_id, exc_info=True)
