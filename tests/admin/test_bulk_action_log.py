"""Every admin bulk action that changes objects leaves one LogEntry per object, so the
secretariat's "Recent actions" and each object's history show it."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from alliance.models import OutboundEmail, PartnerPerson
from tests.factories import ApplicationFactory, MeetingFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _logged(obj):
    return LogEntry.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name, action_flag=CHANGE
    )


def _run(client, model, action, objects, **extra):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(
        url, {"action": action, "_selected_action": [o.pk for o in objects], **extra}
    )


def test_a_bulk_approval_shows_in_recent_actions(client, staff_user, mailoutbox):
    applications = ApplicationFactory.create_batch(2)
    client.force_login(staff_user)
    assert _run(client, type(applications[0]), "approve", applications).status_code == 302
    for application in applications:
        entry = _logged(application).get()
        assert entry.user == staff_user
        assert "Approve the selected applications" in entry.get_change_message()
    index = client.get(reverse("admin:index")).content.decode()
    assert "None available" not in index
    assert str(applications[0]) in index


@pytest.mark.parametrize("action", ["take_under_review", "reject", "request_more_information"])
def test_every_application_action_is_logged(client, staff_user, mailoutbox, action):
    application = ApplicationFactory()
    client.force_login(staff_user)
    _run(client, type(application), action, [application], apply="1", message="Please add more.")
    assert _logged(application).count() == 1


def test_a_refused_change_is_not_logged(client, staff_user, mailoutbox):
    application = ApplicationFactory(status="rejected")
    client.force_login(staff_user)
    _run(client, type(application), "approve", [application])
    assert not _logged(application).exists()


def test_cancelling_meetings_from_the_list_is_logged(client, staff_user, mailoutbox):
    meetings = MeetingFactory.create_batch(2)
    client.force_login(staff_user)
    _run(client, type(meetings[0]), "cancel_meetings", meetings)
    assert [_logged(m).count() for m in meetings] == [1, 1]


def test_sending_failed_emails_again_is_logged(client, staff_user):
    failed = OutboundEmail.objects.create(
        template="t", to="a@example.org", subject="s", body_text="b", status="failed"
    )
    client.force_login(staff_user)
    _run(client, OutboundEmail, "retry", [failed])
    assert _logged(failed).count() == 1


def test_sending_invitations_again_is_logged(client, staff_user, mailoutbox):
    person = PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory())
    client.force_login(staff_user)
    _run(client, PartnerPerson, "send_again", [person])
    assert _logged(person).count() == 1
