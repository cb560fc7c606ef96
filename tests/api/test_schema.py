"""The API against its own OpenAPI schema, property-based (schemathesis + hypothesis).

Every operation is called with generated parameters (valid and invalid ones); every
answer must be documented in the schema and match it (status, content type, body), and
none may be a 500. A small directory with contacts, links and meetings gives the
answers something to say; a token is sent, so the token-only operation is reached too.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as examples

from tests.api.conftest import make_token
from tests.factories import (
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    PioneerLinkFactory,
)

HOSTS = ["localhost", "testserver"]  # schemathesis calls the WSGI app as localhost

with override_settings(ALLOWED_HOSTS=HOSTS):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def connections_kept_open():
    """The WSGI application closes the database connection after each request, as in
    production; Django's test client turns that off, and so must a test that calls the
    application itself, or PostgreSQL's test transaction is closed under the test."""
    hooks = [signals.request_started, signals.request_finished]
    for hook in hooks:
        hook.disconnect(close_old_connections)
    yield
    for hook in hooks:
        hook.connect(close_old_connections)


@pytest.fixture
def token(db, settings, connections_kept_open):
    settings.ALLOWED_HOSTS = HOSTS
    settings.API_RATE_ANONYMOUS = settings.API_RATE_TOKEN = "100000/m"
    network = NetworkFactory(slug="andes")
    pioneer = MembershipFactory(network=network, role="pioneer").city
    mentee = MembershipFactory(network=network).city
    PioneerLinkFactory(network=network, pioneer=pioneer, mentee=mentee)
    official = CityOfficialFactory(city=pioneer, contact_audience="public")
    MeetingFactory(network=network)
    return make_token(official.user)


@schema.parametrize()
@examples(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        # A network's slug and a page cursor are data, which no schema can enumerate:
        # a well-formed but unknown one is rightly a 400 (tests/api/test_errors.py).
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
