from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cities.gazetteer import fold, spellings
from cities.regions import Region, region_for_country
from cities.sizes import BOUNDS, SizeClass, size_class_for
from cities.validators import validate_time_zone


def search_text(name: str, alternate_names: str = "") -> str:
    """The name and each other name (one per line), folded, one per line: each name's
    `spellings`, so "L’Aquila" is found by "l aquila" as well as "laquila"."""
    folded = (f for n in [name, *alternate_names.splitlines()] for f in spellings(n))
    return "\n".join(dict.fromkeys(f for f in folded if f))


class Principle(models.Model):
    """One of the five shared principles a city pledges to."""

    class Code(models.TextChoices):
        TRANSPARENCY = "transparency-privacy", _("Transparency and privacy")
        SAFETY = "safety-security-resiliency", _("Safety, security and resiliency")
        INTEROPERABILITY = "interoperability-openness", _("Interoperability and openness")
        SUSTAINABILITY = "sustainability", _("Operational and financial sustainability")
        EQUITY = "equity-societal-impact", _("Equity and societal impact")

    code = models.SlugField(_("code"), max_length=40, unique=True, choices=Code.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    def __str__(self) -> str:
        return str(self.get_code_display())


class CityQuerySet(models.QuerySet):
    def of_size(self, size: SizeClass | str):
        low, high = BOUNDS[SizeClass(size)]
        qs = self.filter(population__gte=low)
        return qs.filter(population__lt=high) if high is not None else qs

    def search(self, text: str):
        """Name contains `text`, ignoring case and accents."""
        folded = fold(text)
        return self.filter(search_name__contains=folded) if folded else self.none()

    def named(self, text: str):
        """Name or one of the other names is `text` once folded ("Lodz" is Łódź)."""
        folded = fold(text)
        if not folded:
            return self.none()
        # search_name holds one folded name per line.
        return self.filter(
            Q(search_name=folded)
            | Q(search_name__startswith=folded + "\n")
            | Q(search_name__endswith="\n" + folded)
            | Q(search_name__contains="\n" + folded + "\n")
        )


class City(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # Unique across the world: two Córdobas get "cordoba-ar" and "cordoba-es".
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    country = CountryField(_("country"))
    # Filled from the country when left blank (see clean()).
    region = models.CharField(_("world region"), max_length=20, choices=Region.choices, blank=True)
    subdivision = models.CharField(_("state or province"), max_length=200, blank=True)
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default="UTC"
    )
    website = models.URLField(_("website"), blank=True, max_length=500)
    profile = models.TextField(_("short profile"), blank=True, max_length=2000)
    logo = models.ImageField(_("photo or logo"), upload_to="cities/", blank=True)
    principles = models.ManyToManyField(
        Principle, blank=True, related_name="cities", verbose_name=_("principles pledged")
    )
    geonames_id = models.PositiveIntegerField(
        _("GeoNames id"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Identifier in the GeoNames gazetteer, when the city came from it."),
    )
    alternate_names = models.TextField(
        _("other names"),
        blank=True,
        max_length=2000,
        help_text=_("Other common names of the city, one per line (e.g. Bangalore)."),
    )
    # The names folded to lower case without accents, so "cordoba" finds "Córdoba" on
    # every database (PostgreSQL indexes it with trigrams); kept by save() and by any
    # bulk loader through search_text().
    search_name = models.TextField(editable=False, default="")
    # The day the city first became an active member of any network: the directory
    # sorts by it. Kept by networks.services.city_refresh_membership().
    member_since = models.DateField(_("member since"), null=True, blank=True, editable=False)
    # An active membership of an active network: the directory lists the city. A copy
    # of what the memberships say, so that counting and searching 200,000 cities need
    # not look up each one's memberships. Kept with member_since.
    is_member = models.BooleanField(_("member"), default=False, editable=False)
    # What the memberships say that the directory filters on (network, kind, role,
    # joined date), as keys looked up on this row instead of each city's memberships.
    # Opaque to this app; kept with is_member (networks/directory/facts.py).
    member_facts = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CityQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[principles],
        excluded_fields=["search_name", "member_since", "is_member", "member_facts"],
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        indexes = [
            models.Index(fields=["name", "id"], name="city_name_idx"),
            models.Index(fields=["member_since", "id"], name="city_member_since_idx"),
            models.Index(fields=["country", "name"], name="city_country_name_idx"),
            models.Index(fields=["region", "name"], name="city_region_name_idx"),
            models.Index(fields=["population", "id"], name="city_population_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(population__isnull=True) | models.Q(population__gt=0),
                name="city_population_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"

    def save(self, *args, **kwargs):
        self.search_name = search_text(self.name, self.alternate_names)
        fields = kwargs.get("update_fields")
        if fields is not None and {"name", "alternate_names"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cities:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        names = (line.strip() for line in self.alternate_names.splitlines())
        self.alternate_names = "\n".join(name for name in names if name)
        if not self.region and self.country:
            self.region = region_for_country(self.country.code) or ""

    @property
    def size_class(self) -> SizeClass | None:
        return size_class_for(self.population)


class CityOfficial(models.Model):
    """A user account that speaks for a city."""

    class Role(models.TextChoices):
        MAYORS_OFFICE = "mayors-office", _("Mayor’s office")
        CIO = "cio", _("Chief information or digital officer")
        FOCAL_POINT = "focal-point", _("Focal point")
        STAFF = "staff", _("City staff")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Signed-in partners and members")
        SECRETARIAT = "secretariat", _("Secretariat only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="official",
        verbose_name=_("user"),
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="officials", verbose_name=_("city")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    contact_audience = models.CharField(
        _("contact details shown to"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.SECRETARIAT,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-is_primary_contact", "id"]
        verbose_name = _("city official")
        verbose_name_plural = _("city officials")
        constraints = [
            models.UniqueConstraint(
                fields=["city"],
                condition=models.Q(is_primary_contact=True),
                name="one_primary_contact_per_city",
                violation_error_message=_("This city already has a primary contact."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.city}"

    def clean(self) -> None:
        """An account becomes a city's official only once its address is confirmed.

        Checked when the official is added or given to another account, whichever
        form does it (the admin's official page and the city's inline); issue #15,
        section 3. Raises ValidationError on `user`.
        """
        super().clean()
        if self.user_id is None:
            return
        stored = CityOfficial.objects.filter(pk=self.pk).values_list("user_id", flat=True)
        if self.pk is not None and stored.first() == self.user_id:
            return
        from alliance.promotion import require_verified

        try:
            require_verified(self.user)
        except ValidationError as error:
            raise ValidationError({"user": error.messages}) from None
