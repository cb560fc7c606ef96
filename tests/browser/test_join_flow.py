"""A city official joins, end to end, in a real browser (Chromium driven by Playwright)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from cities.models import City
from networks.models import Application, Membership
from tests.factories import NetworkFactory, UserFactory, totp_code, with_totp

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long pass phrase 42"


def test_official_signs_up_applies_is_approved_and_edits_the_city(live_server, browser):
    network = NetworkFactory(name="Regional Alliance for Latin America", slug="latin-america")
    staff = with_totp(UserFactory(email="staff@secretariat.org", is_staff=True, is_superuser=True))
    staff.set_password(PASSWORD)
    staff.save()
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    url = live_server.url

    official = browser.new_page()
    official.set_default_timeout(15_000)

    # Sign up; the verification link arrives by email.
    official.goto(f"{url}/accounts/signup/")
    official.get_by_label("Email").first.fill("ana@pasto.gov.co")
    official.get_by_label("Password", exact=True).fill(PASSWORD)
    official.get_by_label("Password (again)").fill(PASSWORD)
    official.get_by_role("button", name=re.compile("Sign up", re.I)).click()
    official.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    official.goto(link)
    official.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    official.wait_for_load_state()

    # Apply for a new city, first with a mistake.
    official.goto(f"{url}/apply/?new=1")
    official.get_by_label("City name").fill("Pasto")
    official.get_by_label("Country").select_option("CO")
    official.get_by_label("World region").select_option("latam")
    official.get_by_label("Population").fill("about 400k")
    official.get_by_label("Time zone").fill("America/Bogota")
    official.get_by_label("Network you apply to").select_option(str(network.pk))
    official.get_by_label("Your name").fill("Ana Gómez")
    official.get_by_label("Your position").fill("Secretaria TIC")
    official.get_by_label("Official email").fill("ana@pasto.gov.co")
    official.get_by_label("Phone").fill("+57 2 733 3300")
    official.get_by_label("Transparency and privacy").check()
    official.get_by_label("What does your city want from the network?").fill(
        "Learn how pioneer cities publish open data."
    )
    official.get_by_label(re.compile("privacy notice")).check()
    official.get_by_role("button", name="Send application").click()
    assert official.get_by_text("positive whole number").first.is_visible()
    assert official.get_by_label("Your name").input_value() == "Ana Gómez"
    assert Application.objects.count() == 0

    official.get_by_label("Population").fill("392930")
    official.get_by_label(re.compile("privacy notice")).check()
    official.get_by_role("button", name="Send application").click()
    official.wait_for_url(re.compile(r"/applications/\d+/submitted/$"))
    application = Application.objects.get()
    assert application.city_name == "Pasto"

    # The secretariat approves it in the admin.
    admin = browser.new_page()
    admin.set_default_timeout(15_000)
    # The admin's log-in is the site's (rate-limited, with MFA), which comes back here.
    admin.goto(f"{url}/admin/")
    admin.get_by_label("Email").first.fill(staff.email)
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    # Staff have an authenticator app: the code it shows now.
    admin.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    admin.locator('input[name="code"]').fill(totp_code(staff.totp_secret))
    admin.locator('input[name="code"]').press("Enter")
    admin.wait_for_url(re.compile(r"/admin/$"))
    admin.goto(f"{url}/admin/networks/application/")
    admin.locator(f'input[name="_selected_action"][value="{application.pk}"]').check()
    admin.locator('select[name="action"]').select_option("approve")
    admin.get_by_role("button", name="Go").click()
    admin.wait_for_load_state()
    assert Membership.objects.filter(city__name="Pasto", status="active").exists()

    # The official edits the city's description; the public page shows it.
    city = City.objects.get(name="Pasto")
    official.goto(f"{url}/cities/{city.slug}/edit/")
    official.get_by_label("Description").fill("Pasto, capital of Nariño, at the foot of Galeras.")
    official.get_by_role("button", name=re.compile("Save", re.I)).click()
    official.wait_for_url(re.compile(rf"/cities/{city.slug}/$"))

    visitor = browser.new_page()
    visitor.goto(f"{url}/cities/{city.slug}/")
    assert "at the foot of Galeras" in visitor.content()
