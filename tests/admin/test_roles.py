import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from alliance.roles import AUDITOR, NETWORK_HOST, SECRETARIAT
from tests.factories import (
    CityFactory,
    CityOfficialFactory,
    MembershipFactory,
    NetworkFactory,
)

pytestmark = pytest.mark.django_db


def test_migration_creates_the_three_groups_with_permissions():
    groups = {
        g.name: g for g in Group.objects.filter(name__in=[SECRETARIAT, NETWORK_HOST, AUDITOR])
    }
    assert set(groups) == {SECRETARIAT, NETWORK_HOST, AUDITOR}
    assert groups[SECRETARIAT].permissions.filter(codename="change_membership").exists()


def test_setup_roles_twice_keeps_three_groups_and_restores_removed_permissions():
    secretariat = Group.objects.get(name=SECRETARIAT)
    secretariat.permissions.clear()
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Group.objects.filter(name__in=[SECRETARIAT, NETWORK_HOST, AUDITOR]).count() == 3
    assert secretariat.permissions.filter(codename="change_city").exists()


def test_secretariat_works_with_everything_but_user_administration(make_staff):
    user = make_staff(SECRETARIAT)
    assert user.has_perm("cities.change_city")
    assert user.has_perm("alliance.change_partner")
    assert user.has_perm("networks.delete_membership")
    assert not user.has_perm("alliance.change_user")
    assert not user.has_perm("auth.change_group")
    assert not user.has_perm("alliance.view_loginfailure")


def test_auditor_may_only_view(make_staff):
    user = make_staff(AUDITOR)
    assert user.has_perm("networks.view_membership")
    perms = user.get_all_permissions()
    assert perms and all(".view_" in perm for perm in perms)


def test_network_host_cannot_delete_or_touch_partners(make_staff):
    user = make_staff(NETWORK_HOST)
    assert user.has_perm("networks.change_membership")
    assert not user.has_perm("networks.delete_membership")
    assert not user.has_perm("alliance.view_partner")


def test_host_lists_only_the_memberships_of_their_networks(client, make_staff):
    mine, other = NetworkFactory(), NetworkFactory()
    kept = MembershipFactory(network=mine)
    hidden = MembershipFactory(network=other)
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    response = client.get(reverse("admin:networks_membership_changelist"))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert kept in shown and hidden not in shown


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_host_gets_404_for_another_networks_membership_by_url(client, make_staff, view):
    mine, other = NetworkFactory(), NetworkFactory()
    hidden = MembershipFactory(network=other)
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    response = client.get(reverse(f"admin:networks_membership_{view}", args=[hidden.pk]))
    # Django's admin answers a missing object with a redirect to the index and a message.
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")


def test_host_may_choose_only_their_networks_on_the_add_form(client, make_staff):
    mine, other = NetworkFactory(), NetworkFactory()
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    response = client.get(reverse("admin:networks_membership_add"))
    choices = response.context["adminform"].form.fields["network"].queryset
    assert list(choices) == [mine]
    city = CityFactory()
    response = client.post(
        reverse("admin:networks_membership_add"),
        {
            "city": city.pk,
            "network": other.pk,
            "role": "member",
            "status": "active",
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not city.memberships.exists()


def test_host_does_not_see_contacts_of_cities_outside_their_networks(client, make_staff):
    mine, other = NetworkFactory(), NetworkFactory()
    inside = CityOfficialFactory(phone="+57 1 111 1111")
    outside = CityOfficialFactory(phone="+44 20 999 9999")
    MembershipFactory(network=mine, city=inside.city)
    MembershipFactory(network=other, city=outside.city)
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))

    listing = client.get(reverse("admin:cities_cityofficial_changelist"))
    assert list(listing.context["cl"].result_list) == [inside]
    city_page = client.get(reverse("admin:cities_city_change", args=[outside.city.pk]), follow=True)
    # Not even the city's admin page: its public page is on the site (issue #15).
    assert city_page.redirect_chain == [(reverse("admin:index"), 302)]
    assert "999 9999" not in city_page.content.decode()
    assert outside.user.email not in city_page.content.decode()
    own_page = client.get(reverse("admin:cities_city_change", args=[inside.city.pk]))
    assert "111 1111" in own_page.content.decode()
