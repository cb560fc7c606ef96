"""Memberships from a spreadsheet: a row names its city and network by slug.

Checked a batch at a time, with what networks.access.membership_error asks of each row
made set-based (a host imports only memberships of its own networks, and makes a city
an active member only when it already is one of its cities or has an approved
application). Written with bulk_create_with_history / bulk_update_with_history, then
networks.facts.memberships.memberships_status_written once per batch for the rows
whose status was set (status-change rows, the cities' is_member, member_since and
member_facts, a data version, the reminder ledger: synced once per meeting at the end by
ledger.one_sync, which run.execute opens); rows whose role or joined day alone changed
refresh their cities' directory fields (networks.services.cities_refresh_membership_ids).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from alliance import acting, data_version
from alliance.roles import sees_all_networks
from cities.models import City
from networks import access, services
from networks.applications.models import Application
from networks.facts.memberships import memberships_status_written
from networks.imports import cells, copying
from networks.imports.checked import Checked, Row
from networks.models import Membership, Network

COLUMNS = ("city", "network", "role", "status", "joined_on")
REQUIRED = ("city", "network")
FIELDS = ("role", "status", "joined_on")


class Context:
    """What lasts from one batch to the next: the networks, the pairs already seen, and
    which networks the job may touch (None: every network, the secretariat's)."""

    def __init__(self, job):
        self.job = job
        self.by = job.created_by
        self.networks = {n.slug: n for n in Network.objects.all()}
        self.seen: dict[tuple[str, str], int] = {}
        self.allowed: set[int] | None = None
        if not (sees_all_networks(self.by) and not job.networks.exists()):
            mine = set(access.managed_networks(self.by).values_list("pk", flat=True))
            scope = set(job.networks.values_list("pk", flat=True))
            self.allowed = mine & scope if scope else mine
        self.note = _("Imported from a spreadsheet")
        self.at = None


def check(batch: list[tuple[int, dict]], context: Context) -> Checked:
    """Sort `batch` ((row number, {column: cell})) into new, changed, unchanged and
    refused rows: a few queries per batch, none per row."""
    checked = Checked()
    parsed = []
    for number, row in batch:
        values = _parse(number, row, context, checked)
        if values is not None:
            parsed.append((number, values))
    slugs = {v["city"] for _n, v in parsed}
    city_ids = dict(City.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    stored = {
        (m.city_id, m.network_id): m
        for m in Membership.objects.filter(city_id__in=city_ids.values())
    }
    scoped = _scoped(context, set(city_ids.values()))
    for number, values in parsed:
        city_id = city_ids.get(values["city"])
        if city_id is None:
            checked.refuse(
                number, "city", _("no city has the slug “%(slug)s”.") % {"slug": values["city"]}
            )
            continue
        _sort(number, city_id, values, stored.get((city_id, values["network"].pk)), scoped, checked)
    return checked


def _parse(number, row, context, checked) -> dict | None:
    values, ok = {}, True
    city, network = cells.text(row["city"]), cells.text(row["network"])
    values["city"] = city
    values["network"] = context.networks.get(network)
    if not city:
        checked.refuse(number, "city", _("empty."))
        ok = False
    if values["network"] is None:
        checked.refuse(
            number, "network", _("no network has the slug “%(slug)s”.") % {"slug": network[:80]}
        )
        ok = False
    elif context.allowed is not None and values["network"].pk not in context.allowed:
        checked.refuse(number, "network", _("This network is not one of yours."))
        ok = False
    readers = {
        "role": lambda c: cells.choice(c, Membership.Role) if cells.text(c) else None,
        "status": lambda c: cells.choice(c, Membership.Status) if cells.text(c) else None,
        "joined_on": cells.date,
    }
    for column in FIELDS:
        if column in row:
            try:
                values[column] = readers[column](row[column])
            except ValueError as error:
                checked.refuse(number, column, error)
                ok = False
    if ok and (city, network) in context.seen:
        checked.refuse(
            number,
            "",
            _("the same city and network are on row %(row)s.")
            % {"row": context.seen[(city, network)]},
        )
        return None
    if ok:
        context.seen[(city, network)] = number
    return values if ok else None


def _scoped(context, city_ids) -> dict | None:
    """For a host: the batch's cities already theirs, and the (city, network) pairs with
    an approved application (networks.access.membership_error, set-based)."""
    if context.allowed is None:
        return None
    return {
        "cities": set(
            access.managed_cities(context.by).filter(pk__in=city_ids).values_list("pk", flat=True)
        ),
        "approved": set(
            Application.objects.filter(
                city_id__in=city_ids, status=Application.Status.APPROVED
            ).values_list("city_id", "network_id")
        ),
    }


def _sort(number, city_id, values, membership, scoped, checked) -> None:
    network = values["network"]
    shown = {
        "city": values["city"],
        "network": network.slug,
        **{f: "" if values.get(f) is None else str(values[f]) for f in FIELDS if f in values},
    }
    was_active = membership is not None and membership.status == Membership.Status.ACTIVE
    if membership is None:
        membership = Membership(
            city_id=city_id,
            network=network,
            role=values.get("role") or Membership.Role.MEMBER,
            status=values.get("status") or Membership.Status.PENDING,
            joined_on=values.get("joined_on"),
        )
        changes = None
    else:
        changes = {}
        for field in FIELDS:
            value = values.get(field)
            if field not in values or (value is None and field != "joined_on"):
                continue
            old = getattr(membership, field)
            if old != value:
                changes[field] = ["" if old is None else str(old), shown[field]]
                setattr(membership, field, value)
    if (
        scoped is not None
        and membership.status == Membership.Status.ACTIVE
        and not was_active
        and city_id not in scoped["cities"]
        and (city_id, network.pk) not in scoped["approved"]
    ):
        checked.refuse(number, "status", access.new_active_refusal())
        return
    if changes is None:
        checked.new.append(Row(number, membership, shown))
    elif changes:
        checked.changed.append(Row(number, membership, shown, changes))
    else:
        checked.unchanged.append(Row(number, membership, shown))


def write(checked: Checked, context: Context) -> int:
    """Write the batch's new and changed memberships, their history and what follows."""
    at = context.at = context.at or acting.current().at or timezone.now()
    new = [r.instance for r in checked.new]
    changed = [r.instance for r in checked.changed]
    status_set = list(new)
    for row in checked.changed:
        if "status" in row.changes:
            row.instance.status_changed_at = at
            status_set.append(row.instance)
    for membership in new:
        membership.status_changed_at = at
    copying.insert(Membership, new, user=context.by, reason=context.note)
    if changed:
        bulk_update_with_history(
            changed,
            Membership,
            [*FIELDS, "status_changed_at"],
            batch_size=500,
            default_user=context.by,
            default_change_reason=context.note,
        )
    if status_set:
        memberships_status_written(memberships=status_set, by=context.by, note=context.note, at=at)
    others = {m.city_id for m in changed} - {m.city_id for m in status_set}
    if others:
        services.cities_refresh_membership_ids(others)
    if new or changed:
        # A role or a joined day changed alone starts no status row, yet the network
        # pages and the directory show both: their kept pieces follow the data version.
        data_version.changed()
    return len(new) + len(changed)


def finish(context: Context) -> None:
    """Nothing more: the ledger is synced when run.execute's one_sync block ends."""
