"""A meeting's start or status: every write path has the same outcome.

Rescheduled: a higher iCalendar SEQUENCE (in the .ics), the old start's pending
reminders cancelled and the new start's planned, each member official told once.
Cancelled: the same SEQUENCE rule, every pending reminder cancelled, members told.
"""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from alliance.models import OutboundEmail
from networks.meetings.calendar import meeting_ics
from networks.meetings.services import meeting_cancel, meeting_reschedule
from networks.models import Meeting, Reminder
from tests.writepaths.conftest import DAY, page_data

pytestmark = pytest.mark.django_db


def _told(world, template):
    return OutboundEmail.objects.filter(template=template, to=world.official.user.email).count()


def _calendar_told(world, template) -> str:
    """The calendar file the newest such email carries to the official."""
    told = OutboundEmail.objects.filter(template=template, to=world.official.user.email)
    return told.latest("pk").calendar


def service(world, client, user, new_start):
    meeting_reschedule(meeting=world.meeting, starts_at=new_start, by=user)


def change_form(world, client, user, new_start):
    url = reverse("admin:networks_meeting_change", args=[world.meeting.pk])
    data = page_data(client.get(url))
    local = new_start.astimezone(zoneinfo.ZoneInfo(world.network.time_zone))
    data["local_start"] = local.strftime("%Y-%m-%d %H:%M")
    assert client.post(url, data).status_code == 302


def history_revert(world, client, user, new_start):
    # The version to go back to had `new_start`; since then it moved elsewhere.
    meeting = world.meeting
    meeting_reschedule(meeting=meeting, starts_at=new_start)
    version = meeting.history.latest()
    meeting_reschedule(meeting=meeting, starts_at=new_start + DAY)
    url = reverse("admin:networks_meeting_simple_history", args=[meeting.pk, version.history_id])
    page = client.get(url)
    assert client.post(url, page_data(page)).status_code == 302


RESCHEDULE = [service, change_form, history_revert]


@pytest.mark.parametrize("write", RESCHEDULE, ids=[p.__name__ for p in RESCHEDULE])
def test_a_rescheduled_meeting_has_the_same_outcome_on_every_path(
    write, world, secretariat, secretariat_user
):
    old_start = world.meeting.starts_at
    new_start = old_start + 2 * DAY
    write(world, secretariat, secretariat_user, new_start)
    meeting = Meeting.objects.get(pk=world.meeting.pk)
    assert meeting.starts_at == new_start
    # One SEQUENCE step per move (the revert's path moves it twice before reverting).
    assert meeting.sequence >= 1
    assert f"SEQUENCE:{meeting.sequence}" in meeting_ics(meeting).decode()
    pending = world.pending()
    assert pending.count() == 2
    assert {row.meeting_starts_at for row in pending} == {new_start}
    old = meeting.reminders.filter(meeting_starts_at=old_start)
    assert set(old.values_list("status", flat=True)) == {Reminder.Status.CANCELLED}
    # Each official told of each move, once, with the file that moves their calendar.
    assert _told(world, "meeting-rescheduled") == meeting.sequence
    assert f"SEQUENCE:{meeting.sequence}" in _calendar_told(world, "meeting-rescheduled")


def cancel_service(world, client, user):
    meeting_cancel(meeting=world.meeting, by=user)


def cancel_bulk_action(world, client, user):
    response = client.post(
        reverse("admin:networks_meeting_changelist"),
        {"action": "cancel_meetings", "_selected_action": [world.meeting.pk]},
    )
    assert response.status_code == 302


CANCEL = [cancel_service, cancel_bulk_action]


@pytest.mark.parametrize("write", CANCEL, ids=[p.__name__ for p in CANCEL])
def test_a_cancelled_meeting_has_the_same_outcome_on_every_path(
    write, world, secretariat, secretariat_user
):
    write(world, secretariat, secretariat_user)
    meeting = Meeting.objects.get(pk=world.meeting.pk)
    assert (meeting.status, meeting.sequence) == (Meeting.Status.CANCELLED, 1)
    assert "SEQUENCE:1" in meeting_ics(meeting).decode()
    assert not meeting.reminders.filter(status=Reminder.Status.PENDING).exists()
    assert _told(world, "meeting-cancelled") == 1
    calendar = _calendar_told(world, "meeting-cancelled")
    assert "SEQUENCE:1" in calendar and "STATUS:CANCELLED" in calendar


def test_a_meeting_saved_by_hand_is_a_reschedule_too(world):
    """A library or a shell that saves the model directly gets the same consequences."""
    meeting = world.meeting
    meeting.starts_at += datetime.timedelta(hours=3)
    meeting.save()
    assert meeting.sequence == 1
    assert _told(world, "meeting-rescheduled") == 1
    assert {row.meeting_starts_at for row in world.pending()} == {meeting.starts_at}
