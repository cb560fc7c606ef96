"""alliance.mail.mime writes what Django's EmailMultiAlternatives writes, for less CPU:
header for header, byte for byte, and no multipart boundary that its text contains."""

import random
import re
from email import policy
from email.parser import BytesParser

import pytest
from django.core.mail import EmailMultiAlternatives

from alliance.mail import mime
from alliance.mail.mime import FAST_FOLDING, PortalEmail

HEADERS = [
    ("Subject", "Reminder: Quarterly meeting of the network on Dec. 10, 2026"),
    ("Subject", "x" * 69),  # "Subject: " + 69 = 78 characters, the longest line kept
    ("Subject", "x" * 70),
    ("Subject", "Recordatorio: reunión trimestral"),
    ("Subject", "リマインダー：会議"),
    ("Subject", "two  spaces"),
    ("Subject", " leading space"),
    ("Subject", "a\ttab"),
    ("Subject", "=?utf-8?q?looks_encoded?="),
    ("X-Alliance-Reminder-Id", "12345"),
    ("To", "José <jose@example.org>"),
    ("Content-Type", 'multipart/alternative; boundary="===============0361136284027274475=="'),
    ("Subject", "a" * 40 + " " + "b" * 40 + " " + "c" * 40),
]


@pytest.mark.parametrize(("name", "value"), HEADERS)
def test_headers_fold_as_compat32_folds_them(name, value):
    expected = policy.compat32.clone(linesep="\r\n").fold_binary(name, value)
    assert FAST_FOLDING.clone(linesep="\r\n").fold_binary(name, value) == expected


def test_random_headers_fold_as_compat32_folds_them():
    characters = "abc XYZ  \t=?;:,<>\"'-_()éñ日本"  # Django refuses line breaks
    rng = random.Random(16)
    for _ in range(3000):
        value = "".join(rng.choice(characters) for _ in range(rng.randint(0, 100)))
        for text in (value, value.encode("ascii", "ignore").decode()):
            expected = policy.compat32.fold_binary("Subject", text)
            assert FAST_FOLDING.fold_binary("Subject", text) == expected, text


def emails(subject: str, body: str):
    """The same email as Django's EmailMultiAlternatives and as a PortalEmail."""
    made = []
    for kind in (EmailMultiAlternatives, PortalEmail):
        email = kind(
            subject=subject,
            body=body,
            to=["José Gómez <jose@example.org>"],
            reply_to=["info@example.org"],
            headers={"Date": "Tue, 01 Dec 2026 04:51:20 -0000", "Message-ID": "<1@example>"},
        )
        email.attach_alternative(f"<p>{body}</p>", "text/html")
        email.attach("meeting.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
        made.append(email.message().as_bytes(linesep="\r\n"))
    return made


BOUNDARY = re.compile(rb'"(===============\d+==|=_[0-9a-f]{32})"')


@pytest.mark.parametrize(
    "subject",
    ["Reminder: Quarterly meeting", "Recordatorio: reunión trimestral de la red " * 3, "会議"],
)
def test_the_bytes_are_djangos_but_for_the_boundaries(subject):
    body = "Dear Ana Gómez,\n=_ is not a boundary\n" + "long line " * 120
    django, portal = emails(subject, body)

    def same_boundaries(raw: bytes) -> bytes:
        for number, found in enumerate(dict.fromkeys(BOUNDARY.findall(raw))):
            raw = raw.replace(found, b"boundary-%d" % number)
        return raw

    assert len(BOUNDARY.findall(portal)) == 2
    assert same_boundaries(portal) == same_boundaries(django)
    parsed = BytesParser(policy=policy.default).parsebytes(portal)
    assert parsed.get_body(("plain",)).get_content().startswith("Dear Ana Gómez,\r\n=_ is")
    assert [part.get_filename() for part in parsed.iter_attachments()] == ["meeting.ics"]


def test_a_boundary_found_in_the_text_is_not_used(monkeypatch):
    taken = f"=_{1:032x}"
    draws = iter([1, 1, 2, 3])
    monkeypatch.setattr(mime.random, "getrandbits", lambda bits: next(draws))
    _, portal = emails("Subject", f"a body that holds {taken} on a line\n")
    boundaries = set(BOUNDARY.findall(portal))
    assert boundaries == {f"=_{2:032x}".encode(), f"=_{3:032x}".encode()}
    assert len(BytesParser(policy=policy.default).parsebytes(portal).get_payload()) == 2


def test_binary_attachments_are_searched_too(monkeypatch):
    draws = iter([1, 2, 3, 4])
    monkeypatch.setattr(mime.random, "getrandbits", lambda bits: next(draws))
    email = PortalEmail(subject="Subject", body="plain", to=["a@example.org"])
    email.attach_alternative(f"<p>=_{1:032x}</p>", "text/html")
    email.attach("data.bin", f"holds =_{2:032x}".encode(), "application/octet-stream")
    boundaries = set(BOUNDARY.findall(email.message().as_bytes()))
    assert boundaries == {f"=_{3:032x}".encode(), f"=_{4:032x}".encode()}
