"""Invited nominees: the invitation and its calendar file, their place in the reminder
ledger, the reminders in their language and zone, and the decisions a host may take."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from icalendar import Calendar

from alliance.roles import NETWORK_HOST, SECRETARIAT
from networks.meetings import reminders
from networks.meetings.services import meeting_reschedule
from networks.models import Reminder
from networks.nominations import services
from networks.nominations.models import Nomination
from tests.factories import CityOfficialFactory, MembershipFactory, NetworkFactory, UserFactory
from tests.involvement.nominations import DAY

pytestmark = pytest.mark.django_db


def invited(call, capture, by=None):
    nomination = Nomination.objects.create(
        call=call,
        nominee_name="Kenji Sato",
        nominee_email="kenji@city.example.jp",
        organisation="Kaga",
        position="CDO",
        country="JP",
        languages="ja",
        why="x",
        language="ja",
        time_zone="Asia/Tokyo",
    )
    with capture(execute=True):
        services.nominations_decide(nominations=[nomination], status="invited", by=by)
    nomination.refresh_from_db()
    return nomination


def test_an_invited_nominee_gets_the_invitation_and_its_ics_and_enters_the_ledger(
    client, call, django_capture_on_commit_callbacks, mailoutbox, link_in, make_staff
):
    official = CityOfficialFactory()
    MembershipFactory(city=official.city, network=call.meeting.network)
    reminders.reminders_sync(meeting=call.meeting)
    nomination = invited(call, django_capture_on_commit_callbacks, make_staff(SECRETARIAT))
    assert nomination.status == "invited"
    (message,) = mailoutbox
    assert message.to == ["kenji@city.example.jp"] and "Ruta N" in message.body
    ics = client.get(link_in(message, ".ics"))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["uid"]).startswith(str(call.meeting.uid))
    # The same file is attached, for a calendar to import from the email itself.
    (name, attached, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("meeting.ics", "text/calendar; method=PUBLISH")
    assert Calendar.from_ical(attached).walk("VEVENT")[0]["uid"] == event["uid"]
    rows = call.meeting.reminders.filter(nomination=nomination)
    assert sorted(rows.values_list("rule__minutes_before", flat=True)) == [1440, 10080]
    assert call.meeting.reminders.filter(recipient=official.user).count() == 2


def test_the_nominees_reminder_goes_out_once_in_their_language_and_zone(
    call, django_capture_on_commit_callbacks, mailoutbox
):
    nomination = invited(call, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    due = call.meeting.starts_at - DAY + datetime.timedelta(minutes=1)
    for _ in range(2):  # a second run sends nothing again
        for batch in reminders.due_batches(due):
            reminders.send_reminders(batch, due)
    mine = [m for m in mailoutbox if m.to == ["kenji@city.example.jp"]]
    assert len(mine) == 1
    body = mine[0].body
    assert "Asia/Tokyo" in body and "Kenji Sato" in body
    tokyo = call.meeting.starts_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert tokyo.strftime("%H:%M") in body
    assert "meetings/" not in body  # no RSVP link for a city the nominee is not
    assert mine[0].attachments[0][0] == "meeting.ics"
    assert Reminder.objects.get(nomination=nomination, rule__minutes_before=1440).status == "sent"


def test_declining_after_the_invitation_cancels_the_reminders_and_a_reschedule_moves_them(
    call, django_capture_on_commit_callbacks
):
    nomination = invited(call, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reschedule(meeting=call.meeting, starts_at=call.meeting.starts_at + DAY)
    current = call.meeting.reminders.filter(meeting_starts_at=call.meeting.starts_at)
    assert current.filter(nomination=nomination, status="pending").count() == 2
    services.nomination_withdraw(nomination_id=nomination.pk)
    assert not call.meeting.reminders.filter(nomination=nomination, status="pending").exists()


def test_a_ledger_row_names_exactly_one_recipient(call):
    rule = call.meeting.network.reminder_rules.first()
    both = Reminder(
        meeting=call.meeting,
        recipient=UserFactory(),
        nomination=None,
        rule=rule,
        meeting_starts_at=call.meeting.starts_at,
        due_at=call.meeting.starts_at,
    )
    nomination = Nomination.objects.create(
        call=call,
        nominee_name="N",
        nominee_email="n@example.org",
        organisation="O",
        position="P",
        country="JP",
        languages="ja",
        why="x",
    )
    for recipient, nominee in ((None, None), (both.recipient, nomination)):
        both.recipient, both.nomination = recipient, nominee
        with pytest.raises(IntegrityError), transaction.atomic():
            both.save()


def test_a_host_decides_only_on_its_own_networks_nominations(call, make_staff):
    other = NetworkFactory()
    host = make_staff(NETWORK_HOST, hosts=[other])
    nomination = Nomination.objects.create(
        call=call,
        nominee_name="N",
        nominee_email="n@example.org",
        organisation="O",
        position="P",
        country="JP",
        languages="ja",
        why="x",
    )
    with pytest.raises(PermissionDenied):
        services.nominations_decide(nominations=[nomination], status="invited", by=host)
    assert Nomination.objects.get().status == "nominated"
    own = make_staff(NETWORK_HOST, hosts=[call.meeting.network])
    assert services.nominations_decide(nominations=[nomination], status="shortlisted", by=own) == 1


def test_a_withdrawn_nominee_cannot_be_invited(call, make_staff):
    nomination = Nomination.objects.create(
        call=call,
        nominee_name="N",
        nominee_email="n@example.org",
        organisation="O",
        position="P",
        country="JP",
        languages="ja",
        why="x",
        status="withdrawn",
    )
    by = make_staff(SECRETARIAT)
    assert services.nominations_decide(nominations=[nomination], status="invited", by=by) == 0
    assert not Reminder.objects.filter(nomination=nomination).exists()


def test_an_invited_nominee_is_told_when_the_meeting_moves_or_is_cancelled(
    call, django_capture_on_commit_callbacks, mailoutbox
):
    from networks.meetings.services import meeting_cancel

    invited(call, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reschedule(meeting=call.meeting, starts_at=call.meeting.starts_at + DAY)
        meeting_cancel(meeting=call.meeting)
    from django.utils import translation

    with translation.override("ja"):  # the nominee's language
        footer = translation.gettext(
            "You receive this email because you were invited to this event."
        )
        official = translation.gettext("You receive this email because you are an official")
    mine = [m for m in mailoutbox if m.to == ["kenji@city.example.jp"]]
    assert len(mine) == 2
    assert all(footer in m.body and official[:20] not in m.body for m in mine)
    # Each carries the file that updates the nominee's calendar: SEQUENCE 1 moved,
    # SEQUENCE 2 cancelled.
    events = [Calendar.from_ical(m.attachments[0][1]).walk("VEVENT")[0] for m in mine]
    assert [(e["sequence"], str(e["status"])) for e in events] == [
        (1, "CONFIRMED"),
        (2, "CANCELLED"),
    ]
    assert not call.meeting.reminders.filter(status="pending").exists()
