"""/map/: member cities drawn as SVG links, counted where they crowd, filtered in the URL."""

import re
import time
from types import SimpleNamespace

import pytest
from django.urls import reverse

from alliance import data_version
from cities.models import City
from networks.map import views as map_views
from tests.factories import CityFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def member(slug, lat, lon, network, *, name=None, country="CO", region="latam", population=120_000):
    city = CityFactory(
        name=name or slug.title(),
        slug=slug,
        latitude=lat,
        longitude=lon,
        country=country,
        region=region,
        population=population,
    )
    MembershipFactory(city=city, network=network)
    return city


@pytest.fixture
def networks():
    return {
        "global": NetworkFactory(
            name="Global Alliance", slug="global", kind="global", scope_region=""
        ),
        "latam": NetworkFactory(name="Latin America", slug="latam"),
        "india": NetworkFactory(
            name="India", slug="india", kind="national", scope_region="", scope_country="IN"
        ),
    }


def svg_of(response) -> str:
    html = response.content.decode()
    found = re.search(r'<svg class="map__svg".*?</svg>', html, re.S)
    assert found, "no map on the page"
    return found.group(0)


def marks(svg: str) -> list[tuple[str, str, str]]:
    """(href, class, title) of every link in the map, in the map's order."""
    return re.findall(r'<a href="([^"]*)" class="([^"]*)"><title>([^<]*)</title>', svg)


def test_it_draws_each_member_city_as_a_link_to_its_page_shaped_by_its_network(client, networks):
    member("bogota", 4.711, -74.072, networks["latam"], name="Bogotá", population=7_400_000)
    member("indore", 22.72, 75.86, networks["india"], country="IN", region="south-asia")
    member("toronto", 43.65, -79.38, networks["global"], country="CA", region="north-america")
    CityFactory(name="Lima", slug="lima", latitude=-12.05, longitude=-77.04)  # not a member

    response = client.get(reverse("map"))

    assert response.status_code == 200
    svg = svg_of(response)
    # North first; each title is the link's accessible name and the pointer's tooltip.
    assert marks(svg) == [
        (
            "/cities/toronto/",
            "map__city map__city--global",
            "Toronto, Canada – member of the global network, Small",
        ),
        (
            "/cities/indore/",
            "map__city map__city--national",
            "Indore, India – member of a national network, Small",
        ),
        (
            "/cities/bogota/",
            "map__city map__city--regional",
            "Bogotá, Colombia – member of a regional network, Large metropolitan",
        ),
    ]
    assert "Lima" not in svg
    # Each kind its own shape: colour is not the only cue.
    assert re.search(r'map__city--global"><title>[^<]*</title><circle ', svg)
    assert re.search(r'map__city--regional"><title>[^<]*</title><rect ', svg)
    assert re.search(r'map__city--national"><title>[^<]*</title><path ', svg)
    # The outlines are the static Natural Earth file, drawn under the marks.
    assert re.search(r'<image href="/static/map/world-110m[^"]*\.svg"', svg)
    assert "Natural Earth" in response.content.decode()


def test_a_larger_city_gets_a_larger_mark(client, networks):
    member("town", 10.0, -70.0, networks["global"], population=20_000)
    member("metropolis", 40.0, 10.0, networks["global"], population=3_000_000)

    svg = svg_of(client.get(reverse("map")))

    radii = dict(re.findall(r'href="/cities/([a-z]+)/".*?<circle [^>]*r="([0-9.]+)"', svg))
    assert float(radii["metropolis"]) > 2 * float(radii["town"])


def test_a_city_in_several_networks_is_drawn_as_its_most_local_one(client, networks):
    indore = member("indore", 22.72, 75.86, networks["india"], country="IN", region="south-asia")
    MembershipFactory(city=indore, network=networks["global"])

    assert marks(svg_of(client.get(reverse("map"))))[0][1] == "map__city map__city--national"
    # On the global network's own map it is one of that network's cities.
    url = reverse("map") + "?network=global"
    assert marks(svg_of(client.get(url)))[0][1] == "map__city map__city--global"


def test_cities_close_together_are_one_counted_group_that_links_to_the_directory(client, networks):
    for i, slug in enumerate(["medellin", "envigado", "itagui"]):
        member(slug, 6.2 + i / 100, -75.57, networks["latam"])
    member("quito", -0.18, -78.47, networks["latam"], country="EC")

    response = client.get(reverse("map"))
    svg = svg_of(response)

    assert marks(svg) == [
        (
            "/directory/?country=CO",
            "map__group",
            "3 member cities near 6° N, 76° W, in Colombia: list the member cities of Colombia",
        ),
        ("/cities/quito/", "map__city map__city--regional", marks(svg)[1][2]),
    ]
    assert re.search(
        r'class="map__group"><title>[^<]*</title><circle [^>]*/><text [^>]*>3</text>', svg
    )
    # The link finds what the group counts.
    directory = client.get("/directory/?country=CO").content.decode()
    assert all(name in directory for name in ["Medellin", "Envigado", "Itagui"])


def test_a_group_across_a_border_names_the_country_with_most_cities(client, networks):
    member("a", 1.0, -78.0, networks["latam"], country="EC")
    member("b", 1.1, -78.1, networks["latam"], country="EC")
    member("c", 1.2, -77.9, networks["latam"], country="CO")

    href, _cls, title = marks(svg_of(client.get(reverse("map"))))[0]

    assert href == "/directory/?country=EC"
    assert title.startswith("3 member cities near 1° N, 78° W, most in Ecuador")


def test_the_table_counts_member_cities_per_country_with_links_to_the_directory(client, networks):
    member("medellin", 6.25, -75.57, networks["latam"])
    member("bogota", 4.71, -74.07, networks["latam"])
    member("quito", -0.18, -78.47, networks["latam"], country="EC")
    CityFactory(slug="nowhere-co")  # no location: not on the map, but counted
    MembershipFactory(city=City.objects.get(slug="nowhere-co"), network=networks["latam"])

    html = client.get(reverse("map")).content.decode()

    table = re.search(r'<table class="table table--map">.*?</table>', html, re.S).group(0)
    rows = re.findall(
        r'<th scope="row"><a href="([^"]*)">([^<]*)</a></th><td[^>]*>([^<]*)</td>', table
    )
    assert rows == [
        ("/directory/?country=CO", "Colombia", "3"),
        ("/directory/?country=EC", "Ecuador", "1"),
    ]
    assert "1 member city has no recorded location and is not on the map." in html


def test_the_network_filter_shows_its_members_and_zooms_to_its_country(client, networks):
    member("indore", 22.72, 75.86, networks["india"], country="IN", region="south-asia")
    member("bogota", 4.71, -74.07, networks["latam"])

    response = client.get(reverse("map"), {"network": "india"})

    svg = svg_of(response)
    assert [href for href, _c, _t in marks(svg)] == ["/cities/indore/"]
    # India's box, not the world's.
    west, north, width, height = map(int, re.search(r'viewBox="([-0-9 ]+)"', svg).group(1).split())
    assert 600 < west < 700 and width < 500
    assert "Member cities of India" in response.content.decode()
    # Groups and the table send the reader to the directory with the same filter.
    assert "/directory/?network=india&amp;country=IN" in response.content.decode()


def test_the_region_filter_shows_that_regions_cities(client, networks):
    member("indore", 22.72, 75.86, networks["global"], country="IN", region="south-asia")
    member("bogota", 4.71, -74.07, networks["global"])

    response = client.get(reverse("map"), {"region": "latam"})

    assert [href for href, _c, _t in marks(svg_of(response))] == ["/cities/bogota/"]
    assert 'option value="latam" selected' in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"network": "atlantis"}, {"region": "moon"}, {"network": "x" * 500}]
)
def test_a_filter_it_does_not_know_is_a_400_with_the_reason(client, networks, query):
    response = client.get(reverse("map"), query)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Some of the filters could not be understood" in html
    assert "map__svg" not in html


def test_an_inactive_networks_members_are_not_drawn_and_it_is_no_filter(client, networks):
    closed = NetworkFactory(slug="closed", is_active=False)
    member("quito", -0.18, -78.47, closed, country="EC")

    assert marks(svg_of(client.get(reverse("map")))) == []
    assert client.get(reverse("map"), {"network": "closed"}).status_code == 400


def test_the_map_follows_a_change_at_once(client, networks):
    client.get(reverse("map"))
    member("quito", -0.18, -78.47, networks["latam"], country="EC")

    assert [m[0] for m in marks(svg_of(client.get(reverse("map"))))] == ["/cities/quito/"]


def test_a_large_map_follows_a_change_within_its_stale_seconds(client, networks, monkeypatch):
    # Issue #18: a grid that is expensive to build (the world at 200,000 cities) is
    # built at most once per MAP_STALE_SECONDS; every grid counts as expensive here.
    monkeypatch.setattr(map_views, "REBUILD_BUDGET_SECONDS", -1)
    client.get(reverse("map"))
    member("quito", -0.18, -78.47, networks["latam"], country="EC")
    assert marks(svg_of(client.get(reverse("map")))) == []

    later = time.time() + map_views.MAP_STALE_SECONDS + 1
    clock = SimpleNamespace(time=lambda: later, perf_counter=time.perf_counter)
    monkeypatch.setattr(map_views, "time", clock)
    # (The page drawn from the older grid is kept until then too; a new version here
    # stands for that expiry.)
    data_version.changed()
    assert [m[0] for m in marks(svg_of(client.get(reverse("map"))))] == ["/cities/quito/"]


def test_the_map_speaks_the_visitors_language(client, networks):
    member("quito", -0.18, -78.47, networks["latam"], country="EC")

    html = client.get("/es/map/").content.decode()

    assert "Quito, Ecuador – miembro de una red regional, Pequeña" in html


def test_a_network_page_shows_its_own_members_map(client, networks):
    member("indore", 22.72, 75.86, networks["india"], country="IN", region="south-asia")
    member("bogota", 4.71, -74.07, networks["latam"])

    response = client.get(networks["india"].get_absolute_url())

    assert [href for href, _c, _t in marks(svg_of(response))] == ["/cities/indore/"]
    assert 'href="/map/?network=india"' in response.content.decode()
