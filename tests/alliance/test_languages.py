"""The portal in English, Spanish, Brazilian Portuguese and Japanese."""

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from alliance.language import email_language
from alliance.models import OutboundEmail, User
from networks.applications.services import application_approve
from networks.meetings.reminders import (
    network_ensure_default_rules,
    reminder_message,
    reminders_sync,
)
from networks.models import Meeting
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    FaqEntryFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = ["es", "pt-br", "ja"]


def in_language(language: str, message: str) -> str:
    """The catalogue's translation, which must exist: English left over fails the test."""
    with translation.override(language):
        translated = gettext(message)
    assert translated != message, f"{message!r} is not translated into {language}"
    return translated


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_home_page_speaks_the_language_of_its_prefix(client, language):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in html
    assert in_language(language, "Skip to content") in html
    assert in_language(language, "The Alliance in figures") in html
    assert f'href="/{language}/directory/"' in html


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_application_form_explains_a_mistake_in_the_visitors_language(
    client, verified_user, language
):
    network = NetworkFactory()
    client.force_login(verified_user)
    response = client.post(
        f"/{language}/apply/?new=1",
        {"new": "1", "city_name": "Pasto", "network": str(network.pk), "consent": "on"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    with translation.override(language):
        required = gettext("This field is required.")
    assert required != "This field is required." and required in html
    assert in_language(language, "Your city") in html


def schedule_reminded(network, recipient_language: str = ""):
    official = CityOfficialFactory(
        city=CityFactory(time_zone="Asia/Tokyo"), user=UserFactory(language=recipient_language)
    )
    MembershipFactory(city=official.city, network=network, status="active")
    network_ensure_default_rules(network)
    meeting = Meeting.objects.create(
        network=network,
        title="Quarterly meeting",
        starts_at=datetime.datetime(2026, 12, 7, 1, 30, tzinfo=datetime.UTC),
        place="Kaga City Hall",
    )
    with translation.override("en"):
        reminders_sync(meeting=meeting, now=meeting.starts_at - datetime.timedelta(days=30))
    return meeting.reminders.select_related("meeting__network", "recipient", "rule").first()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_meeting_reminder_is_written_in_the_recipients_language(language):
    reminder = schedule_reminded(NetworkFactory(default_language="en"), language)
    message = reminder_message(reminder)
    reminder_line = in_language(language, "This is a reminder of the next meeting of %(network)s:")
    assert reminder_line.split("%(")[0].strip() in message.body
    assert in_language(language, "Please tell the network whether your city will attend:") in (
        message.body
    )
    assert f"/{language}/meetings/{reminder.meeting.pk}/" in message.body
    html = message.alternatives[0][0]
    assert f'lang="{language}"' in html


def test_japanese_reminder_shows_japanese_dates_in_tokyo_time():
    network = NetworkFactory(default_language="ja", time_zone="Asia/Tokyo")
    message = reminder_message(schedule_reminded(network))
    # 01:30 UTC on 7 December is 10:30 in Tokyo, a Monday.
    assert "2026年12月7日" in message.subject
    assert "月曜日" in message.body and "10:30" in message.body
    assert "December" not in message.body


def test_reminder_falls_back_to_the_networks_language_then_english():
    spanish_network = NetworkFactory(default_language="es")
    message = reminder_message(schedule_reminded(spanish_network, recipient_language=""))
    assert in_language("es", "Please tell the network whether your city will attend:") in (
        message.body
    )
    assert email_language(User(language=""), "", None) == "en"
    assert email_language(User(language="ja"), "es") == "ja"
    assert email_language(None, "xx", "pt-br") == "pt-br"


@pytest.mark.parametrize(
    ("saved", "applied_in", "network_language", "expected"),
    [("ja", "es", "pt-br", "ja"), ("", "es", "pt-br", "es"), ("", "", "pt-br", "pt-br")],
)
def test_decision_email_language_follows_the_fallback_order(
    staff_user, saved, applied_in, network_language, expected
):
    applicant = UserFactory(language=saved)
    network = NetworkFactory(default_language=network_language, name="Red")
    application = ApplicationFactory(applicant=applicant, network=network, language=applied_in)
    application_approve(application=application, reviewer=staff_user)
    email = OutboundEmail.objects.filter(to=applicant.email).latest("pk")
    welcome = in_language(
        expected, "Welcome to %(network)s: the application of %(city)s is approved"
    )
    assert welcome.split("%(")[0].strip() in email.subject


def test_the_root_url_redirects_to_the_browsers_language(client):
    response = client.get("/faq/", HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/ja/faq/"
    assert "Accept-Language" in response["Vary"]


def test_english_browser_stays_at_the_root(client):
    response = client.get("/faq/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


def test_saved_preference_wins_over_the_browser(client):
    client.force_login(UserFactory(language="pt-br"))
    response = client.get("/directory/?q=sao", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 302
    assert response["Location"] == "/pt-br/directory/?q=sao"


def test_the_url_prefix_wins_over_everything(client):
    client.force_login(UserFactory(language="pt-br"))
    response = client.get("/es/faq/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert '<html lang="es"' in response.content.decode()


def test_forms_posted_to_english_urls_are_not_redirected(client):
    response = client.post("/accounts/login/", {}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code != 302 or not response["Location"].startswith("/ja/")


def test_switcher_keeps_the_visitor_on_the_same_page(client):
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/es/faq/"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/faq/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    # Back to English: the root URL, and the cookie stops any redirect.
    response = client.post(reverse("set_language"), {"language": "en", "next": "/ja/faq/?x=1"})
    assert response["Location"] == "/faq/?x=1"
    assert client.get("/faq/", HTTP_ACCEPT_LANGUAGE="ja").status_code == 200


def test_switcher_saves_the_signed_in_users_preference(client):
    user = UserFactory(language="")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "es", "next": "/directory/"})
    user.refresh_from_db()
    assert user.language == "es"


@pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/", "javascript:x"])
def test_switcher_never_leaves_the_site(client, next_url):
    response = client.post(reverse("set_language"), {"language": "es", "next": next_url})
    assert response["Location"] == "/es/"


def test_switcher_refuses_an_unknown_language(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/faq/"})
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_sign_up_saves_the_language_it_was_made_in(client):
    client.post(
        "/es/accounts/signup/",
        {"email": "ana@pasto.gov.co", "password1": "a long pass phrase 42", "password2": ""},
    )
    client.post(
        "/es/accounts/signup/",
        {
            "email": "ana@pasto.gov.co",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert User.objects.get(email="ana@pasto.gov.co").language == "es"


def test_secretariat_content_falls_back_to_english(client):
    entry = FaqEntryFactory(question="How do we join?", is_published=True)
    entry.question_es = "¿Cómo nos unimos?"
    entry.save()
    assert "¿Cómo nos unimos?" in client.get("/es/faq/").content.decode()
    assert "How do we join?" in client.get("/ja/faq/").content.decode()
    assert "How do we join?" in client.get("/faq/").content.decode()


@pytest.mark.parametrize("language", ["en", *OTHER_LANGUAGES])
def test_population_is_formatted_per_language(client, language):
    network = NetworkFactory()
    city = CityFactory(population=2_345_678)
    MembershipFactory(city=city, network=network, status="active")
    prefix = "" if language == "en" else f"/{language}"
    html = client.get(f"{prefix}/cities/{city.slug}/").content.decode()
    with translation.override(language):
        expected = number_format(2_345_678, use_l10n=True, force_grouping=True)
    assert expected in html
    if language == "en":
        assert "2,345,678" in html


def test_japanese_meeting_page_shows_japanese_dates(client):
    network = NetworkFactory(time_zone="Asia/Tokyo")
    official = CityOfficialFactory(city=CityFactory(time_zone="Asia/Kolkata"))
    MembershipFactory(city=official.city, network=network, status="active")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=40)
    meeting = Meeting.objects.create(network=network, title="Kaga", starts_at=start, place="x")
    client.force_login(official.user)
    html = client.get(f"/ja/meetings/{meeting.pk}/").content.decode()
    tokyo = start.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    kolkata = start.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert f"{tokyo.year}年{tokyo.month}月{tokyo.day}日" in html
    assert tokyo.strftime("%H:%M") in html and kolkata.strftime("%H:%M") in html


def test_account_emails_follow_the_saved_language_not_the_page(client):
    from allauth.account.models import EmailAddress

    user = UserFactory(language="ja")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post("/accounts/password/reset/", {"email": user.email})
    email = OutboundEmail.objects.get(to=user.email)
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    assert japanese.search(email.subject) and japanese.search(email.body_text)


def test_network_names_and_descriptions_are_shown_per_language(client):
    network = NetworkFactory(name="Regional Alliance for Latin America", description="Linked.")
    network.name_pt_br = "Aliança Regional para a América Latina"
    network.description_pt_br = "Conecta cidades."
    network.save()
    page = client.get(f"/pt-br/networks/{network.slug}/").content.decode()
    assert "Aliança Regional para a América Latina" in page and "Conecta cidades." in page
    fallback = client.get(f"/ja/networks/{network.slug}/").content.decode()
    assert "Regional Alliance for Latin America" in fallback and "Linked." in fallback


def test_directory_badges_name_networks_in_the_page_language(client):
    network = NetworkFactory(name="Regional Alliance for Latin America")
    network.name_es = "Alianza Regional para América Latina"
    network.save()
    MembershipFactory(city=CityFactory(name="Pasto"), network=network, status="active")
    spanish = client.get("/es/directory/").content.decode()
    assert "Alianza Regional para América Latina" in spanish
    assert "Regional Alliance for Latin America" in client.get("/ja/directory/").content.decode()
