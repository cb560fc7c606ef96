"""The reminder ledger: the right rows for the right officials, kept as meetings and
memberships change."""

import pytest

from networks.facts.ledger import one_sync
from networks.meetings import reminders
from networks.meetings.reminders import reminders_sync
from networks.meetings.services import meeting_cancel, meeting_reschedule
from networks.models import ReminderRule
from networks.services import membership_set_status
from tests.factories import (
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
)
from tests.networks.reminder_ledger import (
    DAY,
    ledger,
    member_official,
    network_with_default_rules,
    schedule,
)

pytestmark = pytest.mark.django_db

network = pytest.fixture(network_with_default_rules, name="network")


def test_scheduling_puts_a_row_per_official_and_rule_in_the_ledger(network):
    a, b = member_official(network), member_official(network)
    lapsed = CityOfficialFactory()
    MembershipFactory(city=lapsed.city, network=network, status="lapsed")
    meeting = schedule(network)
    assert ledger(meeting) == sorted(
        (o.user.email, minutes, "pending") for o in (a, b) for minutes in (10080, 1440)
    )
    row = meeting.reminders.get(recipient=a.user, rule__minutes_before=1440)
    assert row.due_at == meeting.starts_at - DAY
    assert row.meeting_starts_at == meeting.starts_at


def test_a_rule_already_past_is_not_mailed_as_a_backlog(network):
    official = member_official(network)
    meeting = schedule(network, starts_in=3 * DAY)
    assert ledger(meeting) == [(official.user.email, 1440, "pending")]
    ReminderRule.objects.create(network=network, minutes_before=5 * 24 * 60)
    reminders.reminders_sync_network(network=network)
    assert ledger(meeting) == [(official.user.email, 1440, "pending")]


def test_a_new_member_gets_future_reminders_and_a_lapsed_one_loses_them(network):
    meeting = schedule(network)
    newcomer = CityOfficialFactory()
    membership = MembershipFactory(city=newcomer.city, network=network, status="pending")
    assert ledger(meeting) == []
    membership_set_status(membership=membership, status="active")
    assert len(ledger(meeting, status="pending")) == 2
    membership_set_status(membership=membership, status="lapsed")
    assert ledger(meeting, status="pending") == []
    assert len(ledger(meeting, status="cancelled")) == 2
    membership_set_status(membership=membership, status="active")
    assert len(ledger(meeting, status="pending")) == 2


def test_rescheduling_cancels_the_old_rows_and_makes_new_ones(
    network, django_capture_on_commit_callbacks, mailoutbox
):
    official = member_official(network)
    meeting = schedule(network)
    old_start = meeting.starts_at
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reschedule(meeting=meeting, starts_at=old_start + 2 * DAY)
    assert meeting.sequence == 1
    assert ledger(meeting, meeting_starts_at=old_start) == [
        (official.user.email, 1440, "cancelled"),
        (official.user.email, 10080, "cancelled"),
    ]
    assert ledger(meeting, meeting_starts_at=old_start + 2 * DAY, status="pending") == [
        (official.user.email, 1440, "pending"),
        (official.user.email, 10080, "pending"),
    ]
    assert len(mailoutbox) == 1
    assert "Quarterly meeting" in mailoutbox[0].subject + mailoutbox[0].body


def test_cancelling_cancels_every_pending_reminder_and_tells_members(
    network, django_capture_on_commit_callbacks, mailoutbox
):
    member_official(network)
    meeting = schedule(network)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting)
    assert {status for *_, status in ledger(meeting)} == {"cancelled"}
    assert len(mailoutbox) == 1


def test_a_meeting_can_override_the_networks_rules(network):
    official = member_official(network)
    # Made together, as the meeting's admin page does with its rules inline: a meeting
    # saved alone first would have its network's rules planned (then cancelled).
    with one_sync():
        meeting = MeetingFactory(network=network)
        ReminderRule.objects.create(meeting=meeting, minutes_before=120)
    reminders_sync(meeting=meeting)
    assert ledger(meeting) == [(official.user.email, 120, "pending")]
