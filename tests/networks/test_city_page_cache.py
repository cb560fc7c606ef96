"""A city's page keeps what is the same for everyone per version of the data (issue #21):
a page seen since the last change costs two queries, every change shows at once, and
nothing that depends on the visitor (contacts by audience, the edit button) is kept."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cities.models import Principle
from tests.factories import (
    CityFactory,
    CityOfficialFactory,
    MembershipFactory,
    NetworkFactory,
    PioneerLinkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = CityFactory(name="Kohima", slug="kohima-in", country="IN", profile="Hill city.")
    MembershipFactory(city=city, network=NetworkFactory(name="Regional Alliance for Asia"))
    for audience in ("public", "members", "secretariat"):
        CityOfficialFactory(
            city=city,
            user=UserFactory(email=f"{audience}@kohima.gov.in"),
            contact_audience=audience,
        )
    return city


def html(client, city=None, **params) -> str:
    response = client.get(
        reverse("cities:detail", args=[(city and city.slug) or "kohima-in"]), params
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_seen_since_the_last_change_costs_two_queries(
    client, city, django_assert_max_num_queries
):
    first = html(client)
    with django_assert_max_num_queries(2):  # the city, its officials
        again = html(client)
    assert again.count("kohima.gov.in") == first.count("kohima.gov.in")
    assert "Regional Alliance for Asia" in again and "Hill city." in again


def test_contacts_follow_each_visitor_whatever_was_seen_before(client, city, staff_user):
    member = Client()
    member.force_login(CityOfficialFactory().user)  # an official of another city
    staff = Client()
    staff.force_login(staff_user)
    seen_by_staff, seen_by_member, seen_by_public = html(staff), html(member), html(client)
    assert "secretariat@kohima.gov.in" in seen_by_staff
    assert "members@kohima.gov.in" in seen_by_member
    assert "secretariat@kohima.gov.in" not in seen_by_member
    assert "members@kohima.gov.in" not in seen_by_public
    assert "secretariat@kohima.gov.in" not in seen_by_public
    assert "public@kohima.gov.in" in seen_by_public
    assert "1 more contact can be seen by signed-in partners" in seen_by_public


def test_the_edit_button_is_only_for_those_who_may_edit(client, city):
    official = Client()
    official.force_login(city.officials.get(contact_audience="public").user)
    assert "Edit this city’s profile" in html(official)
    assert "Edit this city’s profile" not in html(client)


def test_every_change_the_page_shows_is_seen_at_once(client, city):
    html(client)
    city.profile = "A city of festivals."
    city.save()
    assert "A city of festivals." in html(client)
    MembershipFactory(city=city, network=NetworkFactory(name="National Alliance for India"))
    assert "National Alliance for India" in html(client)
    city.principles.add(Principle.objects.get(code="sustainability"))
    assert "Operational and financial sustainability" in html(client)
    mentee = CityFactory(name="Zunheboto")
    PioneerLinkFactory(pioneer=city, mentee=mentee, network=city.memberships.first().network)
    assert "Zunheboto" in html(client)


def test_each_page_of_links_and_each_language_is_kept_apart(client, city):
    network = city.memberships.first().network
    for n in range(30):
        PioneerLinkFactory(pioneer=city, mentee=CityFactory(name=f"Mentee {n:02}"), network=network)
    first, second = html(client), html(client, links=2)
    assert "Mentee 00" in first and "Mentee 00" not in second
    assert "Mentee 29" in second and "Mentee 29" not in first
    with translation.override("es"):
        spanish = reverse("cities:detail", args=[city.slug])
    assert "Redes" in client.get(spanish).content.decode()
