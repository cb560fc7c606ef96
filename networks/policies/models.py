"""A submitted policy (reviewed into the library) and a city's step on the roadmap."""

import secrets

from django.conf import global_settings, settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cities.gazetteer import fold
from cities.models import Principle
from networks.models.labels import related_label
from networks.models.pioneers import ModelPolicy
from networks.policies.files import policy_storage

TITLE_MAX = 300
SUMMARY_MAX = 2000
NOTE_MAX = 2000

# Roadmap v1.0 groups each model policy under one principle (shared/DOMAIN.md; the
# grouping is the Alliance's roadmap of November 2020).
PRINCIPLE_OF = {
    ModelPolicy.PRIVACY_IMPACT: Principle.Code.TRANSPARENCY,
    ModelPolicy.CYBERSECURITY: Principle.Code.SAFETY,
    ModelPolicy.OPEN_DATA: Principle.Code.INTEROPERABILITY,
    ModelPolicy.DIG_ONCE: Principle.Code.SUSTAINABILITY,
    ModelPolicy.ICT_ACCESSIBILITY: Principle.Code.EQUITY,
}
# Any language a policy may be written in: Django's list (about 100, translated).
POLICY_LANGUAGES = global_settings.LANGUAGES


def _pdf_name(instance, filename: str) -> str:
    # Never the sender's name: 128 random bits, so nothing of it reaches a path or header.
    return f"{secrets.token_hex(16)}.pdf"


class PolicyKind(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    PROCUREMENT = "procurement", _("Procurement rule")
    STANDARD = "standard", _("Standard")
    GUIDANCE = "guidance", _("Guidance")


class PolicyQuerySet(models.QuerySet):
    def in_library(self):
        """Accepted by the secretariat: the only policies shown anywhere public."""
        return self.filter(status=Policy.Status.ACCEPTED)

    def with_model_policy(self, value: str):
        """Relating to model policy `value` (a ModelPolicy value)."""
        return self.filter(model_policies__contains=f",{value},")


class Policy(models.Model):
    """A policy some government or organisation adopted, as submitted to the Alliance.

    submitted → under review → more information requested (the submitter edits and
    resubmits through a signed link: back to submitted) → accepted into the library,
    or declined with a reason. Only accepted policies are public.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under-review", _("Under review")
        MORE_INFO = "more-info", _("More information requested")
        ACCEPTED = "accepted", _("Accepted into the library")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    # The title folded as the directory folds names (cities.gazetteer.fold), for search.
    search_title = models.TextField(editable=False, default="")
    kind = models.CharField(_("kind of policy"), max_length=20, choices=PolicyKind.choices)
    adopter = models.CharField(_("adopted by"), max_length=200)
    country = CountryField(_("country"))
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("city of the directory"),
    )
    principles = models.ManyToManyField(
        Principle, related_name="policies", verbose_name=_("principles"), blank=True
    )
    # ",open-data,dig-once,": each value between commas, so one LIKE finds it on both
    # databases (five values; a join table would cost a query per page for nothing).
    model_policies = models.CharField(_("model policies"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX)
    adopted_on = models.DateField(_("adopted on"))
    policy_language = models.CharField(
        _("language of the policy"), max_length=10, choices=POLICY_LANGUAGES
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    pdf = models.FileField(
        _("PDF"), storage=policy_storage, upload_to=_pdf_name, max_length=100, blank=True
    )
    submitter_name = models.CharField(_("submitter name"), max_length=200)
    submitter_email = models.EmailField(_("submitter email"), max_length=254)
    # The portal language the submitter wrote in: their emails are in it.
    language = models.CharField(_("language"), max_length=10, default="en")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_note = models.TextField(_("question or reason"), max_length=NOTE_MAX, blank=True)
    is_illustrative = models.BooleanField(_("illustrative (demo data)"), default=False)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    resubmitted_at = models.DateTimeField(_("resubmitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = PolicyQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[principles], excluded_fields=["search_title"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        indexes = [
            models.Index(fields=["status", "search_title", "id"], name="policy_status_title_idx"),
            models.Index(fields=["status", "country"], name="policy_status_country_idx"),
            models.Index(fields=["city", "status"], name="policy_city_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_title = fold(self.title)
        if kwargs.get("update_fields") is not None and "title" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_title"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("policies:detail", args=[self.pk])

    @property
    def model_policy_values(self) -> list[str]:
        return [v for v in self.model_policies.split(",") if v]

    def model_policy_labels(self) -> list[str]:
        labels = dict(ModelPolicy.choices)
        return [labels[v] for v in self.model_policy_values if v in labels]


class RoadmapEntryQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=RoadmapEntry.Status.ADOPTED)

    def working(self):
        return self.filter(
            status__in=[RoadmapEntry.Status.PLANNED, RoadmapEntry.Status.IN_PROGRESS]
        )


class RoadmapEntry(models.Model):
    """Where one city stands on one model policy. No row means not started."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", _("Not started")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in-progress", _("In progress")
        ADOPTED = "adopted", _("Adopted")

    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="roadmap", verbose_name=_("city")
    )
    model_policy = models.CharField(_("model policy"), max_length=30, choices=ModelPolicy.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    since = models.DateField(_("since"), null=True, blank=True)
    evidence_url = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    evidence_policy = models.ForeignKey(
        Policy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"status": Policy.Status.ACCEPTED},
        verbose_name=_("evidence (a policy of the library)"),
    )
    is_illustrative = models.BooleanField(_("illustrative (demo data)"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RoadmapEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city", "model_policy"]
        verbose_name = _("roadmap step")
        verbose_name_plural = _("roadmap steps")
        constraints = [
            models.UniqueConstraint(fields=["city", "model_policy"], name="roadmap_city_policy")
        ]
        indexes = [
            # /roadmap/'s counts and lists, and the directory's "has adopted" filter.
            models.Index(
                fields=["model_policy", "status", "city"], name="roadmap_policy_status_idx"
            )
        ]

    def __str__(self) -> str:
        # An old version may point at a city deleted since (networks.models.labels).
        return f"{related_label(self, 'city', 'name')} · {self.get_model_policy_display()}"
