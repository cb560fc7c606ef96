"""Pledges of support for the principles, and enquiries from would-be partners."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cities.models import Principle

ORGANISATION_MAX = 200
MESSAGE_MAX = 2000


class OrganisationKind(models.TextChoices):
    """Who may pledge or enquire: the kinds the Alliance names (DOMAIN.md, seed 004)."""

    CITY = "city", _("City or local government")
    GOVERNMENT = "government", _("Regional or national government")
    COMPANY = "company", _("Company")
    STARTUP = "startup", _("Start-up")
    RESEARCH = "research", _("Research institution")
    CIVIL_SOCIETY = "civil-society", _("Civil-society organisation")


class PledgeQuerySet(models.QuerySet):
    def published(self):
        """Accepted by the secretariat: counted on the home page and /supporters/."""
        return self.filter(status=Pledge.Status.PUBLISHED)

    def listed(self):
        """Published and willing to be named: what /supporters/ lists by name."""
        return self.published().filter(may_be_listed=True)


class Pledge(models.Model):
    """An organisation's or government's support for some or all of the five principles.

    unconfirmed → confirmed (the contact followed the emailed link) → published or
    declined (the secretariat, in the admin). Only published pledges appear anywhere
    public, and only those with `may_be_listed` by name.
    """

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the contact’s confirmation")
        CONFIRMED = "confirmed", _("Confirmed, waiting for the secretariat")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")

    organisation = models.CharField(_("organisation"), max_length=ORGANISATION_MAX)
    kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices
    )
    country = CountryField(_("country"))
    website = models.URLField(_("website"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email"), max_length=254)
    principles = models.ManyToManyField(
        Principle, related_name="pledges", verbose_name=_("principles supported")
    )
    may_be_listed = models.BooleanField(_("may be listed publicly"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED
    )
    # The language the contact wrote in: their emails are in it.
    language = models.CharField(_("language"), max_length=10, default="en")
    # Set when a member city's official pledged from the city's page.
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("city"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = PledgeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[principles])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        indexes = [
            models.Index(fields=["status", "kind"], name="pledge_status_kind_idx"),
            models.Index(fields=["status", "country"], name="pledge_status_country_idx"),
        ]

    def __str__(self) -> str:
        return self.organisation


class PartnerEnquiry(models.Model):
    """Someone asks how their organisation can become an institutional partner."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    organisation = models.CharField(_("organisation"), max_length=ORGANISATION_MAX)
    kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email"), max_length=254)
    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="new")
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partnership enquiry")
        verbose_name_plural = _("partnership enquiries")

    def __str__(self) -> str:
        return self.organisation
