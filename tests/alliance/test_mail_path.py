"""One mail path (issue #16): every kind of email is rendered by alliance.mail.compose,
sent by the delivery loop, stamped on its row; and the portal uses only Django's public,
non-deprecated mail API."""

import ast
import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.mail import compose, delivery
from alliance.models import OutboundEmail
from networks.applications.services import application_approve
from networks.meetings import reminders
from networks.meetings.services import meeting_reschedule
from networks.models import Reminder
from tests.factories import ApplicationFactory, NetworkFactory, UserFactory
from tests.networks.test_reminders import member_official, schedule

REPO = Path(__file__).resolve().parents[2]

# What the portal may import from django.core.mail: its documented public names that
# Django 5.2 and 6.0 do not deprecate. Everything else there (sanitize_address,
# forbid_multi_line_headers, SafeMIMEText, DNS_NAME, the backends' modules, any
# _private name) is an implementation detail that changes between releases.
PUBLIC_MAIL_API = {
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "BadHeaderError",
}

# Private methods of Django's backends and messages that a subclass might override.
PRIVATE_MAIL_METHODS = {"_send", "_create_message", "_set_list_header_if_not_empty"}


@pytest.mark.django_db
def test_every_kind_of_email_takes_the_one_render_helper_and_delivery_loop(
    client, staff_user, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    rendered, looped = [], []
    render, send = compose.render, delivery.send

    def spy_render(template, *args, **kwargs):
        rendered.append(template)
        return render(template, *args, **kwargs)

    def spy_send(rows, build):
        rows = list(rows)
        looped.extend((type(row), row.pk) for row in rows)
        return send(rows, build)

    monkeypatch.setattr(compose, "render", spy_render)
    monkeypatch.setattr(delivery, "send", spy_send)

    network = NetworkFactory(default_language="en")
    reminders.network_ensure_default_rules(network)
    member_official(network, time_zone="America/Bogota")
    meeting = schedule(network)
    with django_capture_on_commit_callbacks(execute=True):
        # An account email (allauth, through the portal's adapter).
        UserFactory(email="reset@example.org")
        client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
        # An application decision.
        application_approve(application=ApplicationFactory(network=network), reviewer=staff_user)
        # A meeting change.
        meeting_reschedule(
            meeting=meeting, starts_at=meeting.starts_at + datetime.timedelta(hours=1)
        )
    # A reminder, due now from the ledger.
    Reminder.objects.filter(meeting=meeting, status="pending").update(
        due_at=timezone.now(), next_attempt_at=timezone.now()
    )
    batches = reminders.due_batches()
    assert batches, list(Reminder.objects.values_list("status", "due_at", "next_attempt_at"))
    for batch in batches:
        reminders.send_reminders(batch)

    templates = {"account-password-reset", "application-approved", "meeting-rescheduled"}
    assert templates | {"meeting-reminder"} <= set(rendered)
    assert set(OutboundEmail.objects.values_list("template", flat=True)) >= templates
    assert {kind for kind, _ in looped} == {OutboundEmail, Reminder}
    assert len(mailoutbox) == len(looped)
    for message in mailoutbox:
        if "X-Alliance-Reminder-Id" in message.extra_headers:
            row = Reminder.objects.get(pk=message.extra_headers["X-Alliance-Reminder-Id"])
            address = row.recipient.email
        else:
            row = OutboundEmail.objects.get(pk=message.extra_headers["X-Alliance-Email-Id"])
            address = row.to
        assert (type(row), row.pk) in looped
        assert row.status == "sent" and row.sent_at and message.to == [address]


def mail_imports(tree: ast.AST):
    """(line, what) for each import of a django.core.mail name in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            for alias in node.names:
                yield node.lineno, node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("django.core.mail"):
                    yield node.lineno, alias.name, ""


def test_the_portal_imports_only_djangos_public_mail_api():
    offending = []
    for package in ("alliance", "cities", "networks"):
        for path in sorted((REPO / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for line, module, name in mail_imports(tree):
                if module != "django.core.mail" or name not in PUBLIC_MAIL_API:
                    offending.append(f"{path.relative_to(REPO)}:{line} {module} {name}")
            for node in ast.walk(tree):  # a private method of a mail backend or message
                if isinstance(node, ast.Attribute) and node.attr in PRIVATE_MAIL_METHODS:
                    offending.append(f"{path.relative_to(REPO)}:{node.lineno} .{node.attr}")
    assert offending == []


def test_the_check_itself_catches_a_private_or_deprecated_import():
    source = (
        "from django.core.mail.message import sanitize_address\n"
        "from django.core.mail import forbid_multi_line_headers, EmailMessage\n"
        "import django.core.mail.backends.smtp\n"
    )
    found = [
        (module, name)
        for _, module, name in mail_imports(ast.parse(source))
        if module != "django.core.mail" or name not in PUBLIC_MAIL_API
    ]
    assert found == [
        ("django.core.mail.message", "sanitize_address"),
        ("django.core.mail", "forbid_multi_line_headers"),
        ("django.core.mail.backends.smtp", ""),
    ]


@pytest.mark.django_db
def test_an_allauth_email_without_portal_words_takes_the_same_path(
    rf, mailoutbox, django_capture_on_commit_callbacks
):
    from alliance.accounts import AccountAdapter

    user = UserFactory(email="changed@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        AccountAdapter(rf.get("/")).send_mail(
            "account/email/password_changed", user.email, {"user": user}
        )
    (message,) = mailoutbox
    row = OutboundEmail.objects.get(pk=message.extra_headers["X-Alliance-Email-Id"])
    assert row.status == "sent" and row.template == "password_changed"
    assert "Your password has been changed." in message.body
    assert "G20 Global Smart Cities Alliance" in message.body  # the portal's name, not example.com
    assert message.alternatives == []  # allauth has no HTML template for it
