"""A history revert is an edit: it changes only what the user's change form may change."""

import pytest
from django.urls import reverse

from alliance.roles import NETWORK_HOST, SECRETARIAT
from networks.applications.services import application_reject
from networks.meetings.services import meeting_cancel
from networks.models import Application, Meeting
from tests.factories import ApplicationFactory, MeetingFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def revert(client, model_admin_name, obj, version):
    url = reverse(f"admin:{model_admin_name}_simple_history", args=[obj.pk, version.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif hasattr(value, "strftime"):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif value is not None:
            data[name] = str(value)
    return client.post(url, {**data, "_save": "Save"})


@pytest.mark.parametrize("role", [NETWORK_HOST, SECRETARIAT])
def test_a_revert_does_not_reopen_a_decided_application(client, make_staff, role, mailoutbox):
    """The status, the decision and its author change only through the review services
    (their checks, their event and their email), not by restoring an old version."""
    network = NetworkFactory()
    application = ApplicationFactory(network=network)
    submitted = application.history.latest()
    secretariat = make_staff(SECRETARIAT)
    application_reject(application=application, reviewer=secretariat, reason="Out of scope.")
    client.force_login(make_staff(role, hosts=[network]))

    response = revert(client, "networks_application", application, submitted)

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.decided_by == secretariat


def test_a_revert_does_not_bring_a_cancelled_meeting_back(client, make_staff, mailoutbox):
    network = NetworkFactory()
    meeting = MeetingFactory(network=network)
    scheduled = meeting.history.latest()
    meeting_cancel(meeting=meeting, by=None)
    client.force_login(make_staff(NETWORK_HOST, hosts=[network]))

    revert(client, "networks_meeting", meeting, scheduled)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
