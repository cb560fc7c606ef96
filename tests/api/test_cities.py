"""/api/v1/cities/: the directory's cities, filters, search, pages and total, as JSON."""

import datetime
import json

import pytest
from django.urls import reverse
from ninja.operation import Operation

from alliance.api import listing
from networks.directory import counting
from networks.directory import query as directory
from tests.factories import CityFactory, MembershipFactory, NetworkFactory
from tests.networks.test_directory import names as directory_names

pytestmark = pytest.mark.django_db

URL = reverse("api:cities")


def member(name, network=None, role="member", **fields):
    city = CityFactory(name=name, **fields)
    MembershipFactory(
        city=city,
        network=network or NetworkFactory(),
        role=role,
        joined_on=datetime.date(2021, 3, 1),
    )
    return city


def api_names(client, query="", **headers):
    response = client.get(f"{URL}?{query}", **headers)
    assert response.status_code == 200, response.content[:500]
    return [row["name"] for row in response.json()["results"]], response.json()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=lodz",
        "q=da+nang",
        "q=l+aquila",
        "region=europe&size=medium&role=pioneer",
        "sort=population",
        "sort=joined",
        "network=net-a",
        "kind=regional",
        "country=PL",
    ],
)
def test_it_lists_what_the_directory_lists(client, query):
    net = NetworkFactory(slug="net-a", kind="regional", scope_region="europe")
    member("Łódź", net, role="pioneer", country="PL", region="europe", population=700_000)
    member("Đà Nẵng", country="VN", region="east-asia", population=1_200_000)
    member("L’Aquila", net, country="IT", region="europe", population=70_000)
    CityFactory(name="Lodz Nonmember")  # in no network: listed by neither
    names, _body = api_names(client, query)
    assert names == directory_names(client.get(f"{reverse('directory')}?{query}"))


def test_search_folds_accents_and_scripts(client):
    member("Łódź")
    member("Đà Nẵng")
    assert api_names(client, "q=LODZ")[0] == ["Łódź"]
    assert api_names(client, "q=đà")[0] == ["Đà Nẵng"]


def test_pages_follow_the_cursors_and_the_last_page(client, monkeypatch):
    monkeypatch.setattr(directory, "PAGE_SIZE", 2)
    monkeypatch.setitem(directory.page.__kwdefaults__, "size", 2)
    for name in "ABCDE":
        member(f"City {name}")
    names, body = api_names(client)
    assert names == ["City A", "City B"] and body["previous"] is None
    assert body["count"] == 5 and body["count_is_exact"] is True
    second = client.get(body["next"]).json()
    assert [r["name"] for r in second["results"]] == ["City C", "City D"]
    back = client.get(second["previous"]).json()
    assert [r["name"] for r in back["results"]] == ["City A", "City B"]
    last = api_names(client, "last=1")[1]
    assert [r["name"] for r in last["results"]] == ["City D", "City E"]
    assert last["next"] is None and last["previous"]


def test_beyond_the_exact_limit_the_total_is_about_n(client, monkeypatch):
    monkeypatch.setattr(counting, "_count", lambda queryset: (183_412, False))
    member("A")
    body = api_names(client)[1]
    assert body == {**body, "count": 180_000, "count_is_exact": False}
    page = client.get(reverse("directory")).content.decode()
    assert "180,000" in page


def test_a_row_carries_codes_labels_and_links(client):
    net = NetworkFactory(slug="andes", name="Andes")
    city = member(
        "Medellín", net, role="founding", country="CO", region="latam", population=2_500_000
    )
    row = api_names(client)[1]["results"][0]
    assert row == {
        "slug": city.slug,
        "name": "Medellín",
        "country": "CO",
        "country_name": "Colombia",
        "region": "latam",
        "region_label": "Latin America & Caribbean",
        "size": "large-metropolitan",
        "size_label": row["size_label"],
        "population": 2_500_000,
        "member_since": "2021-03-01",
        "url": city.get_absolute_url(),
        "api_url": reverse("api:city", args=[city.slug]),
        "memberships": [
            {
                "network": "andes",
                "network_name": "Andes",
                "role": "founding",
                "role_label": "Founding member",
            }
        ],
    }


def test_labels_follow_accept_language(client):
    member("Quito", region="latam")
    row = api_names(client, HTTP_ACCEPT_LANGUAGE="es")[1]["results"][0]
    assert row["region_label"] == "América Latina y el Caribe"


def test_a_bad_filter_is_a_400_problem_naming_it(client):
    member("A")
    for query in [
        "region=atlantis",
        "network=no-such-network",
        "country=QQ",
        "after=%%%",
        "joined_since=yesterday",
    ]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 400, query
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 400


def test_an_unchanged_page_is_a_304_without_a_query(client, django_assert_max_num_queries):
    member("A")
    first = client.get(URL)
    assert first["ETag"] and first["Last-Modified"]
    assert "Authorization" in first["Vary"] and "Accept-Language" in first["Vary"]
    with django_assert_max_num_queries(0):
        again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_revalidation_costs_no_query_nor_parsing_and_is_counted(
    client, settings, django_assert_num_queries, monkeypatch
):
    # Issue #18: a 304 costs about a bare view: no query, no filter validation, no
    # pydantic parsing, one round trip to the cache (the version and the rate limit).
    settings.API_RATE_ANONYMOUS = "3/m"
    member("A")
    query = f"{URL}?region=latam&size=small&role=member"
    first = client.get(query)
    assert first.status_code == 200

    def no_parsing(*args, **kwargs):
        raise AssertionError("a revalidation went past the ETag")

    with monkeypatch.context() as patched:
        patched.setattr(listing.DirectoryFilter, "__init__", no_parsing)
        patched.setattr(Operation, "run", no_parsing)  # ninja's auth, throttles, pydantic
        with django_assert_num_queries(0):
            again = client.get(query, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    for header in ("ETag", "Last-Modified", "Cache-Control"):
        assert again[header] == first[header]
    assert set(first["Vary"].split(", ")) <= set(again["Vary"].split(", "))
    # Another query string is another page: its own ETag, no 304.
    other = client.get(f"{URL}?region=latam", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200 and other["ETag"] != first["ETag"]
    # The revalidations counted: the address's fourth request is refused.
    refused = client.get(query, HTTP_IF_NONE_MATCH=first["ETag"])
    assert refused.status_code == 429 and refused["Content-Type"] == "application/problem+json"


def test_a_revalidation_with_a_bad_token_is_refused_not_304(client):
    member("A")
    first = client.get(URL)
    again = client.get(
        URL, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_AUTHORIZATION="Bearer gsca_revoked"
    )
    assert again.status_code == 401


def test_a_change_makes_a_new_etag(client, django_capture_on_commit_callbacks):
    city = member("A")
    first = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        city.name = "B"
        city.save()
    changed = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["results"][0]["name"] == "B"


def test_a_page_costs_a_few_queries(client, django_assert_max_num_queries):
    for n in range(60):
        member(f"City {n}")
    with django_assert_max_num_queries(4):
        client.get(URL)
    with django_assert_max_num_queries(0):  # the same page again: kept for the version
        client.get(URL)


def test_a_networks_members_are_its_directory(client):
    net = NetworkFactory(slug="andes")
    member("In", net)
    member("Out")
    body = client.get(reverse("api:network_members", args=["andes"])).json()
    assert [r["name"] for r in body["results"]] == ["In"]
    assert client.get(reverse("api:network_members", args=["nope"])).status_code == 404
    assert json.loads(client.get(reverse("api:networks")).content)[0]["slug"] == "andes"


def test_after_a_change_a_search_with_few_matches_is_counted_with_its_page(client):
    # As the directory (issue #19): one scan of the matching rows for the page and its
    # exact total, instead of one for each, when the search had few matches before.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ["San José", "Santa Cruz", "Bilbao"]:
        member(name)
    assert client.get(URL, {"q": "san"}).json()["count"] == 2
    member("San Juan")  # a change: a new data version
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(URL, {"q": "san"}).json()
    of_cities = [q["sql"] for q in queries.captured_queries if 'FROM "cities_city"' in q["sql"]]
    assert len(of_cities) == 1 and "OVER ()" in of_cities[0]
    assert answer["count"] == 3 and answer["count_is_exact"]
    assert [row["name"] for row in answer["results"]] == ["San José", "San Juan", "Santa Cruz"]
