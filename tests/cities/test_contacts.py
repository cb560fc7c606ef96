"""Officials' contact details on the city page follow the audience each one chose."""

import pytest
from django.urls import reverse

from alliance.models import PartnerPerson
from tests.factories import CityFactory, CityOfficialFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = CityFactory(name="Kohima", slug="kohima-in", country="IN")
    for audience, email, phone in [
        ("public", "public@kohima.gov.in", "+91 370 000 0001"),
        ("members", "members@kohima.gov.in", "+91 370 000 0002"),
        ("secretariat", "private@kohima.gov.in", "+91 370 000 0003"),
    ]:
        CityOfficialFactory(
            city=city, user=UserFactory(email=email), phone=phone, contact_audience=audience
        )
    return city


def visible(client):
    html = client.get(reverse("cities:detail", args=["kohima-in"])).content.decode()
    return {
        name for name in ("public", "members", "private") if f"{name}@kohima.gov.in" in html
    }, html


def test_anonymous_visitors_see_only_public_details(client, city):
    shown, html = visible(client)
    assert shown == {"public"}
    assert "+91 370 000 0002" not in html and "+91 370 000 0003" not in html


def test_signed_in_partner_sees_member_details(client, city):
    person = PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory())
    client.force_login(person.user)
    assert visible(client)[0] == {"public", "members"}


def test_official_of_another_city_sees_member_details(client, city):
    client.force_login(CityOfficialFactory().user)
    assert visible(client)[0] == {"public", "members"}


def test_signed_in_user_without_a_role_sees_only_public_details(client, city):
    client.force_login(UserFactory())
    assert visible(client)[0] == {"public"}


def test_secretariat_sees_every_contact(client, city, staff_user):
    client.force_login(staff_user)
    assert visible(client)[0] == {"public", "members", "private"}


def staff_in(group_name, *, second_factor=True):
    from django.contrib.auth.models import Group

    from tests.factories import with_totp

    user = UserFactory(is_staff=True)
    if second_factor:
        with_totp(user)
    if group_name:
        user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    return user


def test_network_host_sees_private_details_only_of_their_networks_members(client, city):
    from alliance.roles import NETWORK_HOST
    from tests.factories import MembershipFactory, NetworkFactory

    host = staff_in(NETWORK_HOST)
    theirs, other = NetworkFactory(), NetworkFactory()
    theirs.hosts.add(host)
    client.force_login(host)
    MembershipFactory(city=city, network=other)
    assert visible(client)[0] == {"public", "members"}
    MembershipFactory(city=city, network=theirs)
    assert visible(client)[0] == {"public", "members", "private"}


def test_staff_in_no_group_see_only_public_details(client, city):
    client.force_login(staff_in(None))
    assert visible(client)[0] == {"public"}


def test_secretariat_group_sees_every_contact(client, city):
    from alliance.roles import SECRETARIAT

    client.force_login(staff_in(SECRETARIAT))
    assert visible(client)[0] == {"public", "members", "private"}


def test_staff_without_their_second_factor_see_what_a_visitor_sees(client, city):
    """The admin sends them to set up an authenticator; the public pages must not open
    the secretariat's contacts to the same half-configured session (issue #15, s. 2)."""
    from alliance.roles import SECRETARIAT
    from tests.factories import with_totp

    secretariat = staff_in(SECRETARIAT, second_factor=False)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for user in (secretariat, superuser):
        client.force_login(user)
        assert visible(client)[0] == {"public"}
    with_totp(secretariat)
    client.force_login(secretariat)
    assert visible(client)[0] == {"public", "members", "private"}


def test_the_hidden_count_names_who_can_see_the_contacts_it_counts(client, city):
    # An official of the city, signed in: members' details are visible to them, so the
    # only hidden contact is the secretariat-only one, and the page must not promise it
    # to "signed-in partners and members".
    colleague = CityOfficialFactory(city=city, contact_audience="members")
    client.force_login(colleague.user)
    shown, html = visible(client)
    assert "private" not in shown
    assert "can be seen by signed-in partners and members" not in html
    assert "1 more contact is shown to the secretariat only." in html


def test_an_anonymous_visitor_is_told_each_hidden_contact_by_its_audience(client, city):
    html = visible(client)[1]
    assert "1 more contact can be seen by signed-in partners and members" in html
    assert "1 more contact is shown to the secretariat only." in html


def test_an_official_sees_their_own_entry_whatever_its_audience(client, city):
    own = CityOfficialFactory(
        city=city, user=UserFactory(email="me@kohima.gov.in"), contact_audience="secretariat"
    )
    client.force_login(own.user)
    html = visible(client)[1]
    assert "me@kohima.gov.in" in html
    assert "1 more contact is shown to the secretariat only." in html
