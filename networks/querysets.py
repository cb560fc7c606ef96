from django.db import models

FEED_PAST_DAYS = 365  # a network's calendar feed: the last twelve months, and the future


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


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

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


def member_cities(cities=None, conditions: models.Q | None = None):
    """Cities with an active membership of an active network (matching `conditions`), once.

    Lives here rather than on City: membership is this app's notion, and cities does
    not depend on networks.
    """
    from cities.models import City
    from networks.models import Membership

    cities = City.objects.all() if cities is None else cities
    one = models.Q(city=models.OuterRef("pk"), status="active", network__is_active=True)
    if conditions is not None:
        one &= conditions
    return cities.filter(models.Exists(Membership.objects.filter(one)))


class PioneerLinkQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status="ended")

    def summary(self) -> dict:
        """Totals in one aggregate: {"links", "active", "proposed", "pioneers", "mentees"}."""
        return self.order_by().aggregate(
            links=models.Count("id"),
            active=models.Count("id", filter=models.Q(status="active")),
            proposed=models.Count("id", filter=models.Q(status="proposed")),
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


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=["submitted", "under-review", "more-info"])

    def of(self, user):
        return self.filter(applicant=user)


class MeetingQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status="scheduled")

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
        from networks.models import Network

        if not user.is_authenticated:
            return self.none()
        if sees_all_networks(user):
            return self
        member_of = Network.objects.filter(
            memberships__city__officials__user=user, memberships__status="active"
        )
        return self.filter(
            models.Q(network__in=member_of) | models.Q(network__in=Network.objects.managed_by(user))
        )


class RsvpQuerySet(models.QuerySet):
    def answer_counts(self) -> dict[str, int]:
        """{answer: cities that gave it}, answers nobody gave left out: one grouped query."""
        return dict(self.order_by().values_list("answer").annotate(n=models.Count("id")))


class ReminderQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status="pending", due_at__lte=now, next_attempt_at__lte=now)
