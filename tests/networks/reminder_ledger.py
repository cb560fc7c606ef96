"""Helpers of the reminder ledger tests: a network, member officials, a meeting, its rows.

Imported by the reminder tests and by other suites that schedule meetings. The tests'
`network` fixture is built by network_with_default_rules (`network =
pytest.fixture(network_with_default_rules, name="network")` in each module: several
modules of this folder have a `network` fixture of their own).
"""

import datetime

from django.utils import timezone

from networks.meetings.reminders import network_ensure_default_rules
from networks.meetings.services import meeting_schedule
from networks.models import Meeting
from tests.factories import CityFactory, CityOfficialFactory, MembershipFactory, NetworkFactory

DAY = datetime.timedelta(days=1)


def network_with_default_rules():
    """A regional network in English with the default reminder rules (a week, a day)."""
    network = NetworkFactory(name="Regional Alliance for Latin America", default_language="en")
    network_ensure_default_rules(network)
    return network


def member_official(network, **city):
    official = CityOfficialFactory(city=CityFactory(**city))
    MembershipFactory(city=official.city, network=network, status="active")
    return official


def ledger(meeting, **filters):
    return sorted(
        (r.recipient.email, r.rule.minutes_before, r.status)
        for r in meeting.reminders.filter(**filters).select_related("recipient", "rule")
    )


def schedule(network, starts_in=10 * DAY, title="Quarterly meeting", **fields):
    meeting = Meeting(
        network=network,
        title=title,
        starts_at=timezone.now() + starts_in,
        place="Ruta N, Medellín",
        **fields,
    )
    return meeting_schedule(meeting=meeting)
