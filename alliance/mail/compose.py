"""The one way an email is written: render its templates, build Django's message.

Every email of the portal (account emails, application decisions, meeting changes,
reminders, invitations) is rendered by `render()` in its recipient's language and time
zone, and becomes an EmailMultiAlternatives through `message()`; alliance.mail.delivery
sends it. Templates live in templates/emails/<name>-subject.txt, <name>-body.txt and
<name>-body.html (the HTML one extends emails/base.html).
"""

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.signals import setting_changed
from django.db.models import Model
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alliance.mail.mime import PortalEmail

# RFC 5322 allows longer subjects, but the outbox stores at most this much.
SUBJECT_MAX = 300


@dataclasses.dataclass(frozen=True)
class Rendered:
    """One email's words: a one-line `subject`, a plain `text` body, an `html` body
    ("" when there is none)."""

    subject: str
    text: str
    html: str


def template_names(template: str) -> tuple[str, str, str]:
    """The portal's three templates (subject, text, HTML) for the email named `template`."""
    return (
        f"emails/{template}-subject.txt",
        f"emails/{template}-body.txt",
        f"emails/{template}-body.html",
    )


def render(
    template: str,
    context: dict,
    *,
    language: str | None = None,
    time_zone: str | None = None,
    names: tuple[str, str, str] | None = None,
) -> Rendered:
    """Render the email named `template` for one recipient.

    `language`: a code of settings.LANGUAGES (default LANGUAGE_CODE); `time_zone`: an
    IANA name, the current zone while rendering (default TIME_ZONE; templates that
    name a zone with {% timezone %} keep theirs). `names`: other template names
    (subject, text, HTML) than template_names(template), e.g. allauth's; a missing
    HTML template then means a text-only email. `site_url` is in every context.
    Raises TemplateDoesNotExist for a missing subject or text template.
    """
    subject_name, text_name, html_name = names or template_names(template)
    context = {"site_url": settings.SITE_URL, **context}
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(time_zone or settings.TIME_ZONE),
    ):
        subject = render_to_string(subject_name, context)
        text = render_to_string(text_name, context)
        try:
            html = render_to_string(html_name, context)
        except TemplateDoesNotExist:
            if names is None:
                raise
            html = ""
    return Rendered(subject=one_line(subject), text=text, html=html)


def one_line(subject: str) -> str:
    """A subject is one line (newlines there would be a header injection), cut at
    SUBJECT_MAX characters."""
    return " ".join(str(subject).split())[:SUBJECT_MAX]


# A meeting's file as calendar clients import it from an email (RFC 6047 names METHOD;
# PUBLISH: a copy of the event to keep, not an invitation expecting a reply).
CALENDAR_NAME = "meeting.ics"
CALENDAR_TYPE = "text/calendar; method=PUBLISH"


class Renderings:
    """Renderings kept by key, so that recipients who read the same words share one.

    A meeting's change or reminder reads the same for everyone with the same language
    and time zone: `get(key, template, context, language=…, time_zone=…)` renders the
    first time a key is asked for and returns the same Rendered afterwards. The key
    must hold everything the rendering depends on besides the template's name.
    `kept`: a ProcessRenderings that get() also consults, so that the batches a worker
    sends one after another share their renderings too (the key must then name the
    versions of what it renders, see fingerprint()).
    """

    def __init__(self, kept: "ProcessRenderings | None" = None):
        self._kept: dict[Hashable, object] = {}
        self._process = kept

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: Hashable, template: str, context: dict, **options) -> Rendered:
        """`options`: render()'s keyword arguments."""

        def make():
            return render(template, context, **options)

        return self.kept((template, key), make)

    def kept(self, key: Hashable, make: Callable[[], object]):
        """What `make()` returns for `key`: made once here and, with `kept`, once per
        process (e.g. a meeting's .ics; the key must then name its versions)."""
        if self._process is None:
            return self.once(key, make)
        return self.once(key, lambda: self._process.get(key, make))

    def once(self, key: Hashable, make: Callable[[], object]):
        """What `make()` returns, called the first time `key` is asked for (e.g. an
        attachment that the same recipients share)."""
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]


class ProcessRenderings:
    """Renderings a process keeps between batches: at most `size`, the least recently
    used dropped first; safe to share between a worker's threads.

    Rendering a reminder's three templates takes a few milliseconds, in each of a
    batch's languages and zones: about a tenth of a worker's time per message with
    batches of 50 (bench/reminders.py, issue #16). A key is rendered by one thread at
    a time: the others asking for it meanwhile wait for that rendering rather than
    make their own (a burst starts every thread of a worker on the same meeting at
    once, and eight renderings of one key under one GIL take eight times as long).
    Emptied when a setting changes (tests), since SITE_URL and the like are read while
    rendering but are in no key.
    """

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._making: dict[Hashable, Future] = {}
        self._lock = threading.Lock()
        setting_changed.connect(self._forget, weak=False)

    def get(self, key: Hashable, make: Callable[[], object]):
        """The value kept under `key`, else `make()`'s, kept. Raises what `make()`
        raises; a thread that waited for a failed make() calls its own."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            making = self._making.get(key)
            if making is None:
                making = self._making[key] = Future()
                mine = True
            else:
                mine = False
        if not mine:
            try:
                return making.result()
            except Exception:
                return make()
        try:
            value = make()  # outside the lock: other keys are rendered meanwhile
        except BaseException as exc:
            making.set_exception(exc)
            raise
        else:
            making.set_result(value)
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._making.pop(key, None)

    def _forget(self, **kwargs) -> None:
        with self._lock:
            self._items.clear()


def fingerprint(*instances: Model) -> str:
    """A digest of the stored values of every concrete field of `instances` (model
    instances): it changes whenever one of them is saved with another value, so a key
    that holds it never names a rendering of an older version."""
    values = [
        (instance._meta.label, [(f.attname, f.value_from_object(instance)) for f in fields])
        for instance in instances
        for fields in [instance._meta.concrete_fields]
    ]
    return hashlib.sha256(repr(values).encode()).hexdigest()


def message(
    *,
    to: str,
    rendered: Rendered,
    headers: dict[str, str] | None = None,
    attachments: Iterable[tuple[str, str, str]] = (),
) -> EmailMultiAlternatives:
    """The email Django sends: from DEFAULT_FROM_EMAIL, Reply-To the secretariat (a
    PortalEmail, an EmailMultiAlternatives that is cheaper to write out).

    `to`: one address; `attachments`: (file name, content, MIME type) triples, e.g. a
    meeting's .ics. The delivery loop adds the header that names its ledger row.
    """
    email = PortalEmail(
        subject=rendered.subject,
        body=rendered.text,
        to=[to],
        reply_to=[settings.SECRETARIAT_EMAIL],
        headers=dict(headers or {}),
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    for filename, content, mimetype in attachments:
        email.attach(filename, content, mimetype)
    return email
