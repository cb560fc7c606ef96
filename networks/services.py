import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, Subquery
from django.utils import timezone

from alliance.acting import acting
from alliance.acting import current as acting_now
from cities.models import City
from networks import access
from networks.directory import facts as directory_facts
from networks.directory import refresh_sql
from networks.models import Membership, Network


@transaction.atomic
def membership_set_status(
    *, membership: Membership, status: str, by=None, note: str = "", at=None
) -> Membership:
    """Move a membership to `status` on behalf of `by`, with `note` (why) as of `at`.

    `by` is the acting user; None for the system (commands, the demo loader) or the
    request's user (alliance.acting). A user who does not manage the membership's
    network, or who may not make its city an active member
    (networks.access.membership_error), gets PermissionDenied and nothing is stored.
    The save's hook (networks.facts.memberships) records the status-change row, the
    city's directory fields and the reminder ledger, as for every other writer.
    """
    before, membership.status = membership.status, Membership.Status(status)
    refused = access.membership_error(by, membership) if by is not None else None
    if refused:
        membership.status = before
        raise PermissionDenied(refused)
    membership.full_clean()
    with acting(by=by, note=note, at=at):
        membership.save()
    return membership


@transaction.atomic
def memberships_set_status(
    *, changes: Iterable[tuple[Membership, str]], by=None, note: str = "", at=None
) -> list[Membership]:
    """Set many memberships' statuses at once: the batch counterpart of
    membership_set_status, for bulk actions and set-based writers.

    `changes`: (membership, new status) pairs; pairs whose status is already the one
    asked for are left alone. `by`: the acting user (None: the request's or the system),
    checked per membership like membership_set_status (PermissionDenied: nothing is
    stored). Statuses are written with one bulk UPDATE per batch (history rows
    included, by simple-history), then networks.facts.memberships_status_written
    records the status-change rows with one bulk_create and syncs the reminder ledger
    once per meeting of the networks concerned. Returns the memberships changed.
    """
    from simple_history.utils import bulk_update_with_history

    from networks.facts.memberships import memberships_status_written

    at = at or acting_now().at or timezone.now()
    changed = []
    for membership, status in changes:
        if membership.status == status:
            continue
        before, membership.status = membership.status, Membership.Status(status)
        refused = access.membership_error(by, membership) if by is not None else None
        if refused:
            membership.status = before
            raise PermissionDenied(refused)
        membership.status_changed_at = at
        changed.append(membership)
    if changed:
        bulk_update_with_history(
            changed,
            Membership,
            ["status", "status_changed_at"],
            batch_size=1000,
            default_user=by or acting_now().user,
            default_change_reason=note or None,
        )
        memberships_status_written(memberships=changed, by=by, note=note, at=at)
    return changed


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


def cities_refresh_membership_ids(ids: Iterable[int]) -> int:
    """cities_refresh_membership() of the cities whose ids are `ids`: on PostgreSQL in
    one UPDATE (networks.directory.refresh_sql, for batches of thousands), elsewhere
    through the definition itself. Returns how many cities it changed or looked at."""
    ids = set(ids)
    if connection.vendor == "postgresql":
        return refresh_sql.refresh_cities(ids)
    return cities_refresh_membership(City.objects.filter(pk__in=ids))


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
    """A new membership of `city` in `network`, with its first status (see
    membership_set_status for `by` and `note`)."""
    membership = Membership(city=city, network=network, role=role, joined_on=joined_on)
    return membership_set_status(membership=membership, status=status, by=by, note=note)
