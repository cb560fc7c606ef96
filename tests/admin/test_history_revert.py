"""A revert from the history goes through the same services as a change, or is refused.

Meetings (start, status, calendar SEQUENCE), memberships (status) and applications
(decision) have a lifecycle; pioneer links, cities and partners are plain content.
"""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from alliance.models import OutboundEmail
from networks.applications.services import application_approve
from networks.meetings.reminders import network_ensure_default_rules
from networks.meetings.services import meeting_cancel, meeting_reschedule, meeting_schedule
from networks.models import Application, Meeting, Membership, MembershipStatusChange, Reminder
from networks.services import membership_set_status
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MembershipFactory,
    NetworkFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def version_url(obj, version):
    info = obj._meta.app_label, obj._meta.model_name
    return reverse("admin:{}_{}_simple_history".format(*info), args=[obj.pk, version.history_id])


def posted(form) -> dict:
    """What a browser posts back from the version page, unchanged."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or isinstance(form.fields[name], forms.FileField):
            continue
        if isinstance(value, datetime.datetime):
            value = value.strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        data[name] = value
    return data


def revert(client, obj, version):
    url = version_url(obj, version)
    page = client.get(url)
    assert page.status_code == 200
    return page, client.post(url, posted(page.context["adminform"].form))


@pytest.fixture
def network():
    network = NetworkFactory(time_zone="America/Bogota")
    network_ensure_default_rules(network)
    official = CityOfficialFactory(city=CityFactory())
    MembershipFactory(city=official.city, network=network, status="active")
    return network


@pytest.fixture
def secretariat(client, staff_user):
    client.force_login(staff_user)
    return client


def schedule(network, starts_in):
    start = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    return meeting_schedule(
        meeting=Meeting(network=network, title="Quarterly meeting", starts_at=start, place="Ruta N")
    )


def test_a_cancelled_meeting_is_not_brought_back_by_a_revert(secretariat, network):
    meeting = schedule(network, 10 * DAY)
    first = meeting.history.earliest()
    meeting_reschedule(meeting=meeting, starts_at=meeting.starts_at + DAY)
    meeting_cancel(meeting=meeting)
    page, response = revert(secretariat, meeting, first)
    assert "cannot bring it back" in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.sequence == 2
    assert not meeting.reminders.filter(status=Reminder.Status.PENDING).exists()


def test_reverting_a_meetings_start_is_a_reschedule(secretariat, network, mailoutbox):
    meeting = schedule(network, 10 * DAY)
    first = meeting.history.earliest()
    original_start = meeting.starts_at
    meeting_reschedule(meeting=meeting, starts_at=original_start + DAY)
    told_before = OutboundEmail.objects.filter(template="meeting-rescheduled").count()
    _page, response = revert(secretariat, meeting, first)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == original_start
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.sequence == 2  # only ever up: calendars take the newest
    assert OutboundEmail.objects.filter(template="meeting-rescheduled").count() > told_before
    pending = meeting.reminders.filter(status=Reminder.Status.PENDING)
    assert pending.exists()
    assert all(reminder.due_at < original_start for reminder in pending)


def test_reverting_a_meetings_title_alone_keeps_its_sequence(secretariat, network):
    meeting = schedule(network, 10 * DAY)
    first = meeting.history.earliest()
    meeting.title = "Typo"
    meeting.save()
    _page, response = revert(secretariat, meeting, first)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.sequence) == ("Quarterly meeting", 0)


def test_a_membership_revert_that_changes_its_status_is_a_status_change(
    secretariat, network, staff_user
):
    membership = Membership.objects.get(network=network)
    meeting = schedule(network, 10 * DAY)
    first = membership.history.latest()
    membership_set_status(membership=membership, status="lapsed")
    assert not meeting.reminders.filter(status=Reminder.Status.PENDING).exists()
    _page, response = revert(secretariat, membership, first)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "active"
    change = MembershipStatusChange.objects.filter(membership=membership).latest("id")
    assert (change.status, change.changed_by) == (
        "active",
        secretariat.session and change.changed_by,
    )
    assert change.changed_by is not None and change.note
    assert meeting.reminders.filter(status=Reminder.Status.PENDING).exists()


def test_a_membership_status_changed_on_its_page_is_a_status_change(secretariat, network):
    membership = Membership.objects.get(network=network)
    meeting = schedule(network, 10 * DAY)
    url = reverse("admin:networks_membership_change", args=[membership.pk])
    form = secretariat.get(url).context["adminform"].form
    data = {
        **posted(form),
        "status": "lapsed",
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    }
    assert secretariat.post(url, data).status_code == 302
    assert MembershipStatusChange.objects.filter(membership=membership, status="lapsed").exists()
    assert not meeting.reminders.filter(status=Reminder.Status.PENDING).exists()


def test_a_deleted_membership_is_not_recreated_from_its_history(secretariat, network):
    membership = Membership.objects.get(network=network)
    version = membership.history.latest()
    membership_id = membership.pk
    membership.delete()
    url = reverse(
        "admin:networks_membership_simple_history", args=[membership_id, version.history_id]
    )
    page = secretariat.get(url)
    assert "was deleted" in page.content.decode()
    secretariat.post(url, {"city": version.city_id, "network": version.network_id})
    assert not Membership.objects.filter(pk=membership_id).exists()


def test_an_applications_decision_is_not_undone_by_a_revert(secretariat, staff_user):
    application = ApplicationFactory()
    first = application.history.earliest()
    application_approve(application=application, reviewer=staff_user)
    page, _response = revert(secretariat, application, first)
    assert "status changes only through the review actions" in page.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_what_an_applicant_wrote_reverts_and_the_status_stays(secretariat):
    application = ApplicationFactory(applicant_name="Ana Gómez")
    first = application.history.earliest()
    application.applicant_name = "Vandalised"
    application.save()
    Application.objects.filter(pk=application.pk).update(status="under-review")
    _page, response = revert(secretariat, application, first)
    application.refresh_from_db()
    # The version is "submitted", the application is under review: refused, not half-done.
    assert application.status == "under-review"
    assert application.applicant_name == "Vandalised"
    Application.objects.filter(pk=application.pk).update(status="submitted")
    _page, response = revert(secretariat, application, first)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.applicant_name, application.status) == ("Ana Gómez", "submitted")


def test_a_city_reverted_to_an_old_version_stays_in_the_directory(secretariat, network):
    city = Membership.objects.get(network=network).city
    city.refresh_from_db()
    assert city.is_member
    first = city.history.earliest()
    city.name = "Vandalised"
    city.save()
    before = (city.is_member, city.member_since)
    _page, response = revert(secretariat, city, first)
    assert response.status_code == 302
    city.refresh_from_db()
    assert city.name != "Vandalised"
    assert (city.is_member, city.member_since) == before
