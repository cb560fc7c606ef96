from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cities.models import City, Principle, search_text
from cities.regions import Region
from cities.validators import validate_time_zone
from networks.models.labels import related_label
from networks.models.structure import Network

MOTIVATION_MAX = 2000


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=self.model.OPEN)

    def of(self, user):
        return self.filter(applicant=user)


class Application(models.Model):
    """A city's request to join a network, made by one of its officials."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under-review", _("Under review")
        MORE_INFO = "more-info", _("More information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    OPEN = [Status.SUBMITTED, Status.UNDER_REVIEW, Status.MORE_INFO]

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant account"),
    )
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="applications", verbose_name=_("network")
    )
    # Either a city already in the directory, or the description of a new one.
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("city"),
    )
    city_name = models.CharField(_("city name"), max_length=200, blank=True)
    # city_name folded as City.search_name is, so the admin finds "Łódź" by "lodz"
    # before the city is in the directory (set by save()).
    city_search_name = models.TextField(editable=False, default="")
    city_country = CountryField(_("country"), blank=True)
    city_region = models.CharField(
        _("world region"), max_length=20, choices=Region.choices, blank=True
    )
    city_population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    city_time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    city_website = models.URLField(_("city website"), blank=True, max_length=500)

    applicant_name = models.CharField(_("your name"), max_length=200)
    applicant_position = models.CharField(_("your position"), max_length=200)
    applicant_email = models.EmailField(_("official email"))
    applicant_phone = models.CharField(_("phone"), max_length=40)
    principles = models.ManyToManyField(
        Principle, related_name="applications", verbose_name=_("principles pledged")
    )
    motivation = models.TextField(
        _("what the city wants from the network"), max_length=MOTIVATION_MAX
    )
    consented_at = models.DateTimeField(_("privacy notice accepted"))
    # The language the applicant used; their emails are written in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("message to the applicant"), blank=True, max_length=2000)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["city_search_name"])

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "network"],
                condition=models.Q(status__in=["submitted", "under-review", "more-info"]),
                name="one_open_application_per_city_and_network",
                violation_error_message=_(
                    "This city already has an open application to this network."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(city__isnull=False) | ~models.Q(city_name=""),
                name="application_names_a_city",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="application_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_city_name} → {related_label(self, 'network')}"

    def save(self, *args, **kwargs):
        self.city_search_name = search_text(self.city_name)
        fields = kwargs.get("update_fields")
        if fields is not None and "city_name" in fields:
            kwargs["update_fields"] = {*fields, "city_search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", kwargs={"pk": self.pk})

    @property
    def display_city_name(self) -> str:
        return related_label(self, "city", "name") if self.city_id else self.city_name

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def can_be_edited(self) -> bool:
        return self.status == self.Status.MORE_INFO


class ApplicationEvent(models.Model):
    """The history of an application, shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=Application.Status.choices)
    at = models.DateTimeField(_("date"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_status_display()}"
