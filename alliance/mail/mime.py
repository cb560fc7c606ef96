"""The portal's EmailMultiAlternatives: the same bytes as Django's, for less CPU.

Django's SMTP backend sends `message().as_bytes()`. Building and writing that message
was most of a reminder's CPU in a worker (cProfile of bench/reminders.py's ledger: about
2 ms of a message's 2.5 ms on a loaded machine, 0.75 ms with this class), most of it on
two things that do nothing for the portal's messages:

- Folding each header through email.header.Header (the compat32 policy that Django's
  MIME classes use), 20 or so times a message, although nearly all of them are short
  ASCII lines that fold to themselves. `FastFolding` writes those as they are and
  hands every other header (non-ASCII, long, multi-line) to compat32 unchanged.
- Making each multipart boundary: the standard library compiles a new regular
  expression per boundary to check that the boundary is not in the text. Here each
  boundary is random (128 bits, from `random` as the standard library's own: what
  makes it safe is the check, not its secrecy; os.urandom would also release the
  GIL, which costs a thread its turn among eight) and checked against the parts'
  text with a plain substring test before it is set (`set_boundaries`).

Both use the standard library's public email API (a Policy subclass, the Message's
`policy`, set_boundary()) on the object Django's public EmailMessage.message()
returns; tests/alliance/test_mail_mime.py holds the bytes equal to Django's own.
"""

import random
from email.mime.base import MIMEBase
from email.policy import Compat32

from django.core.mail import EmailMultiAlternatives


class FastFolding(Compat32):
    """compat32, with headers that fit on one line as plain ASCII written directly.

    Header.encode() returns such a header unchanged; anything else (non-ASCII words
    to encode, lines longer than max_line_length, line breaks, surrogates standing
    for raw bytes) goes through Compat32 as before.
    """

    def fold_binary(self, name: str, value) -> bytes:
        """`name: value` and the line separator, as bytes (email.policy.Policy's contract)."""
        if (
            isinstance(value, str)
            and value.isascii()
            and value.isprintable()  # no CR, LF, tab or other control to keep or fold
            and value == value.strip()
            and "  " not in value
            and len(name) + 2 + len(value) <= (self.max_line_length or 0)
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


FAST_FOLDING = FastFolding()


def set_boundaries(message, texts: list[str]) -> None:
    """Give every multipart part of `message` (an email.message.Message) a random
    boundary that none of `texts` (the text of its parts, before any transfer
    encoding) contains (RFC 2046, 5.1.1)."""
    for part in message.walk():
        if part.is_multipart() and part.get_boundary() is None:
            while True:
                # "=_" cannot occur in quoted-printable or base64 text (RFC 2045,
                # 6.7), so only the parts sent as they are (8bit) could hold it.
                boundary = f"=_{random.getrandbits(128):032x}"
                if not any(boundary in text for text in texts):
                    break
            part.set_boundary(boundary)


class PortalEmail(EmailMultiAlternatives):
    """EmailMultiAlternatives whose message() folds and bounds its parts cheaply
    (FAST_FOLDING, set_boundaries); it sends what Django's would, byte for byte apart
    from the random boundaries."""

    def message(self):
        """Django's MIME message with FAST_FOLDING as its policy and its boundaries set."""
        message = super().message()
        if type(message.policy) is Compat32:  # Django 5.2's MIME classes; left otherwise
            message.policy = FAST_FOLDING
            set_boundaries(message, self._texts())
        return message

    def _texts(self) -> list[str]:
        """The text of every part: body, alternatives, attachments (a MIME part given
        as such is taken as written out, bytes as their 8-bit text)."""
        contents = [self.body, *(alternative.content for alternative in self.alternatives)]
        for attachment in self.attachments:
            is_part = isinstance(attachment, MIMEBase)
            contents.append(attachment.as_string() if is_part else attachment[1])
        return [
            content.decode("utf-8", "surrogateescape") if isinstance(content, bytes) else content
            for content in contents
        ]
