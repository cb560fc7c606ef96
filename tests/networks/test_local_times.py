"""Local times that do not exist, or exist twice, where a person types them (#13 section 3).

The meeting form of the admin is the one place a local time is typed: it schedules a
meeting (add page) and reschedules one (change page).
"""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from alliance.local_time import aware_from_local
from networks.meetings.reminders import network_ensure_default_rules
from networks.models import Meeting
from tests.factories import MeetingFactory, NetworkFactory

UTC = datetime.UTC
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


@pytest.mark.parametrize(
    ("zone", "typed", "gap"),
    [
        ("Europe/Madrid", (2027, 3, 28, 2, 30), ("02:00", "03:00")),
        ("Europe/Madrid", (2027, 3, 28, 2, 0), ("02:00", "03:00")),
        ("America/New_York", (2027, 3, 14, 2, 59), ("02:00", "03:00")),
        ("Australia/Adelaide", (2026, 10, 4, 2, 15), ("02:00", "03:00")),
        ("Australia/Lord_Howe", (2026, 10, 4, 2, 10), ("02:00", "02:30")),  # a 30-minute DST
        ("America/Santiago", (2026, 9, 6, 0, 30), ("00:00", "01:00")),  # at midnight
        # Samoa skipped 30 December 2011: a gap of a whole day ends on another date.
        ("Pacific/Apia", (2011, 12, 30, 10, 0), ("00:00", "2011-12-31 00:00")),
    ],
)
def test_a_time_that_does_not_exist_is_refused_naming_the_gap(zone, typed, gap):
    with pytest.raises(ValidationError) as refused:
        aware_from_local(datetime.datetime(*typed), zone)  # noqa: DTZ001
    (message,) = refused.value.messages
    assert f"clocks go forward from {gap[0]} to {gap[1]}" in message
    assert zone in message and datetime.date(*typed[:3]).isoformat() in message
    assert refused.value.code == "nonexistent_time"


def test_the_minutes_either_side_of_the_gap_are_kept():
    before = aware_from_local(datetime.datetime(2027, 3, 28, 1, 59), "Europe/Madrid")  # noqa: DTZ001
    after = aware_from_local(datetime.datetime(2027, 3, 28, 3, 0), "Europe/Madrid")  # noqa: DTZ001
    assert before.astimezone(UTC) == datetime.datetime(2027, 3, 28, 0, 59, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime.datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "typed", "first"),
    [
        ("Europe/Madrid", (2027, 10, 31, 2, 30), (2027, 10, 31, 0, 30)),  # CEST, not CET
        ("Australia/Adelaide", (2027, 4, 4, 2, 30), (2027, 4, 3, 16, 0)),  # +10:30, not +09:30
        ("America/New_York", (2027, 11, 7, 1, 30), (2027, 11, 7, 5, 30)),  # EDT, not EST
    ],
)
def test_a_time_that_occurs_twice_means_the_first_occurrence(zone, typed, first):
    instant = aware_from_local(datetime.datetime(*typed), zone)  # noqa: DTZ001
    assert instant.astimezone(UTC) == datetime.datetime(*first, tzinfo=UTC)


def test_the_refusal_is_translated():
    with pytest.raises(ValidationError) as refused:
        aware_from_local(datetime.datetime(2027, 3, 28, 2, 30), "Europe/Madrid")  # noqa: DTZ001
    with translation.override("es"):  # read in the language of the page that shows it
        assert "02:30 no existe en Europe/Madrid" in refused.value.messages[0]
    with translation.override("ja"):
        assert "時計が02:00から03:00に進められます" in refused.value.messages[0]


# The admin's meeting form -------------------------------------------------------------


@pytest.fixture
def network(db):
    network = NetworkFactory(time_zone="Europe/Madrid")
    network_ensure_default_rules(network)
    return network


def add(client, network, local_start):
    return client.post(
        reverse("admin:networks_meeting_add"),
        {
            "network": network.pk,
            "title": "Mobility workshop",
            "local_start": local_start,
            "duration_minutes": 60,
            "place": "Madrid",
            "online_url": "",
            "reminder_rules-TOTAL_FORMS": 0,
            "reminder_rules-INITIAL_FORMS": 0,
        },
    )


def change(client, meeting, local_start, title=None):
    return client.post(
        reverse("admin:networks_meeting_change", args=[meeting.pk]),
        {
            "title": title or meeting.title,
            "local_start": local_start,
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "online_url": meeting.online_url,
            "agenda": "",
            "reminder_rules-TOTAL_FORMS": 0,
            "reminder_rules-INITIAL_FORMS": 0,
        },
    )


def test_the_form_says_what_a_twice_occurring_time_means(client, staff_user, network):
    client.force_login(staff_user)
    page = client.get(reverse("admin:networks_meeting_add")).content.decode()
    assert "means the first of the two" in page
    meeting = MeetingFactory(network=network)
    page = client.get(reverse("admin:networks_meeting_change", args=[meeting.pk]))
    assert "means the first of the two" in page.content.decode()


def test_scheduling_at_a_time_that_does_not_exist_is_refused(client, staff_user, network):
    client.force_login(staff_user)
    response = add(client, network, "2027-03-28T02:30")
    assert response.status_code == 200
    assert "clocks go forward from 02:00 to 03:00" in response.content.decode()
    assert not Meeting.objects.exists()


def test_scheduling_at_a_twice_occurring_time_takes_the_first(client, staff_user, network):
    client.force_login(staff_user)
    assert add(client, network, "2027-10-31T02:30").status_code == 302
    assert Meeting.objects.get().starts_at == datetime.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_rescheduling_to_a_time_that_does_not_exist_is_refused(
    client, staff_user, network, mailoutbox
):
    starts_at = datetime.datetime(2027, 3, 27, 17, tzinfo=MADRID)
    meeting = MeetingFactory(network=network, starts_at=starts_at)
    client.force_login(staff_user)
    response = change(client, meeting, "2027-03-28T02:30")
    assert response.status_code == 200
    assert "clocks go forward from 02:00 to 03:00" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (starts_at, 0)
    assert mailoutbox == []


def test_rescheduling_to_a_twice_occurring_time_takes_the_first(client, staff_user, network):
    meeting = MeetingFactory(
        network=network, starts_at=datetime.datetime(2027, 10, 30, 17, tzinfo=MADRID)
    )
    client.force_login(staff_user)
    assert change(client, meeting, "2027-10-31T02:30").status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert meeting.sequence == 1


def test_editing_a_meeting_at_the_second_occurrence_keeps_its_start(client, staff_user, network):
    # 02:30 CET, after the clocks went back: a start the typed text alone cannot say.
    second = datetime.datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    meeting = MeetingFactory(network=network, starts_at=second)
    client.force_login(staff_user)
    assert change(client, meeting, "2027-10-31T02:30", title="New title").status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.starts_at, meeting.sequence) == ("New title", second, 0)


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "9999-06-01T10:00", "1000-06-01T10:00"])
def test_a_start_centuries_away_is_refused_not_a_500(client, staff_user, typed):
    """9999-12-31T23:59 in Bogota is past datetime's range once in UTC: it was a 500."""
    network = NetworkFactory(time_zone="America/Bogota")
    client.force_login(staff_user)
    response = add(client, network, typed)
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    assert not Meeting.objects.exists()
    meeting = MeetingFactory(network=network)
    client.raise_request_exception = False
    assert change(client, meeting, typed).status_code == 200


@pytest.mark.parametrize("url_name", ["admin:networks_meeting_changelist", "admin:index"])
def test_admin_lists_show_a_meeting_at_the_time_and_date_the_network_sees(
    client, staff_user, url_name
):
    # 09:00 on New Year's Day in Auckland is 20:00 on 31 December in UTC, the server's
    # zone: the list showed the day before, at a time nobody typed.
    auckland = NetworkFactory(time_zone="Pacific/Auckland")
    MeetingFactory(
        network=auckland,
        starts_at=datetime.datetime(2027, 1, 1, 9, tzinfo=zoneinfo.ZoneInfo("Pacific/Auckland")),
    )
    client.force_login(staff_user)
    page = client.get(reverse(url_name)).content.decode()
    assert "Jan. 1, 2027" in page and "Pacific/Auckland" in page
    assert "Dec. 31, 2026" not in page
