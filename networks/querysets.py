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


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def in_network(self, network):
        return self.filter(network=network)


class PioneerLinkQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status="ended")


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=["submitted", "under-review", "more-info"])

    def waiting(self):
        """Waiting for the secretariat: the oldest first."""
        return self.filter(status__in=["submitted", "under-review"]).order_by("submitted_at", "id")

    def of(self, user):
        return self.filter(applicant=user)
