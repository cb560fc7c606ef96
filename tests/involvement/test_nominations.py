"""Nominations: /events/, the form, the nominee's decline, the honeypot and rate limit.

What follows an invitation (the reminder ledger, the decisions): test_nomination_invitations.py.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from networks.meetings.services import meeting_schedule
from networks.models import Meeting
from networks.nominations.models import Nomination, NominationCall
from tests.involvement.nominations import DAY

pytestmark = pytest.mark.django_db


def nomination_data(**changes):
    data = {
        "is_self": "0",
        "nominee_name": "Kenji Sato",
        "nominee_email": "kenji@city.example.jp",
        "organisation": "Kaga City",
        "position": "Digital officer",
        "country": "JP",
        "languages": "Japanese, English",
        "time_zone": "Asia/Tokyo",
        "why": "Runs Kaga's open-data portal.",
        "nominator_name": "Ana Gómez",
        "nominator_email": "ana@example.org",
        "nominator_organisation": "C4IR Japan",
        "consent": "on",
        "fax_number": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def nominate(client, call, capture, url=None, **changes):
    with capture(execute=True):
        return client.post(
            url or reverse("nominations:nominate", args=[call.pk]), nomination_data(**changes)
        )


def test_events_lists_open_calls_in_the_visitors_zone_without_members_only_details(client, call):
    closed = NominationCall.objects.create(
        meeting=meeting_schedule(
            meeting=Meeting(
                network=call.meeting.network,
                title="Closed call",
                starts_at=timezone.now() + 30 * DAY,
                place="x",
            )
        ),
        summary="x",
        deadline=timezone.now() - DAY,
    )
    page = client.get("/ja/events/", {"tz": "Asia/Tokyo"})
    assert page.status_code == 200
    assert "Workshop on open data" in page.text and closed.meeting.title not in page.text
    assert "Asia/Tokyo" in page.text and "America/Bogota" in page.text
    local = call.meeting.starts_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert local.strftime("%H:%M") in page.text
    assert "Ruta N" not in page.text  # the place is for members and the invited
    assert client.get(reverse("nominations:list"), {"tz": "Mars/Olympus"}).status_code == 400


def test_a_colleague_is_nominated_told_in_the_page_language_and_can_decline(
    client, call, django_capture_on_commit_callbacks, mailoutbox, link_in
):
    response = nominate(
        client, call, django_capture_on_commit_callbacks, url=f"/es/events/{call.pk}/nominate/"
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.status, nomination.language, nomination.is_self) == (
        "nominated",
        "es",
        False,
    )
    (message,) = mailoutbox
    assert message.to == ["kenji@city.example.jp"] and "Ana Gómez" in message.body
    url = link_in(message, "/decline/")
    assert url.startswith("/es/events/decline/")
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice is harmless
    assert Nomination.objects.get().status == "withdrawn"


def test_nominating_a_colleague_needs_the_nominators_details(client, call, mailoutbox):
    response = client.post(
        reverse("nominations:nominate", args=[call.pk]),
        nomination_data(nominator_name="", nominator_email=""),
    )
    assert response.status_code == 400
    assert {"nominator_name", "nominator_email"} <= set(response.context["form"].errors)
    assert "Kenji Sato" in response.text  # nothing typed is lost
    assert not Nomination.objects.exists() and not mailoutbox


def test_a_closed_call_takes_no_nomination(client, call):
    url = reverse("nominations:nominate", args=[call.pk])
    with time_machine.travel(timezone.now() + 11 * DAY):
        assert client.post(url, nomination_data()).status_code == 404
    assert not Nomination.objects.exists()


def test_the_honeypot_and_rate_limit_refuse_without_storing(client, call, settings):
    url = reverse("nominations:nominate", args=[call.pk])
    assert client.post(url, nomination_data(fax_number="1")).status_code == 400
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "nominate": "1/h/ip"}
    assert client.post(url, nomination_data()).status_code == 302
    assert client.post(url, nomination_data(nominee_email="b@example.org")).status_code == 429
    assert Nomination.objects.count() == 1
