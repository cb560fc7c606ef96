"""A city's pioneer links, all of them: the city lists 100 each way and a `next` link,
and /cities/{slug}/mentoring/ and /mentored-by/ page the rest by keyset, as the city
page pages them (issue #18: the API gives what the HTML pages give)."""

import pytest
from django.urls import reverse

from alliance.api import resources
from tests.factories import CityFactory, NetworkFactory, PioneerLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pioneer(monkeypatch):
    monkeypatch.setattr(resources, "LINKS_SHOWN", 2)
    network = NetworkFactory()
    city = CityFactory(name="Pioneer", slug="pioneer")
    for n in range(5):
        PioneerLinkFactory(network=network, pioneer=city, mentee=CityFactory(name=f"M{n}"))
    PioneerLinkFactory(
        network=network, pioneer=city, mentee=CityFactory(name="Ended"), status="ended"
    )
    PioneerLinkFactory(network=NetworkFactory(is_active=False), pioneer=city)
    return city


def test_every_link_is_reachable_by_following_next(client, pioneer, django_assert_max_num_queries):
    detail = client.get(reverse("api:city", args=["pioneer"])).json()
    links = detail["mentoring"]
    assert links["count"] == 5 and len(links["results"]) == 2
    names = [row["name"] for row in links["results"]]
    url = links["next"]
    while url:
        with django_assert_max_num_queries(4):
            page = client.get(url)
        assert page.status_code == 200 and page["ETag"]
        body = page.json()
        assert body["count"] == 5 and len(body["results"]) <= 2
        names += [row["name"] for row in body["results"]]
        url = body["next"]
    assert names == ["M0", "M1", "M2", "M3", "M4"]  # no ended link, no inactive network


def test_the_other_way(client, pioneer):
    mentee = pioneer.mentoring.order_by("pk").first().mentee
    url = reverse("api:city_mentored_by", args=[mentee.slug])
    body = client.get(url).json()
    assert body == {
        "count": 1,
        "results": [
            {
                "slug": "pioneer",
                "name": "Pioneer",
                "country": pioneer.country.code,
                "network": body["results"][0]["network"],
                "focus": "",
                "status": body["results"][0]["status"],
            }
        ],
        "next": None,
    }
    assert client.get(reverse("api:city", args=[mentee.slug])).json()["mentored_by"] == body


def test_bad_cursors_and_cities_are_problems(client, pioneer):
    url = reverse("api:city_mentoring", args=["pioneer"])
    for query in ["after=x", "after=-1", "after=99999999999999999999", "page=2"]:
        answer = client.get(f"{url}?{query}")
        assert answer.status_code == 400, query
        assert answer["Content-Type"] == "application/problem+json"
    missing = client.get(reverse("api:city_mentoring", args=["atlantis"]))
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert client.head(url).status_code == 200
