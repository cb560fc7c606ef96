"""Periodic housekeeping of the roof; the mail tasks are in alliance.mail.tasks."""

from celery import shared_task

from alliance.login_failures import login_failures_prune


@shared_task(ignore_result=True)
def prune_login_failures() -> None:
    """Daily: failed sign-ins past their retention period are deleted."""
    login_failures_prune()


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    """Daily: Django's `clearsessions`, so expired sessions (drafts included) do not pile up."""
    from django.core.management import call_command

    call_command("clearsessions")
