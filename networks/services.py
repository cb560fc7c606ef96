import datetime

from django.db import transaction
from django.db.models import Min
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
    city_refresh_member_since(membership.city)
    # A new member gets the reminders of coming meetings; a lapsed one's are cancelled.
    reminders_sync_network(network=membership.network)
    return membership


def city_refresh_member_since(city: City) -> None:
    """Keep City.member_since, the directory's "date joined", in step with memberships."""
    first = Membership.objects.filter(city=city, status=Membership.Status.ACTIVE).aggregate(
        first=Min("joined_on")
    )["first"]
    if city.member_since != first:
        City.objects.filter(pk=city.pk).update(member_since=first)
        city.member_since = first


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
