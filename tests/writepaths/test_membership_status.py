"""A membership's status: every write path has the same outcome (issue #16, point 2).

Lapsed, whichever way it was set: a status-change row (who, when), the official's
pending reminders cancelled, the city out of the directory, a new data version.
"""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alliance import data_version
from alliance.models import User
from cities.models import City
from networks.models import Membership, MembershipStatusChange, Reminder
from networks.services import membership_create, membership_set_status
from tests.factories import ApplicationFactory, CityFactory, CityOfficialFactory, MembershipFactory
from tests.imports.through_admin import import_through_admin
from tests.writepaths.conftest import page_data, prefix_of

pytestmark = pytest.mark.django_db


def _inline_row(response, data, membership, field, value):
    prefix = prefix_of(response, Membership)
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            for n, form in enumerate(inline.formset.forms):
                if form.instance.pk == membership.pk:
                    data[f"{prefix}-{n}-{field}"] = value
                    return data
    raise LookupError(membership)


def _post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None) and [
        f.errors for f in [response.context.get("adminform") and response.context["adminform"].form]
    ]


def service(world, client, user):
    membership_set_status(membership=world.membership, status="lapsed", by=user)


def batch_service(world, client, user):
    from networks.services import memberships_set_status

    memberships_set_status(changes=[(world.membership, "lapsed")], by=user)


def change_form(world, client, user):
    url = reverse("admin:networks_membership_change", args=[world.membership.pk])
    data = page_data(client.get(url))
    data["status"] = "lapsed"
    _post(client, url, data)


def network_inline(world, client, user):
    url = reverse("admin:networks_network_change", args=[world.network.pk])
    page = client.get(url)
    _post(client, url, _inline_row(page, page_data(page), world.membership, "status", "lapsed"))


def city_inline(world, client, user):
    url = reverse("admin:cities_city_change", args=[world.city.pk])
    page = client.get(url)
    _post(client, url, _inline_row(page, page_data(page), world.membership, "status", "lapsed"))


def bulk_action(world, client, user):
    response = client.post(
        reverse("admin:networks_membership_changelist"),
        {"action": "mark_lapsed", "_selected_action": [world.membership.pk]},
    )
    assert response.status_code == 302


def spreadsheet_import(world, client, user):
    content = (
        "city,network,role,status,joined_on\n"
        f"{world.city.slug},{world.network.slug},member,lapsed,\n"
    )
    job = import_through_admin(client, "memberships", content)
    assert (job.state, job.changed, job.written) == ("done", 1, 1)


def history_revert(world, client, user):
    # A version in which it was lapsed, then active again (reminders back in the ledger).
    membership = world.membership
    membership.status = "lapsed"
    membership.save()
    lapsed = membership.history.latest()
    membership.status = "active"
    membership.save()
    assert world.pending().count() == 2
    url = reverse(
        "admin:networks_membership_simple_history", args=[membership.pk, lapsed.history_id]
    )
    page = client.get(url)
    _post(client, url, page_data(page))


PATHS = [
    service,
    batch_service,
    change_form,
    network_inline,
    city_inline,
    bulk_action,
    spreadsheet_import,
    history_revert,
]


@pytest.mark.parametrize("write", PATHS, ids=[p.__name__ for p in PATHS])
def test_a_membership_set_to_lapsed_has_the_same_outcome_on_every_path(
    write, world, secretariat, secretariat_user
):
    before = timezone.now()
    was = world.pending().values_list("pk", flat=True)
    was = list(was)
    version = data_version.current()
    write(world, secretariat, secretariat_user)

    membership = Membership.objects.get(pk=world.membership.pk)
    assert membership.status == "lapsed"
    change = MembershipStatusChange.objects.filter(membership=membership).latest("id")
    assert (change.status, change.changed_by) == ("lapsed", secretariat_user)
    assert change.changed_at >= before
    assert membership.status_changed_at == change.changed_at
    # The lapsed city's official is mailed nothing more: the rows pending are cancelled.
    assert not world.pending().exists()
    assert set(Reminder.objects.filter(pk__in=was).values_list("status", flat=True)) == {
        Reminder.Status.CANCELLED
    }
    city = City.objects.get(pk=world.city.pk)
    assert (city.is_member, city.member_since) == (False, None)
    assert data_version.current() != version


def admin_add(world, client, city):
    url = reverse("admin:networks_membership_add")
    data = {
        "city": city.pk,
        "network": world.network.pk,
        "role": "member",
        "status": "active",
        "joined_on": "2024-03-01",
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    }
    _post(client, url, data)


def city_inline_add(world, client, city):
    url = reverse("admin:cities_city_change", args=[city.pk])
    page = client.get(url)
    data = page_data(page)
    prefix = prefix_of(page, Membership)
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = total + 1
    data.update(
        {
            f"{prefix}-{total}-network": world.network.pk,
            f"{prefix}-{total}-role": "member",
            f"{prefix}-{total}-status": "active",
            f"{prefix}-{total}-joined_on": "2024-03-01",
        }
    )
    _post(client, url, data)


def import_new_row(world, client, city):
    content = (
        "city,network,role,status,joined_on\n"
        f"{city.slug},{world.network.slug},member,active,2024-03-01\n"
    )
    job = import_through_admin(client, "memberships", content)
    assert (job.state, job.new, job.written) == ("done", 1, 1)


def service_create(world, client, city):
    user = User.objects.get(pk=client.session["_auth_user_id"])
    membership_create(
        city=city, network=world.network, role="member", joined_on=date(2024, 3, 1), by=user
    )


def application_approved_in_admin(world, client, city):
    application = ApplicationFactory(city=city, network=world.network)
    response = client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk]},
    )
    assert response.status_code == 302


JOIN_PATHS = [
    service_create,
    admin_add,
    city_inline_add,
    import_new_row,
    application_approved_in_admin,
]


@pytest.mark.parametrize("write", JOIN_PATHS, ids=[p.__name__ for p in JOIN_PATHS])
def test_a_new_active_member_has_the_same_outcome_on_every_path(
    write, world, secretariat, secretariat_user
):
    city = CityFactory(slug="quito-ec")
    official = CityOfficialFactory(city=city)
    assert not world.pending(official.user).exists()
    write(world, secretariat, city)
    membership = Membership.objects.get(city=city, network=world.network)
    change = membership.status_changes.get()
    assert (change.status, change.changed_by) == ("active", secretariat_user)
    # Its official gets the reminders of the coming meeting, as the first member's has.
    assert world.pending(official.user).count() == 2
    city.refresh_from_db()
    assert city.is_member
    assert city.member_since == membership.joined_on


def test_a_membership_the_demo_loader_makes_is_recorded_like_any_other(db):
    call_command("load_demo_data", verbosity=0)
    memberships = Membership.objects.all()
    assert memberships.exists()
    assert not memberships.exclude(status_changes__status="active").exists()
    official = Reminder.objects.filter(status="pending").values("recipient").distinct()
    assert official.exists()  # the demo officials of member cities are reminded


def test_the_batch_entry_point_writes_one_row_each_and_syncs_once_per_meeting(
    world, django_assert_max_num_queries
):
    from networks.services import memberships_set_status

    others = [MembershipFactory(network=world.network, status="active") for _ in range(5)]
    changes = [(m, "suspended") for m in [world.membership, *others]]
    # Bounded whatever the batch's size: no query per membership for the ledger.
    with django_assert_max_num_queries(40):
        changed = memberships_set_status(changes=changes, note="Unpaid")
    assert len(changed) == 6
    assert MembershipStatusChange.objects.filter(status="suspended", note="Unpaid").count() == 6
    assert not world.pending().exists()
