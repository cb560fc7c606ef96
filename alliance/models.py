from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address (officials, partners, staff)."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of this person's pages and emails. Empty: the network's language."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class PartnerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Partner(models.Model):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International organisation")
        CITY_NETWORK = "city-network", _("City network")
        COMPANY = "company", _("Company")
        RESEARCH = "research", _("Research institution")
        CIVIL_SOCIETY = "civil-society", _("Civil society")

    class Tier(models.TextChoices):
        # Ordered as the partners page shows them.
        FOUNDING = "founding", _("Founding contributor")
        FORUM = "forum", _("Forum partner")
        INSTITUTIONAL = "institutional", _("Institutional partner")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    website = models.URLField(_("website"), blank=True, max_length=500)
    logo = models.ImageField(_("logo"), upload_to="partners/", blank=True)
    description = models.TextField(_("description"), blank=True)
    networks = models.ManyToManyField(
        "networks.Network",
        blank=True,
        related_name="partners",
        verbose_name=_("networks supported"),
    )
    is_published = models.BooleanField(_("published"), default=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class FaqQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class FaqEntry(models.Model):
    class Link(models.TextChoices):
        """Pages an answer may point to, by URL name (a link that follows the language)."""

        GET_INVOLVED = "involvement:get_involved", _("Get involved")
        EVENTS = "nominations:list", _("Events open for nominations")
        PARTNER = "involvement:partner", _("Become an institutional partner")

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    link = models.CharField(
        _("link below the answer"), max_length=40, choices=Link.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    objects = FaqQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question


class DeliveryState(models.Model):
    """How far a message has got: claimed by a worker, sent, or failed after retries.

    Shared by the outbox and the meeting-reminder ledger; alliance.mail.delivery drives
    it, and puts `delivery_header` (the row's primary key) on the message it sends.
    """

    delivery_header = "X-Alliance-Delivery-Id"

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        abstract = True


class OutboundEmail(DeliveryState):
    """The outbox: every email is stored here first and sent by a worker.

    The row is written in the same transaction as whatever caused it, so a broker or
    mail-server outage never loses a message nor fails the request that queued it.
    """

    template = models.CharField(_("template"), max_length=100)
    to = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # A meeting's iCalendar file (RFC 5545), attached as meeting.ics when not empty.
    calendar = models.TextField(_("calendar file"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    delivery_header = "X-Alliance-Email-Id"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"


class PartnerPerson(models.Model):
    """Someone who works for a partner and signs in to browse and export the directory."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="partner_membership", verbose_name=_("user")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="people", verbose_name=_("partner")
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )

    class Meta:
        ordering = ["partner__name", "user__email"]
        verbose_name = _("partner person")
        verbose_name_plural = _("partner people")

    def __str__(self) -> str:
        return f"{self.user} ({self.partner})"


class LoginFailure(models.Model):
    """A failed sign-in (site or admin), for the operators; the password is never kept."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    identifier = models.CharField(_("email or user name tried"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=200, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.identifier} {self.at:%Y-%m-%d %H:%M}"
