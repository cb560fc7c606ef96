"""Applying through /apply/: rate limits, anonymous drafts and their sessions, the
unverified account, and an application that waits in the outbox while the broker is down.
"""

import pytest
from django.test import Client
from django.urls import reverse

from alliance.models import OutboundEmail
from networks.models import Application
from tests.networks.apply_forms import (
    APPLY,
    new_city_data,
    post,
    regional_network,
)

pytestmark = pytest.mark.django_db

network = pytest.fixture(regional_network, name="network")


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

    from alliance.mail import outbox

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
