"""The directory as CSV and JSON files: built by the worker after a change, never per
request, with a licence and Last-Modified."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from alliance.api import downloads, tasks
from alliance.roles import SECRETARIAT
from networks import services
from tests.factories import CityFactory, MembershipFactory, NetworkFactory
from tests.imports.through_admin import import_through_admin

pytestmark = pytest.mark.django_db

CSV = reverse("api_download", args=["csv"])
JSON = reverse("api_download", args=["json"])


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_change_rebuilds_the_files_after_the_commit(client, django_capture_on_commit_callbacks):
    network = NetworkFactory(slug="andes")
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(city=CityFactory(name="Łódź", country="PL"), network=network)
    CityFactory(name="Not a member")
    rows = list(csv.DictReader(io.StringIO(content(client.get(CSV)).decode())))
    assert [(r["name"], r["country"], r["networks"]) for r in rows] == [
        ("Łódź", "PL", "andes:member")
    ]
    data = json.loads(content(client.get(JSON)))
    assert data["licence"] == "CC BY 4.0" and data["count"] == 1
    assert data["cities"][0]["url"].startswith("http://testserver/cities/")


def test_a_burst_of_changes_asks_for_one_build(monkeypatch, django_capture_on_commit_callbacks):
    asked = []
    monkeypatch.setattr(tasks.build_downloads, "apply_async", lambda **kw: asked.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            CityFactory(name=f"City {n}")
    assert asked == [{"countdown": downloads.DEBOUNCE_SECONDS, "retry": False}]


def test_set_based_writes_ask_for_a_build_too(
    client, monkeypatch, django_capture_on_commit_callbacks, make_staff, settings, tmp_path
):
    # Found by an attack on #18: only saves and deletes asked, so after a bulk status
    # change or an import the files stayed stale until beat found them a day old.
    settings.MEDIA_ROOT = tmp_path  # the uploaded file
    membership = MembershipFactory()
    asked = []
    monkeypatch.setattr(downloads, "downloads_request", lambda: asked.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.memberships_set_status(changes=[(membership, "suspended")])
    assert asked, "a bulk status change asked for no new downloads"
    asked.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_directory", verbosity=0)
    assert asked, "refresh_directory asked for no new downloads"
    asked.clear()
    client.force_login(make_staff(SECRETARIAT))
    job = import_through_admin(client, "cities", "slug,name,country\nquito-ec,Quito,EC\n")
    assert job.written == 1
    assert asked, "an import asked for no new downloads"


def test_a_request_reads_the_file_and_answers_304_when_unchanged(
    client, django_assert_max_num_queries
):
    MembershipFactory()
    downloads.downloads_build()
    with django_assert_max_num_queries(0):
        response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Last-Modified"] and response["ETag"]
    assert 'rel="license"' in response["Link"]
    again = client.get(CSV, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # Revalidated every time, never kept on a guess from Last-Modified.
    assert response["Cache-Control"] == again["Cache-Control"] == "max-age=0, must-revalidate"
    since = client.get(JSON, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304


def test_the_files_do_not_vary_by_language_or_cookie(client, django_user_model):
    # The same bytes for everyone: a shared cache (a CDN in front of the portal) may
    # keep one copy, not one per language and session cookie.
    MembershipFactory()
    downloads.downloads_build()
    client.force_login(django_user_model.objects.create_user("reader", "r@example.org"))
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "ja"}):
        response = client.get(CSV, **headers)
        assert response.status_code == 200
        assert not response.has_header("Vary")
        assert client.get(CSV, HTTP_IF_NONE_MATCH=response["ETag"]).get("Vary") is None


def test_before_the_first_build_it_says_to_come_back(client, monkeypatch):
    asked = []
    monkeypatch.setattr(downloads, "downloads_request", lambda: asked.append(1))
    response = client.get(CSV)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert response["Content-Type"] == "application/problem+json"
    assert asked == [1]


def test_beat_rebuilds_only_stale_files(monkeypatch):
    built = []
    monkeypatch.setattr(downloads, "downloads_build", lambda: built.append(1))
    tasks.build_stale_downloads()
    assert built == [1]  # missing
    monkeypatch.undo()
    downloads.downloads_build()
    monkeypatch.setattr(downloads, "downloads_build", lambda: built.append(2))
    tasks.build_stale_downloads()
    assert built == [1]  # fresh: left alone


def test_the_directory_and_the_docs_link_to_the_files(client):
    for url in [reverse("directory"), reverse("api_docs")]:
        page = client.get(url).content.decode()
        assert CSV in page and JSON in page and "CC BY 4.0" in page
