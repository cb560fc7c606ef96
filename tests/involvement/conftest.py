import re

import pytest
from django.utils import timezone

from networks.meetings.reminders import network_ensure_default_rules
from networks.meetings.services import meeting_schedule
from networks.models import Meeting
from networks.nominations.models import NominationCall
from tests.factories import NetworkFactory
from tests.involvement.nominations import DAY


@pytest.fixture
def link_in():
    """The first address under the site's root in an email's text that contains `part`."""

    def find(message, part: str) -> str:
        for url in re.findall(r"https?://\S+", message.body):
            if part in url:
                return "/" + url.split("://", 1)[1].split("/", 1)[1]
        raise AssertionError(f"no link with {part!r} in {message.body}")

    return find


@pytest.fixture
def call():
    network = NetworkFactory(name="Regional Alliance for Latin America", time_zone="America/Bogota")
    network_ensure_default_rules(network)
    meeting = meeting_schedule(
        meeting=Meeting(
            network=network,
            title="Workshop on open data",
            starts_at=timezone.now() + 20 * DAY,
            place="Ruta N, Medellín",
        )
    )
    return NominationCall.objects.create(
        meeting=meeting, summary="For open-data leads.", deadline=timezone.now() + 10 * DAY
    )
