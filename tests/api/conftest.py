import secrets

import pytest

from alliance.api import tokens
from alliance.api.models import ApiToken


def make_token(user, name="script") -> str:
    """A live token of `user`, whatever their role (the service refuses people who may
    not make one; the API must still follow the rights of whoever holds a token, e.g. a
    partner later made staff). Returns the secret."""
    secret = tokens.PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], key_hash=tokens.digest(secret)
    )
    return secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    # Tests that are not about the limits make more requests than a minute allows.
    settings.API_RATE_ANONYMOUS = "100000/m"
    settings.API_RATE_TOKEN = "100000/m"
