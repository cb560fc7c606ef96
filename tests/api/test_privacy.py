"""The API shows each person exactly what the HTML pages show them (issue #18).

Every role of the public permission matrix reads a city's contacts and the meetings
both ways: signed in on the site, and through the API with a token of their own
(anonymous: no token). The two must agree contact for contact and meeting for meeting.
"""

import re

import pytest
from django.urls import reverse

from cities.models import CityOfficial
from networks.models import Meeting
from tests.api.conftest import bearer, make_token
from tests.factories import CityOfficialFactory, UserFactory
from tests.public_matrix.roles import ROLES
from tests.public_matrix.world import world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

MAILTO = re.compile(r'href="mailto:([^"]+)"')


@pytest.fixture
def contacts(world):  # noqa: F811
    city = world["city_a"]
    for audience in CityOfficial.Audience.values:
        CityOfficialFactory(
            city=city,
            contact_audience=audience,
            user=UserFactory(email=f"{audience}@city-a.example.org"),
        )
    # official_a's own entry is secretariat-only: they still see it, on both.
    CityOfficial.objects.filter(user=world["users"]["official_a"]).update(
        contact_audience=CityOfficial.Audience.SECRETARIAT
    )
    return city


def _as(client, world, role):  # noqa: F811
    client.logout()
    user = world["users"][role]
    if user is None:
        return {}
    client.force_login(user)  # for the HTML pages; the API reads only the token
    return bearer(make_token(user))


@pytest.mark.parametrize("role", ROLES)
def test_a_citys_contacts_are_those_of_its_page(client, world, contacts, role):  # noqa: F811
    headers = _as(client, world, role)
    page = client.get(contacts.get_absolute_url())
    shown_on_page = sorted(MAILTO.findall(page.content.decode()))
    client.logout()
    api = client.get(reverse("api:city", args=[contacts.slug]), **headers)
    assert api.status_code == 200
    body = api.json()
    assert sorted(c["email"] for c in body["contacts"]) == shown_on_page
    assert body["contacts_hidden"] == {
        "members": page.context["hidden_for_members"],
        "secretariat": page.context["hidden_for_secretariat"],
    }


@pytest.mark.parametrize("role", ROLES)
def test_meetings_are_those_whose_pages_open(client, world, role):  # noqa: F811
    headers = _as(client, world, role)
    # Every meeting the world holds (the calls for nominations bring one more).
    may_open = {
        meeting.pk
        for meeting in Meeting.objects.all()
        if client.get(meeting.get_absolute_url()).status_code == 200
    }
    client.logout()
    api = client.get(reverse("api:meetings"), **headers)
    if role == "anonymous":
        assert api.status_code == 401
        assert may_open == set()
        return
    assert api.status_code == 200
    assert {m["id"] for m in api.json()["results"]} == may_open


def test_public_fields_only_without_a_token(client, world, contacts):  # noqa: F811
    body = client.get(reverse("api:city", args=[contacts.slug])).json()
    assert [c["email"] for c in body["contacts"]] == ["public@city-a.example.org"]
    # A browser signed in to the site is anonymous to the API.
    client.force_login(world["users"]["partner"])
    body = client.get(reverse("api:city", args=[contacts.slug])).json()
    assert [c["email"] for c in body["contacts"]] == ["public@city-a.example.org"]
