"""Meeting pages, RSVP and calendar files: members of the network and staff only."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from networks.meetings.feeds import calendar_feed_issue
from networks.meetings.reminders import network_ensure_default_rules
from networks.meetings.services import meeting_reschedule
from networks.models import Rsvp
from tests.factories import (
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    network = NetworkFactory(time_zone="America/Bogota")
    network_ensure_default_rules(network)
    return MeetingFactory(network=network, title="Open data clinic")


def official_of(network, status="active", **city):
    official = CityOfficialFactory(city=CityFactory(**city))
    MembershipFactory(city=official.city, network=network, status=status)
    return official


def calendar_feed_url(user, network):
    token = calendar_feed_issue(user=user, network=network)
    return reverse("networks:calendar", args=[network.slug]) + f"?token={token}"


def detail(meeting):
    return reverse("meetings:detail", args=[meeting.pk])


def ics(meeting):
    return reverse("meetings:ics", args=[meeting.pk])


@pytest.mark.parametrize("url", [detail, ics])
def test_strangers_get_404(client, meeting, url):
    assert client.get(url(meeting)).status_code == 404  # anonymous
    client.force_login(UserFactory())
    assert client.get(url(meeting)).status_code == 404
    client.force_login(official_of(NetworkFactory()).user)  # another network's member
    assert client.get(url(meeting)).status_code == 404
    client.force_login(official_of(meeting.network, status="lapsed").user)
    assert client.get(url(meeting)).status_code == 404


def test_a_member_sees_the_time_in_the_network_and_their_city_zones(client, meeting):
    official = official_of(meeting.network, time_zone="Asia/Tokyo")
    client.force_login(official.user)
    response = client.get(detail(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open data clinic" in html
    assert "America/Bogota" in html and "Asia/Tokyo" in html


def test_an_official_answers_for_their_city_and_can_change_the_answer(client, meeting):
    official = official_of(meeting.network)
    client.force_login(official.user)
    assert client.post(detail(meeting), {"answer": "attending"}).status_code == 302
    assert client.post(detail(meeting), {"answer": "maybe"}).status_code == 302
    rsvp = Rsvp.objects.get()
    assert (rsvp.city, rsvp.answer, rsvp.answered_by) == (official.city, "maybe", official.user)


def test_a_bad_answer_is_refused_and_nothing_is_stored(client, meeting):
    client.force_login(official_of(meeting.network).user)
    assert client.post(detail(meeting), {"answer": "<b>yes</b>"}).status_code == 400
    assert Rsvp.objects.count() == 0


def test_staff_see_any_meeting_but_cannot_answer_for_a_city(client, meeting, staff_user):
    client.force_login(staff_user)
    assert client.get(detail(meeting)).status_code == 200
    assert client.post(detail(meeting), {"answer": "attending"}).status_code == 404
    assert Rsvp.objects.count() == 0


def test_ics_keeps_its_uid_and_raises_its_sequence_when_rescheduled(client, meeting):
    client.force_login(official_of(meeting.network).user)
    first = Calendar.from_ical(client.get(ics(meeting)).content)
    meeting_reschedule(meeting=meeting, starts_at=meeting.starts_at + datetime.timedelta(hours=3))
    second = Calendar.from_ical(client.get(ics(meeting)).content)
    (event_one,) = first.walk("VEVENT")
    (event_two,) = second.walk("VEVENT")
    assert event_one["UID"] == event_two["UID"] == f"{meeting.uid}@alliance-portal"
    assert int(event_two["SEQUENCE"]) == int(event_one["SEQUENCE"]) + 1
    assert event_two.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert str(event_two.decoded("DTSTART").tzinfo) == "America/Bogota"
    assert second.walk("VTIMEZONE")  # the zone travels with the file


def test_network_feed_opens_with_a_members_signed_link_and_not_otherwise(client, meeting):
    official = official_of(meeting.network)
    url = calendar_feed_url(official.user, meeting.network)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "Open data clinic" in response.content.decode()

    bare = reverse("networks:calendar", args=[meeting.network.slug])
    assert client.get(bare).status_code == 404
    assert client.get(bare + "?token=forged").status_code == 404
    other_network = NetworkFactory()
    assert client.get(calendar_feed_url(official.user, other_network)).status_code == 404


def test_the_feed_of_a_network_without_meetings_is_an_empty_calendar(client):
    network = NetworkFactory(time_zone="Europe/Madrid")
    official = official_of(network)
    response = client.get(calendar_feed_url(official.user, network))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == network.name


def test_meeting_page_queries_are_bounded(
    client, meeting, staff_user, django_assert_max_num_queries
):
    for _ in range(5):
        official = official_of(meeting.network)
        Rsvp.objects.create(meeting=meeting, city=official.city, answer="attending")
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        assert client.get(detail(meeting)).status_code == 200


# Admin -----------------------------------------------------------------------


def test_staff_schedule_a_meeting_in_the_networks_local_time(client, staff_user):
    network = NetworkFactory(time_zone="Asia/Kolkata")
    network_ensure_default_rules(network)
    official = official_of(network)
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:networks_meeting_add"),
        {
            "network": network.pk,
            "title": "Cybersecurity workshop",
            "local_start": "2027-02-10T15:30",
            "duration_minutes": 90,
            "place": "C4IR India, Mumbai",
            "online_url": "",
            "reminder_rules-TOTAL_FORMS": 0,
            "reminder_rules-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from networks.models import Meeting

    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime.datetime(2027, 2, 10, 10, 0, tzinfo=datetime.UTC)
    assert meeting.reminders.filter(recipient=official.user).count() == 2


def test_staff_reschedule_from_the_change_page_and_see_the_ledger(client, staff_user, meeting):
    official_of(meeting.network)
    client.force_login(staff_user)
    url = reverse("admin:networks_meeting_change", args=[meeting.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Reminder ledger" in page.content.decode()
    response = client.post(
        url,
        {
            "title": meeting.title,
            "local_start": "2027-03-01T09:00",
            "duration_minutes": 60,
            "place": meeting.place,
            "online_url": meeting.online_url,
            "agenda": "",
            "reminder_rules-TOTAL_FORMS": 0,
            "reminder_rules-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime.datetime(2027, 3, 1, 14, 0, tzinfo=datetime.UTC)
    assert meeting.sequence == 1
    assert (
        meeting.reminders.filter(status="pending", meeting_starts_at=meeting.starts_at).count() == 2
    )


def test_staff_resend_failed_reminders(client, staff_user, meeting):
    from networks.meetings.reminders import reminders_sync

    official_of(meeting.network)
    reminders_sync(meeting=meeting)
    assert meeting.reminders.update(status="failed", last_error="550 No such user") == 2
    client.force_login(staff_user)
    client.post(reverse("admin:networks_meeting_resend_failed", args=[meeting.pk]))
    assert set(meeting.reminders.values_list("status", flat=True)) == {"pending"}


def test_calendar_link_is_offered_only_to_members(client, meeting):
    page = reverse("networks:detail", args=[meeting.network.slug])
    action = reverse("networks:calendar_link", args=[meeting.network.slug])
    client.force_login(UserFactory())
    assert action not in client.get(page).content.decode()
    client.force_login(official_of(meeting.network).user)
    assert f'action="{action}"' in client.get(page).content.decode()


def test_staff_send_themselves_a_test_reminder_that_says_so(
    client, staff_user, meeting, mailoutbox
):
    from networks.meetings.reminders import network_ensure_default_rules

    network_ensure_default_rules(meeting.network)
    client.force_login(staff_user)
    client.post(reverse("admin:networks_meeting_test_reminder", args=[meeting.pk]))
    (message,) = mailoutbox
    assert message.to == [staff_user.email]
    assert "test reminder that you asked for in the admin" in message.body
    assert "because you are an official" not in message.body
    assert not meeting.reminders.exists()  # outside the ledger


def test_the_public_network_page_shows_a_meetings_title_and_date_not_its_place(client, meeting):
    """Where members meet is for members (issue #15 §4): the public sees what is planned
    and when; the place and whether there is an online link only members see."""
    page = reverse("networks:detail", args=[meeting.network.slug])
    for visitor in (None, UserFactory()):
        if visitor:
            client.force_login(visitor)
        html = client.get(page).content.decode()
        assert meeting.title in html
        assert meeting.place not in html
        assert "Also online" not in html
    client.force_login(official_of(meeting.network).user)
    html = client.get(page).content.decode()
    assert meeting.place in html and "Also online" in html
