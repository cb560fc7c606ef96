"""Private calendar feed links: opaque, revocable, withdrawn when one leaves (issue #15)."""

import re

import pytest
from django.urls import reverse

from alliance.roles import NETWORK_HOST
from networks.models import CalendarFeed, Membership
from networks.services import membership_set_status
from tests.factories import (
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = NetworkFactory(slug="latin-america")
    MeetingFactory(network=network, title="Open data clinic")
    return network


@pytest.fixture
def official(network):
    official = CityOfficialFactory(city=CityFactory())
    MembershipFactory(city=official.city, network=network)
    return official


def new_link(client, user, network) -> str:
    """Ask for a link on the network page, as a member does; returns the feed's path."""
    client.force_login(user)
    page = client.get(network.get_absolute_url()).content.decode()
    action = reverse("networks:calendar_link", args=[network.slug])
    assert f'action="{action}"' in page
    response = client.post(action)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url = re.search(r'id="feed-url" type="url" value="([^"]+)"', response.content.decode())[1]
    client.logout()
    return url.split("testserver", 1)[1].replace("&amp;", "&")


def opens(client, path) -> bool:
    response = client.get(path)
    assert response.status_code in (200, 404)
    return response.status_code == 200 and "Open data clinic" in response.content.decode()


def test_the_link_is_random_and_says_nothing_about_the_account(client, network, official):
    path = new_link(client, official.user, network)
    assert path.startswith("/networks/latin-america/calendar.ics?token=")
    token = path.split("token=", 1)[1]
    assert len(token) >= 43 and str(official.user.pk) not in token.split("-")
    assert official.user.email not in path
    # Stored hashed: the database cannot hand the link out again.
    assert not CalendarFeed.objects.filter(token_hash__contains=token).exists()
    assert opens(client, path)


def test_a_new_link_stops_the_old_one(client, network, official):
    old = new_link(client, official.user, network)
    new = new_link(client, official.user, network)
    assert old != new
    assert not opens(client, old)
    assert opens(client, new)


def test_a_link_from_before_the_change_is_refused(client, network, official):
    """The former signed links (user id inside, no expiry) are not accepted any more."""
    from django.core import signing

    token = signing.dumps(
        {"u": official.user.pk, "n": network.pk},
        salt="networks.calendar-feed",
        compress=True,
    )
    assert not opens(client, f"/networks/latin-america/calendar.ics?token={token}")


def test_the_link_stops_when_the_citys_membership_is_no_longer_active(client, network, official):
    path = new_link(client, official.user, network)
    membership = Membership.objects.get(city=official.city, network=network)
    membership_set_status(membership=membership, status="suspended", by=None)
    assert not CalendarFeed.objects.exists()
    membership_set_status(membership=membership, status="active", by=None)
    assert not opens(client, path)  # rejoining does not bring the old link back


def test_the_link_stops_when_the_official_is_removed(client, network, official):
    path = new_link(client, official.user, network)
    user = official.user
    official.delete()
    assert not opens(client, path)
    CityOfficialFactory(user=user, city=CityFactory())  # now speaks for another city
    assert not opens(client, path)


def test_the_link_stops_when_the_official_moves_to_another_city(client, network, official):
    path = new_link(client, official.user, network)
    official.city = CityFactory()
    official.save()
    MembershipFactory(city=official.city, network=NetworkFactory())
    assert not opens(client, path)


def test_a_hosts_link_stops_when_they_are_taken_off_the_network(client, network, make_staff):
    host = make_staff(NETWORK_HOST, hosts=[network])
    path = new_link(client, host, network)
    assert opens(client, path)
    network.hosts.remove(host)
    assert not CalendarFeed.objects.exists()
    network.hosts.add(host)
    assert not opens(client, path)


def test_only_members_may_ask_for_a_link_and_only_by_post(client, network, official):
    action = reverse("networks:calendar_link", args=[network.slug])
    client.force_login(official.user)
    assert client.get(action).status_code == 405
    client.force_login(CityOfficialFactory().user)
    assert client.post(action).status_code == 404
    assert not CalendarFeed.objects.exists()
