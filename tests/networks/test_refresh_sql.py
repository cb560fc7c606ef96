"""The one-statement refresh of the directory's copies (networks.directory.refresh_sql,
PostgreSQL) gives every city what networks.services.cities_refresh_membership, the
definition, gives it: is_member, member_since and member_facts (issue #19)."""

import datetime
import random

import pytest
from django.db import connection

from cities.models import City
from networks.models import Membership
from networks.services import cities_refresh_membership, cities_refresh_membership_ids
from tests.factories import CityFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def _copies():
    return {
        c.pk: (c.is_member, c.member_since, c.member_facts or {})
        for c in City.objects.order_by("pk")
    }


def test_the_batch_refresh_agrees_with_the_definition(django_assert_max_num_queries):
    rng = random.Random(19)
    networks = [
        NetworkFactory(kind="regional"),
        NetworkFactory(kind="global", scope_region=""),
        NetworkFactory(kind="national", scope_region="", scope_country="CO"),
        NetworkFactory(is_active=False),
    ]
    cities = CityFactory.create_batch(12)
    memberships = []
    for city in cities[:-2]:  # the last two have none
        for network in rng.sample(networks, rng.randint(1, 4)):
            memberships.append(
                Membership(
                    city=city,
                    network=network,
                    role=rng.choice(Membership.Role.values),
                    status=rng.choice(Membership.Status.values),
                    joined_on=rng.choice(
                        [None, datetime.date(2019, 12, 31), datetime.date(2024, 3, 1)]
                    ),
                )
            )
    Membership.objects.bulk_create(memberships)  # no signal: the copies are stale
    # A stale copy on a city without memberships is cleared too.
    City.objects.filter(pk=cities[-1].pk).update(is_member=True, member_facts={"all": ""})
    ids = [c.pk for c in cities]

    queries = 1 if connection.vendor == "postgresql" else 20
    with django_assert_max_num_queries(queries):
        cities_refresh_membership_ids(ids)
    batch = _copies()
    assert any(member for member, _since, _facts in batch.values())

    cities_refresh_membership(City.objects.filter(pk__in=ids))
    assert batch == _copies()
    assert cities_refresh_membership_ids(ids) in (0, len(ids))  # nothing left to change
