"""An import made as the secretariat makes it: upload, preview, confirm (issue #19)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from networks.models import ImportJob


def import_through_admin(client, kind, content, *, name="file.csv", valid_only=False):
    """Upload `content` (str or bytes) as `kind` ("cities" or "memberships") on the
    admin's add page, run the preview task, confirm on the job's page and run the import
    task (Celery runs tasks inline in the tests; their on-commit queueing is executed
    here). Returns the job as it ended."""
    if isinstance(content, str):
        content = content.encode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("admin:networks_importjob_add"),
            {"kind": kind, "file": SimpleUploadedFile(name, content)},
        )
    assert response.status_code == 302, response.content[:2000]
    job = ImportJob.objects.order_by("-pk").first()
    data = {"action": "confirm", **({"valid_only": "on"} if valid_only else {})}
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(reverse("admin:networks_importjob_change", args=[job.pk]), data)
    assert done.status_code == 302
    job.refresh_from_db()
    return job


def preview_through_admin(client, kind, content, *, name="file.csv"):
    """Upload `content` and run the preview task only; returns the job (READY or
    UNREADABLE), nothing imported."""
    if isinstance(content, str):
        content = content.encode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("admin:networks_importjob_add"),
            {"kind": kind, "file": SimpleUploadedFile(name, content)},
        )
    assert response.status_code == 302, response.content[:2000]
    return ImportJob.objects.order_by("-pk").first()
