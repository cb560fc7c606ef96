"""The roadmap: a city's steps edited from its page, /roadmap/'s counts and lists, a
network page's members x model policies matrix."""

import pytest
from django.urls import reverse

from networks.models import ModelPolicy
from networks.policies.models import RoadmapEntry
from tests.factories import CityFactory, CityOfficialFactory, MembershipFactory, NetworkFactory
from tests.policies.helpers import accepted

pytestmark = pytest.mark.django_db


def roadmap_data(**steps):
    """Form data for every model policy: not started, unless given as value=status."""
    data = {}
    for policy in ModelPolicy.values:
        data[f"{policy}-status"] = steps.get(policy.replace("-", "_"), "not-started")
        data[f"{policy}-since"] = ""
        data[f"{policy}-evidence_url"] = ""
        data[f"{policy}-evidence_policy"] = ""
    return data


@pytest.fixture
def member():
    city = CityFactory(name="Medellín", slug="medellin-co")
    MembershipFactory(city=city)
    return city


def test_an_official_keeps_the_roadmap_from_the_city_page_with_history(client, member):
    official = CityOfficialFactory(city=member)
    client.force_login(official.user)
    page = client.get(member.get_absolute_url()).text
    url = reverse("policies:city_roadmap", args=[member.slug])
    assert url in page  # the city page links its editors to the roadmap
    evidence = accepted(city=member, title="Medellín open data decree")
    data = roadmap_data(open_data="adopted", dig_once="planned")
    data["open-data-since"] = "2021-05-01"
    data["open-data-evidence_policy"] = str(evidence.pk)
    assert client.post(url, data).status_code == 302
    steps = {e.model_policy: e for e in RoadmapEntry.objects.filter(city=member)}
    assert set(steps) == {"open-data", "dig-once"}  # not started is no row
    assert steps["open-data"].evidence_policy == evidence
    assert steps["open-data"].history.get().history_user == official.user
    assert client.post(url, data).status_code == 302  # unchanged: no new version
    assert steps["open-data"].history.count() == 1
    data["open-data-status"] = "in-progress"
    client.post(url, data)
    assert steps["open-data"].history.count() == 2
    page = client.get(member.get_absolute_url()).text
    assert "In progress" in page and "Planned" in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("open-data-status", "pirate"),
        ("open-data-since", "2999-01-01"),
        ("open-data-evidence_url", "javascript:alert(1)"),
        ("open-data-evidence_policy", "99999999999999999999999"),
        ("open-data-evidence_policy", "abc"),
    ],
)
def test_bad_steps_are_400_and_store_nothing(client, member, field, value):
    client.force_login(CityOfficialFactory(city=member).user)
    data = roadmap_data(open_data="adopted")
    data[field] = value
    response = client.post(reverse("policies:city_roadmap", args=[member.slug]), data)
    assert response.status_code == 400
    assert not RoadmapEntry.objects.exists()


def test_another_citys_policy_or_one_not_accepted_is_no_evidence(client, member):
    client.force_login(CityOfficialFactory(city=member).user)
    for policy in (accepted(city=CityFactory()), accepted(city=member, status="submitted")):
        data = roadmap_data(open_data="adopted")
        data["open-data-evidence_policy"] = str(policy.pk)
        url = reverse("policies:city_roadmap", args=[member.slug])
        assert client.post(url, data).status_code == 400
    assert not RoadmapEntry.objects.exists()


def test_the_roadmap_page_counts_and_lists_in_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    def add(n, status):
        for _ in range(n):
            city = MembershipFactory(status="active").city
            RoadmapEntry.objects.create(city=city, model_policy="open-data", status=status)

    add(3, "adopted")
    with django_assert_max_num_queries(14):
        first = client.get(reverse("policies:roadmap")).text
    assert "3 cities adopted it" in first
    add(20, "adopted")
    add(2, "in-progress")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("policies:roadmap")).text
    assert "23 cities adopted it" in page and "2 cities are working on it" in page
    assert "and 11 more" in page  # 12 listed by name
    assert "Interoperability and openness" in page and "Privacy impact assessment" in page


def test_a_city_that_left_the_alliance_no_longer_counts_on_the_roadmap(client):
    stays, leaves = (MembershipFactory(status="active") for _ in range(2))
    for membership in (stays, leaves):
        RoadmapEntry.objects.create(
            city=membership.city, model_policy="open-data", status="adopted"
        )
    leaves.status = "withdrawn"
    leaves.save()
    page = client.get(reverse("policies:roadmap")).text
    assert "1 city adopted it" in page or "1 cities adopted it" in page
    assert stays.city.name in page and leaves.city.name not in page


def test_a_network_page_shows_its_members_steps(client):
    network = NetworkFactory(slug="net")
    city = MembershipFactory(network=network, city=CityFactory(name="Kaga")).city
    RoadmapEntry.objects.create(city=city, model_policy="dig-once", status="adopted")
    html = client.get(network.get_absolute_url()).text
    assert 'class="table roadmap-matrix"' in html
    assert "roadmap-matrix__adopted" in html and html.count("roadmap-matrix__not-started") == 4


def test_the_directory_filters_cities_that_adopted_a_model_policy(client):
    adopted, working = CityFactory(name="Kaga"), CityFactory(name="Maebashi")
    for city in (adopted, working):
        MembershipFactory(city=city)
    RoadmapEntry.objects.create(city=adopted, model_policy="dig-once", status="adopted")
    RoadmapEntry.objects.create(city=working, model_policy="dig-once", status="in-progress")
    page = client.get(reverse("directory"), {"adopted": "dig-once"})
    assert page.status_code == 200
    assert "Kaga" in page.text and "Maebashi" not in page.text
    assert client.get(reverse("directory"), {"adopted": "pirate"}).status_code == 400
    # A change of the roadmap shows at once (the directory's cache follows the data).
    RoadmapEntry.objects.filter(city=working).update(status="adopted")
    RoadmapEntry.objects.get(city=working).save()
    assert "Maebashi" in client.get(reverse("directory"), {"adopted": "dig-once"}).text
