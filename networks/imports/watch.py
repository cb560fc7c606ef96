"""A running job's heartbeat, and what becomes of a job whose worker died (issue #19).

An import runs in one transaction, so nothing it writes to its job's row can be seen
before it ends, and its worker may die on the way (killed by a time limit, the machine
restarted, out of memory): the job would then say "importing" for ever. So while a task
reads or imports a file, `Heartbeat` stamps the job's heartbeat_at (and rows_done, the
progress the page shows without a shared cache) every BEAT_SECONDS from a thread of its
own, whose database connection commits at once. `fail_stalled()` (a beat task every
minute, and the job's page) ends every running job whose heartbeat is older than
STALE: failed, nothing written (the dead transaction rolled back), with a message that
says to run it again. On SQLite (development: one writer at a time) the stamps are
written by the task itself between batches.
"""

import datetime
import threading
import time

from django.db import connection
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.language import email_language
from networks.imports.models import ImportJob

BEAT_SECONDS = 5
# Longer than any pause between two beats (a slow statement is bounded by the worker's
# WORKER_STATEMENT_TIMEOUT_SECONDS, 60 s by default) and than a confirmed job's wait
# for a free worker; a job without a beat for this long has no live worker.
STALE = datetime.timedelta(minutes=10)
# A job no worker has taken yet (queued behind others, or the workers are down for a
# deploy) is given a day: past that, the secretariat is told to upload it again.
UNTAKEN = datetime.timedelta(days=1)


class Heartbeat:
    """`with Heartbeat(job_id) as heart:` ... `heart.beat(rows_done)` after each batch.

    Stamps the job once on entry (in the caller's connection: call it outside the
    import's transaction), then every BEAT_SECONDS until the block ends. A job no longer
    running (cancelled, or failed by fail_stalled) is not stamped again."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.done = 0
        self._last = 0.0
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        self._write()
        if connection.vendor == "postgresql":
            self._thread = threading.Thread(target=self._run, name="import-heartbeat", daemon=True)
            self._thread.start()
        return self

    def beat(self, done: int) -> None:
        """The task has read `done` rows so far."""
        self.done = done
        if self._thread is None and time.monotonic() - self._last >= BEAT_SECONDS:
            self._write()

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return False

    def _run(self) -> None:
        try:
            while not self._stop.wait(BEAT_SECONDS):
                self._write()
        finally:
            connection.close()  # this thread's own connection

    def _write(self) -> None:
        self._last = time.monotonic()
        ImportJob.objects.filter(pk=self.job_id, state__in=ImportJob.RUNNING).update(
            heartbeat_at=timezone.now(), rows_done=self.done
        )


def fail_stalled(jobs=None) -> int:
    """End the running jobs of `jobs` (a queryset; default every job) whose worker is
    silent for STALE, or that no worker took within UNTAKEN of being queued: an import
    as failed, a preview as a file to upload again, each with why in its uploader's
    language. Returns how many it ended."""
    now = timezone.now()
    jobs = ImportJob.objects.all() if jobs is None else jobs
    ended = 0
    silent = Q(started_at__isnull=False, heartbeat_at__lt=now - STALE) | Q(
        started_at__isnull=True, heartbeat_at__lt=now - UNTAKEN
    )
    stalled = jobs.filter(silent, state__in=ImportJob.RUNNING)
    for job in stalled.select_related("created_by"):
        with translation.override(email_language(job.created_by)):
            if job.started_at is None:
                state = (
                    ImportJob.State.FAILED
                    if job.state == ImportJob.State.IMPORTING
                    else ImportJob.State.UNREADABLE
                )
                error = _(
                    "No worker took this job for a day, so nothing was done. Upload the "
                    "file again; if it waits again, ask whoever runs the portal to check "
                    "its background workers."
                )
            elif job.state == ImportJob.State.IMPORTING:
                state = ImportJob.State.FAILED
                error = _(
                    "The import stopped without finishing (its worker ended) and nothing "
                    "was imported. Upload the file again to import it."
                )
            else:
                state = ImportJob.State.UNREADABLE
                error = _(
                    "Reading the file stopped without finishing (its worker ended). "
                    "Upload it again."
                )
        ended += ImportJob.objects.filter(
            silent, pk=job.pk, state=job.state, heartbeat_at=job.heartbeat_at
        ).update(state=state, error=error, finished_at=now, written=0)
    return ended
