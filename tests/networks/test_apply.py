"""Applying through /apply/: what is accepted, what is refused, and that nothing is lost."""

import pytest
from django.test import Client
from django.urls import reverse

from alliance.models import OutboundEmail
from cities.models import Principle
from networks.models import Application
from tests.factories import ApplicationFactory, CityFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

APPLY = reverse("apply")


@pytest.fixture
def network():
    return NetworkFactory(name="Regional Alliance for Latin America", slug="latin-america")


def new_city_data(network, **overrides):
    data = {
        "new": "1",
        "city_name": "Pasto",
        "city_country": "CO",
        "city_region": "latam",
        "city_population": "392930",
        "city_time_zone": "America/Bogota",
        "city_website": "https://www.pasto.gov.co",
        "network": str(network.pk),
        "applicant_name": "Ana Gómez",
        "applicant_position": "Secretaria TIC",
        "applicant_email": "ana@pasto.gov.co",
        "applicant_phone": "+57 2 733 3300",
        "principles": [str(p.pk) for p in Principle.objects.all()[:3]],
        "motivation": "We want to learn how pioneer cities handle open data.",
        "consent": "on",
    }
    data.update(overrides)
    return data


def existing_city_data(network, city, **overrides):
    data = new_city_data(network, **overrides)
    for key in ["new", "city_name", "city_country", "city_region", "city_population"]:
        data.pop(key, None)
    data.pop("city_time_zone")
    data.pop("city_website")
    data["city"] = city.slug
    return data


def post(client, data, url=APPLY):
    return client.post(f"{url}?city={data['city']}" if "city" in data else f"{url}?new=1", data)


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


def test_rate_limit_per_account_answers_429(client, verified_user, network, settings):
    client.force_login(verified_user)
    for n in range(5):
        response = post(client, new_city_data(network, city_name=f"Pueblo {n}"))
        assert response.status_code == 302
    response = post(client, new_city_data(network, city_name="Pueblo 6"))
    assert response.status_code == 429
    assert Application.objects.count() == 5


def test_anonymous_visitor_is_sent_to_sign_up_and_keeps_what_they_typed(client, network):
    response = post(client, new_city_data(network))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_signup"))
    assert "next=" in response["Location"]
    assert Application.objects.count() == 0

    form = client.get(APPLY + "?new=1").content.decode()
    assert 'value="Pasto"' in form
    assert 'value="ana@pasto.gov.co"' in form


def test_an_anonymous_draft_keeps_only_the_forms_fields_and_stays_small(client, network):
    """A 2 MB body made a 2 MB session row: anyone could fill the session table."""
    from django.contrib.sessions.models import Session

    from networks.applications.views import DRAFT_KEY

    data = new_city_data(
        network,
        motivation="m" * 1_000_000,  # the form allows 2,000 characters
        principles=[str(n) for n in range(500)],
        **{"anything": "x" * 1_000_000, "csrfmiddlewaretoken": "t"},
    )
    assert post(client, data).status_code == 302
    draft = client.session[DRAFT_KEY]
    assert set(draft) <= {*new_city_data(network), "city"} - {"new", "consent"}
    assert len(draft["motivation"][0]) == 2000 and len(draft["principles"]) <= 10
    row = Session.objects.get(session_key=client.session.session_key)
    assert len(row.session_data) < 16_000
    form = client.get(APPLY + "?new=1").content.decode()
    assert 'value="Pasto"' in form and 'value="ana@pasto.gov.co"' in form


def test_anonymous_drafts_from_one_address_are_limited(network):
    """Each draft is small, but each POST without a session cookie made a new session
    row: one address could still fill the session table, a few KB at a time."""
    from django.contrib.sessions.models import Session

    for _ in range(20):
        assert post(Client(), new_city_data(network)).status_code == 302
    rows = Session.objects.count()
    response = post(Client(), new_city_data(network))
    assert response.status_code == 429
    assert Session.objects.count() == rows
    # Another address is not held back.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert post(other, new_city_data(network)).status_code == 302


def test_expired_sessions_are_cleared_by_a_daily_task(client, network, settings):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from alliance.tasks import clear_expired_sessions

    beat = settings.CELERY_BEAT_SCHEDULE.values()
    schedule = {entry["task"]: entry["schedule"] for entry in beat}
    assert schedule["alliance.tasks.clear_expired_sessions"] == 86400.0
    post(client, new_city_data(network))
    post(Client(), new_city_data(network))
    old, recent = Session.objects.order_by("expire_date")
    Session.objects.filter(pk=old.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    clear_expired_sessions.delay()
    assert list(Session.objects.values_list("pk", flat=True)) == [recent.pk]


def test_unverified_account_cannot_submit(client, network):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = post(client, new_city_data(network))
    assert response.status_code == 403
    assert "Verify your email address" in response.content.decode()
    assert Application.objects.count() == 0


def test_submission_succeeds_and_mail_waits_when_the_broker_is_down(
    client, verified_user, network, django_capture_on_commit_callbacks, mailoutbox, broker_down
):
    import time

    from alliance import outbox

    client.force_login(verified_user)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, new_city_data(network))
    assert time.monotonic() - started < 2
    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert email.status == "pending"
    assert mailoutbox == []

    # Broker back: the periodic flush hands the row to a worker, which sends it once.
    OutboundEmail.objects.update(created_at=email.created_at - outbox.FLUSH_GRACE * 2)
    outbox.deliver(outbox.due_ids())
    outbox.deliver(outbox.due_ids())
    assert len(mailoutbox) == 1
    assert OutboundEmail.objects.get().status == "sent"
