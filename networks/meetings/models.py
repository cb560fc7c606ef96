import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.models import DeliveryState
from networks.models.structure import Membership, Network

FEED_PAST_DAYS = 365  # a network's calendar feed: the last twelve months, and the future
DEFAULT_RULES = [7 * 24 * 60, 24 * 60]  # minutes before the start: 7 days and 1 day


class MeetingQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=self.model.Status.SCHEDULED)

    def upcoming(self, now=None):
        from django.utils import timezone

        return self.scheduled().filter(starts_at__gt=now or timezone.now())

    def for_feed(self, now=None):
        """What a network's calendar feed carries: the past FEED_PAST_DAYS and every
        future meeting, cancelled ones included (so calendars strike them out).

        Years of past meetings would make every calendar app's poll cost more and more;
        a calendar keeps the events it already has when they leave the feed.
        """
        import datetime

        from django.utils import timezone

        since = (now or timezone.now()) - datetime.timedelta(days=FEED_PAST_DAYS)
        return self.filter(starts_at__gte=since).order_by("starts_at", "id")

    def visible_to(self, user):
        """Meetings of the networks the user's city is an active member of, and of the
        networks the user manages (every network for the secretariat)."""
        from alliance.roles import sees_all_networks

        if not user.is_authenticated:
            return self.none()
        if sees_all_networks(user):
            return self
        member_of = Network.objects.filter(
            memberships__city__officials__user=user, memberships__status=Membership.Status.ACTIVE
        )
        return self.filter(
            models.Q(network__in=member_of) | models.Q(network__in=Network.objects.managed_by(user))
        )


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("network")
    )
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True, max_length=5000)
    starts_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=90,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # A stable UID and a growing SEQUENCE let calendars update a rescheduled meeting.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(online_url=""),
                name="meeting_has_place_or_link",
                violation_error_message=_("Give a place, an online link, or both."),
            ),
        ]
        indexes = [models.Index(fields=["network", "starts_at"], name="meeting_network_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class ReminderRule(models.Model):
    """Remind this long before a meeting: a network's default, or one meeting's own."""

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_rules",
        verbose_name=_("network"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_rules",
        verbose_name=_("meeting"),
    )
    minutes_before = models.PositiveIntegerField(
        _("minutes before the start"),
        validators=[MinValueValidator(5), MaxValueValidator(60 * 24 * 90)],
        help_text=_("10080 is 7 days, 1440 is 1 day."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-minutes_before"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(network__isnull=True) ^ models.Q(meeting__isnull=True),
                name="reminder_rule_for_network_or_meeting",
            ),
            models.UniqueConstraint(
                fields=["network", "minutes_before"], name="one_rule_per_network_offset"
            ),
            models.UniqueConstraint(
                fields=["meeting", "minutes_before"], name="one_rule_per_meeting_offset"
            ),
        ]

    def __str__(self) -> str:
        return describe_offset(self.minutes_before)

    @property
    def offset(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.minutes_before)


def describe_offset(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d d") % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if minutes:
        parts.append(_("%(n)d min") % {"n": minutes})
    return " ".join(str(p) for p in parts) + " " + str(_("before"))


class ReminderQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(
            status=self.model.Status.PENDING, due_at__lte=now, next_attempt_at__lte=now
        )


class Reminder(DeliveryState):
    """The ledger: one row per meeting, recipient, rule and the start it refers to."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        MISSED = "missed", _("Missed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("meeting")
    )
    # Exactly one of the two: an official's account, or an invited nominee (who has none).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_reminders",
        verbose_name=_("recipient"),
    )
    nomination = models.ForeignKey(
        "networks.Nomination",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("invited nominee"),
    )
    rule = models.ForeignKey(
        ReminderRule, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("rule")
    )
    meeting_starts_at = models.DateTimeField(_("meeting start it refers to"))
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()
    delivery_header = "X-Alliance-Reminder-Id"  # alliance.mail.delivery stamps it

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "recipient", "rule", "meeting_starts_at"],
                name="one_reminder_per_recipient_rule_and_start",
            ),
            models.UniqueConstraint(
                fields=["meeting", "nomination", "rule", "meeting_starts_at"],
                name="one_reminder_per_nominee_rule_and_start",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=True) ^ models.Q(nomination__isnull=True),
                name="reminder_for_official_or_nominee",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_due_idx")]

    def __str__(self) -> str:
        who = self.recipient if self.recipient_id else self.nomination
        return f"{self.meeting} → {who} ({self.rule})"


class RsvpQuerySet(models.QuerySet):
    def answer_counts(self) -> dict[str, int]:
        """{answer: cities that gave it}, answers nobody gave left out: one grouped query."""
        return dict(self.order_by().values_list("answer").annotate(n=models.Count("id")))


class Rsvp(models.Model):
    """A city's answer to a meeting invitation, given by one of its officials."""

    class Answer(models.TextChoices):
        ATTENDING = "attending", _("Attending")
        NOT_ATTENDING = "not-attending", _("Not attending")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("meeting")
    )
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("city")
    )
    answer = models.CharField(_("answer"), max_length=15, choices=Answer.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    objects = RsvpQuerySet.as_manager()

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "city"], name="one_rsvp_per_city"),
        ]

    def __str__(self) -> str:
        return f"{self.city}: {self.get_answer_display()}"
