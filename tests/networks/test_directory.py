"""The member directory: filters, search, sorting, pagination and bad input."""

import datetime
import html
import io
import re
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from alliance import data_version
from networks.directory import counting
from networks.directory import query as directory
from networks.models import Membership
from tests.factories import (
    CityFactory,
    CityOfficialFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("directory")


def member(name, network=None, role="member", joined=None, **city_fields):
    city = CityFactory(name=name, **city_fields)
    MembershipFactory(
        city=city,
        network=network or NetworkFactory(),
        role=role,
        joined_on=joined or datetime.date(2021, 3, 1),
    )
    return city


ROW = re.compile(r'class="table__city"><a href="/cities/([^/"]+)/">([^<]*)</a>')


def names(response):
    """The cities the page lists, as a visitor reads them."""
    assert response.status_code == 200, response.content[:500]
    return [html.unescape(name) for _slug, name in ROW.findall(response.content.decode())]


def slugs(response):
    return [slug for slug, _name in ROW.findall(response.content.decode())]


def total(response):
    """The number of cities the page says it found ("3 cities", "about 180,000 cities")."""
    found = re.search(r'class="directory-count">\s*([^<]*?)\s*</p>', response.content.decode())
    return found.group(1)


def pager_link(response, rel):
    """The query string of the pager's "next" or "prev" link, or None."""
    found = re.search(rf'rel="{rel}" href="[^"?]*\?([^"]+)"', response.content.decode())
    return found and dict(parse_qsl(html.unescape(found.group(1))))


@pytest.fixture
def networks():
    return {
        "latam": NetworkFactory(name="Latin America", slug="latin-america"),
        "india": NetworkFactory(
            name="India", slug="india", kind="national", scope_region="", scope_country="IN"
        ),
        "global": NetworkFactory(name="Global", slug="global", kind="global", scope_region=""),
    }


def test_lists_active_members_once_whatever_the_number_of_networks(client, networks):
    bogota = member("Bogotá", networks["latam"])
    MembershipFactory(city=bogota, network=networks["global"], role="pioneer")
    lapsed = member("Lapsed Town", networks["latam"]).memberships.get()
    lapsed.status = "lapsed"
    lapsed.save()
    CityFactory(name="Not A Member")
    assert names(client.get(URL)) == ["Bogotá"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bogota", ["Bogotá"]),
        ("BOGOTÁ", ["Bogotá"]),
        ("sao paulo", ["São Paulo"]),
        ("Medellin", ["Medellín"]),
        ("medellín", ["Medellín"]),
        ("cordoba", ["Córdoba", "Córdoba"]),
        ("bangalore", ["Bengaluru"]),
    ],
)
def test_search_ignores_case_and_accents_both_ways(client, networks, query, expected):
    member("Bogotá")
    member("São Paulo", country="BR")
    member("Medellín")
    member("Córdoba", country="AR")
    member("Córdoba", country="ES", region="europe")
    member("Bengaluru", country="IN", region="south-asia", alternate_names="Bangalore")
    member("Cali")
    assert names(client.get(URL, {"q": query})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"network": "india"}, ["Kohima", "Thane"]),
        ({"kind": "national"}, ["Kohima", "Thane"]),
        ({"region": "latam"}, ["Bogotá", "Pasto"]),
        ({"country": "IN"}, ["Kohima", "Thane"]),
        ({"size": "small"}, ["Kohima"]),
        ({"role": "pioneer"}, ["Bogotá"]),
        ({"joined_since": "2022-01-01"}, ["Pasto", "Thane"]),
        ({"principle": "equity-societal-impact"}, ["Pasto"]),
        ({"region": "latam", "role": "member", "size": "medium"}, ["Pasto"]),
        ({"network": "india", "role": "pioneer"}, []),
        ({"country": "IN", "size": "large-metropolitan"}, ["Thane"]),
    ],
)
def test_filters_alone_and_combined(client, networks, params, expected):
    from cities.models import Principle

    member("Bogotá", networks["latam"], role="pioneer", population=7_600_000)
    pasto = member("Pasto", networks["latam"], joined=datetime.date(2023, 5, 2), population=392_000)
    pasto.principles.add(Principle.objects.get(code="equity-societal-impact"))
    member("Kohima", networks["india"], country="IN", region="south-asia", population=99_000)
    member(
        "Thane",
        networks["india"],
        country="IN",
        region="south-asia",
        population=1_841_000,
        joined=datetime.date(2022, 6, 1),
    )
    assert names(client.get(URL, params)) == expected


def test_the_network_filter_and_role_apply_to_the_same_membership(client, networks):
    city = member("Bogotá", networks["latam"], role="member")
    MembershipFactory(city=city, network=networks["global"], role="pioneer")
    assert names(client.get(URL, {"network": "latin-america", "role": "pioneer"})) == []
    assert names(client.get(URL, {"network": "global", "role": "pioneer"})) == ["Bogotá"]


def test_sorts_by_population_and_by_date_joined(client):
    member("Small", population=60_000, joined=datetime.date(2024, 1, 1))
    member("Big", population=9_000_000, joined=datetime.date(2021, 1, 1))
    member("Unknown", population=None, joined=datetime.date(2022, 1, 1))
    assert names(client.get(URL, {"sort": "population"})) == ["Big", "Small", "Unknown"]
    assert names(client.get(URL, {"sort": "joined"})) == ["Small", "Unknown", "Big"]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(directory, "PAGE_SIZE", 5)
    original = directory.page

    def paged(*args, **kwargs):
        kwargs["size"] = 5
        return original(*args, **kwargs)

    monkeypatch.setattr(directory, "page", paged)


@pytest.mark.parametrize("sort", ["name", "population", "joined"])
def test_pagination_neither_skips_nor_repeats_a_city(client, sort, small_pages):
    network = NetworkFactory()
    # Ties and missing values on purpose: the id must break them.
    cities = [
        member(
            f"City {n % 7}",
            network,
            population=None if n % 5 == 0 else 100_000 + (n % 4),
            joined=datetime.date(2021, 1, 1 + n % 3),
        )
        for n in range(23)
    ]

    seen, params = [], {"sort": sort}
    while params:
        response = client.get(URL, params)
        seen += slugs(response)
        params = pager_link(response, "next")
    assert sorted(seen) == sorted(c.slug for c in cities)
    assert len(seen) == len(set(seen))

    # Backwards from the last page gives the same pages in reverse.
    params, backward_pages = {"sort": sort, "last": "1"}, []
    while params:
        response = client.get(URL, params)
        backward_pages.append(slugs(response))
        params = pager_link(response, "prev")
    assert [slug for p in reversed(backward_pages) for slug in p] == seen


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "abc"},
        {"sort": "password"},
        {"country": "XX"},
        {"q": "x" * 10_000},
        {"after": "not-a-cursor"},
        {"before": "W1tdXQ"},
        {"network": "<script>alert(1)</script>"},
        {"joined_since": "yesterday"},
        {"q": "'; DROP TABLE cities_city; --"},
        {"size": "{{7*7}}"},
    ],
)
def test_malformed_parameters_give_a_clean_page_or_400_never_echoed_raw(client, params):
    member("Bogotá")
    response = client.get(URL, params)
    assert response.status_code in {200, 400}
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "x" * 10_000 not in html or response.status_code == 400
    assert "Bogotá" in client.get(URL).content.decode()


def test_empty_result_says_so_and_offers_to_clear_filters(client):
    member("Bogotá")
    response = client.get(URL, {"q": "zzzz"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No member city matches" in html
    assert f'href="{URL}"' in html


def test_total_is_exact_when_small(client):
    for n in range(3):
        member(f"Town {n}")
    assert total(client.get(URL)) == "3 cities"


def test_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    network = NetworkFactory()
    for n in range(60):
        member(f"Town {n:02}", network)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert len(names(response)) == directory.PAGE_SIZE


# Export ----------------------------------------------------------------------

EXPORT = reverse("directory_export")


def partner_user():
    from alliance.models import PartnerPerson
    from tests.factories import PartnerFactory

    return PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory()).user


def test_export_needs_a_signed_in_partner_or_staff(client):
    member("Bogotá")
    assert client.post(EXPORT).status_code == 302
    client.force_login(UserFactory())
    assert client.post(EXPORT).status_code == 403
    client.force_login(CityOfficialFactory().user)
    assert client.post(EXPORT).status_code == 403


def test_partner_exports_the_filtered_directory_and_the_export_is_logged(client):
    from networks.models import DirectoryExport

    member("Bogotá", population=7_600_000)
    member("Pasto", population=392_000)
    user = partner_user()
    client.force_login(user)
    response = client.post(EXPORT, {"size": "medium"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Pasto" in body and "Bogotá" not in body
    log = DirectoryExport.objects.get()
    assert log.user == user and log.filters == {"size": "medium"}


def test_exports_are_rate_limited_per_account_and_a_refused_one_is_not_logged(client):
    from networks.models import DirectoryExport

    member("Bogotá")
    client.force_login(partner_user())
    for _ in range(20):
        assert client.post(EXPORT).status_code == 200
    assert client.post(EXPORT).status_code == 429
    assert DirectoryExport.objects.count() == 20
    client.force_login(partner_user())  # another partner is not held back by the first
    assert client.post(EXPORT).status_code == 200


def test_export_neutralises_spreadsheet_formulas(client, staff_user):
    member('=HYPERLINK("http://evil.example")')
    member("+SUM(A1)")
    client.force_login(staff_user)
    body = b"".join(client.post(EXPORT).streaming_content).decode()
    assert "'=HYPERLINK" in body and "'+SUM(A1)" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_a_cross_site_get_of_the_export_neither_logs_nor_spends_the_quota(client):
    """Another site can make a signed-in partner's browser GET the URL (a link, an
    <img>); only the page's own form, a POST with its CSRF token, exports."""
    from networks.models import DirectoryExport

    member("Bogotá")
    client.force_login(partner_user())
    for _ in range(25):
        assert client.get(EXPORT).status_code == 405
    assert not DirectoryExport.objects.exists()
    assert client.post(EXPORT).status_code == 200  # the hourly quota is untouched
    assert DirectoryExport.objects.count() == 1


def test_the_export_needs_the_csrf_token(client):
    from django.test import Client

    from networks.models import DirectoryExport

    member("Bogotá")
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(partner_user())
    assert checked.post(EXPORT).status_code == 403
    assert not DirectoryExport.objects.exists()


def test_the_directory_offers_the_export_as_a_form_that_keeps_the_filters(client):
    import re

    from networks.models import DirectoryExport

    member("Bogotá", population=7_600_000)
    member("Pasto", population=392_000)
    client.force_login(partner_user())
    page = client.get(URL, {"size": "medium", "sort": "population"}).content.decode()
    form = re.search(rf'<form method="post" action="{EXPORT}"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no export form on the page"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[1]))
    assert fields.pop("csrfmiddlewaretoken")
    assert fields == {"size": "medium", "sort": "population"}
    body = b"".join(client.post(EXPORT, fields).streaming_content).decode()
    assert "Pasto" in body and "Bogotá" not in body
    assert DirectoryExport.objects.get().filters == {"size": "medium", "sort": "population"}


def test_results_are_reused_between_visits_but_follow_every_change_at_once(
    client, django_assert_max_num_queries
):
    network = NetworkFactory()
    for name in ["Apeldoorn", "Bilbao", "Córdoba"]:
        member(name, network)
    assert total(client.get(URL)) == "3 cities"
    # The same page again: rows, count and filter options all come from the caches.
    with django_assert_max_num_queries(0):
        response = client.get(URL)
    assert total(response) == "3 cities"
    assert names(response) == ["Apeldoorn", "Bilbao", "Córdoba"]

    member("Dubai", network)
    response = client.get(URL)
    assert total(response) == "4 cities" and "Dubai" in names(response)
    MembershipFactory(city=CityFactory(name="Kaga"), network=network, status="lapsed")
    Membership.objects.filter(city__name="Dubai").delete()
    response = client.get(URL)
    assert total(response) == "3 cities" and names(response) == ["Apeldoorn", "Bilbao", "Córdoba"]


def test_a_renamed_network_shows_at_once_in_badges_and_the_network_filter(client):
    network = NetworkFactory(name="Old name", slug="net")
    member("Bilbao", network)
    assert "Old name" in client.get(URL).content.decode()
    network.name = "New name"
    network.save()
    html_text = client.get(URL).content.decode()
    assert "Old name" not in html_text
    assert html_text.count("New name") == 2  # the badge and the filter's option


def test_cached_results_are_kept_apart_per_language(client):
    from django.utils import translation

    member("Bilbao")
    assert "Population" in client.get(URL).content.decode()
    with translation.override("es"):
        spanish = reverse("directory")
    html_text = client.get(spanish).content.decode()
    assert "Población" in html_text and ">Population<" not in html_text


def test_the_version_moves_again_when_the_change_is_committed(django_capture_on_commit_callbacks):
    before = data_version.current()
    with django_capture_on_commit_callbacks() as callbacks:
        member("Bilbao")
        during = data_version.current()
    assert during != before and callbacks
    for callback in callbacks:
        callback()
    assert data_version.current() != during


def test_the_selected_filter_values_stay_selected(client, networks):
    member("Bogotá", networks["latam"])
    page = client.get(URL, {"network": "latin-america", "country": "CO", "sort": "population"})
    text = page.content.decode()
    assert '<option value="latin-america" selected>' in text
    assert '<option value="CO" selected>' in text
    assert '<option value="population" selected>' in text
    # Another visitor's selection is not kept in the shared option lists.
    assert '<option value="CO" selected>' not in client.get(URL).content.decode()


def test_total_is_an_honest_estimate_when_counting_would_be_costly(client, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(counting, "EXACT_COUNT_LIMIT", 3)
    for n in range(6):
        member(f"Town {n}")
    shown = total(client.get(URL))
    if connection.vendor == "postgresql":
        assert shown.startswith("about ") and shown.endswith(" cities")
    else:  # no planner estimate to offer: the exact number
        assert shown == "6 cities"


def test_a_change_does_not_make_the_next_visitor_count_a_large_result_again(client, monkeypatch):
    from django.db import connection

    from tests.conftest import require

    require(connection.vendor == "postgresql", "estimates come from PostgreSQL's planner")
    monkeypatch.setattr(counting, "EXACT_COUNT_LIMIT", 3)
    for n in range(6):
        member(f"Town {n}")
    assert total(client.get(URL)).startswith("about ")
    member("Town 7")

    def count_again(queryset):
        raise AssertionError("counted again")

    monkeypatch.setattr(counting, "_count", count_again)
    response = client.get(URL)
    assert total(response).startswith("about ") and "Town 7" in names(response)


def test_the_network_filter_lists_networks_by_their_name_in_the_visitors_language(client):
    from django.utils import translation

    member("Bilbao", NetworkFactory(name="Japan", name_es="Japón", slug="japan"))
    member("Pasto", NetworkFactory(name="Latin America", name_es="América Latina", slug="latam"))
    english = client.get(URL).content.decode()
    assert english.index(">Japan</option>") < english.index(">Latin America</option>")
    with translation.override("es"):
        spanish = client.get(reverse("directory")).content.decode()
    assert spanish.index(">América Latina</option>") < spanish.index(">Japón</option>")


def test_is_member_follows_memberships_and_networks_whatever_changes_them(client, networks):
    """The directory lists from City.is_member; each way of changing a membership keeps it."""
    from cities.models import City
    from networks.services import membership_create, membership_set_status

    def listed(city):
        return City.objects.get(pk=city.pk).is_member and city.name in names(client.get(URL))

    bilbao = CityFactory(name="Bilbao")
    assert not listed(bilbao)
    membership = membership_create(city=bilbao, network=networks["latam"], role="member")
    assert listed(bilbao)
    membership_set_status(membership=membership, status="lapsed")
    assert not listed(bilbao)
    membership_set_status(membership=membership, status="active")
    networks["latam"].is_active = False
    networks["latam"].save()
    assert not listed(bilbao)
    networks["latam"].is_active = True
    networks["latam"].save()
    assert listed(bilbao)
    second = MembershipFactory(city=bilbao, network=networks["global"])
    membership.delete()
    assert listed(bilbao)  # still a member through the other network
    Membership.objects.filter(pk=second.pk).delete()  # a bulk delete, as the admin's action
    assert not listed(bilbao)
    # History: reverting the deleted membership lists the city again.
    second.history.earliest().instance.save()
    assert listed(bilbao)
    # Moved to another city (the admin allows it): both cities follow.
    pasto = CityFactory(name="Pasto")
    moved = Membership.objects.get(pk=second.pk)
    moved.city = pasto
    moved.save()
    assert listed(pasto) and not listed(bilbao)


def test_is_member_is_filled_for_existing_cities_by_the_migration():
    import importlib

    from django.apps import apps

    from cities.models import City

    city = member("Bilbao")
    lapsed = member("Pasto")
    lapsed.memberships.update(status="lapsed")  # no signal: the copy is now wrong
    City.objects.update(is_member=False)
    importlib.import_module("networks.migrations.0012_fill_city_is_member").fill(apps, None)
    assert City.objects.get(pk=city.pk).is_member
    assert not City.objects.get(pk=lapsed.pk).is_member


def test_refresh_directory_mends_what_sql_changed_behind_the_signals(client):
    from django.core.management import call_command

    from cities.models import City

    bilbao = member("Bilbao", joined=datetime.date(2021, 3, 1))
    pasto = member("Pasto")
    pasto.memberships.update(status="lapsed")  # no signal
    City.objects.filter(pk=bilbao.pk).update(is_member=False, member_since=None)
    assert names(client.get(URL)) == ["Pasto"]
    call_command("refresh_directory", stdout=io.StringIO())
    assert names(client.get(URL)) == ["Bilbao"]
    assert City.objects.get(pk=bilbao.pk).member_since == datetime.date(2021, 3, 1)
