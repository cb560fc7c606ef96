"""Every way a pledge or a nomination changes reaches the same rule: the admin's bulk
actions go through the services, a history revert keeps the lifecycle, an admin edit
refreshes the kept counts; the pages that list things cost a fixed number of queries;
the demo data is there and says it is illustrative."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.roles import SECRETARIAT
from cities.models import Principle
from networks.involvement import figures
from networks.involvement.models import Pledge
from networks.nominations.models import Nomination, NominationCall
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def pledge(**fields):
    item = Pledge.objects.create(
        **{
            "organisation": "Org",
            "kind": "company",
            "country": "JP",
            "contact_name": "A",
            "contact_email": "a@example.org",
            "status": "confirmed",
            "may_be_listed": True,
            **fields,
        }
    )
    item.principles.set(Principle.objects.all())
    return item


def test_the_admin_action_publishes_through_the_service_and_keeps_history(
    client, make_staff, django_capture_on_commit_callbacks
):
    confirmed, unconfirmed = pledge(), pledge(organisation="Other", status="unconfirmed")
    staff = make_staff(SECRETARIAT)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:networks_pledge_changelist"),
            {"action": "publish", "_selected_action": [confirmed.pk, unconfirmed.pk], "index": 0},
        )
    assert Pledge.objects.get(pk=confirmed.pk).status == "published"
    assert Pledge.objects.get(pk=unconfirmed.pk).status == "unconfirmed"
    assert confirmed.history.latest().history_user == staff
    assert figures.supporters()["total"] == 1


def test_a_history_revert_keeps_the_state_and_an_admin_edit_refreshes_the_counts(
    client, make_staff, django_capture_on_commit_callbacks
):
    item = pledge(status="published")
    first = item.history.earliest()
    with django_capture_on_commit_callbacks(execute=True):
        Pledge.objects.filter(pk=item.pk).update(status="confirmed")  # as a decline would
        item = Pledge.objects.get(pk=item.pk)
        item.status = "declined"
        item.save()
    client.force_login(make_staff(SECRETARIAT))
    url = reverse("admin:networks_pledge_simple_history", args=[item.pk, first.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None}
    data["principles"] = [p.pk for p in Principle.objects.all()]
    data["kind"] = "research"
    data["may_be_listed"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    item.refresh_from_db()
    assert item.status == "declined"  # a revert does not publish again
    assert figures.supporters()["total"] == 0


def test_the_events_page_costs_the_same_with_more_open_calls(client, django_assert_max_num_queries):
    soon = timezone.now() + datetime.timedelta(days=2)
    for _ in range(12):
        NominationCall.objects.create(meeting=MeetingFactory(), summary="x", deadline=soon)
    with django_assert_max_num_queries(5):
        page = client.get(reverse("nominations:list"))
    assert len(page.context["calls"]) == 12


def test_the_admin_lists_cost_the_same_with_more_rows(
    client, staff_user, django_assert_max_num_queries
):
    soon = timezone.now() + datetime.timedelta(days=2)
    call = NominationCall.objects.create(meeting=MeetingFactory(), summary="x", deadline=soon)
    for n in range(15):
        pledge(organisation=f"Org {n}")
        Nomination.objects.create(
            call=call,
            nominee_name=f"N{n}",
            nominee_email="n@example.org",
            organisation="O",
            position="P",
            country="JP",
            languages="ja",
            why="x",
        )
    client.force_login(staff_user)
    for name in ("pledge", "nomination", "nominationcall", "partnerenquiry"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(f"admin:networks_{name}_changelist")).status_code == 200


def test_the_demo_has_illustrative_supporters_and_an_open_call(demo_data, client):
    page = client.get(reverse("involvement:supporters"))
    names = [p.organisation for p in page.context["page"].object_list]
    assert names and all(name.endswith("(demo)") for name in names)
    events = client.get(reverse("nominations:list"))
    (call,) = events.context["calls"]
    assert call.summary.startswith("Demo data:")
