"""The two passes of an import: the preview, then (once confirmed) the import itself.

Both read the stored file a row at a time (networks.imports.reading) and check it a
BATCH of rows at a time with the kind's module (cities.py, memberships.py), so a file of
any size holds one batch, the counts, the first rows of each kind and the refusals
(zlib-compressed CSV) in memory. The import runs in one transaction (ledger.one_sync):
all or nothing, unless the secretariat chose to import the valid rows. A refused row
(at import time: the data may have changed since the preview) or a cancel rolls it
back. Progress goes to the cache, and to the job's row from the heartbeat's own
connection (networks.imports.watch: the import's transaction must not lock the row,
which the cancel button writes, and its own changes could not be seen before the
commit), so the page shows it with or without a shared cache (`progress()`).
"""

import csv
import io
import logging
import zlib

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.acting import acting
from alliance.language import email_language
from alliance.spreadsheets import SpreadsheetError
from networks.facts.ledger import one_sync
from networks.imports import cities, memberships, reading
from networks.imports.watch import Heartbeat
from networks.models import ImportJob

BATCH = 2000  # rows checked (and written) at a time
logger = logging.getLogger(__name__)
SAMPLES = 10  # first rows kept of each kind
SHOWN_REFUSALS = 50  # refusals kept for the page; the CSV has them all
KINDS = {ImportJob.Kind.CITIES: cities, ImportJob.Kind.MEMBERSHIPS: memberships}
State = ImportJob.State


class _Stop(Exception):
    """The import is rolled back: cancelled, a row was refused, or the job was ended
    meanwhile (watch.fail_stalled; args[0] is then None: the job is left as it is)."""


class Tally:
    """Counts, first rows of each kind and every refusal (compressed) of one pass."""

    def __init__(self):
        self.counts = dict.fromkeys(("new", "changed", "unchanged", "refused"), 0)
        self.samples = {"new": [], "changed": [], "unchanged": [], "refused": []}
        self._z = zlib.compressobj(6)
        self._chunks: list[bytes] = []
        self.rows = 0

    def add(self, checked) -> None:
        for kind in ("new", "changed", "unchanged"):
            rows = getattr(checked, kind)
            self.counts[kind] += len(rows)
            room = SAMPLES - len(self.samples[kind])
            self.samples[kind] += [
                {"row": r.number, "values": r.values, "changes": r.changes} for r in rows[:room]
            ]
        refused = sorted(checked.refused)
        self.counts["refused"] += len({n for n, _r in refused})
        room = SHOWN_REFUSALS - len(self.samples["refused"])
        self.samples["refused"] += [list(r) for r in refused[: max(room, 0)]]
        if refused:
            out = io.StringIO()
            csv.writer(out).writerows(refused)
            self._chunks.append(self._z.compress(out.getvalue().encode()))

    def store(self, job: ImportJob) -> None:
        job.rows = self.rows
        job.new, job.changed = self.counts["new"], self.counts["changed"]
        job.unchanged, job.refused = self.counts["unchanged"], self.counts["refused"]
        job.samples = self.samples
        job.refusals_z = (
            b"".join([*self._chunks, self._z.flush()]) if self.counts["refused"] else b""
        )


def progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def progress(job: ImportJob) -> dict:
    """{"done": rows, "total": rows or None, "rate": rows/s or None, "left": seconds or
    None} of a job, from the cache while it runs (the job's row otherwise)."""
    done = max((cache.get(progress_key(job.pk)) or {}).get("done", 0), job.rows_done)
    total = job.rows if job.state == State.IMPORTING else None
    rate = left = None
    if job.started_at and done:
        seconds = max((timezone.now() - job.started_at).total_seconds(), 0.001)
        rate = done / seconds
        if total:
            left = max(total - done, 0) / rate
    return {"done": done, "total": total, "rate": rate, "left": left}


def _walk(job: ImportJob, context, module, heart, *, write: bool) -> Tally:
    tally = Tally()
    batch: list = []
    with job.file.open("rb") as binary:
        for item in reading.rows(binary, module.COLUMNS, module.REQUIRED):
            batch.append(item)
            if len(batch) == BATCH:
                _batch(job, context, module, batch, tally, write, heart)
                batch = []
        if batch:
            _batch(job, context, module, batch, tally, write, heart)
    return tally


def _batch(job, context, module, batch, tally, write, heart) -> None:
    checked = module.check(batch, context)
    tally.add(checked)
    tally.rows += len(batch)
    if write and (job.valid_only or not tally.counts["refused"]):
        job.written += module.write(checked, context)
    elif write and not job.valid_only:
        write = False  # nothing more is written: the whole import rolls back
    cache.set(progress_key(job.pk), {"done": tally.rows}, 24 * 3600)
    heart.beat(tally.rows)
    stored = ImportJob.objects.filter(pk=job.pk).values("state", "cancel_requested").first()
    if stored is None or stored["state"] != job.state:
        raise _Stop(None)  # ended meanwhile (no worker seen for too long): leave it so
    if stored["cancel_requested"]:
        raise _Stop(State.CANCELLED)


def _language(job) -> str:
    return email_language(job.created_by)


def preview(job_id: int) -> None:
    """Read the whole file and store what importing it would do (the job is READY), or
    why it cannot be read (UNREADABLE). Writes nothing but the job."""
    job = ImportJob.objects.filter(pk=job_id, state=State.PREVIEWING).first()
    if job is None:
        return
    job.started_at = timezone.now()
    job.save(update_fields=["started_at"])
    module = KINDS[job.kind]
    with translation.override(_language(job)):
        try:
            with Heartbeat(job.pk) as heart:
                tally = _walk(job, module.Context(job), module, heart, write=False)
        except (SpreadsheetError, OSError) as error:
            _end(job, State.UNREADABLE, error=_reason(error))
            return
        except _Stop as stop:
            if stop.args[0] is not None:
                _end(job, stop.args[0])
            return
    tally.store(job)
    _end(job, State.READY)


def execute(job_id: int) -> None:
    """Import a confirmed job (state IMPORTING) in one transaction; DONE, FAILED (a row
    refused and the valid rows not chosen, or the file unreadable: nothing written) or
    CANCELLED (nothing written)."""
    job = ImportJob.objects.filter(pk=job_id, state=State.IMPORTING).first()
    if job is None:
        return
    job.started_at, job.written = timezone.now(), 0
    job.save(update_fields=["started_at", "written"])
    module = KINDS[job.kind]
    tally = None
    with translation.override(_language(job)):
        try:
            with (
                Heartbeat(job.pk) as heart,
                one_sync(),
                acting(by=job.created_by, note=_("Imported from a spreadsheet")),
            ):
                context = module.Context(job)
                tally = _walk(job, context, module, heart, write=True)
                if tally.counts["refused"] and not job.valid_only:
                    raise _Stop(State.FAILED)
                module.finish(context)
        except (SpreadsheetError, OSError) as error:
            _end(job, State.FAILED, error=_reason(error), written=0)
            return
        except IntegrityError:
            # Another import or an edit wrote the same rows between this import's
            # checks and its writes (e.g. two overlapping files): rolled back, and
            # said so, rather than left "importing" until the watch ends it.
            logger.warning("Import job %s rolled back on a conflicting write", job.pk)
            conflict = _(
                "Another change wrote some of these rows while the import ran, so "
                "nothing was imported. Upload the file again: its preview will show "
                "what is still new."
            )
            _end(job, State.FAILED, error=conflict, written=0)
            return
        except _Stop as stop:
            if stop.args[0] is None:
                return
            if tally is not None:
                tally.store(job)
            _end(job, stop.args[0], written=0)
            return
    tally.store(job)
    _end(job, State.DONE)


def _reason(error: Exception) -> str:
    if isinstance(error, SpreadsheetError):
        return str(error)
    # The stored upload is gone or unreadable (storage cleaned, disk error).
    return _("The uploaded file can no longer be read: upload it again.")


def _end(job: ImportJob, state, *, error: str = "", written=None) -> None:
    job.state, job.error, job.finished_at = state, error, timezone.now()
    # The heartbeat's count (its own connection) when the cache is not shared.
    stored = ImportJob.objects.filter(pk=job.pk).values_list("rows_done", flat=True).first()
    job.rows_done = max((cache.get(progress_key(job.pk)) or {}).get("done", 0), stored or 0)
    if written is not None:
        job.written = written
    fields = [
        "state",
        "error",
        "finished_at",
        "rows_done",
        "written",
        "rows",
        "new",
        "changed",
        "unchanged",
        "refused",
        "samples",
        "refusals_z",
    ]
    with transaction.atomic():
        job.save(update_fields=fields)


def confirm(job: ImportJob, *, valid_only: bool) -> str | None:
    """Queue the import of a READY job; why not, or None. The task starts on commit."""
    from networks.tasks import import_execute

    if job.state != State.READY:
        return _("This import is not waiting for a confirmation.")
    if job.refused and not valid_only:
        return _(
            "Some rows are refused: correct the file and upload it again, or choose "
            "“import the valid rows”."
        )
    if not (job.new or job.changed):
        return _("Nothing to import: every row is unchanged or refused.")
    updated = ImportJob.objects.filter(pk=job.pk, state=State.READY).update(
        state=State.IMPORTING,
        valid_only=valid_only,
        cancel_requested=False,
        # Not started until a worker takes it: the wait is held to watch.UNTAKEN, not
        # to the running job's watch.STALE (a queue behind other work is not a death).
        started_at=None,
        heartbeat_at=timezone.now(),
    )
    if updated:
        cache.delete(progress_key(job.pk))
        transaction.on_commit(lambda: import_execute.delay(job.pk))
    return None


def cancel(job: ImportJob) -> str | None:
    """Ask a running job to stop ("stopping"); a job that waits for its confirmation is
    cancelled now ("cancelled"); a job that has ended is left as it is (None)."""
    if ImportJob.objects.filter(pk=job.pk, state__in=ImportJob.RUNNING).update(
        cancel_requested=True
    ):
        return "stopping"
    if ImportJob.objects.filter(pk=job.pk, state=State.READY).update(
        state=State.CANCELLED, finished_at=timezone.now()
    ):
        return "cancelled"
    return None
