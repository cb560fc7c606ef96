import datetime

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Subquery
from django.utils import timezone

from cities.models import City
from networks.models import Membership, MembershipStatusChange, Network
from networks.reminders import reminders_sync_network


@transaction.atomic
def membership_set_status(
    *, membership: Membership, status: str, by=None, note: str = "", at=None
) -> Membership:
    """Move a membership to `status`, keeping the change in its history."""
    at = at or timezone.now()
    membership.status = Membership.Status(status)
    membership.status_changed_at = at
    membership.full_clean()
    membership.save()
    MembershipStatusChange.objects.create(
        membership=membership, status=membership.status, changed_at=at, changed_by=by, note=note
    )
    # A new member gets the reminders of coming meetings; a lapsed one's are cancelled.
    reminders_sync_network(network=membership.network)
    return membership


def city_refresh_membership(city: City) -> None:
    """Keep the directory's copies of a city's memberships in step with them.

    member_since (the directory's "date joined") and is_member (listed at all). Called
    by the Membership signals (networks.signals), so every save or delete keeps them.
    """
    active = Membership.objects.filter(city=city, status=Membership.Status.ACTIVE)
    first = active.aggregate(first=Min("joined_on"))["first"]
    is_member = active.filter(network__is_active=True).exists()
    # Always written: `city` may be an older copy than the row.
    City.objects.filter(pk=city.pk).update(member_since=first, is_member=is_member)
    city.member_since, city.is_member = first, is_member


def network_refresh_members(network: Network) -> int:
    """A network was switched on or off: its cities' is_member follows, in one UPDATE."""
    return City.objects.filter(memberships__network=network).update(is_member=_member_flag())


def cities_refresh_membership(cities=None) -> int:
    """city_refresh_membership for many cities (default: all) in one UPDATE.

    For what the signals do not see: bulk inserts (fill_directory) and SQL run by hand
    (`manage.py refresh_directory`).
    """
    cities = City.objects.all() if cities is None else cities
    first = (
        Membership.objects.filter(city=OuterRef("pk"), status=Membership.Status.ACTIVE)
        .order_by()
        .values("city")
        .annotate(first=Min("joined_on"))
        .values("first")[:1]
    )
    return cities.update(member_since=Subquery(first), is_member=_member_flag())


def _member_flag() -> Exists:
    return Exists(
        Membership.objects.filter(
            city=OuterRef("pk"), status=Membership.Status.ACTIVE, network__is_active=True
        )
    )


@transaction.atomic
def membership_create(
    *,
    city: City,
    network: Network,
    role: str,
    status: str = Membership.Status.ACTIVE,
    joined_on: datetime.date | None = None,
    by=None,
    note: str = "",
) -> Membership:
    membership = Membership(city=city, network=network, role=role, joined_on=joined_on)
    return membership_set_status(membership=membership, status=status, by=by, note=note)
