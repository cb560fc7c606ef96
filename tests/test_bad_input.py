"""Request data that no form validated: NUL characters, lone surrogates, numbers out of
range and ids that are not numbers answer 400 or 404 (or a clean page), never 500, on
SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse

from tests.factories import (
    CityFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_city_to_apply_for_is_a_400(client):
    CityFactory(slug="pasto-co")
    assert client.get(reverse("apply"), {"city": "\x00"}).status_code == 400
    assert client.get(reverse("apply") + "?city=pasto%00").status_code == 400


def test_a_nul_in_the_city_posted_to_apply_is_a_400(client, verified_user):
    client.force_login(verified_user)
    assert client.post(reverse("apply"), {"city": "pasto\x00"}).status_code == 400


def test_a_nul_in_the_apply_search_is_a_field_error(client):
    response = client.get(reverse("apply"), {"q": "pas\x00to"})
    assert response.status_code == 400
    assert response.context["search"].errors["q"]


def test_a_nul_in_a_posted_application_field_is_a_field_error(client, verified_user):
    city = CityFactory(slug="pasto-co")
    client.force_login(verified_user)
    response = client.post(
        reverse("apply") + f"?city={city.slug}",
        {"applicant_name": "Ana\x00", "network": "\x00", "principles": ["\x00"]},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"applicant_name", "network", "principles"} <= set(errors)


@pytest.mark.parametrize(
    "cursor",
    [
        # ["\x00", 1], ["\ud800", 1], ["Pasto", 2**70], [2**70, 1] as the view encodes them
        "WyJcdTAwMDAiLDFd",
        "WyJcdWQ4MDAiLDFd",
        "WyJQYXN0byIsMTE4MDU5MTYyMDcxNzQxMTMwMzQyNF0",
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_directory_cursor_the_database_cannot_compare_is_a_400(client, cursor, direction):
    MembershipFactory(status="active")
    assert client.get(reverse("directory"), {direction: cursor}).status_code == 400


def test_a_population_cursor_beyond_64_bits_is_a_400(client):
    MembershipFactory(status="active")
    cursor = "WzExODA1OTE2MjA3MTc0MTEzMDM0MjQsMV0"  # [2**70, 1]
    response = client.get(reverse("directory"), {"sort": "population", "after": cursor})
    assert response.status_code == 400


def test_a_nul_in_the_session_cookie_is_a_visitor_without_a_session(client):
    client.cookies["sessionid"] = "abcdefgh\x00ij"
    client.cookies["django_language"] = "es\x00"
    assert client.get(reverse("faq")).status_code == 200


def test_a_nul_in_the_language_switchers_next_is_a_400(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/faq/\x00"})
    assert response.status_code == 400


def test_a_nul_in_a_query_string_no_form_reads_is_a_400_with_a_reason(client):
    response = client.get("/accounts/login/?next=/faq/%00")
    assert response.status_code == 400
    assert "characters that cannot be used" in response.content.decode()


def test_a_nul_in_the_directory_filters_is_a_field_error(client):
    response = client.get(reverse("directory"), {"q": "\x00", "network": "\x00"})
    assert response.status_code == 400
    assert response.context["filter"].form.errors


@pytest.mark.parametrize("name", ["network", "principle"])
def test_a_nul_in_a_directory_choice_of_rows_is_a_field_error(client, name):
    response = client.get(reverse("directory"), {name: "and\x00es"})
    assert response.status_code == 400
    assert name in response.context["filter"].form.errors


def test_a_nul_in_the_city_of_an_application_being_edited_is_a_field_error(client):
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(status="more-info")
    client.force_login(application.applicant)
    url = reverse("applications:edit", args=[application.pk])
    response = client.post(url, {"city": "pasto\x00", "applicant_name": "Ana"})
    assert response.status_code == 400


def test_a_draft_kept_in_the_session_with_a_nul_fills_the_form_again(client, verified_user):
    city = CityFactory(slug="pasto-co")
    url = reverse("apply") + f"?city={city.slug}"
    draft = {"applicant_name": "Ana\x00", "network": "\x00", "principles": ["\x00", "9" * 30]}
    assert client.post(url, draft).status_code == 302  # to sign-up, the draft kept
    client.force_login(verified_user)
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, draft)
    assert response.status_code == 400
    assert "applicant_name" in response.context["form"].errors


def test_a_failed_sign_in_with_a_nul_in_its_user_agent_is_logged(client, verified_user):
    from alliance.models import LoginFailure

    response = client.post(
        reverse("account_login"),
        {"login": verified_user.email, "password": "wrong"},
        HTTP_USER_AGENT="curl\x00/8",
    )
    assert response.status_code == 200
    assert LoginFailure.objects.get().user_agent == "curl\ufffd/8"
