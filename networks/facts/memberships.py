"""A membership's status: every change, whoever makes it, has the same consequences.

Whatever saves or deletes a Membership (a service, the admin's change form, an inline on
the network or city page, a bulk action, an import, a history revert, a command), the
hooks below, in the same transaction:
- record a MembershipStatusChange row (who and why from alliance.acting, when the
  status changed) for a new membership and for each change of its status, and stamp
  Membership.status_changed_at (derived: whatever the writer put there is replaced);
- keep the directory's copies on the city (is_member, member_since) and start a new
  data version (alliance.data_version.changed);
- bring the reminder ledger in step for the networks concerned (networks.facts.ledger):
  a member that lapsed, was suspended or withdrew loses its officials' pending
  reminders, a new active member's officials get those of coming meetings.

Set-based writers (bulk_create, bulk_update, QuerySet.update) send no signals: they
call `memberships_status_written()` once per batch instead.
"""

import contextlib
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from alliance import acting, data_version
from cities.models import City
from networks import services
from networks.facts import ledger
from networks.imports import copying
from networks.models import Membership, MembershipStatusChange

_BEFORE = "_stored_before_save"
_COPIED = ("membership", "status", "changed_at", "changed_by", "note")


def _before_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: rows as they were, history included
        return
    stored = None
    if instance.pk is not None:
        stored = (
            Membership.objects.filter(pk=instance.pk)
            .values("city_id", "network_id", "status", "status_changed_at")
            .first()
        )
    setattr(instance, _BEFORE, stored)
    if stored is None or stored["status"] != instance.status:
        instance.status_changed_at = acting.current().at or timezone.now()
    else:
        instance.status_changed_at = stored["status_changed_at"]


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    stored = getattr(instance, _BEFORE, None)
    setattr(instance, _BEFORE, None)
    if stored is None or stored["status"] != instance.status:
        who = acting.current()
        MembershipStatusChange.objects.create(
            membership=instance,
            status=instance.status,
            changed_at=instance.status_changed_at,
            changed_by=who.user,
            note=who.note[:500],
        )
    _refresh_cities(instance, stored["city_id"] if stored else None)
    if stored is None or any(
        stored[key] != value
        for key, value in (
            ("status", instance.status),
            ("network_id", instance.network_id),
            ("city_id", instance.city_id),
        )
    ):
        ledger.follow(networks={instance.network_id, stored and stored["network_id"]})


def _deleted(sender, instance, **kwargs):
    _refresh_cities(instance, None)
    ledger.follow(networks={instance.network_id})


def _refresh_cities(instance: Membership, old_city_id: int | None) -> None:
    # The membership's own City object is refreshed in place: a caller holding it would
    # otherwise save its stale is_member back.
    with contextlib.suppress(City.DoesNotExist):  # deleted along with its city
        services.city_refresh_membership(instance.city)
    if old_city_id is not None and old_city_id != instance.city_id:
        for city in City.objects.filter(pk=old_city_id):
            services.city_refresh_membership(city)
    data_version.changed()


def memberships_status_written(
    *, memberships: Sequence[Membership], by=None, note: str = "", at=None, networks=()
) -> int:
    """The batch entry point: what the hooks do, once for a batch written set-based.

    Call it once per batch, in the batch's transaction, after writing memberships with
    bulk_create, bulk_update or QuerySet.update (which send no signals; the imports in
    networks/imports/ do so). `memberships`: those whose status was set or changed
    (saved, with their pk, city_id, network_id and status; status_changed_at should
    already be `at`); `by`: the acting User (None: the one of alliance.acting, else the
    system); `note`: why (≤ 500 characters); `at`: when (default now); `networks`: ids
    of other networks whose members changed (e.g. memberships moved out of them).

    Writes one MembershipStatusChange per membership (one COPY on PostgreSQL, else one
    bulk_create), refreshes is_member, member_since and member_facts of their cities
    (networks.services.cities_refresh_membership_ids), starts a new data version, and
    syncs the reminder ledger once per meeting of the networks concerned. Returns how
    many status-change rows it wrote.
    """
    at = at or acting.current().at or timezone.now()
    by = by or acting.current().user
    by_id, note = (by.pk if by is not None else None), note[:500]
    if connection.vendor == "postgresql":
        # bulk_create's preparing of each value was a tenth of an import's time.
        fields = [MembershipStatusChange._meta.get_field(f) for f in _COPIED]
        copying.copy_rows(
            MembershipStatusChange,
            fields,
            ((m.pk, m.status, at, by_id, note) for m in memberships),
        )
    else:
        MembershipStatusChange.objects.bulk_create(
            [
                MembershipStatusChange(
                    membership_id=m.pk,
                    status=m.status,
                    changed_at=at,
                    changed_by_id=by_id,
                    note=note,
                )
                for m in memberships
            ],
            batch_size=1000,
        )
    services.cities_refresh_membership_ids({m.city_id for m in memberships})
    data_version.changed()
    ledger.follow(networks={m.network_id for m in memberships} | set(networks))
    return len(memberships)
