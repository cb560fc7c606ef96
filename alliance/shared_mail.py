"""One MIME serialisation shared by the many recipients of the same rendering.

Django builds and serialises every EmailMessage from scratch: header folding and MIME
generation cost about a millisecond a message, more than the SMTP round trip on
loopback. A reminder differs between the recipients of one rendering only in a few
places: the To, Date and Message-ID headers, headers such as X-Alliance-Reminder-Id,
and the name and city in the bodies. So `SharedSerialisation` serialises the message
once, through Django, with placeholders in those places, and each recipient's bytes
are the same bytes with the placeholders replaced:

- Headers that differ are prepared exactly as Django prepares them (its header
  checks and address encoding) and folded by the policy that Django's generator uses.
- Body slots stay byte-for-byte substitutable only where a part is "8bit" (or "7bit"):
  Django quoted-printable-encodes a text part with a line over 998 bytes, which could
  split a slot. The shared serialisation is used only where no line can become that
  long, and for recipients whose values are short, have no line breaks and cannot
  meet the multipart boundary; everyone else gets Django's own serialisation.

`SharedSerialisedEmail` is an ordinary EmailMultiAlternatives (the locmem backend of
the tests sees its subject, body, alternatives and attachments as usual) whose
message() returns the prepared bytes to the SMTP backend.
"""

import copy
import re
import secrets
from email import policy as email_policy
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, forbid_multi_line_headers
from django.core.mail.utils import DNS_NAME

# The longest value (UTF-8 bytes) a body slot takes on the shared path: longer names
# and cities are legal, just rare; they take Django's path.
MAX_SLOT_BYTES = 300
# Everything str.splitlines() (Django's long-line check) or the generator treats as a
# line break: a value with one of these would change the lines of its part.
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Headers set per message by Django's EmailMessage.message() itself.
PER_MESSAGE = ("To", "Date", "Message-ID")
# Visible ASCII words with single spaces: short enough, the generator writes it as is.
UNFOLDED = re.compile(r"[!-~]+(?: [!-~]+)*")


def fold_header(fold, name: str, value: str, linesep: str) -> bytes:
    """`fold(name, value)` (a compat32 policy's fold_binary), without its cost where
    it changes nothing: most of these headers are one short line."""
    if len(name) + 2 + len(value) <= email_policy.compat32.max_line_length and (
        UNFOLDED.fullmatch(value)
    ):
        return f"{name}: {value}{linesep}".encode("ascii")
    return fold(name, value)


class SharedSerialisation:
    """The serialised bytes of `prototype`, with slots, split for quick substitution.

    `prototype`: the message as every recipient gets it, except that the body and its
    alternatives hold `slots` (each a string found nowhere else) where recipients
    differ, and `headers` lists the extra headers whose values differ.
    """

    def __init__(self, prototype: EmailMultiAlternatives, *, slots=(), headers=()):
        self.prototype = prototype
        self.slots = tuple(slots)
        self.headers = (*PER_MESSAGE, *headers)
        self.encoding = prototype.encoding or settings.DEFAULT_CHARSET
        self._split: dict[str, tuple | None] = {}  # by line separator
        # Django encodes the subject as a whole (RFC 2047): a slot cannot live there.
        self.usable = not any(slot in prototype.subject for slot in self.slots)

    def __deepcopy__(self, memo):
        return self  # shared and never changed once split; the locmem backend deep-copies

    def accepts(self, values: dict[str, str]) -> bool:
        """Can these slot values be substituted into the shared bytes unchanged?"""
        return self.usable and all(
            len(value.encode(self.encoding)) <= MAX_SLOT_BYTES
            and not LINE_BREAKS.search(value)
            and "\ue000" not in value  # no slot inside a value
            for value in values.values()
        )

    def render(self, linesep: str, headers: dict[str, str], values: dict[str, str]):
        """This recipient's message bytes, or None where only Django's path is exact."""
        split = self._split.get(linesep, ...)
        if split is ...:
            split = self._split[linesep] = self._serialise(linesep)
        if split is None:
            return None
        segments, part_slots, boundaries, fold = split
        if any(boundary in value for value in values.values() for boundary in boundaries):
            return None
        header_lines = {}
        for name in self.headers:
            name, value = forbid_multi_line_headers(name, headers[name], self.encoding)
            header_lines[name] = fold_header(fold, name, value, linesep)
        out = []
        for segment in segments:
            if type(segment) is bytes:
                out.append(segment)
            elif segment[0] == "header":
                out.append(header_lines[segment[1]])
            elif segment[0] == "slot":
                out.append(values[segment[1]].encode(self.encoding))
            else:  # a part's Content-Transfer-Encoding: as Django would choose it
                ascii_ = all(values[slot].isascii() for slot in part_slots[segment[1]])
                out.append(b"7bit" if ascii_ else b"8bit")
        return b"".join(out)

    def _serialise(self, linesep: str):
        tokens = {name: f"slot{secrets.token_hex(10)}" for name in self.headers}
        prototype = copy.copy(self.prototype)
        prototype.to = [tokens["To"]]
        prototype.cc = prototype.bcc = []
        prototype.extra_headers = {**self.prototype.extra_headers}
        for name in self.headers[len(PER_MESSAGE) :]:
            prototype.extra_headers[name] = tokens[name]
        message = prototype.message()
        message.replace_header("Date", tokens["Date"])
        message.replace_header("Message-ID", tokens["Message-ID"])

        # The parts that carry slots: their transfer encoding depends on the values.
        cte_tokens, part_slots = {}, {}
        for part in message.walk():
            if part.is_multipart() or part.get_content_maintype() != "text":
                continue
            text = part.get_payload(decode=True).decode(part.get_content_charset() or "ascii")
            present = [slot for slot in self.slots if slot in text]
            if not present:
                continue
            if part["Content-Transfer-Encoding"] not in {"7bit", "8bit"}:
                return None
            for line in text.splitlines():
                grown = len(line.encode(self.encoding)) + sum(
                    line.count(slot) * (MAX_SLOT_BYTES - len(slot.encode(self.encoding)))
                    for slot in present
                )
                if grown > RFC5322_EMAIL_LINE_LENGTH_LIMIT:
                    return None
            static = text
            for slot in present:
                static = static.replace(slot, "")
            if not static.isascii():
                present = []  # 8bit whatever the values are
            else:
                token = f"slot{secrets.token_hex(10)}"
                cte_tokens[token] = len(part_slots)
                part_slots[len(part_slots)] = present
                part.replace_header("Content-Transfer-Encoding", token)
        data = message.as_bytes(linesep=linesep)
        # The generator has chosen the boundaries: none occurs in the text around them.
        boundaries = tuple(part.get_boundary() for part in message.walk() if part.is_multipart())

        wanted = {}
        for name, token in tokens.items():
            wanted[f"{name}: {token}{linesep}".encode()] = ("header", name)
        for token, index in cte_tokens.items():
            wanted[token.encode()] = ("cte", index)
        for slot in self.slots:
            wanted[slot.encode(self.encoding)] = ("slot", slot)
        head_end = data.index((linesep * 2).encode())
        for marker, (kind, name) in wanted.items():
            found = data.count(marker)
            if kind == "header" and (found != 1 or data.index(marker) > head_end):
                return None
            if kind == "cte" and found != 1:
                return None
            if kind == "slot" and found != self._expected(name):
                return None  # a slot was encoded (quoted-printable, base64) or repeated
        pattern = re.compile(b"|".join(re.escape(marker) for marker in wanted))
        segments, start = [], 0
        for match in pattern.finditer(data):
            segments.append(data[start : match.start()])
            segments.append(wanted[match.group()])
            start = match.end()
        segments.append(data[start:])
        fold = email_policy.compat32.clone(linesep=linesep).fold_binary
        return [s for s in segments if s != b""], part_slots, boundaries, fold

    def _expected(self, slot: str) -> int:
        texts = [self.prototype.body] + [
            content
            for content, mimetype in self.prototype.alternatives
            if isinstance(content, str) and mimetype.startswith("text/")
        ]
        return sum(text.count(slot) for text in texts)


class SharedSerialisedEmail(EmailMultiAlternatives):
    """An email whose MIME bytes come from a SharedSerialisation when they can.

    Build it as any EmailMultiAlternatives, with this recipient's own body and
    alternatives, plus the shared serialisation and this recipient's slot values: its
    subject, bodies and attachments must be the prototype's with these values (what
    the locmem backend and the fallback see); changing them afterwards would not
    reach the shared bytes.
    """

    def __init__(self, *args, shared: SharedSerialisation, values: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.shared, self.values = shared, values

    def message(self):
        if len(self.to) != 1 or self.cc or self.bcc or not self.shared.accepts(self.values):
            return super().message()
        headers = {
            "To": self.to[0],
            "Date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            "Message-ID": make_msgid(domain=DNS_NAME),
            **{name: self.extra_headers[name] for name in self.shared.headers[len(PER_MESSAGE) :]},
        }
        return SerialisedMessage(self, headers)


class SerialisedMessage:
    """What SharedSerialisedEmail.message() returns: as_bytes() is the fast path.

    Anything else the backends may ask of a message (the console backend asks for its
    charset) comes from Django's own message object, with the same Date and Message-ID.
    """

    def __init__(self, email: SharedSerialisedEmail, headers: dict[str, str]):
        self.email, self.headers = email, headers
        self._full = None

    def as_bytes(self, unixfrom=False, linesep="\n"):
        if not unixfrom:
            data = self.email.shared.render(linesep, self.headers, self.email.values)
            if data is not None:
                return data
        return self.full().as_bytes(unixfrom=unixfrom, linesep=linesep)

    def full(self):
        if self._full is None:
            self._full = EmailMultiAlternatives.message(self.email)
            self._full.replace_header("Date", self.headers["Date"])
            self._full.replace_header("Message-ID", self.headers["Message-ID"])
        return self._full

    def __getattr__(self, name):
        return getattr(self.full(), name)
