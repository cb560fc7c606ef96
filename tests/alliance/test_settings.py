"""Start-up refuses bad configuration with a message that names the variable."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update({"ALLIANCE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "alliance.settings"})
    clean.update(env)
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql-ish:/not a url"),
        ("DATABASE_URL", "postgres://user@db.example:notaport/alliance"),
        ("DATABASE_URL", "postgres://"),
        ("DJANGO_DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
        ("CELERY_BROKER_URL", "kafka://broker"),
        ("REDIS_URL", "http://cache"),
        ("DJANGO_LOG_LEVEL", "chatty"),
        # Renamed to DELIVERY_LEASE_SECONDS: the old name must not be silently ignored.
        ("REMINDER_STALE_CLAIM_SECONDS", "600"),
    ],
)
def test_malformed_value_stops_start_up_naming_the_variable(tmp_path, variable, value):
    env = {"DJANGO_DEBUG": "true", "EMAIL_HOST": "localhost", variable: value}
    result = run_manage(tmp_path, "check", **env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(tmp_path, "check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_placeholder_secret_key(tmp_path):
    result = run_manage(
        tmp_path, "check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="change-me-not-a-real-secret-key"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be a random value" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        REDIS_URL="redis://127.0.0.1:6379/2",
        SITE_URL="https://portal.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deployment_checklist_warns_when_rate_limits_are_per_process(tmp_path):
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        REDIS_URL="",  # no shared cache, whatever this run's environment has
    )
    assert "alliance.W001" in result.stderr + result.stdout


def test_defaults_run_on_a_bare_laptop(tmp_path):
    result = run_manage(tmp_path, "check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
