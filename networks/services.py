import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Subquery
from django.utils import timezone

from cities.models import City
from networks import access
from networks.directory import facts as directory_facts
from networks.meetings.reminders import reminders_sync_network
from networks.models import Membership, MembershipStatusChange, Network


@transaction.atomic
def membership_set_status(
    *, membership: Membership, status: str, by=None, note: str = "", at=None
) -> Membership:
    """Move a membership to `status`, keeping the change in its history.

    `by` is the acting user; None for the system (commands, the demo loader). A user
    who does not manage the membership's network, or who may not make its city an
    active member (networks.access.membership_error), gets PermissionDenied and nothing
    is stored.
    """
    at = at or timezone.now()
    before, membership.status = membership.status, Membership.Status(status)
    refused = access.membership_error(by, membership) if by is not None else None
    if refused:
        membership.status = before
        raise PermissionDenied(refused)
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
    cities_refresh_membership(City.objects.filter(pk=city.pk))
    city.refresh_from_db(fields=["member_since", "is_member", "member_facts"])


def network_refresh_members(network: Network) -> int:
    """A network was switched on or off, or changed kind: its cities' copies follow
    (one UPDATE, and their member_facts a chunk at a time)."""
    return cities_refresh_membership(City.objects.filter(memberships__network=network))


def cities_refresh_membership(cities=None) -> int:
    """member_since and is_member of many cities (default: all), in one UPDATE, and
    their member_facts (networks.directory.facts.refresh: set-based too).

    The one definition of all three: per city from the signals, and for what the
    signals do not see, bulk inserts (fill_directory) and SQL run by hand
    (refresh_directory). Returns how many cities it looked at.
    """
    cities = City.objects.all() if cities is None else cities
    active = Membership.objects.filter(city=OuterRef("pk"), status=Membership.Status.ACTIVE)
    first = active.order_by().values("city").annotate(first=Min("joined_on")).values("first")
    updated = cities.update(
        member_since=Subquery(first[:1]),
        is_member=Exists(active.filter(network__is_active=True)),
    )
    directory_facts.refresh(cities)
    return updated


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
