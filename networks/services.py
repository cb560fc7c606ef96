import datetime

from django.db import transaction
from django.utils import timezone

from cities.models import City
from networks.models import Membership, MembershipStatusChange, Network


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
    return membership


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
