"""Calendar files read by two independent parsers give the same, true instants (#20).

icalendar finds the zone by the TZID's name; vobject (behind CalDAV servers such as
Radicale), like Outlook, builds it from the file's VTIMEZONE. Every meeting below is
read back by both, and both must give the UTC instant the portal stored.
"""

import datetime
import uuid
import zoneinfo

import pytest
import vobject
import vobject.icalendar
from dateutil.tz import UTC as DATEUTIL_UTC
from django.urls import reverse
from icalendar import Calendar

from networks.meetings.calendar import meeting_ics, network_ics
from networks.meetings.feeds import calendar_feed_issue
from networks.meetings.reminders import network_ensure_default_rules, reminder_message
from networks.meetings.services import meeting_cancel, meeting_reschedule
from networks.meetings.vtimezone import vtimezone
from networks.models import Meeting, Network, ReminderRule
from tests.factories import (
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
)

UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)
DURATION = datetime.timedelta(minutes=60)

ZONES = [
    "Europe/London",  # the zone of the report
    "Europe/Madrid",
    "America/New_York",
    "Pacific/Auckland",  # southern hemisphere
    "Australia/Adelaide",  # southern, half-hour offset
    "Australia/Lord_Howe",  # half-hour offset and a half-hour DST
    "Asia/Kolkata",  # half-hour offset, no DST
    "Asia/Kathmandu",  # +05:45
    "America/Mexico_City",  # no DST since October 2022
    "Asia/Tehran",  # half-hour offset, no DST since September 2022
    "Europe/Istanbul",  # permanent +03 since 2016
    "America/Santiago",  # southern, rules changed several times since 2010
    "America/Sao_Paulo",  # southern, no DST since 2019
]
YEARS = [2021, 2022, 2026, 2027]


@pytest.fixture(autouse=True)
def vobject_registry(monkeypatch):
    # vobject keeps the first VTIMEZONE it saw for a TZID for the life of the process
    # (a module-level registry); each file here is read as a new client would read it,
    # from its own VTIMEZONE, so each read starts from an empty registry.
    registry = {}
    monkeypatch.setattr(vobject.icalendar, "__tzidMap", registry)
    return registry


def offset_changes(zone, year):
    """The first whole UTC hour after each change of offset in `year`."""
    hour = datetime.datetime(year, 1, 1, tzinfo=UTC)
    while hour.year == year:
        if hour.astimezone(zone).utcoffset() != (hour + HOUR).astimezone(zone).utcoffset():
            yield hour + HOUR
        hour += HOUR


def instants(zone_name):
    """Meeting starts on both sides of each change and on its day, plus two plain days."""
    zone = zoneinfo.ZoneInfo(zone_name)
    for year in YEARS:
        for month in (1, 7):
            yield datetime.datetime(year, month, 15, 17, tzinfo=zone).astimezone(UTC)
        for change in offset_changes(zone, year):
            noon = change.astimezone(zone).replace(hour=12, minute=0, fold=0)
            yield noon.astimezone(UTC)
            for minutes in (-24 * 60, -120, -60, -30, 30, 60, 24 * 60):
                yield change + datetime.timedelta(minutes=minutes)


def unsaved_meeting(network, starts_at, **fields):
    return Meeting(
        network=network,
        uid=uuid.uuid4(),
        title="Policy workshop",
        starts_at=starts_at,
        duration_minutes=int(DURATION.total_seconds() // 60),
        online_url="https://meet.example.org/alliance",
        **fields,
    )


def read_with_icalendar(data: bytes) -> dict:
    calendar = Calendar.from_ical(data)
    return {
        str(event["UID"]): (
            event.decoded("DTSTART"),
            event.decoded("DTEND"),
            int(event["SEQUENCE"]),
            str(event["STATUS"]),
        )
        for event in calendar.walk("VEVENT")
    }


def read_with_vobject(data: bytes) -> dict:
    registry = vars(vobject.icalendar)["__tzidMap"]
    registry.clear()
    registry["UTC"] = DATEUTIL_UTC
    calendar = vobject.readOne(data.decode())
    events = {}
    for event in calendar.vevent_list:
        start, end = event.dtstart.value, event.dtend.value
        for moment in (start, end):
            # From the file's VTIMEZONE (dateutil's tzical), not from the TZID's name.
            assert moment.tzinfo is DATEUTIL_UTC or "tzical" in type(moment.tzinfo).__name__
        events[event.uid.value] = (
            start,
            end,
            int(event.sequence.value),
            event.status.value,
        )
    return events


def assert_both_read(data: bytes, expected: dict) -> None:
    """`expected`: UID → (start, end, sequence, status); instants compare as UTC."""
    for parser in (read_with_icalendar, read_with_vobject):
        read = parser(data)
        assert set(read) == set(expected), parser.__name__
        for uid, (start, end, sequence, status) in expected.items():
            got_start, got_end, got_sequence, got_status = read[uid]
            # As UTC: Python never finds two zones' datetimes in a repeated hour equal.
            got = (got_start.astimezone(UTC), got_end.astimezone(UTC))
            assert got == (start.astimezone(UTC), end.astimezone(UTC)), (
                parser.__name__,
                start.isoformat(),
                got_start.isoformat(),
                got_end.isoformat(),
            )
            assert (got_sequence, got_status) == (sequence, status), parser.__name__


def expected_of(*meetings) -> dict:
    return {
        f"{meeting.uid}@alliance-portal": (
            meeting.starts_at,
            meeting.ends_at,
            meeting.sequence,
            "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED",
        )
        for meeting in meetings
    }


@pytest.mark.parametrize("zone_name", ZONES)
def test_both_parsers_read_every_meeting_file_at_its_true_instant(zone_name):
    network = Network(name="Network", slug="network", time_zone=zone_name)
    for starts_at in instants(zone_name):
        meeting = unsaved_meeting(network, starts_at)
        assert_both_read(meeting_ics(meeting), expected_of(meeting))


@pytest.mark.parametrize("zone_name", ZONES)
def test_both_parsers_read_a_feed_spanning_rule_changes_at_the_true_instants(zone_name):
    network = Network(name="Network", slug="network", time_zone=zone_name)
    meetings = [unsaved_meeting(network, starts_at) for starts_at in instants(zone_name)]
    assert_both_read(network_ics(network, meetings), expected_of(*meetings))


def test_the_meeting_of_the_report_reads_as_five_pm_gmt():
    network = Network(name="Network", slug="network", time_zone="Europe/London")
    starts_at = datetime.datetime(2026, 12, 1, 17, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    meeting = unsaved_meeting(network, starts_at)
    (event,) = vobject.readOne(meeting_ics(meeting).decode()).vevent_list
    assert event.dtstart.value.utcoffset() == datetime.timedelta(0)
    assert event.dtstart.value.hour == 17


def test_the_vtimezone_is_compact_and_rule_based():
    text = vtimezone("Europe/London", 2026, 2027).to_ical().decode()
    assert "RDATE" not in text
    assert text.count("RRULE:FREQ=YEARLY") == 2
    assert "BYMONTH=3" in text and "BYMONTH=10" in text and "BYDAY=-1SU" in text
    assert len(text) < 600
    # A zone without DST in those years is one observance, with no rule.
    text = vtimezone("America/Mexico_City", 2026, 2027).to_ical().decode()
    assert text.count("BEGIN:STANDARD") == 1 and "DAYLIGHT" not in text


def member_of(network):
    official = CityOfficialFactory(city=CityFactory())
    MembershipFactory(city=official.city, network=network)
    return official.user


def spring_change(zone_name, year=2027):
    """The first change of offset in `year` (or 1 March when the zone has none)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    return next(offset_changes(zone, year), datetime.datetime(year, 3, 1, tzinfo=UTC))


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
def test_a_rescheduled_then_cancelled_meeting_reads_right_in_every_file(client, zone_name):
    network = NetworkFactory(time_zone=zone_name)
    network_ensure_default_rules(network)
    change = spring_change(zone_name)
    meeting = MeetingFactory(network=network, starts_at=change - datetime.timedelta(days=1))
    member = member_of(network)
    client.force_login(member)
    path = reverse("networks:calendar", kwargs={"slug": network.slug})
    feed = f"{path}?token={calendar_feed_issue(user=member, network=network)}"
    meeting_file = reverse("meetings:ics", args=[meeting.pk])

    def every_file():
        meeting.refresh_from_db()
        rule = ReminderRule.objects.filter(network=network).first()
        reminder = reminder_message(
            meeting.reminders.model(meeting=meeting, recipient=member, rule=rule, pk=0),
            test=True,
        )
        (_name, attachment, _mimetype) = reminder.attachments[0]
        yield client.get(meeting_file).content
        yield client.get(feed).content
        yield attachment if isinstance(attachment, bytes) else attachment.encode()

    for data in every_file():
        assert_both_read(data, expected_of(meeting))

    # Across the change: from the day before to half an hour after it.
    meeting_reschedule(meeting=meeting, starts_at=change + datetime.timedelta(minutes=30))
    for data in every_file():
        assert meeting.sequence == 1
        assert_both_read(data, expected_of(meeting))

    meeting_cancel(meeting=meeting)
    for data in every_file():
        assert meeting.sequence == 2 and meeting.status == Meeting.Status.CANCELLED
        assert_both_read(data, expected_of(meeting))
