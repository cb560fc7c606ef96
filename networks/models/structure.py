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


class NetworkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def managed_by(self, user):
        """The networks whose members, meetings and contacts a staff user may see."""
        from alliance.roles import has_staff_powers, sees_all_networks

        if sees_all_networks(user):
            return self
        if not (has_staff_powers(user) and user.is_staff):
            return self.none()
        return self.filter(hosts=user)


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


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def role_counts(self) -> dict[str, int]:
        """{role: number of memberships}, one grouped query on the (network, status, role)
        index; roles without a membership are left out."""
        counted = self.order_by().values_list("role").annotate(n=models.Count("id"))
        return dict(counted)

    def earliest_first(self):
        """First joined first, undated last (served by membership_role_joined_idx when
        filtered by network and role)."""
        return self.order_by(models.F("joined_on").asc(nulls_last=True), "id")

    def newest(self):
        """Most recently joined first (served by membership_newest_idx); memberships
        without a date, which cannot be placed in time, are left out."""
        return self.filter(joined_on__isnull=False).order_by("-joined_on", "-id")


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


def member_cities(cities=None, conditions: models.Q | None = None):
    """Cities with an active membership of an active network (matching `conditions`), once.

    Lives here rather than on City: membership is this app's notion, and cities does
    not depend on networks.
    """
    cities = City.objects.all() if cities is None else cities
    one = models.Q(
        city=models.OuterRef("pk"), status=Membership.Status.ACTIVE, network__is_active=True
    )
    if conditions is not None:
        one &= conditions
    return cities.filter(models.Exists(Membership.objects.filter(one)))
