import contextlib
import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    # Translations are compiled in the build, not committed; tests need them too.
    from django.core.management import call_command

    call_command("compile_catalogues")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then: the test database can be dropped at the end.

    A live-server thread or a Celery worker subprocess of the last tests may still
    hold a connection, and PostgreSQL refuses to drop a database in use.
    """
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    """What the migrations seed (principles, staff groups), for transactional tests too.

    A test with transaction=True empties every table when it ends, seeded rows
    included, so a later transactional test would find no principle to pledge.
    """
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    from alliance.roles import roles_setup

    importlib.import_module("cities.migrations.0002_seed_principles").seed(apps, None)
    roles_setup()


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    # A request in another language leaves it active in the thread; each test starts
    # where a fresh worker would.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; one test's attempts must not limit the next.
    from django.core.cache import cache

    from alliance import cache as degrading_cache

    degrading_cache.reset()  # no outage remembered from another test
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _celery_runs_tasks_inline():
    # Tasks queued on commit run in the test's own process, against locmem mail.
    from alliance.celery import app
    from alliance.mail import outbox

    app.conf.task_always_eager = True
    outbox._broker_down_until = 0.0  # no outage remembered from another test
    yield app
    app.conf.task_always_eager = False
    outbox._broker_down_until = 0.0


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "postgresql(reason): asserts PostgreSQL's own behaviour; skipped with the reason on "
        "another database (the README's SQLite default), a failure under CI=true",
    )


@pytest.fixture(autouse=True)
def _postgresql_only(request):
    marker = request.node.get_closest_marker("postgresql")
    if marker is None:
        return
    from django.db import connection

    reason = marker.args[0] if marker.args else "PostgreSQL's own behaviour"
    require(connection.vendor == "postgresql", f"needs PostgreSQL: {reason}")


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


@pytest.fixture
def verified_user(db):
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def staff_user(db):
    from tests.factories import UserFactory, with_totp

    return with_totp(UserFactory(is_staff=True, is_superuser=True))


@contextlib.contextmanager
def publishing_to(url: str):
    """Tasks are published to the broker at `url` (not run inline), with the fail-fast
    options production uses for a network broker; everything is put back afterwards.

    Yields a function that drops the app's connection pools, for a test that restarts
    that broker and wants the next publish to connect afresh.
    """
    from django.conf import settings

    from alliance.celery import app

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    saved = (
        app.conf.task_always_eager,
        app.conf.broker_write_url,
        app.conf.broker_transport_options,
    )
    app.conf.task_always_eager = False
    app.conf.broker_write_url = url
    app.conf.broker_transport_options = settings.BROKER_FAIL_FAST_OPTIONS
    reset_pools()
    try:
        yield reset_pools
    finally:
        (
            app.conf.task_always_eager,
            app.conf.broker_write_url,
            app.conf.broker_transport_options,
        ) = saved
        reset_pools()


@pytest.fixture
def broker_down():
    """Publishing goes to a Redis port where nothing listens, as in an outage."""
    from alliance.celery import app

    with publishing_to("redis://127.0.0.1:9/0"):
        yield app


class Recorder:
    """Accepts every message, except for addresses it was told to refuse."""

    def __init__(self):
        self.messages = []
        self.refuse = {}  # address -> SMTP reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback (aiosmtpd) that records what it receives."""
    import socket

    from aiosmtpd.controller import Controller

    handler = Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


@pytest.fixture
def make_staff(db):
    """A staff account in one of the secretariat's groups, with its second factor."""
    from django.contrib.auth.models import Group

    from alliance.roles import roles_setup
    from tests.factories import UserFactory, with_totp

    def make(group, *, hosts=()):
        if not Group.objects.filter(name=group).exists():
            roles_setup()  # a transactional test may have flushed the migration's groups
        user = with_totp(UserFactory(is_staff=True))
        user.groups.add(Group.objects.get(name=group))
        for network in hosts:
            network.hosts.add(user)
        return user

    return make
