"""The member directory lists from City.is_member: kept by every way of changing a
membership, filled by the migration, mended by refresh_directory."""

import datetime
import io

import pytest

from networks.models import Membership
from tests.factories import (
    CityFactory,
    MembershipFactory,
)
from tests.networks.directory_pages import URL, member, names

pytestmark = pytest.mark.django_db


def test_is_member_follows_memberships_and_networks_whatever_changes_them(client, networks):
    """The directory lists from City.is_member; each way of changing a membership keeps it."""
    from cities.models import City
    from networks.services import membership_create, membership_set_status

    def listed(city):
        return City.objects.get(pk=city.pk).is_member and city.name in names(client.get(URL))

    bilbao = CityFactory(name="Bilbao")
    assert not listed(bilbao)
    membership = membership_create(city=bilbao, network=networks["latam"], role="member")
    assert listed(bilbao)
    membership_set_status(membership=membership, status="lapsed")
    assert not listed(bilbao)
    membership_set_status(membership=membership, status="active")
    networks["latam"].is_active = False
    networks["latam"].save()
    assert not listed(bilbao)
    networks["latam"].is_active = True
    networks["latam"].save()
    assert listed(bilbao)
    second = MembershipFactory(city=bilbao, network=networks["global"])
    membership.delete()
    assert listed(bilbao)  # still a member through the other network
    Membership.objects.filter(pk=second.pk).delete()  # a bulk delete, as the admin's action
    assert not listed(bilbao)
    # History: reverting the deleted membership lists the city again.
    second.history.earliest().instance.save()
    assert listed(bilbao)
    # Moved to another city (the admin allows it): both cities follow.
    pasto = CityFactory(name="Pasto")
    moved = Membership.objects.get(pk=second.pk)
    moved.city = pasto
    moved.save()
    assert listed(pasto) and not listed(bilbao)


def test_is_member_is_filled_for_existing_cities_by_the_migration():
    import importlib

    from django.apps import apps

    from cities.models import City

    city = member("Bilbao")
    lapsed = member("Pasto")
    lapsed.memberships.update(status="lapsed")  # no signal: the copy is now wrong
    City.objects.update(is_member=False)
    importlib.import_module("networks.migrations.0012_fill_city_is_member").fill(apps, None)
    assert City.objects.get(pk=city.pk).is_member
    assert not City.objects.get(pk=lapsed.pk).is_member


def test_refresh_directory_mends_what_sql_changed_behind_the_signals(client):
    from django.core.management import call_command

    from cities.models import City

    bilbao = member("Bilbao", joined=datetime.date(2021, 3, 1))
    pasto = member("Pasto")
    pasto.memberships.update(status="lapsed")  # no signal
    City.objects.filter(pk=bilbao.pk).update(is_member=False, member_since=None)
    assert names(client.get(URL)) == ["Pasto"]
    call_command("refresh_directory", stdout=io.StringIO())
    assert names(client.get(URL)) == ["Bilbao"]
    assert City.objects.get(pk=bilbao.pk).member_since == datetime.date(2021, 3, 1)
