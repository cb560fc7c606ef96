"""A reminder rule: every write path re-plans the ledger of what it governs."""

import pytest
from django.urls import reverse

from networks.models import Reminder, ReminderRule
from tests.writepaths.conftest import page_data, prefix_of

pytestmark = pytest.mark.django_db

TWO_HOURS = 120


def _add_inline(client, url, minutes):
    page = client.get(url)
    data = page_data(page)
    prefix = prefix_of(page, ReminderRule)
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
    data.update({f"{prefix}-{n}-minutes_before": minutes, f"{prefix}-{n}-is_active": "on"})
    assert client.post(url, data).status_code == 302


def network_inline(world, client):
    _add_inline(client, reverse("admin:networks_network_change", args=[world.network.pk]), 120)


def orm_create(world, client):
    ReminderRule.objects.create(network=world.network, minutes_before=TWO_HOURS)


PATHS = [network_inline, orm_create]


@pytest.mark.parametrize("write", PATHS, ids=[p.__name__ for p in PATHS])
def test_a_new_network_rule_plans_its_reminders_on_every_path(write, world, secretariat):
    write(world, secretariat)
    rule = ReminderRule.objects.get(network=world.network, minutes_before=TWO_HOURS)
    assert world.pending().filter(rule=rule).count() == 1
    assert world.pending().count() == 3


def test_a_meetings_own_rule_from_its_page_replaces_the_networks(world, secretariat):
    _add_inline(secretariat, reverse("admin:networks_meeting_change", args=[world.meeting.pk]), 120)
    assert list(world.pending().values_list("rule__minutes_before", flat=True)) == [TWO_HOURS]


def switched_off_inline(world, client):
    url = reverse("admin:networks_network_change", args=[world.network.pk])
    page = client.get(url)
    data = page_data(page)
    prefix = prefix_of(page, ReminderRule)
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            for n, form in enumerate(inline.formset.forms):
                if form.instance.minutes_before == 24 * 60:
                    data.pop(f"{prefix}-{n}-is_active", None)
    assert client.post(url, data).status_code == 302


def switched_off_orm(world, client):
    ReminderRule.objects.filter(network=world.network, minutes_before=24 * 60).get().save()
    rule = ReminderRule.objects.get(network=world.network, minutes_before=24 * 60)
    rule.is_active = False
    rule.save()


OFF = [switched_off_inline, switched_off_orm]


@pytest.mark.parametrize("write", OFF, ids=[p.__name__ for p in OFF])
def test_a_rule_switched_off_cancels_its_pending_reminders(write, world, secretariat):
    write(world, secretariat)
    rule = ReminderRule.objects.get(network=world.network, minutes_before=24 * 60)
    assert not world.pending().filter(rule=rule).exists()
    assert rule.reminders.filter(status=Reminder.Status.CANCELLED).count() == 1
    assert world.pending().count() == 1
