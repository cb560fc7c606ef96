"""The membership facts the directory filters on, kept beside the city (City.member_facts).

The directory filters by network, kind of network, role and joined date, all four
applying to one and the same active membership of an active network (README, "The
member directory"). Looking that up with an EXISTS over the memberships for each of
200,000 cities made a filtered count or a page that had to skip many cities cost
tens of milliseconds (issue #19). So each city keeps, like is_member and
member_since, a copy of what its memberships say: a small JSON object whose keys are
every combination of network, kind and role that one of its active memberships
matches, each with the latest day a membership matching it joined:

    {"all": "2023-05-02", "n7": "2021-03-01", "k:regional": "2021-03-01",
     "r:member": "2023-05-02", "n7/r:member": "2021-03-01", ...}

A filter is then one key (and, with a date, that key's day compared): a look-up on
the city's own row, which PostgreSQL's GIN index on the column also serves
(cities/migrations/0010_city_member_facts.py). The network's kind follows from the
network, so network and kind together are the network's key, or nothing at all.

`refresh()` is the one writer, called by networks.services.cities_refresh_membership
wherever is_member is kept: the Membership and Network signals (a service, the admin's
forms, inlines and bulk actions, imports, history reverts), fill_directory's bulk
batches and refresh_directory.
"""

import datetime
import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.lookups import GreaterThanOrEqual

ALL = "all"  # any active membership of an active network (joined-date filter alone)
CHUNK = 2000  # cities read, computed and written at a time by refresh()


def keys(network_id: int, kind: str, role: str) -> tuple[str, ...]:
    """Every filter key one active membership matches: itself, and with the role."""
    return (
        ALL,
        f"n{network_id}",
        f"k:{kind}",
        f"r:{role}",
        f"n{network_id}/r:{role}",
        f"k:{kind}/r:{role}",
    )


def key_for(*, network=None, kind: str = "", role: str = "") -> str | None:
    """The key the directory's membership filters look up, or None when no membership
    can match them (a network of another kind than the one asked for).

    `network` is a Network (or None), `kind` a Network.Kind value, `role` a
    Membership.Role value; empty strings mean "any".
    """
    if network is not None and kind and network.kind != kind:
        return None
    if network is not None:
        base = f"n{network.pk}"
    elif kind:
        base = f"k:{kind}"
    else:
        base = ""
    if role:
        return f"{base}/r:{role}" if base else f"r:{role}"
    return base or ALL


def matching(key: str, since: datetime.date | None = None) -> Q:
    """Cities with an active membership matching `key` (that joined on `since` or later).

    A membership without a joined date never matches a date, as a date filter on the
    memberships themselves would not: its day is kept as "", which no day follows.
    """
    condition = Q(member_facts__has_key=key)
    if since is not None:
        # ISO days compare as text in the order of the days they name.
        condition &= Q(GreaterThanOrEqual(KT(f"member_facts__{key}"), since.isoformat()))
    return condition


def facts(rows: Iterable[tuple]) -> dict[int, dict[str, str]]:
    """{city id: facts} from (city id, network id, network kind, role, joined_on) rows,
    one per active membership of an active network. A key's value is the latest
    joined day (ISO) of the memberships matching it, "" when none has a day: not JSON's
    null, which SQLite's JSON functions read as the text 'null', later than any day."""
    found: dict[int, dict[str, str]] = {}
    for city_id, network_id, kind, role, joined in rows:
        city = found.setdefault(city_id, {})
        day = joined.isoformat() if joined else ""
        for key in keys(network_id, kind, role):
            if day > city.get(key, "") or key not in city:
                city[key] = day
    return found


def active_rows(memberships) -> Iterable[tuple]:
    """What facts() reads, from a Membership queryset (a migration's model works too)."""
    return (
        memberships.filter(status="active", network__is_active=True)
        .order_by()
        .values_list("city_id", "network_id", "network__kind", "role", "joined_on")
    )


def refresh(cities, membership_model=None) -> int:
    """Recompute member_facts of the cities in the `cities` queryset; returns how many
    changed. Set-based: per CHUNK cities, one read of their memberships and one write
    of those whose facts changed, whatever the number of cities (1 or 200,000).

    `membership_model` defaults to networks' Membership (a migration passes its own).
    """
    if membership_model is None:
        from networks.models import Membership as membership_model
    changed, last = 0, None
    while True:  # keyset chunks: nothing held open across the writes
        chunk = cities if last is None else cities.filter(pk__gt=last)
        batch = list(chunk.order_by("pk").values_list("pk", "member_facts")[:CHUNK])
        if not batch:
            return changed
        changed += _refresh_batch(cities.model, membership_model, batch)
        if len(batch) < CHUNK:
            return changed
        last = batch[-1][0]


def _refresh_batch(city_model, membership_model, batch: list[tuple[int, dict]]) -> int:
    ids = [pk for pk, _facts in batch]
    new = facts(active_rows(membership_model.objects.filter(city_id__in=ids)))
    changed = {pk: new.get(pk, {}) for pk, old in batch if (old or {}) != new.get(pk, {})}
    if changed:
        _write(city_model, changed)
    return len(changed)


def _write(city_model, changed: dict[int, dict]) -> None:
    """One UPDATE for all of `changed` ({city id: facts})."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(city_model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS c SET member_facts = v.facts "  # noqa: S608 (a table name)
                "FROM unnest(%s::integer[], %s::jsonb[]) AS v(id, facts) WHERE c.id = v.id",
                [list(changed), [json.dumps(value) for value in changed.values()]],
            )
        return
    city_model.objects.bulk_update(
        [city_model(pk=pk, member_facts=value) for pk, value in changed.items()],
        ["member_facts"],
        batch_size=500,
    )
