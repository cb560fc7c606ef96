import pytest
from django.db import OperationalError, connection
from kombu import Connection

from alliance import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_database_and_broker_answer(client, monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda: True)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    monkeypatch.setattr(health, "broker_ok", lambda: True)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unreachable"


def test_healthz_stays_in_service_but_degraded_without_the_broker(client, monkeypatch):
    # Nothing listens on port 9 of loopback: a real, quick connection refusal.
    unreachable = Connection("redis://127.0.0.1:9/0", transport_options={"max_retries": 1})
    monkeypatch.setattr(health.celery_app, "connection_for_write", lambda: unreachable)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"] == "unreachable"


def test_healthz_answers_over_plain_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz")
    assert response.status_code in {200, 503}
