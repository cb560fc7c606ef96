"""The outbox's Celery tasks: deliver rows on commit, and flush what is still due."""

from celery import shared_task

from alliance.mail import outbox

BATCH = 50


@shared_task(ignore_result=True, acks_late=True)
def deliver_email(email_id: int) -> None:
    """Send one outbox row (published when the transaction that stored it commits)."""
    outbox.deliver([email_id])


@shared_task(ignore_result=True, acks_late=True)
def deliver_emails(email_ids: list[int]) -> None:
    """Send a batch of outbox rows over one connection (published by flush_outbox)."""
    outbox.deliver(email_ids)


@shared_task(ignore_result=True)
def flush_outbox() -> None:
    """Every minute: hand what is due (retries, and mail queued while the broker was down)."""
    ids = outbox.due_ids()
    for start in range(0, len(ids), BATCH):
        deliver_emails.delay(ids[start : start + BATCH])
