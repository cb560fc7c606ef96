"""Uploading a spreadsheet as the secretariat does, and running its tasks inline."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.models import ImportJob


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """upload(client, kind, content, name=...) -> (response, job or None): the add page
    posted, the preview task run on commit (Celery eager, tests/conftest.py)."""

    def post(client, kind, content, *, name="file.csv"):
        if isinstance(content, str):
            content = content.encode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:networks_importjob_add"),
                {"kind": kind, "file": SimpleUploadedFile(name, content)},
            )
        job = ImportJob.objects.order_by("-pk").first() if response.status_code == 302 else None
        return response, job

    return post


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """confirm(client, job, valid_only=False) -> the job after its import task ran."""

    def post(client, job, *, valid_only=False, action="confirm"):
        data = {action: "1"}  # as the page's buttons post it
        if valid_only:
            data["valid_only"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("admin:networks_importjob_change", args=[job.pk]), data)
        assert response.status_code == 302, response
        job.refresh_from_db()
        return job

    return post
