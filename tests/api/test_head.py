"""HEAD on every GET route of /api/v1/: answered as GET, without the body (issue #18;
RFC 9110 §9.3.2). Before alliance/api/head.py ninja answered every HEAD with 405."""

import pytest
from django.urls import reverse

from tests.api.conftest import bearer, make_token
from tests.factories import (
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

SAME_HEADERS = (
    "Content-Type",
    "Content-Length",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "Content-Language",
)


@pytest.fixture
def directory():
    network = NetworkFactory(slug="andes")
    city = MembershipFactory(network=network, role="pioneer").city
    PartnerFactory()
    official = CityOfficialFactory(city=city, contact_audience="public")
    MeetingFactory(network=network)
    return {"city": city.slug, "network": network.slug, "token": make_token(official.user)}


def routes(directory):
    """Every GET route of the API, with what it needs (the token-only one a token)."""
    return [
        (reverse("api:openapi-json"), {}),
        (reverse("api:cities"), {}),
        (reverse("api:cities") + "?region=latam&sort=population", {}),
        (reverse("api:city", args=[directory["city"]]), {}),
        (reverse("api:networks"), {}),
        (reverse("api:network", args=[directory["network"]]), {}),
        (reverse("api:network_members", args=[directory["network"]]), {}),
        (reverse("api:partners"), {}),
        (reverse("api:meetings"), bearer(directory["token"])),
        (reverse("api:cities"), bearer(directory["token"])),
    ]


def test_every_get_route_answers_head_with_gets_headers_and_no_body(client, directory):
    for url, headers in routes(directory):
        got = client.get(url, **headers)
        head = client.head(url, **headers)
        assert got.status_code == 200, url
        assert head.status_code == 200, (url, head.status_code)
        assert head.content == b"", url
        for name in SAME_HEADERS:
            assert head.get(name) == got.get(name), (url, name)
        assert head["Content-Length"] == str(len(got.content)), url


def test_head_revalidates_like_get(client, directory):
    for url, headers in routes(directory)[1:]:
        first = client.head(url, **headers)
        again = client.head(url, HTTP_IF_NONE_MATCH=first["ETag"], **headers)
        assert again.status_code == 304, url
        assert again["ETag"] == first["ETag"] and again.content == b""


def test_head_errors_are_the_same_problems_as_get(client, directory):
    for url, headers in [
        (reverse("api:city", args=["atlantis"]), {}),
        (reverse("api:cities") + "?region=atlantis", {}),
        (reverse("api:meetings"), {}),  # needs a token
        (reverse("api:cities"), bearer("gsca_revoked")),
    ]:
        got = client.get(url, **headers)
        head = client.head(url, **headers)
        assert got.status_code >= 400
        assert head.status_code == got.status_code, url
        assert head["Content-Type"] == got["Content-Type"] == "application/problem+json"
        assert head.content == b""


def test_head_counts_in_the_rate_limit(client, settings, directory):
    settings.API_RATE_ANONYMOUS = "3/m"
    url = reverse("api:cities")
    first = client.head(url)
    assert client.head(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.head(reverse("api:partners")).status_code == 200
    refused = client.head(url)
    assert refused.status_code == 429 and "Retry-After" in refused
    assert client.get(url).status_code == 429


def test_other_methods_are_still_refused(client):
    url = reverse("api:cities")
    for method in (client.post, client.put, client.delete):
        answer = method(url)
        assert answer.status_code == 405
        assert answer["Content-Type"] == "application/problem+json"
