"""What every write-path test starts from, and how it posts an admin page as a browser would."""

import dataclasses
import datetime

import pytest
from django import forms
from django.utils import timezone

from networks.meetings.reminders import network_ensure_default_rules
from networks.meetings.services import meeting_schedule
from networks.models import Meeting, Reminder
from tests.factories import CityFactory, CityOfficialFactory, MembershipFactory, NetworkFactory

DAY = datetime.timedelta(days=1)


@dataclasses.dataclass
class World:
    network: object
    city: object
    official: object
    membership: object
    meeting: object

    def pending(self, user=None):
        """The meeting's pending ledger rows (for `user`, default the city's official)."""
        user = user or self.official.user
        return self.meeting.reminders.filter(recipient=user, status=Reminder.Status.PENDING)


@pytest.fixture
def world(db):
    """A network with its default rules (7 days, 1 day), an active member city with one
    official, and a meeting in ten days whose reminders are pending in the ledger."""
    network = NetworkFactory(time_zone="America/Bogota")
    network_ensure_default_rules(network)
    city = CityFactory(slug="medellin-co")
    official = CityOfficialFactory(city=city)
    membership = MembershipFactory(city=city, network=network, status="active")
    start = (timezone.now() + 10 * DAY).replace(second=0, microsecond=0)
    meeting = meeting_schedule(
        meeting=Meeting(network=network, title="Quarterly meeting", starts_at=start, place="Ruta N")
    )
    world = World(network, city, official, membership, meeting)
    assert world.pending().count() == 2
    return world


@pytest.fixture
def secretariat_user(staff_user):
    return staff_user


@pytest.fixture
def secretariat(client, staff_user):
    client.force_login(staff_user)
    return client


def _value(field, value):
    if value is None or isinstance(field, forms.FileField):
        return None
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "on" if value else None
    return value


def form_data(form) -> dict:
    """What a browser posts back from `form` unchanged (prefixed names)."""
    data = {}
    for name, field in form.fields.items():
        value = _value(field, form[name].value())
        if value is None:
            continue
        data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def page_data(response) -> dict:
    """Everything an admin change page posts back unchanged: its form and every inline."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def prefix_of(response, model) -> str:
    """The prefix of the change page's inline of `model`."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise LookupError(model)
