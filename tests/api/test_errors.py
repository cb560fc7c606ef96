"""Every error under /api/ is problem details (RFC 9457), never an HTML page."""

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from alliance.api import listing
from tests.api.conftest import bearer, make_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM, response.content[:200]
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    return body


def test_an_unknown_url_is_a_404_problem(client):
    body = assert_problem(client.get("/api/v1/no-such-thing/"), 404)
    assert body["instance"] == "/api/v1/no-such-thing/"
    assert_problem(client.get(reverse("api:city", args=["no-such-city"])), 404)
    assert_problem(client.get(reverse("api:network", args=["no-such-network"])), 404)


def test_a_method_the_api_does_not_take_is_a_405_problem(client):
    response = client.post(reverse("api:cities"))
    assert_problem(response, 405)
    assert response["Allow"] == "GET"
    assert_problem(client.delete(reverse("api:partners")), 405)


def test_a_bad_filter_is_a_400_problem_with_each_field(client):
    body = assert_problem(client.get(reverse("api:cities") + "?region=atlantis&sort=x"), 400)
    assert set(body["errors"]) == {"region", "sort"}


def test_characters_no_database_stores_are_a_400_problem(client):
    body = assert_problem(client.get(reverse("api:cities") + "?q=a%00b"), 400)
    # The reason the site's 400 page gives, in the client's language.
    assert body["detail"] == "The address contains characters that cannot be used."
    spanish = client.get(reverse("api:partners") + "?x=%00", HTTP_ACCEPT_LANGUAGE="es")
    assert assert_problem(spanish, 400)["detail"].startswith("La dirección")


def test_a_missing_token_is_a_401_problem(client):
    response = client.get(reverse("api:meetings"))
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_titles_are_in_the_clients_language(client):
    body = assert_problem(client.get("/api/v1/nope/", HTTP_ACCEPT_LANGUAGE="ja"), 404)
    assert body["title"] != "Not found"
    assert "Accept-Language" in client.get("/api/v1/nope/")["Vary"]


def test_too_many_requests_is_a_429_problem_with_retry_after(client, settings):
    settings.API_RATE_ANONYMOUS = "3/m"
    url = reverse("api:partners")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another address has its own allowance.
    assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_a_token_has_its_own_limit(client, settings):
    settings.API_RATE_TOKEN = "2/m"
    settings.API_RATE_ANONYMOUS = "1/m"
    url = reverse("api:partners")
    mine, theirs = bearer(make_token(UserFactory())), bearer(make_token(UserFactory()))
    assert [client.get(url, **mine).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(url, **theirs).status_code == 200  # same address, another token


def test_an_exception_is_a_500_problem(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(listing, "city_page", broken)
    client = Client(raise_request_exception=False)
    body = assert_problem(client.get(reverse("api:cities")), 500)
    assert "boom" not in str(body)


def test_a_failing_middleware_is_a_500_problem_too(monkeypatch):
    from alliance import request_data

    def broken(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(request_data.RequestDataMiddleware, "__call__", broken)
    client = Client(raise_request_exception=False)
    assert_problem(client.get(reverse("api:cities")), 500)


def test_site_pages_keep_their_html_errors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_an_unknown_parameter_is_a_400_problem_naming_it(client):
    body = assert_problem(client.get(reverse("api:cities") + "?regoin=europe"), 400)
    assert body["errors"] == {"regoin": [body["errors"]["regoin"][0]]}


@pytest.mark.parametrize(
    "route, args",
    [
        ("api:city", ["no-matter"]),
        ("api:networks", []),
        ("api:network", ["x"]),
        ("api:partners", []),
    ],
)
def test_every_route_refuses_a_parameter_it_does_not_take(client, route, args):
    # Found by an attack on #18: /networks/?foo=1 answered 200 while /cities/?foo=1 was a 400.
    body = assert_problem(client.get(reverse(route, args=args) + "?foo=1"), 400)
    assert set(body["errors"]) == {"foo"}


@pytest.mark.parametrize("starts", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_meeting_cursor_past_the_calendar_is_a_400_problem(client, starts):
    # Found by an attack on #18: a cursor whose time leaves years 1-9999 once in UTC
    # was an OverflowError (a 500) on SQLite.
    cursor = base64.urlsafe_b64encode(json.dumps([starts, 1]).encode()).decode().rstrip("=")
    headers = bearer(make_token(UserFactory()))
    response = client.get(reverse("api:meetings") + f"?after={cursor}", **headers)
    assert assert_problem(response, 400)["detail"] == "The page cursor is not valid."


def test_field_messages_are_in_the_clients_language_too(client):
    # Found by an attack on #18: titles and details were translated, the messages of
    # each field (pydantic's) were English whatever the language.
    url = reverse("api:cities") + "?kind=zzz&q=" + "x" * 500
    english = assert_problem(client.get(url), 400)["errors"]
    assert english["kind"] == ["Select a valid choice. zzz is not one of the available choices."]
    assert english["q"] == ["Ensure this value has at most 100 characters (it has 500)."]
    japanese = assert_problem(client.get(url, HTTP_ACCEPT_LANGUAGE="ja"), 400)["errors"]
    assert japanese["kind"] == ["正しく選択してください。 zzz は候補にありません。"]
    links = reverse("api:city_mentoring", args=["x"]) + "?after=abc"
    spanish = assert_problem(client.get(links, HTTP_ACCEPT_LANGUAGE="es"), 400)["errors"]
    assert spanish == {"after": ["Introduzca un número entero."]}


def test_a_refused_token_counts_against_the_address(client, settings):
    # Found by an attack on #18: past its anonymous limit an address still had each
    # made-up token looked up and answered 401, without limit.
    settings.API_RATE_ANONYMOUS = "2/m"
    url = reverse("api:partners")
    made_up = bearer("gsca_" + "x" * 43)
    assert client.get(url, **made_up).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Basic eDp5").status_code == 401
    response = client.get(url, **made_up)
    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    # A good token is not the address's: it keeps its own allowance.
    assert client.get(url, **bearer(make_token(UserFactory()))).status_code == 200
