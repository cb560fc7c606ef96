import pytest
from django.db import IntegrityError

from networks.models import Membership, Network
from networks.models.structure import member_cities
from networks.services import membership_create, membership_set_status
from tests.factories import (
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    PioneerLinkFactory,
)

pytestmark = pytest.mark.django_db


def test_database_rejects_duplicate_membership():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError):
        MembershipFactory(city=membership.city, network=membership.network, role="pioneer")


def test_a_city_can_belong_to_several_networks():
    city = CityFactory()
    MembershipFactory(city=city)
    MembershipFactory(city=city)
    assert city.memberships.count() == 2


def test_database_rejects_a_city_mentoring_itself():
    city = CityFactory()
    with pytest.raises(IntegrityError):
        PioneerLinkFactory(pioneer=city, mentee=city)


def test_database_rejects_the_same_pioneer_link_twice_in_a_network():
    link = PioneerLinkFactory()
    with pytest.raises(IntegrityError):
        PioneerLinkFactory(network=link.network, pioneer=link.pioneer, mentee=link.mentee)


def test_the_same_pair_may_be_linked_in_another_network():
    link = PioneerLinkFactory()
    PioneerLinkFactory(pioneer=link.pioneer, mentee=link.mentee)


def test_database_rejects_database_duplicate_network_slug():
    NetworkFactory(slug="india")
    with pytest.raises(IntegrityError):
        NetworkFactory(slug="india")


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Network.Kind.NATIONAL, "scope_region": "", "scope_country": ""},
        {"kind": Network.Kind.REGIONAL, "scope_region": "", "scope_country": ""},
        {"kind": Network.Kind.GLOBAL, "scope_region": "latam", "scope_country": ""},
    ],
)
def test_database_rejects_a_scope_that_does_not_match_the_kind(fields):
    with pytest.raises(IntegrityError):
        NetworkFactory(**fields)


def test_every_status_change_is_kept_with_its_date_and_author(staff_user):
    staff = staff_user  # the author must manage the network (issue #15)
    membership = membership_create(
        city=CityFactory(), network=NetworkFactory(), role=Membership.Role.MEMBER, by=staff
    )
    membership_set_status(membership=membership, status="suspended", by=staff, note="Unpaid")
    membership_set_status(membership=membership, status="active", by=staff)

    changes = list(membership.status_changes.values_list("status", "changed_by", "note"))
    assert changes == [
        ("active", staff.pk, ""),
        ("suspended", staff.pk, "Unpaid"),
        ("active", staff.pk, ""),
    ]
    membership.refresh_from_db()
    assert membership.status == "active"
    assert membership.status_changed_at == membership.status_changes.last().changed_at


def test_active_members_appear_once_however_many_networks():
    city = CityFactory()
    MembershipFactory(city=city)
    MembershipFactory(city=city)
    MembershipFactory(status=Membership.Status.LAPSED)
    assert list(member_cities()) == [city]
