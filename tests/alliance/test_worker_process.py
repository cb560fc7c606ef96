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
print(json.dumps({{{{
    "loaded": [name for name in {WEB_ONLY!r} if name in sys.modules],
    "registered": len(admin.site._registry),
    "ready": django.apps.apps.ready,
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
