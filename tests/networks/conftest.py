"""Fixtures shared by several test modules of this folder.

`networks` serves the member directory tests; `sink` and `publishing_to_the_broker`
the reminder resilience tests (tests.networks.reminder_harness has the rest of their
harness); `big` the pages-at-scale tests (built in tests.networks.big_network). The
`network` fixtures are not here: several modules have one of their own.
"""

import pytest

from alliance.celery import app
from tests.factories import NetworkFactory
from tests.networks.big_network import big  # noqa: F401 (a fixture)
from tests.networks.reminder_harness import Sink
from tests.private_redis import free_port


@pytest.fixture
def networks():
    return {
        "latam": NetworkFactory(name="Latin America", slug="latin-america"),
        "india": NetworkFactory(
            name="India", slug="india", kind="national", scope_region="", scope_country="IN"
        ),
        "global": NetworkFactory(name="Global", slug="global", kind="global", scope_region=""),
    }


@pytest.fixture
def sink():
    from aiosmtpd.controller import Controller

    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


@pytest.fixture
def publishing_to_the_broker():
    """Tasks go through the broker, not run inline as in the rest of the suite."""
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = True
