"""Giving an existing account a role in the admin needs a confirmed address (issue #15, s. 3).

Anyone can sign up with someone else's address and leave it unverified; the admin
must not hand that account a city, a network or staff rights.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from alliance.roles import NETWORK_HOST
from cities.models import CityOfficial
from tests.factories import CityFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "has not confirmed its email address"


def stranger(verified=False):
    user = UserFactory(email="ana@pasto.gov.co")
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


@pytest.mark.parametrize("verified", [False, True])
def test_adding_a_city_official(client, staff_user, verified):
    user, city = stranger(verified), CityFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:cities_cityofficial_add"),
        {
            "user": user.pk,
            "city": city.pk,
            "role": "focal-point",
            "contact_audience": "secretariat",
        },
    )
    assert (REFUSED in response.content.decode()) is not verified
    assert CityOfficial.objects.filter(user=user).exists() is verified


@pytest.mark.parametrize("verified", [False, True])
def test_adding_a_city_official_through_the_citys_inline(staff_user, verified):
    from django.contrib import admin
    from django.test import RequestFactory

    from cities.models import City
    from networks.admin.cities import CityOfficialInline

    user, city = stranger(verified), CityFactory()
    request = RequestFactory().post("/")
    request.user = staff_user
    formset_class = CityOfficialInline(City, admin.site).get_formset(request, city)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-user": str(user.pk),
        f"{prefix}-0-role": "focal-point",
        f"{prefix}-0-contact_audience": "secretariat",
    }
    formset = formset_class(data, instance=city, prefix=prefix)
    assert formset.is_valid() is verified
    if not verified:
        assert REFUSED in str(formset.errors)


@pytest.mark.parametrize("verified", [False, True])
def test_making_someone_a_network_host(client, staff_user, verified):
    user = stranger(verified)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get_or_create(name=NETWORK_HOST)[0])
    network = NetworkFactory()
    client.force_login(staff_user)
    url = reverse("admin:networks_network_change", args=[network.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "all")}
    data.update(hosts=[user.pk], **management_forms(client.get(url)))
    response = client.post(url, data)
    assert (REFUSED in response.content.decode()) is not verified
    assert network.hosts.filter(pk=user.pk).exists() is verified


@pytest.mark.parametrize("verified", [False, True])
def test_giving_an_account_staff_rights(client, staff_user, verified):
    user = stranger(verified)
    client.force_login(staff_user)
    url = reverse("admin:alliance_user_change", args=[user.pk])
    response = client.post(
        url,
        {
            "email": user.email,
            "first_name": "",
            "last_name": "",
            "language": "",
            "is_active": "on",
            "is_staff": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert (REFUSED in response.content.decode()) is not verified
    user.refresh_from_db()
    assert user.is_staff is verified


def management_forms(response) -> dict:
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, value in management.initial.items():
            data[f"{management.prefix}-{name}"] = value
    return data
