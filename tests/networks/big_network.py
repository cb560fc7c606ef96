"""A network of 2,000 member cities for the pages-at-scale tests (issue #21): the `big`
fixture (given to tests/networks by its conftest.py) and the sizes it is built with.

2,000 pioneer links (one pioneer mentoring 1,000 of them), every member on the roadmap,
three years of weekly meetings and 2,000 answers to one meeting, built with bulk_create.
"""

import datetime

import pytest
from django.utils import timezone

from cities.models import City
from networks.models import Meeting, Membership, PioneerLink, Rsvp
from networks.services import cities_refresh_membership
from tests.factories import (
    NetworkFactory,
)

MEMBERS = 2_000
PIONEERS = 50
FOUNDING = 100


@pytest.fixture
def big(db):
    network = NetworkFactory(name="Big network", slug="big")
    today = timezone.localdate()
    cities = City.objects.bulk_create(
        City(
            name=f"Town {i:04}",
            slug=f"town-{i:04}",
            search_name=f"town {i:04}",
            country="CO",
            region="latam",
            population=60_000 + i,
            time_zone="America/Bogota",
            # Spread over the whole of Latin America: the members' map (issue #18) then
            # draws a mark in every cell of its grid, its largest.
            latitude=30 - (i // 50) * 2.1,
            longitude=-117 + (i % 50) * 1.7,
        )
        for i in range(MEMBERS)
    )

    def role(i):
        if i < PIONEERS:
            return Membership.Role.PIONEER
        return Membership.Role.FOUNDING if i < PIONEERS + FOUNDING else Membership.Role.MEMBER

    Membership.objects.bulk_create(
        Membership(
            city=city,
            network=network,
            role=role(i),
            status=Membership.Status.ACTIVE,
            joined_on=today - datetime.timedelta(days=i),
        )
        for i, city in enumerate(cities)
    )
    cities_refresh_membership()  # bulk_create sends no signal
    pioneers, mentees = cities[:PIONEERS], cities[PIONEERS:]
    # The first pioneer mentors 1,000 cities; the others share 1,000 more.
    links = [PioneerLink(network=network, pioneer=pioneers[0], mentee=m) for m in mentees[:1000]]
    links += [
        PioneerLink(network=network, pioneer=pioneers[1 + i % (PIONEERS - 1)], mentee=m)
        for i, m in enumerate(mentees[:1000])
    ]
    PioneerLink.objects.bulk_create(links)
    # Every member on the roadmap: 10,000 steps, the matrix still reads only 50 cities'.
    from networks.models import ModelPolicy, RoadmapEntry

    steps = list(RoadmapEntry.Status)[1:]
    RoadmapEntry.objects.bulk_create(
        RoadmapEntry(city=city, model_policy=policy, status=steps[(i + j) % 3])
        for i, city in enumerate(cities)
        for j, policy in enumerate(ModelPolicy.values)
    )
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=network,
            title=f"Weekly call {week}",
            starts_at=now + datetime.timedelta(weeks=week, hours=1),
            place="Ruta N, Medellín",
        )
        for week in range(-156, 12)
    )
    upcoming = meetings[-1]
    answers = [choice for choice, _label in Rsvp.Answer.choices]
    Rsvp.objects.bulk_create(
        Rsvp(meeting=upcoming, city=city, answer=answers[i % 3]) for i, city in enumerate(cities)
    )
    return {"network": network, "cities": cities, "meeting": upcoming}
