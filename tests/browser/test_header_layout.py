"""The header fits one row at common widths and languages, the menu is reachable at
every width without JavaScript, directory cells keep their words whole, and the admin's
applications list fits its screen. Chromium, driven by Playwright."""

import re

import pytest
from django.test import Client

from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
    with_totp,
)

pytestmark = pytest.mark.django_db(transaction=True)

PREFIX = {"en": "", "es": "/es", "ja": "/ja", "pt-br": "/pt-br"}

# (language, viewport width): the widths the issue reported, and the phone.
WIDE = [("en", 1366), ("en", 1440), ("es", 1280), ("pt-br", 1280), ("ja", 1366), ("en", 1024)]
NARROW = [("en", 390), ("es", 390), ("ja", 390), ("es", 1024)]


def _open(browser, url, width, *, javascript=False):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    return page


def _boxes(page, selector):
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.offsetParent !== null)
                    .map(e => { const r = e.getBoundingClientRect();
                                return {top: r.top, bottom: r.bottom, right: r.right}; })""",
    )


def _assert_header_on_one_row(page, width):
    items = _boxes(page, ".site-header__inner > *")
    assert len(items) == 2, items  # the brand, and the menu or its toggle
    brand, menu = items
    # The same row: each overlaps the other vertically, and nothing passes the edge.
    assert menu["top"] < brand["bottom"] and brand["top"] < menu["bottom"], items
    assert max(item["right"] for item in items) <= width
    links = _boxes(page, ".site-nav--wide .site-nav__list > li")
    assert len({round(link["top"]) for link in links}) <= 1, links
    # The account bar keeps the language switcher beside the account links.
    bar = _boxes(page, ".site-header__bar > *")
    if len(bar) == 2:
        assert bar[1]["top"] < bar[0]["bottom"], bar


@pytest.mark.parametrize(("language", "width"), WIDE)
def test_the_header_fits_one_row_with_the_whole_menu(live_server, browser, language, width):
    page = _open(browser, f"{live_server.url}{PREFIX[language]}/", width)
    _assert_header_on_one_row(page, width)
    apply = page.locator(".site-nav--wide a.site-nav__apply")
    assert apply.is_visible()
    assert page.locator(".site-header__bar .language-form__select").is_visible()
    apply.click()
    page.wait_for_url(re.compile(r"/apply/"))


@pytest.mark.parametrize(("language", "width"), NARROW)
def test_a_narrow_screen_gets_a_compact_menu_that_works_without_javascript(
    live_server, browser, language, width
):
    page = _open(browser, f"{live_server.url}{PREFIX[language]}/", width)
    _assert_header_on_one_row(page, width)
    apply = page.locator(".site-menu a.site-nav__apply")
    assert not apply.is_visible()
    page.locator("summary.site-menu__toggle").click()
    assert apply.is_visible()
    assert page.locator(".site-menu .language-form__select").is_visible()
    apply.click()
    page.wait_for_url(re.compile(r"/apply/"))


@pytest.mark.parametrize(("language", "width"), [("en", 1440), ("es", 1280), ("ja", 1366)])
def test_a_long_signed_in_address_keeps_the_language_switcher_on_its_row(
    live_server, browser, language, width
):
    # The address pushed the switcher to a second row of the account bar.
    user = UserFactory(
        email="maria.fernanda.rodriguez.castaneda@secretaria.medellin.gov.co", language=language
    )
    CityOfficialFactory(user=user)
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 800})
    host = live_server.url.split("//", 1)[1].split(":")[0]
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(f"{live_server.url}{PREFIX[language]}/directory/")
    bar = _boxes(page, ".site-header__bar > *")
    assert len(bar) == 2, bar
    _assert_header_on_one_row(page, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator(".account-nav__logout button").is_visible()


@pytest.fixture
def directory_rows():
    network = NetworkFactory(name="G20 Global Smart Cities Alliance")
    for name, country, region, population in [
        ("Barcelona", "ES", "europe-central-asia", 1_686_208),
        ("Apeldoorn", "NL", "europe-central-asia", 136_670),
        ("Belfast", "GB", "europe-central-asia", 348_005),
        ("Chattanooga", "US", "north-america", 181_099),
        ("Medellín", "CO", "latam", 2_529_403),
    ]:
        MembershipFactory(
            network=network,
            city=CityFactory(name=name, country=country, region=region, population=population),
        )


def _line_counts(page, selector):
    return page.eval_on_selector_all(
        selector,
        """els => els.map(
            e => new Set(Array.from(e.getClientRects(), r => Math.round(r.top))).size)""",
    )


@pytest.mark.parametrize(("language", "width"), [("en", 1366), ("en", 1024), ("ja", 1366)])
def test_directory_cells_keep_their_words_whole(
    live_server, browser, directory_rows, language, width
):
    page = _open(browser, f"{live_server.url}{PREFIX[language]}/directory/", width)
    sizes = _line_counts(page, ".table__size > span")
    assert sizes and max(sizes) <= 2, sizes
    # Nothing pushed off the side: the table fits its frame.
    table, frame = page.eval_on_selector(
        ".table--directory", "e => [e.getBoundingClientRect().width, e.parentElement.clientWidth]"
    )
    if width >= 1366:  # narrower screens scroll the table in its frame, as designed
        assert table <= frame + 0.5, (table, frame)
    countries = _line_counts(page, ".country__name")
    if language == "ja":
        # オランダ, スペイン, イギリス…: one line each, never broken between two kana.
        assert countries and max(countries) == 1, countries


@pytest.mark.parametrize("language", ["en", "es", "pt-br", "ja"])
@pytest.mark.parametrize("changelist", ["application", "meeting"])
def test_the_applications_and_meetings_lists_fit_a_1366_screen(
    live_server, browser, language, changelist
):
    network = NetworkFactory(name="Regional Alliance for Latin America")
    ApplicationFactory.create_batch(
        3, network=network, applicant_name="María Fernanda Rodríguez Castañeda"
    )
    MeetingFactory.create_batch(3, network=network, title="Open data in practice")
    # In Spanish the headings of the two date columns pushed the list past its edge.
    staff = with_totp(UserFactory(is_staff=True, is_superuser=True, language=language))
    client = Client()
    client.force_login(staff)
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/networks/{changelist}/")
    results = page.locator("#changelist .results")
    width, visible = results.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= visible, (width, visible)
    assert page.locator("#result_list thead").inner_text().count("Your name") == 0
