"""What each recipient of a reminder receives, byte for byte, from a real SMTP server.

The reminders of one batch share one rendering per meeting, rule, language and zone;
each recipient's own name and city are put into it afterwards. Parsed with Python's
email parser, every message must read as if rendered for its recipient alone: their
name and city (escaped in HTML), their address only, the reminder's id header, the
calendar file, and nothing of the stand-ins that mark where names go.
"""

import datetime
from email import policy
from email.parser import BytesParser

import pytest
from django.utils import timezone

from networks.meetings import reminders
from networks.meetings.reminders import network_ensure_default_rules
from networks.meetings.services import meeting_schedule
from networks.models import Meeting, Reminder
from tests.factories import CityFactory, CityOfficialFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

# (first name, last name, city, address)
RECIPIENTS = [
    ("John", "Smith", "Springfield", "john@example.org"),  # ASCII only
    ("Ana María", "Gómez", "Medellín", "ana@example.org"),
    ("花子", "山田", "京都市", "hanako@example.jp"),
    ('<b>"Ana"', "&Co's </p>", "Tunja & Boyacá <x>", "html@example.org"),
    ("", "", "Pasto", "nameless@example.org"),
    ("Jürgen", "Weiß", "München", "jurgen@münchen.example"),  # an IDN address
    ("Ana", "Ñ" * 150, "Pasto", "long@example.org"),  # a long name
    ("Ana\nBcc: victim@example.org", "Gómez", "Pasto", "newline@example.org"),
    ("Ana", "Gómez", "Line\u2028break", "separator@example.org"),
]


def ledger_for(people, **meeting_fields):
    network = NetworkFactory(name="Regional Alliance for Latin America", default_language="en")
    network_ensure_default_rules(network)
    for first, last, city, address in people:
        official = CityOfficialFactory(
            user__email=address,
            user__first_name=first,
            user__last_name=last,
            city=CityFactory(name=city, time_zone="America/Bogota"),
        )
        MembershipFactory(city=official.city, network=network, status="active")
    meeting = meeting_schedule(
        meeting=Meeting(
            network=network,
            title="Quarterly meeting",
            starts_at=timezone.now() + datetime.timedelta(days=10),
            place="Town hall",
            **meeting_fields,
        )
    )
    rows = Reminder.objects.filter(meeting=meeting, rule__minutes_before=1440)
    Reminder.objects.filter(meeting=meeting).exclude(pk__in=rows).update(status="cancelled")
    rows.update(due_at=timezone.now(), next_attempt_at=timezone.now())
    return {row.recipient.email: row.pk for row in rows.select_related("recipient")}


def received(smtp) -> dict:
    """The messages the server received, parsed, by envelope recipient."""
    parsed = {}
    for envelope in smtp.messages:
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        assert not message.defects
        (recipient,) = envelope.rcpt_tos
        parsed[recipient] = message
    return parsed


def test_each_recipient_of_a_shared_rendering_reads_their_own_reminder(smtp):
    rows = ledger_for(RECIPIENTS)
    result = reminders.send_reminders(list(rows.values()))
    assert result == {"sent": len(RECIPIENTS), "retry": 0, "failed": 0}

    messages = received(smtp)
    assert len(messages) == len(RECIPIENTS)
    for first, last, city, address in RECIPIENTS:
        envelope_to = address.replace("münchen", "xn--mnchen-3ya")
        message = messages[envelope_to]
        assert message["X-Alliance-Reminder-Id"] == str(rows[address])
        assert message["Reply-To"] == "info@globalsmartcitiesalliance.org"
        assert message["Subject"].startswith("Reminder: Quarterly meeting on ")
        assert [a.addr_spec for a in message["To"].addresses] in ([address], [envelope_to])
        assert "Bcc" not in message and message["Cc"] is None
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
        assert "\ue000" not in text + html
        assert city in text
        assert (f"{first} {last}".strip() or "Hello,") in text
        escaped = city.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in html
        if first.startswith("<b>"):
            assert "<b>" not in html and "&lt;b&gt;&quot;Ana&quot;" in html.replace("&#x27;", "'")
        (ics,) = list(message.iter_attachments())
        assert ics.get_filename() == "meeting.ics"
        assert ics.get_content_type() == "text/calendar"
        assert "BEGIN:VEVENT" in ics.get_content()


def test_a_line_too_long_for_8bit_arrives_whole(smtp):
    # Django sends a part with a line over 998 bytes as quoted-printable.
    agenda = "Open data clinic " * 80
    rows = ledger_for(RECIPIENTS[1:2], agenda=agenda)
    reminders.send_reminders(list(rows.values()))
    (message,) = received(smtp).values()
    assert b"quoted-printable" in smtp.messages[0].original_content
    assert agenda.strip() in message.get_body(("plain",)).get_content()
    assert "Ana María Gómez" in message.get_body(("plain",)).get_content()


def test_one_batch_renders_once_per_language_and_zone(smtp, monkeypatch):
    from alliance.mail import compose

    rendered = []
    original = compose.render
    monkeypatch.setattr(
        compose, "render", lambda *a, **k: rendered.append(k["language"]) or original(*a, **k)
    )
    rows = ledger_for(RECIPIENTS[:4])  # four people, all named, one language and zone
    reminders.send_reminders(list(rows.values()))
    assert len(smtp.messages) == 4
    assert rendered == ["en"]
