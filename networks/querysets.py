from django.db import models


class NetworkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_member_counts(self):
        return self.annotate(
            member_count=models.Count(
                "memberships", filter=models.Q(memberships__status="active"), distinct=True
            )
        )

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


class ReminderQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status="pending", due_at__lte=now, next_attempt_at__lte=now)
