import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # These tests create many accounts; the production hasher would dominate their time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
