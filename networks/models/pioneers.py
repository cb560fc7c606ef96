"""Pioneer cities mentoring smaller ones, and the model policies they work on."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import City
from networks.models.labels import related_label
from networks.models.structure import Network


class ModelPolicy(models.TextChoices):
    """The model policies of the Alliance's roadmap (November 2020)."""

    ICT_ACCESSIBILITY = "ict-accessibility", _("ICT accessibility in public procurement")
    PRIVACY_IMPACT = "privacy-impact", _("Privacy impact assessment")
    CYBERSECURITY = "cybersecurity", _("Accountability for cybersecurity")
    DIG_ONCE = "dig-once", _("“Dig once” for digital infrastructure")
    OPEN_DATA = "open-data", _("Open data")


class PioneerLinkQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=self.model.Status.ENDED)

    def summary(self) -> dict:
        """Totals in one aggregate: {"links", "active", "proposed", "pioneers", "mentees"}."""
        return self.order_by().aggregate(
            links=models.Count("id"),
            active=models.Count("id", filter=models.Q(status=self.model.Status.ACTIVE)),
            proposed=models.Count("id", filter=models.Q(status=self.model.Status.PROPOSED)),
            pioneers=models.Count("pioneer", distinct=True),
            mentees=models.Count("mentee", distinct=True),
        )

    def focus_counts(self) -> list[tuple[str, int]]:
        """[(focus, links)], most links first; "" is a general exchange."""
        counted = self.order_by().values_list("focus").annotate(n=models.Count("id"))
        return sorted(counted, key=lambda pair: (-pair[1], pair[0]))

    def top_pioneers(self, limit: int) -> list[dict]:
        """The `limit` pioneers with the most links, as {"pioneer", "name", "slug",
        "country", "links"} dicts, most links first, then by name."""
        return list(
            self.order_by()
            .values(
                "pioneer",
                name=models.F("pioneer__name"),
                slug=models.F("pioneer__slug"),
                country=models.F("pioneer__country"),
            )
            .annotate(links=models.Count("id"))
            .order_by("-links", "name", "pioneer")[:limit]
        )

    def first_per_pioneer(self, pioneer_ids, per_pioneer: int):
        """The first `per_pioneer` links recorded of each of `pioneer_ids`, in one query
        (a window function numbers each pioneer's links).

        In the order recorded, as on a city's page: numbering them by the mentee's name
        joined and sorted all 3,000 links of a busy pioneer (45 ms).
        """
        from django.db.models.functions import RowNumber

        # Numbered on the links table alone, and the chosen ids read first (a second
        # query): as a subquery, the planner cannot tell that the numbering keeps 60
        # rows of 3,000 and scanned every city to join them (38 ms).
        ranked = (
            self.filter(pioneer__in=pioneer_ids)
            .annotate(
                rank=models.Window(
                    RowNumber(), partition_by=models.F("pioneer_id"), order_by=models.F("id").asc()
                )
            )
            .filter(rank__lte=per_pioneer)
            .order_by()
        )
        ids = list(ranked.values_list("pk", flat=True))
        return self.model.objects.filter(pk__in=ids).order_by("pioneer_id", "id")


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
