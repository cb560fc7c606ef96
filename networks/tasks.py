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


@shared_task(ignore_result=True, acks_late=False)
def import_preview(job_id: int) -> None:
    """Read an uploaded spreadsheet and store its preview (networks.imports.run).

    Not acknowledged late: a worker lost mid-file leaves the job to be uploaded again
    rather than re-run by another worker behind the secretariat's back."""
    from networks.imports import run

    run.preview(job_id)


@shared_task(ignore_result=True, acks_late=False)
def import_execute(job_id: int) -> None:
    """Import a confirmed spreadsheet in one transaction (networks.imports.run)."""
    from networks.imports import run

    run.execute(job_id)


@shared_task(ignore_result=True)
def end_stalled_imports() -> None:
    """Every minute (beat): fail the imports whose worker died (networks.imports.watch)."""
    from networks.imports import watch

    watch.fail_stalled()
