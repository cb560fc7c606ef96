"""A job whose worker died does not stay "importing" for ever, and the progress shows
without a shared cache (networks.imports.watch, issue #19)."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alliance.roles import SECRETARIAT
from cities.models import City
from networks.imports import run, watch
from networks.models import ImportJob
from networks.tasks import end_stalled_imports

HEADER = "slug,name,country,population,time_zone\n"
ROWS = HEADER + "".join(f"city-{n},City {n},CO,{n + 1},UTC\n" for n in range(30))
STOPPED = "The import stopped without finishing"


@pytest.fixture
def secretariat(client, make_staff):
    client.force_login(make_staff(SECRETARIAT))
    return client


def page(client, job):
    return client.get(reverse("admin:networks_importjob_change", args=[job.pk])).content.decode()


def _importing(job, *, silent_for):
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.IMPORTING, heartbeat_at=timezone.now() - silent_for
    )


@pytest.mark.django_db
def test_the_beat_fails_an_import_whose_worker_died_and_leaves_a_live_one(
    secretariat, upload, django_assert_max_num_queries
):
    _response, dead = upload(secretariat, "cities", ROWS)
    _response, alive = upload(secretariat, "cities", ROWS)
    _response, reading = upload(secretariat, "cities", ROWS)
    _importing(dead, silent_for=watch.STALE + datetime.timedelta(seconds=1))
    _importing(alive, silent_for=watch.STALE - datetime.timedelta(minutes=1))
    ImportJob.objects.filter(pk=reading.pk).update(
        state=ImportJob.State.PREVIEWING, heartbeat_at=timezone.now() - 2 * watch.STALE
    )
    with django_assert_max_num_queries(3):
        end_stalled_imports()
    dead.refresh_from_db()
    assert dead.state == ImportJob.State.FAILED and dead.finished_at
    assert dead.error.startswith(STOPPED)
    assert STOPPED in page(secretariat, dead)
    alive.refresh_from_db()
    assert alive.state == ImportJob.State.IMPORTING
    reading.refresh_from_db()
    assert reading.state == ImportJob.State.UNREADABLE and "Upload it again" in reading.error
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "networks.tasks.end_stalled_imports" in beat


@pytest.mark.django_db
def test_a_confirmed_import_waiting_for_a_worker_is_ended_after_a_day_not_ten_minutes(
    secretariat, upload
):
    _response, job = upload(secretariat, "cities", ROWS)
    assert run.confirm(job, valid_only=False) is None
    queued = ImportJob.objects.filter(pk=job.pk)
    # Queued behind other work for an hour: still waiting, not a dead worker.
    queued.update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    assert watch.fail_stalled() == 0
    assert queued.get().state == ImportJob.State.IMPORTING
    queued.update(heartbeat_at=timezone.now() - watch.UNTAKEN - datetime.timedelta(minutes=1))
    end_stalled_imports()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.error.startswith("No worker took this job for a day")
    assert not City.objects.exists()


@pytest.mark.django_db
def test_the_page_ends_a_dead_import_without_the_beat(secretariat, upload):
    _response, job = upload(secretariat, "cities", ROWS)
    _importing(job, silent_for=2 * watch.STALE)
    html = page(secretariat, job)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert STOPPED in html and 'http-equiv="refresh"' not in html


@pytest.mark.django_db
def test_why_is_written_in_the_uploaders_language(secretariat, upload):
    _response, job = upload(secretariat, "cities", ROWS)
    job.created_by.language = "es"
    job.created_by.save()
    _importing(job, silent_for=2 * watch.STALE)
    end_stalled_imports()
    job.refresh_from_db()
    assert job.error.startswith("La importación se detuvo")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second writer")
def test_a_worker_that_outlived_its_job_writes_nothing(secretariat, upload, monkeypatch):
    _response, job = upload(secretariat, "cities", ROWS)
    _importing(job, silent_for=datetime.timedelta(0))
    monkeypatch.setattr(run, "BATCH", 10)
    real = run.cities.write

    def ended_meanwhile(checked, context):
        written = real(checked, context)

        def beat_task():  # elsewhere, while the import's transaction is open
            ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - watch.STALE)
            watch.fail_stalled()
            connection.close()

        thread = threading.Thread(target=beat_task)
        thread.start()
        thread.join()
        return written

    monkeypatch.setattr(run.cities, "write", ended_meanwhile)
    run.execute(job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.error.startswith(STOPPED)
    assert job.written == 0 and not City.objects.exists()


class _NoCache:
    def get(self, key, default=None):
        return default

    def set(self, *args, **kwargs):
        pass

    def delete(self, *args, **kwargs):
        pass


@pytest.mark.django_db(transaction=True)
def test_progress_shows_from_the_job_row_without_a_shared_cache(secretariat, upload, monkeypatch):
    _response, job = upload(secretariat, "cities", ROWS)
    _importing(job, silent_for=datetime.timedelta(0))
    monkeypatch.setattr(run, "cache", _NoCache())
    monkeypatch.setattr(watch, "BEAT_SECONDS", 0.01)
    monkeypatch.setattr(run, "BATCH", 10)
    seen = []
    real = run._batch

    def batch_then_look(*args):
        time.sleep(0.05)  # the batch takes longer than a beat
        real(*args)
        time.sleep(0.1)  # a beat or more (PostgreSQL: the heartbeat's thread)
        seen.append(ImportJob.objects.get(pk=job.pk).heartbeat_at)
        seen.append(page(secretariat, job))

    monkeypatch.setattr(run, "_batch", batch_then_look)
    run.execute(job.pk)
    assert "10 rows done / 30" in seen[1] and "20 rows done / 30" in seen[3]
    assert seen[0] < seen[2]  # the heartbeat goes on
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and City.objects.count() == 30
    assert job.rows_done == 30
