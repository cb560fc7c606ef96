"""Writing a batch of planned cities, and the statistics a bulk load needs.

bulk_create bypasses City.save() and the signals, so the planner sets search_name and
region, and here member_since, is_member and member_facts are refreshed with one
set-based pass per batch (networks.services.cities_refresh_membership). Bulk inserts
write no django-simple-history rows and no membership status history: this is
load-test data.
"""

from django.db import connection, transaction

from cities.models import City
from networks.models import Membership
from networks.services import cities_refresh_membership


def refresh_statistics(*, vacuum: bool = False) -> None:
    """ANALYZE (PostgreSQL) the tables a bulk load grew, so the planner knows their sizes.

    Without statistics the per-batch member_since UPDATE is planned as a bitmap AND over
    every active membership and each batch gets slower than the last (quadratic); and a
    server with autovacuum off would keep those plans for the directory too. At the end
    a VACUUM also sets the visibility map, as autovacuum would after a large insert
    (not possible inside a transaction, e.g. in a test: then it only analyzes).
    """
    if connection.vendor != "postgresql":
        return
    command = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
    tables = [City, Membership, City.principles.through]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def write_batch(chunk, counts, timings) -> None:
    """Write `chunk` ([(city, memberships, principle ids)]) in one transaction: bulk
    inserts, then the derived fields of its cities set-based; `counts` (a Counter) and
    `timings` (progress.Timings) are added to."""
    cities = [city for city, _memberships, _principles in chunk]
    with timings.measure("cities"):
        City.objects.bulk_create(cities)
    if any(city.pk is None for city in cities):  # a database that returns no ids
        ids = dict(City.objects.filter(slug__in=[c.slug for c in cities]).values_list("slug", "id"))
        for city in cities:
            city.pk = ids[city.slug]

    memberships, links = [], []
    through = City.principles.through
    for city, city_memberships, principle_ids in chunk:
        for membership in city_memberships:
            membership.city_id = city.pk
            memberships.append(membership)
        links.extend(through(city_id=city.pk, principle_id=p) for p in principle_ids)
    with timings.measure("memberships"):
        Membership.objects.bulk_create(memberships)
    with timings.measure("principles"):
        through.objects.bulk_create(links)

    # One set-based UPDATE for the batch (new ids are one range but for concurrent
    # inserts, whose cities the same formula keeps right anyway).
    ids = [city.pk for city in cities]
    with timings.measure("member_since"):
        cities_refresh_membership(City.objects.filter(pk__range=(min(ids), max(ids))))

    counts["cities"] += len(cities)
    counts["real"] += sum(1 for city in cities if city.geonames_id is not None)
    counts["synthetic"] += sum(1 for city in cities if city.geonames_id is None)
    counts["memberships"] += len(memberships)
    counts["active"] += sum(1 for m in memberships if m.status == Membership.Status.ACTIVE)
    counts["principles"] += len(links)
