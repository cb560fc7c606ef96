"""The member directory: listing, filters, search, sorting, pagination and bad input."""

import datetime

import pytest
from django.urls import reverse

from networks.directory import query as directory
from tests.factories import (
    CityFactory,
    MembershipFactory,
    NetworkFactory,
)
from tests.networks.directory_pages import URL, member, names, pager_link, slugs, total

pytestmark = pytest.mark.django_db


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


def test_the_selected_filter_values_stay_selected(client, networks):
    member("Bogotá", networks["latam"])
    page = client.get(URL, {"network": "latin-america", "country": "CO", "sort": "population"})
    text = page.content.decode()
    assert '<option value="latin-america" selected>' in text
    assert '<option value="CO" selected>' in text
    assert '<option value="population" selected>' in text
    # Another visitor's selection is not kept in the shared option lists.
    assert '<option value="CO" selected>' not in client.get(URL).content.decode()


def test_the_network_filter_lists_networks_by_their_name_in_the_visitors_language(client):
    from django.utils import translation

    member("Bilbao", NetworkFactory(name="Japan", name_es="Japón", slug="japan"))
    member("Pasto", NetworkFactory(name="Latin America", name_es="América Latina", slug="latam"))
    english = client.get(URL).content.decode()
    assert english.index(">Japan</option>") < english.index(">Latin America</option>")
    with translation.override("es"):
        spanish = client.get(reverse("directory")).content.decode()
    assert spanish.index(">América Latina</option>") < spanish.index(">Japón</option>")
