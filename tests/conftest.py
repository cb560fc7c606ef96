import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    # Production uses the manifest storage, which needs collectstatic first; tests
    # render templates without it. Uploaded files go to a temporary folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def require(condition: bool, reason: str) -> None:
    """Skip on a laptop that lacks a real component; under CI=true that is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture
def demo_data(db):
    from alliance.demo.loader import load_demo_data

    load_demo_data()
