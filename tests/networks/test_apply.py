"""Applying through /apply/: the form, a new or a listed city, and what is refused."""

import pytest
from django.urls import reverse

from alliance.models import OutboundEmail
from networks.models import Application
from tests.factories import ApplicationFactory, CityFactory, MembershipFactory
from tests.networks.apply_forms import (
    APPLY,
    existing_city_data,
    new_city_data,
    post,
    regional_network,
)

pytestmark = pytest.mark.django_db

network = pytest.fixture(regional_network, name="network")


def test_anyone_can_read_the_form(client, network):
    response = client.get(APPLY + "?new=1")
    assert response.status_code == 200
    assert 'name="city_name"' in response.content.decode()


def test_city_search_ignores_accents_and_case(client):
    CityFactory(name="Córdoba", country="AR", slug="cordoba-ar")
    CityFactory(name="Córdoba", country="ES", slug="cordoba-es")
    CityFactory(name="Cali", slug="cali-co")
    html = client.get(APPLY, {"q": "CORDOBA"}).content.decode()
    assert "?city=cordoba-ar" in html and "?city=cordoba-es" in html
    assert "?city=cali-co" not in html


def test_verified_official_applies_for_a_new_city(
    client, verified_user, network, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(verified_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, new_city_data(network))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:submitted", args=[application.pk])
    assert application.applicant == verified_user
    assert application.city is None and application.city_name == "Pasto"
    assert application.status == "submitted"
    assert application.principles.count() == 3
    assert list(application.events.values_list("status", flat=True)) == ["submitted"]
    # The confirmation goes out once, to the account's address, with both bodies.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [verified_user.email]
    assert "Pasto" in message.body
    assert "Pasto" in message.alternatives[0][0]
    assert OutboundEmail.objects.get().status == "sent"


def test_confirmation_page_is_shown_after_submitting(client, verified_user, network):
    client.force_login(verified_user)
    response = post(client, new_city_data(network))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Pasto" in page.content.decode()


def test_official_applies_for_a_city_already_in_the_directory(client, verified_user, network):
    city = CityFactory(name="Manizales", slug="manizales-co")
    client.force_login(verified_user)
    response = post(client, existing_city_data(network, city))
    assert response.status_code == 302
    assert Application.objects.get().city == city


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("city_population", "0", "positive whole number"),
        ("city_population", "-5", "positive whole number"),
        ("city_population", "12.5", "positive whole number"),
        ("city_population", "many", "positive whole number"),
        ("city_time_zone", "Bogota", "IANA time zone"),
        ("city_time_zone", "Mars/Olympus", "IANA time zone"),
        ("city_website", "javascript:alert(1)", "http://"),
        ("city_website", "ftp://pasto.gov.co", "http://"),
        ("motivation", "x" * 2001, "at most 2000 characters"),
        ("consent", "", "privacy notice"),
        ("principles", [], "at least one principle"),
        ("applicant_email", "not-an-email", "valid email"),
    ],
)
def test_refuses_bad_input_with_a_clear_message_and_stores_nothing(
    client, verified_user, network, field, value, message
):
    client.force_login(verified_user)
    data = new_city_data(network, **{field: value})
    if value == "":
        data.pop(field)
    response = post(client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert Application.objects.count() == 0
    # What was typed is still in the form.
    assert "Ana Gómez" in html


def test_rejects_duplicate_open_application(client, verified_user, network):
    city = CityFactory(name="Manizales", slug="manizales-co")
    ApplicationFactory(city=city, network=network)
    client.force_login(verified_user)
    response = post(client, existing_city_data(network, city))
    assert response.status_code == 400
    assert "already has an open application" in response.content.decode()
    assert Application.objects.count() == 1


def test_rejects_application_from_an_active_member(client, verified_user, network):
    city = CityFactory(name="Manizales", slug="manizales-co")
    MembershipFactory(city=city, network=network, status="active")
    client.force_login(verified_user)
    response = post(client, existing_city_data(network, city))
    assert response.status_code == 400
    assert "already an active member" in response.content.decode()
    assert Application.objects.count() == 0


def test_rejects_describing_a_city_that_is_already_in_the_directory(client, verified_user, network):
    CityFactory(name="Pasto", country="CO", slug="pasto-co")
    client.force_login(verified_user)
    response = post(client, new_city_data(network, city_name="PASTO"))
    assert response.status_code == 400
    assert "already in the directory" in response.content.decode()
    assert Application.objects.count() == 0


def test_database_refuses_a_second_open_application_even_past_the_form(network):
    from django.db import IntegrityError

    city = CityFactory()
    ApplicationFactory(city=city, network=network)
    with pytest.raises(IntegrityError):
        ApplicationFactory(city=city, network=network)


def test_form_without_csrf_token_is_refused(verified_user, network):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(verified_user)
    response = post(client, new_city_data(network))
    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_honeypot_gets_a_polite_400(client, verified_user, network):
    client.force_login(verified_user)
    response = post(client, new_city_data(network, fax_number="+1 555 0100"))
    assert response.status_code == 400
    assert Application.objects.count() == 0
