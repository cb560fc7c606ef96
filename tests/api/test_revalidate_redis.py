"""The early round trip of a revalidation (alliance.api.revalidate.EarlyRevalidationMiddleware,
alliance.cache.send_read_and_count) against a real, private redis-server: the 304, the
ETag that changes at once with the data, every request counted, HEAD too, and no 500
when the server forgot the script or is gone. Skipped without redis-server, as
tests/alliance/test_cache_outage.py is."""

import pytest
from django.urls import resolve, reverse

from alliance import cache as degrading_cache
from alliance import data_version
from alliance.api import revalidate
from tests.factories import CityFactory, MembershipFactory, NetworkFactory
from tests.private_redis import PrivateRedis, production_caches

pytestmark = pytest.mark.django_db

URL = reverse("api:cities")


@pytest.fixture
def redis_server(settings):
    server = PrivateRedis().start()
    settings.REDIS_URL = f"{server.url}/1"
    settings.CACHES = production_caches(settings, settings.REDIS_URL)
    degrading_cache.reset()
    try:
        yield server
    finally:
        degrading_cache.reset()
        server.kill()


@pytest.fixture
def city():
    city = CityFactory(name="Lodz")
    MembershipFactory(city=city, network=NetworkFactory(slug="andes"))
    return city


def test_a_revalidation_is_a_304_until_the_data_changes(redis_server, city, client, settings):
    settings.API_RATE_ANONYMOUS = "100/m"
    first = client.get(URL)
    assert first.status_code == 200
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.head(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    data_version.changed()  # what every change to the directory calls
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_every_request_is_counted_once(redis_server, city, client, settings):
    settings.API_RATE_ANONYMOUS = "4/m"
    first = client.get(URL)
    members = reverse("api:network_members", args=["andes"])
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.head(URL).status_code == 200
    assert client.get(members).status_code == 200
    refused = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert refused.status_code == 429 and "Retry-After" in refused
    assert refused["Content-Type"] == "application/problem+json"


def test_a_forgotten_script_is_sent_again(redis_server, city, client):
    import redis

    first = client.get(URL)
    redis.Redis.from_url(f"{redis_server.url}/1").script_flush()
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_without_redis_the_api_answers_and_counts_nothing(redis_server, city, client, settings):
    settings.API_RATE_ANONYMOUS = "1/m"
    assert client.get(URL).status_code == 200
    redis_server.kill()
    for _ in range(3):
        answer = client.get(URL)
        assert answer.status_code == 200, answer.content[:300]


def test_the_early_path_check_agrees_with_the_urls():
    for path in [
        URL,
        reverse("api:network_members", args=["andes"]),
        reverse("api:city", args=["lodz"]),
        reverse("api:networks"),
        reverse("api:network", args=["andes"]),
        reverse("api:partners"),
        reverse("api:meetings"),
        reverse("api:openapi-json"),
        URL + "x/",
    ]:
        match = resolve(path)
        is_page = match.namespace == "api" and match.url_name in revalidate.REVALIDATING
        assert revalidate._revalidating_path(path) == is_page, path
