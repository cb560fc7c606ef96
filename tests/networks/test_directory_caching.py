"""The member directory's caches and counts: results reused between visits yet following
every change at once, kept apart per language, and the estimated total of a large result."""

import pytest
from django.urls import reverse

from alliance import data_version
from networks.directory import counting
from networks.models import Membership
from tests.factories import (
    CityFactory,
    MembershipFactory,
    NetworkFactory,
)
from tests.networks.directory_pages import URL, member, names, total

pytestmark = pytest.mark.django_db


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


def test_after_a_change_a_search_with_few_matches_is_counted_with_its_page(client):
    """A search seen before, with few matches, costs one scan of them after a change: its
    page and its exact total from the same query (issue #19: the "after change" page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    network = NetworkFactory()
    for name in ["San José", "Santa Cruz", "Bilbao"]:
        member(name, network)
    assert total(client.get(URL, {"q": "san"})) == "2 cities"
    member("San Juan", network)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "san"})
    of_cities = [q["sql"] for q in queries.captured_queries if 'FROM "cities_city"' in q["sql"]]
    assert len(of_cities) == 1 and "OVER ()" in of_cities[0]
    assert total(response) == "3 cities"
    assert names(response) == ["San José", "San Juan", "Santa Cruz"]
    # Its last page too; the next visit reads the count the first one kept.
    member("Santos", network)
    response = client.get(URL, {"q": "san", "last": "1"})
    assert total(response) == "4 cities" and names(response)[-1] == "Santos"
    with CaptureQueriesContext(connection) as queries:
        assert total(client.get(URL, {"q": "san", "sort": "population"})) == "4 cities"
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)


def test_a_search_reads_the_members_trigram_index(client):
    """The directory's search lists members only, so PostgreSQL can read the trigram
    index of the members' names (cities migration 0011), not that of every city (issue
    #19): the query's conditions imply the partial index's WHERE is_member."""
    from django.db import connection

    from cities.models import City
    from tests.conftest import require

    require(connection.vendor == "postgresql", "a PostgreSQL index")
    member("San José")
    CityFactory(name="San Marino")  # not a member
    queryset = City.objects.filter(is_member=True).search("san").values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: else a scan
        # Which of two usable indexes the planner takes on a handful of rows depends on
        # the statistics the earlier tests left (CI took the index of every city): with
        # that one gone (in this test's transaction, rolled back), only an index whose
        # predicate the query implies can serve the search.
        cursor.execute("DROP INDEX IF EXISTS city_search_trgm_idx")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "city_member_search_trgm_idx" in plan
