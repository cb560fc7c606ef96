"""The map of member cities in a real browser without JavaScript (Chromium, Playwright):
it renders over the country outlines, its points link to the city pages, its filter
works as a plain GET form, focus shows on a point, and it fits from a phone to a desktop."""

import re

import pytest

from tests.factories import CityFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def members():
    latam = NetworkFactory(name="Latin America", slug="latam")
    world = NetworkFactory(name="Global Alliance", slug="global", kind="global", scope_region="")
    for slug, name, lat, lon, country, region, network in [
        ("bogota-co", "Bogotá", 4.711, -74.072, "CO", "latam", latam),
        ("medellin-co", "Medellín", 6.244, -75.581, "CO", "latam", latam),
        ("toronto-ca", "Toronto", 43.65, -79.38, "CA", "north-america", world),
    ]:
        city = CityFactory(
            slug=slug, name=name, latitude=lat, longitude=lon, country=country, region=region
        )
        MembershipFactory(city=city, network=network)


def _open(browser, url, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    outlines = []
    page.on("response", lambda r: "/static/map/world-110m" in r.url and outlines.append(r.status))
    page.goto(url)
    return page, outlines


def test_the_map_renders_links_to_city_pages_and_filters_without_javascript(
    live_server, browser, members
):
    page, outlines = _open(browser, f"{live_server.url}/map/", 1280)

    svg = page.locator("svg.map__svg")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box["width"] > 1000 and box["height"] > 300
    page.wait_for_load_state("load")
    assert outlines == [200]  # the Natural Earth outlines, allowed by the CSP
    # A point is a link named after its city; following it opens the city's page.
    toronto = page.get_by_role("link", name=re.compile(r"^Toronto, Canada – member of the global"))
    assert toronto.count() == 1
    toronto.click()
    page.wait_for_url(re.compile(r"/cities/toronto-ca/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Toronto"

    # The filter is a GET form: choose a region, submit, get its map.
    page.goto(f"{live_server.url}/map/")
    page.get_by_label("World region").select_option("latam")
    page.get_by_role("button", name="Show on the map").click()
    page.wait_for_url(re.compile(r"/map/\?network=&region=latam$"))
    names = page.locator("svg.map__svg a title").all_text_contents()
    assert names and all("Colombia" in name for name in names), names
    assert page.get_by_role(
        "heading", name="Member cities in Latin America & Caribbean"
    ).is_visible()


def test_focus_shows_on_a_point(live_server, browser, members):
    page, _outlines = _open(browser, f"{live_server.url}/map/?region=north-america", 1280)

    page.locator(".map__skip").focus()  # the last link before the map
    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "/cities/toronto-ca/"
    ring = page.eval_on_selector(
        ".map__city:focus-visible circle", "el => getComputedStyle(el).strokeWidth"
    )
    assert ring == "4px"


@pytest.mark.parametrize("width", [390, 1280, 1366, 1440])
def test_the_map_page_fits_the_screen(live_server, browser, members, width):
    page, _outlines = _open(browser, f"{live_server.url}/map/", width)

    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width
    # On a phone the map scrolls on its own, its marks staying large enough to tap.
    frame = page.locator(".map__frame").bounding_box()
    assert frame["x"] >= 0 and frame["x"] + frame["width"] <= width
    if width == 390:
        assert page.locator("svg.map__svg").bounding_box()["width"] >= 600
