"""A ledger sync cancels only what no longer applies (issue #14).

Reminders that are due and pending — waiting for the next beat tick, for the broker
to come back, or for their retry after a temporary SMTP error — must survive a sync
triggered by any change to the network (an approval, a membership status change, an
official added or removed, a rule added, an import) and then be sent exactly once.
"""

import datetime
import smtplib
from collections import Counter

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from alliance.mail import delivery
from alliance.roles import SECRETARIAT
from networks.applications.services import application_approve
from networks.meetings import reminders
from networks.meetings.reminders import network_ensure_default_rules
from networks.models import Meeting, Membership, Reminder, ReminderRule
from networks.services import membership_set_status
from networks.tasks import dispatch_reminders
from tests.admin.test_history import membership_form
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MembershipFactory,
    NetworkFactory,
)
from tests.imports.through_admin import import_through_admin
from tests.networks.test_reminders import member_official, schedule

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def network():
    network = NetworkFactory(name="Regional Alliance for Latin America", default_language="en")
    network_ensure_default_rules(network)
    return network


def make_due(meeting, state: str, request) -> set[int]:
    """Bring the meeting's one-day rows due, in `state`; return their ids."""
    # As if scheduled a while ago: the meeting now starts in a day less two minutes, so
    # its one-day reminders fell due two minutes ago.
    now = timezone.now()
    starts_at = now + datetime.timedelta(days=1) - datetime.timedelta(minutes=2)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at)
    meeting.reminders.update(meeting_starts_at=starts_at)
    rows = meeting.reminders.filter(rule__minutes_before=24 * 60)
    rows.update(due_at=starts_at - datetime.timedelta(days=1), next_attempt_at=now)
    ids = set(rows.values_list("pk", flat=True))
    if state == "waiting for the broker":
        # Beat's tick ran but could not publish: the rows stay pending and due.
        app = request.getfixturevalue("broker_down")
        with pytest.raises(OperationalError):
            dispatch_reminders()
        # The broker is back (in this suite, tasks then run inline).
        app.conf.broker_write_url = None
        app.conf.task_always_eager = True
    elif state == "in SMTP backoff":
        # A worker claimed them and the server answered 421: retried with backoff.
        for row in delivery.claim(Reminder.objects.filter(pk__in=ids)):
            delivery.mark_failed(row, smtplib.SMTPResponseException(421, b"try later"))
        assert set(rows.values_list("status", "attempts").distinct()) == {("pending", 1)}
    assert set(rows.values_list("status", flat=True)) == {"pending"}
    return ids


def send_everything_due(later=datetime.timedelta(0)):
    """Beat's ticks and the workers, until nothing is due: past any backoff too."""
    with time_machine.travel(timezone.now() + later, tick=True):
        for batch in reminders.due_batches():
            reminders.send_reminders(batch)


def approval(network, meeting, client, make_staff):
    applicant = CityOfficialFactory.build().user
    applicant.save()
    application = ApplicationFactory(network=network, applicant=applicant)
    application_approve(application=application, reviewer=make_staff(SECRETARIAT))


def status_change_by_service(network, meeting, client, make_staff):
    lapsing = Membership.objects.filter(network=network).exclude(city__slug="kept").first()
    membership_set_status(membership=lapsing, status="lapsed")


def status_change_in_the_admin(network, meeting, client, make_staff):
    client.force_login(make_staff(SECRETARIAT))
    other = MembershipFactory(network=network, status="lapsed")
    CityOfficialFactory(city=other.city)
    url = reverse("admin:networks_membership_change", args=[other.pk])
    response = client.post(url, membership_form(other, status="active"))
    assert response.status_code == 302, response.content[:2000]


def official_added(network, meeting, client, make_staff):
    client.force_login(make_staff(SECRETARIAT))
    city = Membership.objects.filter(network=network).first().city
    user = CityOfficialFactory.build().user
    user.save()
    # Only an account with a confirmed address becomes an official (issue #15 §3).
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("admin:cities_cityofficial_add"),
        {
            "user": user.pk,
            "city": city.pk,
            "role": "focal-point",
            "contact_audience": "members",
        },
    )
    assert response.status_code == 302, response.content[:3000]


def official_removed(network, meeting, client, make_staff):
    client.force_login(make_staff(SECRETARIAT))
    extra = CityOfficialFactory(city=CityFactory())
    MembershipFactory(city=extra.city, network=network, status="active")
    url = reverse("admin:cities_cityofficial_delete", args=[extra.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302


def rule_added(network, meeting, client, make_staff):
    ReminderRule.objects.create(network=network, minutes_before=3 * 24 * 60)
    reminders.reminders_sync_network(network=network)


def membership_import(network, meeting, client, make_staff):
    client.force_login(make_staff(SECRETARIAT))
    newcomer = CityOfficialFactory(city=CityFactory(slug="newcomer-uy")).city
    content = f"city,network,role,status,joined_on\n{newcomer.slug},{network.slug},member,active,\n"
    import_through_admin(client, "memberships", content)
    assert Membership.objects.filter(city=newcomer, network=network, status="active").exists()


CHANGES = [
    approval,
    status_change_by_service,
    status_change_in_the_admin,
    official_added,
    official_removed,
    rule_added,
    membership_import,
]
STATES = ["waiting for a tick", "waiting for the broker", "in SMTP backoff"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_due_reminders_survive_a_sync_and_are_sent_once(
    network, state, change, client, make_staff, request, mailoutbox
):
    kept = [member_official(network, slug="kept") for _ in range(1)]
    kept += [member_official(network) for _ in range(3)]
    meeting = schedule(network, starts_in=datetime.timedelta(days=1, minutes=1))
    due = make_due(meeting, state, request)
    lapsing_user = None
    if change is status_change_by_service:
        lapsing = Membership.objects.filter(network=network).exclude(city__slug="kept").first()
        lapsing_user = lapsing.city.officials.get().user

    change(network, meeting, client, make_staff)

    rows = Reminder.objects.filter(pk__in=due)
    survivors = rows.exclude(recipient=lapsing_user)
    assert set(survivors.values_list("status", flat=True)) == {"pending"}, (
        f"a sync after {change.__name__} cancelled due reminders {state}"
    )
    if lapsing_user is not None:
        # What no longer applies is still cancelled.
        assert rows.get(recipient=lapsing_user).status == "cancelled"

    mailoutbox.clear()
    send_everything_due(later=2 * HOUR)
    send_everything_due(later=2 * HOUR)  # a second tick sends nothing again
    sent = Counter(
        message.to[0]
        for message in mailoutbox
        if message.extra_headers.get("X-Alliance-Reminder-Id", "").isdigit()
        and int(message.extra_headers["X-Alliance-Reminder-Id"]) in due
    )
    expected = {row.recipient.email for row in survivors.select_related("recipient")}
    assert sent == dict.fromkeys(expected, 1)
    assert set(survivors.values_list("status", flat=True)) == {"sent"}


def test_a_sync_still_creates_no_backlog_and_cancels_what_no_longer_applies(network):
    official = member_official(network)
    meeting = schedule(network, starts_in=datetime.timedelta(days=3))
    ReminderRule.objects.create(network=network, minutes_before=5 * 24 * 60)
    reminders.reminders_sync_network(network=network)
    assert list(meeting.reminders.values_list("rule__minutes_before", "status")) == [
        (1440, "pending")
    ]
    meeting.reminders.update(due_at=timezone.now() - HOUR, next_attempt_at=timezone.now())
    ReminderRule.objects.filter(network=network, minutes_before=1440).update(is_active=False)
    reminders.reminders_sync_network(network=network)
    assert meeting.reminders.get(recipient=official.user).status == "cancelled"
    assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"


def test_a_membership_lapsed_in_the_admin_loses_its_pending_reminders(network, client, make_staff):
    lapsing, staying = member_official(network), member_official(network)
    meeting = schedule(network)
    client.force_login(make_staff(SECRETARIAT))
    membership = Membership.objects.get(city=lapsing.city, network=network)
    url = reverse("admin:networks_membership_change", args=[membership.pk])
    assert client.post(url, membership_form(membership, status="lapsed")).status_code == 302
    assert set(
        meeting.reminders.filter(recipient=lapsing.user).values_list("status", flat=True)
    ) == {"cancelled"}
    assert set(
        meeting.reminders.filter(recipient=staying.user).values_list("status", flat=True)
    ) == {"pending"}


def test_a_reminder_still_pending_when_its_meeting_starts_is_missed_whatever_syncs(
    network, mailoutbox
):
    official = member_official(network)
    meeting = schedule(network, starts_in=datetime.timedelta(days=1, minutes=10))
    row = meeting.reminders.get(recipient=official.user, rule__minutes_before=1440)
    # The broker was down all along: the meeting begins with the reminder still pending.
    with time_machine.travel(meeting.starts_at + datetime.timedelta(minutes=1)):
        reminders.reminders_sync_network(network=network)  # upcoming only: not this one
        reminders.reminders_sync(meeting=meeting)  # e.g. the meeting saved in the admin
        row.refresh_from_db()
        assert row.status == "pending"  # a sync neither cancels it nor sends it
        for batch in reminders.due_batches():
            reminders.send_reminders(batch)
    row.refresh_from_db()
    assert row.status == "missed"
    assert mailoutbox == []
