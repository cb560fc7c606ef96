"""The directory's copies on the city (is_member, member_since, member_facts) of a batch
of cities in one UPDATE on PostgreSQL (issue #19: import throughput).

networks.services.cities_refresh_membership is the definition: member_since is the
first joined day of the city's active memberships, is_member whether one of them is of
an active network, member_facts what networks.directory.facts.facts() builds from
those of active networks (each key with the latest joined day, "" for none). Its
correlated subqueries and the facts' read, compute and write in Python cost a 150,000
membership import most of its time; here the same three are one statement per batch,
and tests/networks/test_refresh_sql.py holds both to the same results.
"""

from collections.abc import Collection

from django.db import connection

from cities.models import City
from networks.directory.facts import ALL
from networks.models import Membership, Network

# The keys of networks.directory.facts.keys(), in SQL. The memberships are read city by
# city (LATERAL, OFFSET 0 so that it stays so) and the cities by "= ANY": during an
# import the tables' statistics predate its rows, and the planner otherwise read every
# active membership, or every city, for each batch. The day is compared as text in
# the "C" collation, where ISO days sort as the days they name and "" before any.
_SQL = """
WITH ids AS (SELECT DISTINCT unnest(%(ids)s::integer[]) AS id),
active AS (
    SELECT m.city_id, m.network_id, n.kind, n.is_active, m.role, m.joined_on
    FROM ids CROSS JOIN LATERAL (
        SELECT city_id, network_id, role, joined_on FROM {membership}
        WHERE city_id = ids.id AND status = %(active)s OFFSET 0
    ) m JOIN {network} n ON n.id = m.network_id
),
summary AS (
    SELECT city_id, min(joined_on) AS since, bool_or(is_active) AS member
    FROM active GROUP BY city_id
),
days AS (
    SELECT a.city_id, k.key,
        max(coalesce(to_char(a.joined_on, 'YYYY-MM-DD'), '') COLLATE "C") AS day
    FROM active a CROSS JOIN LATERAL (VALUES
        (%(all)s), ('n' || a.network_id), ('k:' || a.kind), ('r:' || a.role),
        ('n' || a.network_id || '/r:' || a.role), ('k:' || a.kind || '/r:' || a.role)
    ) AS k(key)
    WHERE a.is_active
    GROUP BY a.city_id, k.key
),
facts AS (SELECT city_id, jsonb_object_agg(key, day) AS facts FROM days GROUP BY city_id),
wanted AS (
    SELECT ids.id, s.since, coalesce(s.member, false) AS member,
        coalesce(f.facts, '{{}}'::jsonb) AS facts
    FROM ids LEFT JOIN summary s ON s.city_id = ids.id LEFT JOIN facts f ON f.city_id = ids.id
)
UPDATE {city} c SET member_since = w.since, is_member = w.member, member_facts = w.facts
FROM wanted w
WHERE c.id = w.id AND c.id = ANY(%(ids)s::integer[]) AND (
    c.member_since IS DISTINCT FROM w.since OR c.is_member <> w.member
    OR coalesce(c.member_facts, '{{}}'::jsonb) <> w.facts
)
"""


def refresh_cities(ids: Collection[int]) -> int:
    """Bring is_member, member_since and member_facts of the cities whose ids are in
    `ids` in step with their memberships, in one UPDATE (PostgreSQL only: the caller
    checks connection.vendor). Returns how many cities changed."""
    if not ids:
        return 0
    quote = connection.ops.quote_name
    sql = _SQL.format(
        membership=quote(Membership._meta.db_table),
        network=quote(Network._meta.db_table),
        city=quote(City._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": list(ids), "active": Membership.Status.ACTIVE, "all": ALL})
        return cursor.rowcount
