import pytest
from django.core.management import call_command

from alliance.models import FaqEntry, Partner
from cities.models import City
from networks.models import Membership, Network, PioneerLink

pytestmark = pytest.mark.django_db

MODELS = [Network, City, Membership, PioneerLink, Partner, FaqEntry]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_twice_adds_nothing_the_second_time():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert first == {
        "Network": 4,
        # 17 founding members, 10 other named pioneers, Mumbai and Tokyo as hosts.
        "City": 27,
        # 17 founding memberships and 19 pioneer memberships of the global alliance.
        "Membership": 36,
        "PioneerLink": 7,
        "Partner": 21,
        "FaqEntry": 8,
    }


def test_a_second_load_keeps_what_the_secretariat_edited(demo_data):
    network = Network.objects.get(slug="india")
    network.description = "Edited by the secretariat"
    network.save()
    kohima = Membership.objects.get(city__slug="kohima-in", network=network)
    kohima.status = Membership.Status.SUSPENDED
    kohima.save()

    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    network.refresh_from_db()
    kohima.refresh_from_db()
    assert network.description == "Edited by the secretariat"
    assert kohima.status == Membership.Status.SUSPENDED


def test_cities_carry_real_gazetteer_data(demo_data):
    kohima = City.objects.get(slug="kohima-in")
    assert kohima.country.code == "IN"
    assert kohima.region == "south-asia"
    assert kohima.time_zone == "Asia/Kolkata"
    assert 50_000 < kohima.population < 200_000
    assert 25 < kohima.latitude < 26
    cordoba = City.objects.get(slug="cordoba-ar")
    assert cordoba.time_zone == "America/Argentina/Cordoba"


def test_founding_members_and_pioneers_have_their_roles(demo_data):
    latam = Network.objects.get(slug="latin-america")
    founders = set(
        latam.memberships.filter(role="founding", status="active").values_list(
            "city__name", flat=True
        )
    )
    assert founders == {"Bogotá", "Brasília", "Buenos Aires", "Córdoba", "Medellín", "Mexico City"}
    pioneers = Membership.objects.filter(network__slug="global-alliance", role="pioneer")
    assert pioneers.count() == 19
    assert pioneers.filter(city__name="Kaga").exists()
    assert latam.host_city.name == "Medellín"
    assert Network.objects.get(slug="india").host_city.name == "Mumbai"


def test_pioneer_links_run_from_a_pioneer_to_a_smaller_city(demo_data):
    for link in PioneerLink.objects.select_related("pioneer", "mentee"):
        assert link.pioneer.memberships.filter(role="pioneer").exists()
        assert link.mentee.population < link.pioneer.population
