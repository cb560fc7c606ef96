"""An anonymous revalidation of a page of cities is answered by
alliance.api.revalidate.EarlyRevalidationMiddleware, before sessions, the language
redirect, the URL resolver and ninja: the same 304 the view would give, in the same
language, with the Host still checked."""

import pytest
from django.urls import reverse

from tests.api.conftest import bearer, make_token
from tests.factories import CityFactory, MembershipFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("api:cities")


@pytest.fixture(autouse=True)
def _members():
    network = NetworkFactory(slug="andes")
    for name in ("Lodz", "Quito"):
        MembershipFactory(city=CityFactory(name=name), network=network)


def test_a_session_cookie_costs_a_304_no_query(client, django_assert_num_queries):
    # A browser signed in to the portal that also reads the API: its session (and its
    # user's saved language) was looked up in the database before the 304.
    client.force_login(UserFactory())
    first = client.get(URL)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_304_is_in_the_language_of_the_page_it_revalidates(client):
    spanish = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert spanish["ETag"] != english["ETag"]
    assert spanish["Content-Language"] == "es"
    kept = client.get(URL, HTTP_ACCEPT_LANGUAGE="es", HTTP_IF_NONE_MATCH=spanish["ETag"])
    assert kept.status_code == 304 and kept["ETag"] == spanish["ETag"]
    # The reader switched to Japanese: their Spanish copy is not current.
    switched = client.get(URL, HTTP_ACCEPT_LANGUAGE="ja", HTTP_IF_NONE_MATCH=spanish["ETag"])
    assert switched.status_code == 200 and switched["Content-Language"] == "ja"
    client.cookies["django_language"] = "es"  # the switcher's cookie wins, as on the page
    assert client.get(URL, HTTP_IF_NONE_MATCH=spanish["ETag"]).status_code == 304


def test_the_304_carries_what_the_page_did(client):
    first = client.get(f"{URL}?q=lodz")
    again = client.get(f"{URL}?q=lodz", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    for header in ("ETag", "Last-Modified", "Cache-Control"):
        assert again[header] == first[header], header
    assert set(again["Vary"].split(", ")) >= {"Accept-Language", "Cookie", "Authorization"}


def test_a_host_not_allowed_is_a_400_not_a_304(client):
    first = client.get(URL)
    answer = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_HOST="evil.example")
    assert answer.status_code == 400


@pytest.mark.parametrize("with_token", [False, True])
def test_if_none_match_star_does_not_hide_a_bad_query(client, with_token):
    # Found by an attack on #18: "*" matches any current representation (RFC 9110,
    # 13.1.2), and a query the API refuses has none; anonymous clients got a 304.
    headers = {"HTTP_IF_NONE_MATCH": "*"}
    if with_token:
        headers.update(bearer(make_token(UserFactory())))
    for path in [URL + "?kind=bogus", URL + "?foo=1", URL + "?after=garbage"]:
        assert client.get(path, **headers).status_code == 400, path
    missing = reverse("api:network_members", args=["no-such-network"])
    assert client.get(missing, **headers).status_code == 404
    # A good query has a representation: "*" matches it.
    assert client.get(URL, **headers).status_code == 304
