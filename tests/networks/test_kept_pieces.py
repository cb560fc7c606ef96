"""Pieces of pages kept between visits (issue #21) follow every change at once, and none
is shared between visitors who must see different things.

The network pages, the partners page and the apply page's search keep what they show per
version of the public data (alliance/data_version.py); the network page's sections, map,
meetings and partners are also kept by what they show (alliance/rendered.py), so a new
version after a change elsewhere does not draw them again.
"""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from alliance import rendered
from alliance.templatetags.places import country_chip
from networks.map import views as map_views
from tests.factories import (
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(monkeypatch):
    """The templates alliance.rendered drew, in order, with what each gave."""
    calls = []
    real = rendered.render_to_string

    def spy(template_name, context):
        html = real(template_name, context)
        calls.append((template_name, html))
        return html

    monkeypatch.setattr(rendered, "render_to_string", spy)
    return calls


def test_a_kept_piece_is_drawn_once_per_content(drawn):
    network = NetworkFactory(name="Andes")
    first = rendered.render_kept("networks/_network_partners.html", {"partners": []})
    again = rendered.render_kept("networks/_network_partners.html", {"partners": []})
    assert first == again and len(drawn) == 1
    partner = PartnerFactory(name="Acme Foundation")
    partner.networks.add(network)
    changed = rendered.render_kept("networks/_network_partners.html", {"partners": [partner]})
    assert "Acme Foundation" in changed and len(drawn) == 2
    partner.name = "Acme Trust"  # the same row, another name: another piece
    renamed = rendered.render_kept("networks/_network_partners.html", {"partners": [partner]})
    assert "Acme Trust" in renamed and "Acme Foundation" not in renamed


def test_network_page_shows_a_partner_change_at_once(client):
    network = NetworkFactory()
    url = network.get_absolute_url()
    assert "No partners are listed for this network yet." in client.get(url).content.decode()
    partner = PartnerFactory(name="Acme Foundation")
    partner.networks.add(network)
    assert "Acme Foundation" in client.get(url).content.decode()
    partner.name = "Acme Trust"
    partner.save()
    html = client.get(url).content.decode()
    assert "Acme Trust" in html and "Acme Foundation" not in html
    partner.is_published = False
    partner.save()
    assert "Acme Trust" not in client.get(url).content.decode()


def test_partners_page_shows_a_change_at_once(client, django_assert_max_num_queries):
    network = NetworkFactory(name="Andes network")
    partner = PartnerFactory(name="Acme Foundation")
    url = reverse("partners")
    assert "Acme Foundation" in client.get(url).content.decode()
    with django_assert_max_num_queries(0):  # seen since the last change
        assert client.get(url).status_code == 200
    partner.networks.add(network)
    assert "Andes network" in client.get(url).content.decode()
    network.name = "Andean network"
    network.save()
    html = client.get(url).content.decode()
    assert "Andean network" in html and "Andes network" not in html
    partner.delete()
    assert "Acme Foundation" not in client.get(url).content.decode()


def test_network_page_shows_a_meeting_change_at_once(client, django_assert_max_num_queries):
    network = NetworkFactory()
    meeting = MeetingFactory(network=network, title="Kick-off call")
    url = network.get_absolute_url()
    assert "Kick-off call" in client.get(url).content.decode()
    with django_assert_max_num_queries(1):  # seen since the last change: the meetings
        assert client.get(url).status_code == 200
    meeting.title = "Kick-off call, moved"
    meeting.save()
    assert "Kick-off call, moved" in client.get(url).content.decode()
    meeting.status = meeting.Status.CANCELLED
    meeting.save()
    html = client.get(url).content.decode()
    assert "Kick-off call" not in html and "No meetings scheduled." in html


def test_network_page_shows_a_renamed_member_at_once(client):
    city = CityFactory(name="Villa Vieja")
    network = MembershipFactory(city=city).network
    url = network.get_absolute_url()
    assert "Villa Vieja" in client.get(url).content.decode()
    city.name = "Villa Nueva"
    city.save()
    html = client.get(url).content.decode()
    assert "Villa Nueva" in html and "Villa Vieja" not in html


def test_no_kept_piece_holds_a_visitors_form_or_details(client, drawn):
    network = NetworkFactory()
    MeetingFactory(network=network, place="Salón secreto 7")
    official = CityOfficialFactory(user__email="member-official@example.org")
    MembershipFactory(network=network, city=official.city)
    client.force_login(official.user)
    member_page = client.get(network.get_absolute_url()).content.decode()
    # The member's page has the calendar link's form, with its CSRF token, and the place.
    calendar_form = f'action="{reverse("networks:calendar_link", args=[network.slug])}"'
    assert calendar_form in member_page and "Salón secreto 7" in member_page
    assert "csrfmiddlewaretoken" in member_page
    assert drawn and not any("csrfmiddlewaretoken" in html for _name, html in drawn)
    assert not any("member-official@example.org" in html for _name, html in drawn)
    client.logout()
    public_page = client.get(network.get_absolute_url()).content.decode()
    assert "Salón secreto 7" not in public_page
    assert calendar_form not in public_page


def test_apply_search_shows_a_renamed_city_at_once(client, django_assert_max_num_queries):
    city = CityFactory(name="Sanitown")
    url = reverse("apply") + "?q=sanit"
    assert "Sanitown" in client.get(url).content.decode()
    with django_assert_max_num_queries(0):  # asked since the last change
        assert client.get(url).status_code == 200
    city.name = "Sanitville"
    city.save()
    html = client.get(url).content.decode()
    assert "Sanitville" in html and "Sanitown" not in html
    CityFactory(name="Sanitas")
    assert "Sanitas" in client.get(url).content.decode()


def test_a_country_chip_is_kept_per_language():
    assert "Germany" in country_chip("DE")
    with translation.override("es"):
        assert "Alemania" in country_chip("DE")
    assert "Germany" in country_chip("DE")


def test_network_page_is_kept_no_longer_than_a_map_of_an_older_grid(client, monkeypatch):
    """A large map is drawn from an older grid for a few seconds at most
    (networks/map/views.py): the page that keeps it must not serve it for longer."""
    network = MembershipFactory().network
    real_grid_for = map_views.grid_for

    def older_grid(**filters):
        grid = real_grid_for(**filters)
        grid.stale_until = time.time() + 5
        return grid

    monkeypatch.setattr(map_views, "grid_for", older_grid)
    timeouts = {}
    real_set = cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        timeouts[key.split(":")[0]] = timeout
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    assert client.get(network.get_absolute_url()).status_code == 200
    assert timeouts["network-page"] <= 5


def test_a_slug_longer_than_any_network_is_a_404_not_a_cache_error(client):
    # Found by tests/fuzz: the page's cache key carried the slug as typed, and a key
    # over 250 characters made the cache warn (an error under -W error, or memcached).
    assert client.get(f"/networks/{'y' * 300}/").status_code == 404
