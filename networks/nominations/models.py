"""A meeting opened for nominations, and the nominations it receives.

Why a call beside Meeting rather than a new kind of event: the Alliance's workshops
and events are held by a network (the global alliance for the secretariat's own), and
a Meeting already has what an invited nominee needs: a calendar file with a stable UID,
rescheduling and cancelling, and the reminder ledger. What is new is public: the call's
summary and deadline, while a meeting's agenda, place and link stay members-only. A
one-to-one `NominationCall` holds exactly that, without widening Meeting.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cities.validators import validate_time_zone
from networks.meetings.models import Meeting
from networks.models.labels import related_label

WHY_MAX = 1500
SUMMARY_MAX = 2000


class NominationCallQuerySet(models.QuerySet):
    def open(self, now=None):
        """Calls whose deadline has not passed, for a meeting still scheduled and ahead."""
        now = now or timezone.now()
        return self.filter(
            deadline__gt=now,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__network__is_active=True,
        )


class NominationCall(models.Model):
    """A meeting is open for nominations until `deadline`."""

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.CASCADE,
        related_name="nomination_call",
        verbose_name=_("meeting"),
    )
    summary = models.TextField(
        _("public summary"),
        max_length=SUMMARY_MAX,
        help_text=_("Shown on the public events page: who the event is for and what it covers."),
    )
    deadline = models.DateTimeField(_("nominations close"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NominationCallQuerySet.as_manager()
    # Its history is registered in NetworksConfig.ready(), once modeltranslation has
    # added the summary in each language, so that the history keeps every one of them.

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("call for nominations")
        verbose_name_plural = _("calls for nominations")

    def __str__(self) -> str:
        return related_label(self, "meeting")


class NominationQuerySet(models.QuerySet):
    def invited(self):
        """(email, language) of the invited nominees, who are told of changes."""
        return self.filter(status=Nomination.Status.INVITED).values_list(
            "nominee_email", "language"
        )


class Nomination(models.Model):
    """Someone put forward (by themselves or a colleague) for a meeting's call."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        WITHDRAWN = "withdrawn", _("Declined by the nominee")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INVITED = "invited", _("Invited")
        DECLINED = "declined", _("Not selected")

    call = models.ForeignKey(
        NominationCall,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("call for nominations"),
    )
    nominee_name = models.CharField(_("nominee’s name"), max_length=200)
    nominee_email = models.EmailField(_("nominee’s email"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    country = CountryField(_("country"))
    languages = models.CharField(_("languages spoken"), max_length=200)
    why = models.TextField(_("why this person"), max_length=WHY_MAX)
    is_self = models.BooleanField(_("nominated themselves"), default=True)
    nominator_name = models.CharField(_("nominator’s name"), max_length=200, blank=True)
    nominator_email = models.EmailField(_("nominator’s email"), max_length=254, blank=True)
    nominator_organisation = models.CharField(
        _("nominator’s organisation"), max_length=200, blank=True
    )
    # The nominee's language and zone: their emails and reminders use them.
    language = models.CharField(_("language"), max_length=10, default="en")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOMINATED
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = NominationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_self=True)
                | (~models.Q(nominator_name="") & ~models.Q(nominator_email="")),
                name="nomination_names_its_nominator",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"], name="nomination_call_status_idx")]

    def __str__(self) -> str:
        return f"{self.nominee_name} – {related_label(self, 'call')}"

    @property
    def meeting(self) -> Meeting:
        return self.call.meeting
