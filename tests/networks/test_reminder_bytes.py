"""A reminder serialised once per rendering reads exactly as Django's own serialisation.

Each recipient's bytes on the shared path (alliance.shared_mail) are parsed with
Python's email parser next to the bytes Django's EmailMessage.message() makes for the
same email: the same headers (Date, Message-ID and boundaries aside, which are new
for every message) and the same decoded parts and attachment.
"""

import datetime
import re
from email import policy
from email.parser import BytesParser

import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from alliance.shared_mail import MAX_SLOT_BYTES, SerialisedMessage
from networks.meetings import reminders
from networks.meetings.reminders import network_ensure_default_rules
from networks.meetings.services import meeting_schedule
from networks.models import Meeting, Reminder
from tests.factories import CityFactory, CityOfficialFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

# (first name, last name, city, address): what the shared path must carry exactly.
RECIPIENTS = [
    ("John", "Smith", "Springfield", "john@example.org"),  # ASCII only: 7bit parts
    ("Ana María", "Gómez", "Medellín", "ana@example.org"),
    ("花子", "山田", "京都市", "hanako@example.jp"),
    ('<b>"Ana"', "&Co's </p>", "Tunja & Boyacá <x>", "html@example.org"),
    ("", "", "Pasto", "nameless@example.org"),
    ("Jürgen", "Weiß", "München", "jurgen@münchen.example"),  # an IDN address
    ("Zoë", "O'Brien", "Cork", "zoe@xn--mnchen-3ya.example"),
]
# Values the shared path must leave to Django's own serialisation.
DECLINED = [
    ("Ana", "Ñ" * 150, "Pasto", "long@example.org"),  # over MAX_SLOT_BYTES in UTF-8
    ("Ana\nBcc: victim@example.org", "Gómez", "Pasto", "newline@example.org"),
    ("Ana", "Gómez", "Line\u2028break", "separator@example.org"),
]


def normalised(data: bytes):
    """Headers and decoded parts, less what is new for every message."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert not message.defects

    def headers(part):
        return sorted(
            (name, re.sub(r'boundary="[^"]*"', "", str(value)))
            for name, value in part.items()
            if name not in {"Date", "Message-ID"}
        )

    parts = [
        (headers(part), part.get_content()) for part in message.walk() if not part.is_multipart()
    ]
    return headers(message), parts


def django_bytes(email) -> bytes:
    return EmailMultiAlternatives.message(email).as_bytes(linesep="\r\n")


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
    rows = (
        Reminder.objects.filter(meeting=meeting, rule__minutes_before=1440)
        .select_related("meeting__network", "recipient__official__city", "rule")
        .order_by("recipient__email")
    )
    return {row.recipient.email: row for row in rows}


def test_each_recipient_of_a_shared_rendering_gets_what_django_would_send():
    rows = ledger_for(RECIPIENTS + DECLINED)
    shared = {}
    for first, last, city, address in RECIPIENTS:
        email = reminders.reminder_message(rows[address], shared)
        serialised = email.message()
        assert isinstance(serialised, SerialisedMessage)
        fast = email.shared.render("\r\n", serialised.headers, email.values)
        assert fast is not None, f"{address} left the shared path"
        assert serialised.as_bytes(linesep="\r\n") == fast
        assert normalised(fast) == normalised(django_bytes(email))
        parsed = BytesParser(policy=policy.default).parsebytes(fast)
        assert parsed["X-Alliance-Reminder-Id"] == str(rows[address].pk)
        text = parsed.get_body(("plain",)).get_content()
        assert city in text and "\ue000" not in text
        assert (f"{first} {last}".strip() or "Hello,") in text
        encoding = parsed.get_body(("plain",))["Content-Transfer-Encoding"]
        assert encoding == ("7bit" if (first + last + city).isascii() else "8bit")
    assert len(shared) == 2  # with a name and without: two renderings for seven people


def test_values_the_shared_bytes_cannot_carry_get_djangos_serialisation():
    assert len(("Ana " + "Ñ" * 150).encode()) > MAX_SLOT_BYTES
    rows = ledger_for(RECIPIENTS[:1] + DECLINED)
    shared = {}
    for *_, address in DECLINED:
        email = reminders.reminder_message(rows[address], shared)
        assert not email.shared.accepts(email.values)
        assert not isinstance(email.message(), SerialisedMessage)
        head = email.message().as_bytes(linesep="\r\n").split(b"\r\n\r\n")[0]
        assert head.count(b"\r\nTo: ") == 1 and b"Bcc" not in head


def test_a_line_too_long_for_8bit_leaves_the_shared_path_for_everyone():
    # Django sends a part with a line over 998 bytes as quoted-printable, which could
    # split a slot: the shared serialisation declines and Django's bytes go out.
    rows = ledger_for(RECIPIENTS[1:2], agenda="Open data clinic " * 80)
    email = reminders.reminder_message(rows["ana@example.org"], {})
    serialised = email.message()
    assert email.shared.render("\r\n", serialised.headers, email.values) is None
    data = serialised.as_bytes(linesep="\r\n")
    assert b"quoted-printable" in data
    assert normalised(data) == normalised(django_bytes(email))


def test_a_name_holding_the_multipart_boundary_leaves_the_shared_path():
    rows = ledger_for(RECIPIENTS[:2])
    shared = {}
    first = reminders.reminder_message(rows["john@example.org"], shared)
    shared_bytes = first.message().as_bytes(linesep="\r\n")
    boundary = BytesParser(policy=policy.default).parsebytes(shared_bytes).get_boundary()
    second = reminders.reminder_message(rows["ana@example.org"], shared)
    second.values[reminders.NAME_SLOT] = f"--{boundary}--"
    serialised = second.message()
    assert second.shared.render("\r\n", serialised.headers, second.values) is None


def test_the_line_separator_of_file_and_console_backends_is_kept():
    rows = ledger_for(RECIPIENTS[1:2])
    email = reminders.reminder_message(rows["ana@example.org"], {})
    data = email.message().as_bytes()
    assert b"\r\n" not in data
    assert normalised(data) == normalised(EmailMultiAlternatives.message(email).as_bytes())
