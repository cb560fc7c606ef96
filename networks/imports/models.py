"""An uploaded spreadsheet and what became of it (networks.imports)."""

import zlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file, its preview, and its import.

    States: previewing (the preview task reads the file) -> ready (counts, samples and
    refusals stored; waits for the secretariat's confirmation) or unreadable (the file
    as a whole was refused: `error` says why) -> importing -> done, failed (a row was
    refused at import time, nothing written) or cancelled (nothing written). No history
    (issue #19): the job itself is the record, and what it wrote has its own.
    """

    class Kind(models.TextChoices):
        CITIES = "cities", _("Cities")
        MEMBERSHIPS = "memberships", _("Memberships")

    class State(models.TextChoices):
        PREVIEWING = "previewing", _("Reading the file")
        READY = "ready", _("Preview ready")
        UNREADABLE = "unreadable", _("File refused")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING = (State.PREVIEWING, State.IMPORTING)

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PREVIEWING
    )
    valid_only = models.BooleanField(_("import the valid rows only"), default=False)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    error = models.TextField(_("why the file was refused"), blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    # The first rows of each kind: {"new": [...], "changed": [...], "unchanged": [...],
    # "refused": [[row, reason], ...]}.
    samples = models.JSONField(_("first rows"), default=dict, blank=True)
    # Every refusal as "row,reason" CSV lines, zlib-compressed: a file of 200,000 bad
    # rows stays a few hundred kilobytes.
    refusals_z = models.BinaryField(default=b"", blank=True)
    # The networks a host's import may touch (a membership row of any other is
    # refused); empty for the secretariat's, which may touch every network.
    networks = models.ManyToManyField(
        "networks.Network", blank=True, related_name="+", verbose_name=_("networks")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Stamped while a task works on the job, and when it is queued (networks.imports.watch):
    # a running job without a recent one has lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING

    def refusals_csv(self) -> str:
        """Every refusal as CSV text, header "row,reason" first."""
        body = zlib.decompress(bytes(self.refusals_z)).decode() if self.refusals_z else ""
        return "row,reason\r\n" + body
