"""The directory's audit trail: who exported which part of it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DirectoryExport(models.Model):
    """Who exported which part of the directory, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="directory_exports",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("exported"), default=timezone.now)
    filters = models.JSONField(_("filters"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("directory export")
        verbose_name_plural = _("directory exports")

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"
