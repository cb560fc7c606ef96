from celery import shared_task

from networks.meetings import reminders


@shared_task(ignore_result=True)
def dispatch_reminders() -> None:
    """Every minute (beat): hand due reminders to workers in batches."""
    for batch in reminders.due_batches():
        send_reminder_batch.delay(batch)


@shared_task(ignore_result=True, acks_late=True)
def send_reminder_batch(ids: list[int]) -> None:
    reminders.send_reminders(ids)


@shared_task(ignore_result=True)
def refresh_figures() -> None:
    """Every two minutes (beat): recount the alliance-wide figures if the data changed."""
    from networks.directory import figures

    figures.refresh_alliance()
