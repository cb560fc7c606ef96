"""An official joining or leaving a city: every write path brings the ledger in step."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from cities.models import CityOfficial
from networks.applications.services import application_approve
from networks.models import Reminder
from tests.factories import ApplicationFactory, CityFactory, UserFactory
from tests.writepaths.conftest import page_data, prefix_of

pytestmark = pytest.mark.django_db


def _verified():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _post(client, url, data):
    assert client.post(url, data).status_code == 302


def official_admin_add(world, client, staff, user):
    data = {"user": user.pk, "city": world.city.pk, "role": "staff", "contact_audience": "members"}
    _post(client, reverse("admin:cities_cityofficial_add"), data)


def city_inline_add(world, client, staff, user):
    url = reverse("admin:cities_city_change", args=[world.city.pk])
    page = client.get(url)
    data = page_data(page)
    prefix = prefix_of(page, CityOfficial)
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
    data.update(
        {
            f"{prefix}-{n}-user": user.pk,
            f"{prefix}-{n}-role": "staff",
            f"{prefix}-{n}-contact_audience": "members",
        }
    )
    _post(client, url, data)


def application_approved(world, client, staff, user):
    application = ApplicationFactory(applicant=user, city=world.city, network=world.network)
    application_approve(application=application, reviewer=staff)


def orm_create(world, client, staff, user):
    CityOfficial.objects.create(user=user, city=world.city, role="staff")


JOIN = [official_admin_add, city_inline_add, application_approved, orm_create]


@pytest.mark.parametrize("write", JOIN, ids=[p.__name__ for p in JOIN])
def test_an_official_who_joins_gets_the_reminders_of_coming_meetings(
    write, world, secretariat, secretariat_user
):
    user = _verified()
    write(world, secretariat, secretariat_user, user)
    assert CityOfficial.objects.filter(user=user, city=world.city).exists()
    assert world.pending(user).count() == 2
    assert world.pending().count() == 2  # the city's other official keeps theirs


def official_admin_delete(world, client):
    url = reverse("admin:cities_cityofficial_delete", args=[world.official.pk])
    _post(client, url, {"post": "yes"})


def city_inline_delete(world, client):
    url = reverse("admin:cities_city_change", args=[world.city.pk])
    page = client.get(url)
    data = page_data(page)
    prefix = prefix_of(page, CityOfficial)
    data[f"{prefix}-0-DELETE"] = "on"
    _post(client, url, data)


def moved_to_another_city(world, client):
    other = CityFactory()  # not a member of the network
    url = reverse("admin:cities_cityofficial_change", args=[world.official.pk])
    data = page_data(client.get(url))
    data["city"] = other.pk
    _post(client, url, data)


def orm_delete(world, client):
    CityOfficial.objects.filter(pk=world.official.pk).get().delete()


LEAVE = [official_admin_delete, city_inline_delete, moved_to_another_city, orm_delete]


@pytest.mark.parametrize("write", LEAVE, ids=[p.__name__ for p in LEAVE])
def test_an_official_who_leaves_has_their_pending_reminders_cancelled(write, world, secretariat):
    rows = list(world.pending().values_list("pk", flat=True))
    write(world, secretariat)
    assert not world.pending().exists()
    statuses = set(Reminder.objects.filter(pk__in=rows).values_list("status", flat=True))
    assert statuses == {Reminder.Status.CANCELLED}
