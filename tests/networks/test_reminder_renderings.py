"""A worker renders a reminder once per meeting, rule, language and zone, across the
batches it sends one after another, and never sends an older version's words."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from alliance.mail import compose
from networks.meetings import reminders
from networks.models import Meeting, Network, Reminder
from tests.networks.reminder_ledger import member_official, network_with_default_rules, schedule

pytestmark = pytest.mark.django_db

network = pytest.fixture(network_with_default_rules, name="network")


@pytest.fixture
def renders(monkeypatch):
    calls = []
    real = compose.render

    def spy(template, *args, **kwargs):
        calls.append(template)
        return real(template, *args, **kwargs)

    monkeypatch.setattr(compose, "render", spy)
    return calls


def due_now(meeting, rule_minutes=1440) -> list[int]:
    rows = meeting.reminders.filter(rule__minutes_before=rule_minutes)
    rows.update(due_at=timezone.now(), next_attempt_at=timezone.now())
    return list(rows.order_by("pk").values_list("pk", flat=True))


def test_batches_of_one_meeting_share_one_rendering(network, renders, mailoutbox):
    for _ in range(4):
        member_official(network, time_zone="America/Bogota")
    meeting = schedule(network, title="Data exchange")
    ids = due_now(meeting)
    for batch in (ids[:2], ids[2:]):  # two tasks of one worker, one after the other
        assert reminders.send_reminders(batch)["sent"] == 2
    assert renders == ["meeting-reminder"]
    assert len(mailoutbox) == 4 and all("Data exchange" in m.body for m in mailoutbox)


def test_a_meeting_changed_between_batches_is_sent_as_it_now_reads(network, mailoutbox):
    for _ in range(2):
        member_official(network, time_zone="America/Bogota")
    meeting = schedule(network, title="Data exchange", agenda="1. Budget")
    first, second = due_now(meeting)
    reminders.send_reminders([first])
    # Edits that start no new ledger rows (no SEQUENCE change), through the ORM.
    Meeting.objects.filter(pk=meeting.pk).update(agenda="1. Budget\n2. Open data")
    Network.objects.filter(pk=network.pk).update(name="Andean cities")
    reminders.send_reminders([second])
    old, new = mailoutbox
    assert "Open data" not in old.body
    assert "2. Open data" in new.body and "Andean cities" in new.body
    # The calendar file too, although the meeting's SEQUENCE did not change.
    [(_name, old_ics, _type)], [(_name, new_ics, _type)] = old.attachments, new.attachments
    assert "Open data" not in old_ics and "2. Open data" in new_ics
    assert Reminder.objects.filter(pk__in=[first, second], status="sent").count() == 2


def test_threads_asking_for_one_rendering_at_once_share_it():
    # A burst starts every thread of a worker on the same meeting at the same moment.
    kept, made, start = compose.ProcessRenderings(), [], threading.Barrier(8)

    def make():
        made.append(threading.get_ident())
        time.sleep(0.05)  # a rendering takes a few milliseconds
        return object()

    def ask(_):
        start.wait()
        return kept.get("key", make)

    with ThreadPoolExecutor(8) as pool:
        values = list(pool.map(ask, range(8)))
    assert len(made) == 1
    assert all(value is values[0] for value in values)


def test_a_rendering_that_failed_is_made_again_when_next_asked_for():
    kept = compose.ProcessRenderings()

    def broken():
        raise ValueError("a template error")

    with pytest.raises(ValueError, match="a template error"):
        kept.get("key", broken)
    assert kept.get("key", lambda: "rendered") == "rendered"
