"""/healthz: is the database reachable, is the broker reachable."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from alliance.celery import app as celery_app

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return False
    return True


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # any transport error means the broker cannot take work now
        logger.warning("health check: broker unreachable", exc_info=True)
        return False
    return True


@never_cache
@require_safe
def healthz(request):
    database, broker = database_ok(), broker_ok()
    # Without the database nothing works: 503 so the balancer takes this instance out.
    # Without the broker pages still answer and queued mail waits, so the instance
    # stays in service and reports itself degraded.
    if not database:
        status, code = "error", 503
    elif not broker:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database else "unreachable",
            "broker": "ok" if broker else "unreachable",
        },
        status=code,
    )
