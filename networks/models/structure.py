from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cities.models import City
from cities.regions import Region
from cities.validators import validate_time_zone
from networks.models.labels import related_label
from networks.querysets import MembershipQuerySet, NetworkQuerySet, PioneerLinkQuerySet


class Network(models.Model):
    class Kind(models.TextChoices):
        GLOBAL = "global", _("Global")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    scope_region = models.CharField(
        _("region covered"), max_length=20, choices=Region.choices, blank=True
    )
    scope_country = CountryField(_("country covered"), blank=True)
    host_organisation = models.CharField(_("host organisation"), max_length=200)
    host_city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_networks",
        verbose_name=_("host city"),
    )
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default="UTC"
    )
    description = models.TextField(_("description"), blank=True)
    # Staff of the hosting centre (e.g. C4IR Colombia) who look after this network.
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="networks_hosted",
        verbose_name=_("host staff"),
        help_text=_("Staff accounts of the host organisation who manage this network."),
    )
    launched_on = models.DateField(_("launch date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            # The scope must match the kind: a regional network covers a region, a
            # national one a country, the global alliance neither.
            models.CheckConstraint(
                condition=(
                    models.Q(kind="global", scope_region="", scope_country="")
                    | (models.Q(kind="regional", scope_country="") & ~models.Q(scope_region=""))
                    | (models.Q(kind="national", scope_region="") & ~models.Q(scope_country=""))
                ),
                name="network_scope_matches_kind",
                violation_error_message=_(
                    "A regional network covers a region, a national network a country, "
                    "and the global alliance neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:detail", kwargs={"slug": self.slug})

    @property
    def scope_display(self) -> str:
        if self.scope_region:
            return str(self.get_scope_region_display())
        if self.scope_country:
            return str(self.scope_country.name)
        return str(_("Worldwide"))


class Membership(models.Model):
    class Role(models.TextChoices):
        PIONEER = "pioneer", _("Pioneer city")
        FOUNDING = "founding", _("Founding member")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        LAPSED = "lapsed", _("Lapsed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("city")
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "city__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "network"],
                name="one_membership_per_city_and_network",
                violation_error_message=_("This city already has a membership in this network."),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status", "role"], name="membership_network_idx"),
            models.Index(fields=["status", "joined_on"], name="membership_status_joined_idx"),
            # Behind the admin's role and "joined" filters.
            models.Index(fields=["role", "id"], name="membership_role_idx"),
            models.Index(fields=["joined_on", "id"], name="membership_joined_idx"),
            # Serves the directory's "has an active membership (in …)" EXISTS from the
            # index alone.
            models.Index(
                fields=["city", "network", "role"],
                condition=models.Q(status="active"),
                name="membership_active_city_idx",
            ),
            # A network page's bounded lists at any size (issue #21): its newest members,
            # and its first pioneer and founding cities, each read straight off an index
            # instead of sorting every member of the network.
            models.Index(
                fields=["network", "joined_on", "id"],
                condition=models.Q(status="active"),
                name="membership_newest_idx",
            ),
            models.Index(
                fields=["network", "role", "joined_on", "id"],
                condition=models.Q(status="active"),
                name="membership_role_joined_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{related_label(self, 'city')} in {related_label(self, 'network')}"


class MembershipStatusChange(models.Model):
    """Each status a membership went through, with when and who."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=10, choices=Membership.Status.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("membership status change")
        verbose_name_plural = _("membership status changes")

    def __str__(self) -> str:
        return f"{self.membership}: {self.get_status_display()}"


class ModelPolicy(models.TextChoices):
    """The model policies of the Alliance's roadmap (November 2020)."""

    ICT_ACCESSIBILITY = "ict-accessibility", _("ICT accessibility in public procurement")
    PRIVACY_IMPACT = "privacy-impact", _("Privacy impact assessment")
    CYBERSECURITY = "cybersecurity", _("Accountability for cybersecurity")
    DIG_ONCE = "dig-once", _("“Dig once” for digital infrastructure")
    OPEN_DATA = "open-data", _("Open data")


class PioneerLink(models.Model):
    """A pioneer city mentoring a smaller city inside a network."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="pioneer_links", verbose_name=_("network")
    )
    pioneer = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="mentoring", verbose_name=_("pioneer city")
    )
    mentee = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="mentored_by", verbose_name=_("smaller city")
    )
    started_on = models.DateField(_("start date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    focus = models.CharField(
        _("focus"),
        max_length=30,
        choices=ModelPolicy.choices,
        blank=True,
        help_text=_("The model policy the mentoring concentrates on."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = PioneerLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "pioneer__name", "mentee__name"]
        verbose_name = _("pioneer link")
        verbose_name_plural = _("pioneer links")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(pioneer=models.F("mentee")),
                name="pioneer_link_not_self",
                violation_error_message=_("A city cannot mentor itself."),
            ),
            models.UniqueConstraint(
                fields=["network", "pioneer", "mentee"],
                name="one_pioneer_link_per_pair_and_network",
                violation_error_message=_("These two cities are already linked in this network."),
            ),
        ]

    def __str__(self) -> str:
        return f"{related_label(self, 'pioneer', 'name')} → {related_label(self, 'mentee', 'name')}"


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
