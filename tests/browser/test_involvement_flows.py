"""Two ways in, end to end in a real browser (Chromium driven by Playwright): a pledge
confirmed by its emailed link and published by the secretariat; a nomination that ends
in an invitation whose calendar file opens."""

import datetime
import re
import urllib.request

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from networks.meetings.services import meeting_schedule
from networks.models import Meeting
from networks.nominations.models import Nomination, NominationCall
from tests.factories import NetworkFactory, UserFactory, totp_code, with_totp

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long pass phrase 42"


def secretariat_page(browser, url):
    staff = with_totp(UserFactory(email="staff@secretariat.org", is_staff=True, is_superuser=True))
    staff.set_password(PASSWORD)
    staff.save()
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{url}/admin/")
    page.get_by_label("Email").first.fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator('input[name="code"]').fill(totp_code(staff.totp_secret))
    page.locator('input[name="code"]').press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def link(message, part):
    return next(u for u in re.findall(r"https?://\S+", message.body) if part in u)


def test_a_pledge_is_confirmed_published_and_listed(live_server, browser, settings):
    settings.SITE_URL = live_server.url
    url = live_server.url
    visitor = browser.new_page()
    visitor.set_default_timeout(15_000)
    visitor.goto(f"{url}/get-involved/")
    visitor.get_by_role("link", name="Pledge support").first.click()
    visitor.get_by_label("Name of the organisation or government").fill("Fundación Datos")
    visitor.get_by_label("Kind of organisation").select_option("civil-society")
    visitor.get_by_label("Country").select_option("CO")
    visitor.get_by_label("Contact name").fill("Lucía Pérez")
    visitor.get_by_label("Contact email").fill("lucia@datos.example.org")
    visitor.get_by_label(re.compile("may list our organisation")).check()
    visitor.get_by_role("button", name="Send the pledge").click()
    # The consent was forgotten: an error, and nothing typed is lost.
    assert visitor.get_by_text("accept the privacy notice").first.is_visible()
    assert visitor.get_by_label("Contact name").input_value() == "Lucía Pérez"
    visitor.get_by_label(re.compile("privacy notice")).check()
    visitor.get_by_role("button", name="Send the pledge").click()
    visitor.wait_for_url(re.compile(r"/get-involved/pledge/sent/$"))

    (message,) = mail.outbox
    visitor.goto(link(message, "/confirm/"))
    visitor.get_by_role("button", name="Confirm the pledge").click()
    assert visitor.get_by_text("is confirmed").first.is_visible()
    visitor.goto(f"{url}/supporters/")
    assert "Fundación Datos" not in visitor.content()

    admin = secretariat_page(browser, url)
    admin.goto(f"{url}/admin/networks/pledge/?status__exact=confirmed")
    admin.locator('input[name="_selected_action"]').first.check()
    admin.locator('select[name="action"]').select_option("publish")
    admin.get_by_role("button", name="Go").click()
    admin.wait_for_load_state()

    visitor.goto(f"{url}/supporters/?kind=civil-society&country=CO")
    assert "Fundación Datos" in visitor.content()
    assert "lucia@datos.example.org" not in visitor.content()


def test_a_nomination_leads_to_an_invitation_whose_calendar_file_opens(
    live_server, browser, settings
):
    settings.SITE_URL = live_server.url
    url = live_server.url
    network = NetworkFactory(name="Regional Alliance for Latin America", time_zone="America/Bogota")
    meeting = meeting_schedule(
        meeting=Meeting(
            network=network,
            title="Workshop on open data",
            starts_at=timezone.now() + datetime.timedelta(days=20),
            place="Ruta N, Medellín",
        )
    )
    NominationCall.objects.create(
        meeting=meeting,
        summary="For open-data leads.",
        deadline=timezone.now() + datetime.timedelta(days=10),
    )
    visitor = browser.new_page()
    visitor.set_default_timeout(15_000)
    visitor.goto(f"{url}/events/")
    visitor.get_by_label("Show times in").select_option("Asia/Tokyo")
    visitor.get_by_role("button", name="Show").click()
    visitor.get_by_role("link", name=re.compile("Nominate for Workshop")).click()
    assert visitor.get_by_label("The nominee’s time zone").input_value() == "Asia/Tokyo"
    visitor.get_by_label("Myself").check()
    visitor.get_by_label("Nominee’s name").fill("Kenji Sato")
    visitor.get_by_label("Nominee’s email").fill("kenji@city.example.jp")
    visitor.get_by_label("Organisation", exact=True).fill("Kaga City")
    visitor.get_by_label("Position", exact=True).fill("Digital officer")
    visitor.get_by_label("Country", exact=True).select_option("JP")
    visitor.get_by_label("Languages spoken").fill("Japanese, English")
    visitor.get_by_label("Why should this person take part?").fill("Runs the open-data portal.")
    visitor.get_by_label(re.compile("privacy notice")).check()
    visitor.get_by_role("button", name="Send the nomination").click()
    visitor.wait_for_url(re.compile(r"/events/nominated/$"))
    nomination = Nomination.objects.get()

    admin = secretariat_page(browser, url)
    admin.goto(f"{url}/admin/networks/nomination/")
    admin.locator(f'input[name="_selected_action"][value="{nomination.pk}"]').check()
    admin.locator('select[name="action"]').select_option("invite")
    admin.get_by_role("button", name="Go").click()
    admin.wait_for_load_state()

    invitation = next(m for m in mail.outbox if m.subject.startswith("Invitation"))
    with urllib.request.urlopen(link(invitation, ".ics")) as response:  # noqa: S310 - test server
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.read())
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == "Workshop on open data"
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
