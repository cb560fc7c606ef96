"""Under CI=true the suite must have run against the real services, not the defaults."""

from django.conf import settings
from django.db import connection

from alliance.health import broker_ok
from tests.conftest import require


def test_suite_runs_on_postgresql_when_configured(db):
    require(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_broker_is_a_reachable_redis_when_configured():
    require(
        settings.CELERY_BROKER_URL.startswith("redis"),
        "CELERY_BROKER_URL does not point at Redis",
    )
    assert broker_ok()
