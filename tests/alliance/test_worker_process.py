"""A Celery worker process loads what sending needs, not what only pages use."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB_ONLY = ["alliance.admin", "networks.admin", "import_export.admin", "openpyxl", "alliance.urls"]
PROBE = f"""
import json, sys
{{start}}
import django.apps
from django.contrib import admin
loaded = [name for name in {WEB_ONLY!r} if name in sys.modules]
from django.db import connection
timeout = None
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        timeout = cursor.fetchone()[0]
print(json.dumps({{{{
    "loaded": loaded,
    "registered": len(admin.site._registry),
    "ready": django.apps.apps.ready,
    "statement_timeout": timeout,
}}}}))
"""
# What `celery -A alliance worker` does before it consumes: import the task modules.
WORKER = "from alliance.celery import app\napp.loader.import_default_modules()"
WEB = "import django\ndjango.setup()\nimport django.urls\ndjango.urls.get_resolver().url_patterns"


def probe(start: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "CELERY_SKIP_CHECKS"}
    env.update(DJANGO_SETTINGS_MODULE="alliance.settings", DJANGO_DEBUG="true")
    result = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", PROBE.format(start=start)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_worker_sets_django_up_without_the_admin_modules_or_the_urlconf():
    worker = probe(WORKER)
    assert worker["ready"] and worker["loaded"] == [] and worker["registered"] == 0


def test_the_web_process_still_registers_every_admin_module():
    web = probe(WEB)
    assert web["loaded"] == WEB_ONLY and web["registered"] > 10


def test_a_workers_database_statements_give_up_after_the_set_time():
    from django.db import connection

    from tests.conftest import require

    require(connection.vendor == "postgresql", "statement_timeout is PostgreSQL's")
    assert probe(WORKER)["statement_timeout"] == "1min"
    assert probe(WEB)["statement_timeout"] == "0"  # pages are not bounded this way
