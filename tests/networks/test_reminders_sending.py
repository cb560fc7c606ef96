"""Sending the reminder ledger: each row sent once, at the right minute in every zone,
retried or stopped by the SMTP answer, with the right content for each recipient."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from networks.meetings import reminders
from networks.meetings.reminders import network_ensure_default_rules, reminders_sync
from networks.meetings.services import meeting_reschedule
from networks.models import Reminder
from tests.factories import (
    CityOfficialFactory,
    MeetingFactory,
    NetworkFactory,
)
from tests.networks.reminder_ledger import (
    DAY,
    member_official,
    network_with_default_rules,
    schedule,
)

pytestmark = pytest.mark.django_db

network = pytest.fixture(network_with_default_rules, name="network")


def dispatch_and_send(now=None):
    sent = 0
    for batch in reminders.due_batches(now):
        sent += reminders.send_reminders(batch, now)["sent"]
    return sent


def test_running_the_dispatcher_twice_sends_each_reminder_once(network, mailoutbox):
    for _ in range(3):
        member_official(network)
    meeting = schedule(network, starts_in=10 * DAY)
    at = meeting.starts_at - DAY + datetime.timedelta(minutes=1)
    with time_machine.travel(at, tick=False):
        batches_one = reminders.due_batches()
        batches_two = reminders.due_batches()  # a second beat at the same moment
        results = [reminders.send_reminders(b) for b in batches_one + batches_two]
    assert sum(r["sent"] for r in results) == 3
    assert len(mailoutbox) == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        meeting.reminders.filter(status="sent").values_list("recipient__email", flat=True)
    )


def test_two_workers_on_the_same_rows_send_each_once(network, mailoutbox):
    member_official(network)
    meeting = schedule(network)
    ids = list(meeting.reminders.values_list("pk", flat=True))
    Reminder.objects.update(due_at=timezone.now(), next_attempt_at=timezone.now())
    first, second = reminders.send_reminders(ids), reminders.send_reminders(ids)
    assert first["sent"] == 2 and second["sent"] == 0
    assert len(mailoutbox) == 2


def test_a_reminder_more_than_six_hours_late_is_missed_not_sent(network, mailoutbox):
    member_official(network)
    meeting = schedule(network)
    late = meeting.starts_at - DAY + datetime.timedelta(hours=6, minutes=1)
    assert dispatch_and_send(late) == 0
    assert meeting.reminders.get(rule__minutes_before=1440).status == "missed"
    assert mailoutbox == []


def test_temporary_smtp_failure_retries_and_permanent_failure_stops(network, smtp):
    good = member_official(network)
    bad = member_official(network)
    busy = member_official(network)
    smtp.refuse[bad.user.email] = "550 5.1.1 No such user"
    smtp.refuse[busy.user.email] = "451 4.3.0 Try later"
    meeting = schedule(network, starts_in=2 * DAY)
    at = meeting.starts_at - DAY
    dispatch_and_send(at)
    states = {r.recipient_id: r for r in meeting.reminders.all()}
    assert states[good.user.pk].status == "sent"
    assert states[bad.user.pk].status == "failed" and "550" in states[bad.user.pk].last_error
    assert states[busy.user.pk].status == "pending" and states[busy.user.pk].attempts == 1

    del smtp.refuse[busy.user.email]
    dispatch_and_send(at + datetime.timedelta(minutes=5))
    assert meeting.reminders.get(recipient=busy.user).status == "sent"
    assert meeting.reminders.get(recipient=bad.user).status == "failed"
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == sorted(
        [good.user.email, busy.user.email]
    )


def test_the_reminder_email_has_both_zones_both_bodies_the_ics_and_an_rsvp_link(
    network, mailoutbox
):
    network.time_zone = "America/Bogota"
    network.save()
    official = member_official(network, country="AR", time_zone="America/Argentina/Cordoba")
    meeting = schedule(network, starts_in=2 * DAY, title="Open data clinic")
    meeting.starts_at = meeting.starts_at.replace(hour=15, minute=0, second=0, microsecond=0)
    meeting.save()
    reminders_sync(meeting=meeting)
    dispatch_and_send(meeting.starts_at - DAY)
    (message,) = mailoutbox
    assert "Open data clinic" in message.subject
    local_bogota = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("America/Bogota"))
    local_cordoba = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("America/Argentina/Cordoba"))
    assert (
        local_bogota.strftime("%-I:%M") in message.body
        or local_bogota.strftime("%H:%M") in message.body
    )
    assert (
        local_cordoba.strftime("%-I:%M") in message.body
        or local_cordoba.strftime("%H:%M") in message.body
    )
    html = message.alternatives[0][0]
    assert "Open data clinic" in html
    assert f"/meetings/{meeting.pk}/" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == "meeting.ics" and mimetype.startswith("text/calendar")
    assert str(meeting.uid) in content.decode() if isinstance(content, bytes) else content
    assert official.user.email in message.to


@pytest.mark.parametrize(
    ("zone", "local_start"),
    [
        ("America/Sao_Paulo", (2026, 11, 12, 10, 0)),
        ("Asia/Tokyo", (2026, 11, 12, 10, 0)),
        ("Asia/Kolkata", (2026, 11, 12, 10, 30)),
        # Across the end of daylight saving time in Santiago (first Sunday of April).
        ("America/Santiago", (2027, 4, 8, 10, 0)),
    ],
)
def test_reminders_fall_due_at_the_right_minute_in_every_zone(zone, local_start, mailoutbox):
    network = NetworkFactory(time_zone=zone)
    network_ensure_default_rules(network)
    CityOfficialFactory.reset_sequence()
    official = member_official(network, time_zone=zone)
    starts_at = datetime.datetime(*local_start, tzinfo=zoneinfo.ZoneInfo(zone))
    with time_machine.travel(starts_at - 30 * DAY, tick=False):
        meeting = MeetingFactory(network=network, starts_at=starts_at)
        reminders_sync(meeting=meeting)
    # Exactly 168 hours earlier (UTC arithmetic; in Santiago the clocks moved in between,
    # so the reminder arrives at 09:00 local time rather than 10:00).
    week_before = starts_at.astimezone(datetime.UTC) - datetime.timedelta(days=7)

    with time_machine.travel(week_before - datetime.timedelta(minutes=1), tick=False):
        assert dispatch_and_send() == 0
    with time_machine.travel(week_before, tick=False):
        assert dispatch_and_send() == 1
    with time_machine.travel(starts_at.astimezone(datetime.UTC) - DAY, tick=False):
        assert dispatch_and_send() == 1
    assert [m.to for m in mailoutbox] == [[official.user.email]] * 2


def test_rescheduling_for_many_officials_stays_fast_when_the_broker_is_down(
    network, broker_down, django_capture_on_commit_callbacks
):
    import time

    from alliance.models import OutboundEmail

    for _ in range(8):
        member_official(network)
    meeting = schedule(network)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reschedule(meeting=meeting, starts_at=meeting.starts_at + DAY)
    # One failed publish, then the others wait in the outbox for the periodic flush.
    assert time.monotonic() - started < 2
    assert OutboundEmail.objects.filter(status="pending").count() == 8


def test_recipients_sharing_a_rendering_each_get_their_own_name_and_city(network, mailoutbox):
    ana = member_official(network, name="Pasto", time_zone="America/Bogota")
    ana.user.first_name, ana.user.last_name = "Ana", "<b>Gómez</b>"
    ana.user.save()
    luis = member_official(network, name="Tunja & Boyacá", time_zone="America/Bogota")
    luis.user.first_name, luis.user.last_name = "", ""
    luis.user.save()
    meeting = schedule(network, starts_in=2 * DAY)
    dispatch_and_send(meeting.starts_at - DAY)
    by_address = {message.to[0]: message for message in mailoutbox}
    to_ana, to_luis = by_address[ana.user.email], by_address[luis.user.email]
    assert "Ana <b>Gómez</b>" in to_ana.body and "Pasto" in to_ana.body
    html = to_ana.alternatives[0][0]
    assert "Ana &lt;b&gt;Gómez&lt;/b&gt;" in html and "<b>Gómez" not in html
    assert "Hello," in to_luis.body and "Tunja & Boyacá" in to_luis.body
    assert "Tunja &amp; Boyacá" in to_luis.alternatives[0][0]
    assert "Pasto" not in to_luis.body and "Gómez" not in to_luis.body
    assert "\ue000" not in to_ana.body + html + to_luis.body
