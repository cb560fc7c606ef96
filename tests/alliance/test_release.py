"""Each release of the portal has cache keys of its own (alliance/release.py): a deploy
never serves HTML or structures kept by the release before it."""

import subprocess
import sys

import pytest

from alliance import release
from alliance.rendered import render_kept


@pytest.fixture
def release_cache(settings):
    # The production cache's key function, on a cache of this process.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": "alliance",
            "KEY_FUNCTION": "alliance.release.make_key",
        }
    }
    release.release.cache_clear()
    yield
    release.release.cache_clear()


def deploy(settings, name):
    settings.RELEASE_ID = name
    release.release.cache_clear()


def test_a_new_release_renders_afresh(release_cache, settings, monkeypatch):
    deploy(settings, "r1")
    drawn = []
    monkeypatch.setattr("alliance.rendered.render_to_string", lambda *a: drawn.append(a) or "old")
    assert render_kept("piece.html", {"n": 1}) == "old"
    assert render_kept("piece.html", {"n": 1}) == "old" and len(drawn) == 1
    deploy(settings, "r2")  # the template changed with the release
    monkeypatch.setattr("alliance.rendered.render_to_string", lambda *a: drawn.append(a) or "new")
    assert render_kept("piece.html", {"n": 1}) == "new" and len(drawn) == 2


def test_the_release_is_named_by_its_templates_code_and_catalogues(tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ name }}</p>")
    (tmp_path / "alliance" / "__pycache__").mkdir(parents=True)
    before = release.source_digest(tmp_path)
    (tmp_path / "alliance" / "__pycache__" / "x.pyc").write_bytes(b"\0")  # not a source
    (tmp_path / "notes.txt").write_text("outside the sources")
    assert release.source_digest(tmp_path) == before
    page.write_text("<p>{{ name|upper }}</p>")
    assert release.source_digest(tmp_path) != before


def test_a_release_id_that_cannot_be_in_a_key_stops_the_start():
    answer = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "alliance.settings",
            "DJANGO_DEBUG": "true",
            "RELEASE_ID": "2026 12 01",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert answer.returncode != 0 and "RELEASE_ID must be" in answer.stderr
