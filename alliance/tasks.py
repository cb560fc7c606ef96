from celery import shared_task

from alliance import outbox
from alliance.login_failures import login_failures_prune

BATCH = 50


@shared_task(ignore_result=True, acks_late=True)
def deliver_email(email_id: int) -> None:
    outbox.deliver([email_id])


@shared_task(ignore_result=True, acks_late=True)
def deliver_emails(email_ids: list[int]) -> None:
    outbox.deliver(email_ids)


@shared_task(ignore_result=True)
def flush_outbox() -> None:
    """Every minute: hand what is due (retries, and mail queued while the broker was down)."""
    ids = outbox.due_ids()
    for start in range(0, len(ids), BATCH):
        deliver_emails.delay(ids[start : start + BATCH])


@shared_task(ignore_result=True)
def prune_login_failures() -> None:
    """Daily: failed sign-ins past their retention period are deleted."""
    login_failures_prune()


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    """Daily: Django's `clearsessions`, so expired sessions (drafts included) do not pile up."""
    from django.core.management import call_command

    call_command("clearsessions")
