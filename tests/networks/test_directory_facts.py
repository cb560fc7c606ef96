"""The directory's network, kind, role and date filters read the facts kept on the city
(City.member_facts), and every way of changing a membership or a network keeps them.

Each check is what a visitor sees: whether the directory, filtered, lists the city.
"""

import datetime
import io

import pytest
import tablib
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse

from cities.models import City
from networks.directory import facts as directory_facts
from networks.directory.filters import DirectoryFilter
from networks.models import Membership
from networks.models.structure import member_cities
from networks.services import membership_create, membership_set_status
from tests.admin.forms import form_data
from tests.factories import CityFactory, MembershipFactory, NetworkFactory
from tests.imports.through_admin import import_through_admin
from tests.networks.test_directory import URL, names

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def latam():
    return NetworkFactory(name="Latin America", slug="latin-america")


@pytest.fixture
def india():
    return NetworkFactory(
        name="India", slug="india", kind="national", scope_region="", scope_country="IN"
    )


@pytest.fixture
def secretariat(client, staff_user):
    client.force_login(staff_user)
    return client


def listed(client, city, **filters) -> bool:
    return city.name in names(client.get(URL, filters))


def test_the_membership_filters_look_up_no_membership_per_city(latam):
    """The filters read the city's own row: no EXISTS over the memberships (issue #19)."""
    query = "network=latin-america&kind=regional&role=founding&joined_since=2024-01-01"
    for text in (query, "role=member", "kind=national", "joined_since=2020-01-01"):
        filterset = DirectoryFilter(QueryDict(text), queryset=City.objects.all())
        assert filterset.is_valid(), filterset.errors
        assert "networks_membership" not in str(filterset.qs.query), text


def test_network_kind_role_and_date_apply_to_one_and_the_same_membership(client, latam, india):
    bogota = CityFactory(name="Bogotá")
    membership_create(city=bogota, network=latam, role="founding", joined_on=DAY)
    membership_create(
        city=bogota, network=india, role="member", joined_on=datetime.date(2021, 1, 1)
    )
    assert listed(client, bogota, network="latin-america", role="founding")
    assert listed(client, bogota, kind="regional", role="founding", joined_since="2024-03-01")
    assert listed(client, bogota, role="member")
    assert listed(client, bogota, joined_since="2024-01-01")
    # Each true of some membership, never of the same one.
    assert not listed(client, bogota, network="india", role="founding")
    assert not listed(client, bogota, kind="national", role="founding")
    assert not listed(client, bogota, role="member", joined_since="2024-01-01")
    assert not listed(client, bogota, network="latin-america", kind="national")
    assert not listed(client, bogota, joined_since="2024-03-02")


def test_a_membership_without_a_joined_date_matches_no_date(client, latam):
    lima = CityFactory(name="Lima")
    membership_create(city=lima, network=latam, role="member", joined_on=None)
    assert listed(client, lima, network="latin-america")
    assert not listed(client, lima, network="latin-america", joined_since="2000-01-01")


def test_the_services_keep_the_facts(client, latam):
    quito = CityFactory(name="Quito")
    membership = membership_create(city=quito, network=latam, role="founding", joined_on=DAY)
    assert listed(client, quito, role="founding", joined_since="2024-03-01")
    membership_set_status(membership=membership, status="lapsed")
    assert not listed(client, quito, role="founding")
    assert not listed(client, quito, network="latin-america")
    membership_set_status(membership=membership, status="active")
    assert listed(client, quito, network="latin-america", role="founding")


def test_the_membership_admin_form_keeps_the_facts(secretariat, client, latam):
    cali = CityFactory(name="Cali")
    membership = MembershipFactory(city=cali, network=latam, role="member", joined_on=DAY)
    url = reverse("admin:networks_membership_change", args=[membership.pk])
    data = form_data(secretariat.get(url))
    data.update(role="pioneer", joined_on="2025-02-01")
    assert secretariat.post(url, data).status_code == 302
    assert listed(client, cali, role="pioneer", joined_since="2025-02-01")
    assert not listed(client, cali, role="member")


def test_the_city_admin_inline_keeps_the_facts(secretariat, client, latam, india):
    pune = CityFactory(name="Pune", country="IN", region="south-asia")
    MembershipFactory(city=pune, network=latam, role="member", joined_on=DAY)
    url = reverse("admin:cities_city_change", args=[pune.pk])
    data = form_data(secretariat.get(url))
    # The existing membership becomes a founding one, and a new one in India is added.
    data["memberships-0-role"] = "founding"
    data["memberships-TOTAL_FORMS"] = "2"
    data.update(
        {
            "memberships-1-network": str(india.pk),
            "memberships-1-role": "pioneer",
            "memberships-1-status": "active",
            "memberships-1-joined_on": "2025-06-01",
        }
    )
    response = secretariat.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert listed(client, pune, network="latin-america", role="founding")
    assert listed(client, pune, kind="national", role="pioneer", joined_since="2025-06-01")
    assert not listed(client, pune, role="member")


def test_the_network_admin_inline_keeps_the_facts(secretariat, client, latam):
    rio = CityFactory(name="Rio")
    MembershipFactory(city=rio, network=latam, role="member", joined_on=DAY)
    url = reverse("admin:networks_network_change", args=[latam.pk])
    data = form_data(secretariat.get(url))
    data["memberships-0-role"] = "founding"
    response = secretariat.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert listed(client, rio, network="latin-america", role="founding")


def test_the_bulk_delete_action_keeps_the_facts(secretariat, client, latam, india):
    goa = CityFactory(name="Goa")
    kept = MembershipFactory(city=goa, network=india, role="member", joined_on=DAY)
    gone = MembershipFactory(city=goa, network=latam, role="founding", joined_on=DAY)
    changelist = reverse("admin:networks_membership_changelist")
    secretariat.post(
        changelist, {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"}
    )
    assert not Membership.objects.filter(pk=gone.pk).exists()
    assert not listed(client, goa, network="latin-america")
    assert not listed(client, goa, role="founding")
    assert listed(client, goa, network="india", role="member")
    assert kept.pk


def test_an_import_keeps_the_facts(secretariat, client, latam):
    CityFactory(slug="montevideo-uy", name="Montevideo", country="UY")
    book = tablib.Dataset(headers=["city", "network", "role", "status", "joined_on"])
    book.append(["montevideo-uy", "latin-america", "founding", "active", "2024-03-01"])
    import_through_admin(secretariat, "memberships", book.export("csv"))
    city = City.objects.get(slug="montevideo-uy")
    assert listed(client, city, network="latin-america", role="founding", joined_since="2024-03-01")


def test_a_history_revert_keeps_the_facts(secretariat, client, latam):
    from tests.admin.test_history_revert import revert

    asuncion = CityFactory(name="Asunción")
    membership = MembershipFactory(city=asuncion, network=latam, role="founding", joined_on=DAY)
    first = membership.history.earliest()
    membership.role = "member"
    membership.save()
    assert not listed(client, asuncion, role="founding")
    _page, response = revert(secretariat, membership, first)
    assert response.status_code == 302
    assert listed(client, asuncion, network="latin-america", role="founding")


def test_a_network_that_changes_kind_or_is_switched_off_takes_its_cities_along(client, latam):
    leon = CityFactory(name="León")
    MembershipFactory(city=leon, network=latam, role="member", joined_on=DAY)
    latam.kind, latam.scope_region, latam.scope_country = "national", "", "MX"
    latam.save()
    assert listed(client, leon, kind="national")
    assert not listed(client, leon, kind="regional")
    latam.is_active = False
    latam.save()
    assert not listed(client, leon, kind="national")
    latam.is_active = True
    latam.save()
    assert listed(client, leon, kind="national", role="member")


def test_refresh_directory_mends_facts_that_sql_broke(client, latam):
    tunja = CityFactory(name="Tunja")
    MembershipFactory(city=tunja, network=latam, role="founding", joined_on=DAY)
    Membership.objects.filter(city=tunja).update(role="pioneer")  # no signal
    City.objects.filter(pk=tunja.pk).update(member_facts={})
    call_command("refresh_directory", stdout=io.StringIO())
    assert listed(client, tunja, role="pioneer", joined_since="2024-03-01")
    assert not listed(client, tunja, role="founding")


def test_the_migration_fills_the_facts_of_existing_cities(client, latam):
    import importlib

    from django.apps import apps

    cusco = CityFactory(name="Cusco")
    MembershipFactory(city=cusco, network=latam, role="founding", joined_on=DAY)
    City.objects.update(member_facts={})
    importlib.import_module("networks.migrations.0016_fill_city_member_facts").fill(apps, None)
    assert listed(client, cusco, network="latin-america", role="founding")


def test_fill_directory_keeps_the_facts_of_every_city_it_adds():
    """Checked against the memberships themselves (an EXISTS per city, the old way)."""
    call_command("fill_directory", 120, real_limit=60, no_progress=True, stdout=io.StringIO())
    networks = list(member_cities().values_list("memberships__network", flat=True).distinct())
    for network_id in networks:
        for role in Membership.Role.values:
            conditions = {"network_id": network_id, "role": role}
            expected = set(member_cities(conditions=_q(**conditions)).values_list("pk", flat=True))
            key = f"n{network_id}/r:{role}"
            found = City.objects.filter(directory_facts.matching(key)).values_list("pk", flat=True)
            assert set(found) == expected, key
    since = datetime.date(2023, 1, 1)
    expected = set(member_cities(conditions=_q(joined_on__gte=since)).values_list("pk", flat=True))
    found = City.objects.filter(directory_facts.matching(directory_facts.ALL, since))
    assert set(found.values_list("pk", flat=True)) == expected and expected


def _q(**conditions):
    from django.db.models import Q

    return Q(**conditions)
