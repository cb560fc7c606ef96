"""A member's private link to a network's calendar feed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """One live feed link per person and network (issue #15, section 4).

    The link carries an opaque random token; only its SHA-256 is stored, so the
    database cannot hand links out and the link says nothing about the account. A new
    link replaces the row (the old link stops working), and the row is deleted when
    the person stops being a member or manager of the network
    (`networks/calendar_feeds.py`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed link")
        verbose_name_plural = _("calendar feed links")
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="one_calendar_feed_per_user")
        ]

    def __str__(self):
        return f"{self.user} · {self.network}"
