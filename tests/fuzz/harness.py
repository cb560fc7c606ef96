"""The fuzzing harness the modules of tests/fuzz share: the values, the strategies and the checks.

`send` makes a request and checks what it did: no 500, nothing stored when it answered
with an error, no line break in an email header, stored markup escaped in emails.
SENT, STATUSES and FAILURES count over the whole run; tests/fuzz/test_summary.py reads
them last. What the fuzzing is for: the package's docstring.
"""

import os
import urllib.parse
from collections import Counter

from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from alliance.models import OutboundEmail, User
from cities.models import City, CityOfficial, Principle
from networks.models import Application, DirectoryExport, Nomination, PartnerEnquiry, Pledge, Rsvp
from networks.policies.models import Policy, RoadmapEntry

REPORT = os.environ.get("FUZZ_REPORT") == "1"
SENT: Counter = Counter()
STATUSES: Counter = Counter()
FAILURES: list = []

FRAGMENTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<b>bold</b>",
    "' OR '1'='1",
    "1; DROP TABLE cities_city; --",
    "x\r\nBcc: victim@example.org",
    "ana@pasto.gov.co\r\nBcc: victim@example.org",
    "line\nbreak",
    "\x00",
    "nul\x00byte",
    "\u202eevil",
    "%00",
    "../../etc/passwd",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "-1",
    "0",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "2026-02-30",
    "🏙️ ciudad",
    "Ñandú São Paulo 東京",
    " ",
    "",
    "[]",
    "{}",
    "x" * 5000,
    # Lone surrogates, numbers no integer column holds, ids that are not numbers.
    "\ud800",
    "a\udfffb",
    str(2**70),
    str(-(2**70)),
    "9" * 5000,
    "abc",
    "1.5",
    "0x10",
]

nasty = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(FRAGMENTS), st.text(max_size=10)),
    st.integers().map(str),
    st.just("y" * 100_000),
)


def field(valid):
    """A good value, a bad one, or the key repeated with a mix of both."""
    good = valid if isinstance(valid, st.SearchStrategy) else st.just(valid)
    one = st.one_of(good, nasty)
    return st.one_of(good, nasty, st.lists(one, min_size=2, max_size=3))


def form(valid: dict, always=None):
    """Mostly a valid submission with a few fields spoiled, dropped or repeated, so the
    success paths see bad data too; sometimes anything at all."""
    names = [*valid, "extra\r\nname", "<b>"]
    strategies = {
        k: v if isinstance(v, st.SearchStrategy) else st.just(v) for k, v in valid.items()
    }
    always = list(valid) if always is None else always
    good = st.fixed_dictionaries(
        {k: v for k, v in strategies.items() if k in always},
        optional={k: v for k, v in strategies.items() if k not in always},
    )
    spoiled = st.dictionaries(
        st.sampled_from(names), field(nasty) | st.just(None), min_size=1, max_size=3
    )

    def apply(base, changes):
        merged = {**base, **changes}
        return {k: v for k, v in merged.items() if v is not None}

    anything = st.fixed_dictionaries(
        {}, optional={name: field(value) for name, value in valid.items()}
    )
    return st.one_of(st.builds(apply, good, spoiled), anything, good)


FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

STORED = [
    Application,
    City,
    CityOfficial,
    DirectoryExport,
    OutboundEmail,
    Rsvp,
    User,
    Pledge,
    PartnerEnquiry,
    Nomination,
    Policy,
    RoadmapEntry,
]


def snapshot():
    return {model.__name__: model.objects.count() for model in STORED}


def problem(message):
    if REPORT:
        FAILURES.append(message)
    else:
        raise AssertionError(message)


def send(client, method, url, data, name, success=None):
    """`success`: the statuses after which a stored row is expected (default: a GET's
    200 or 302, a POST's 302)."""
    from django.core.cache import cache

    cache.clear()  # rate limits would otherwise turn most cases into 429s
    before = snapshot()
    emails_before = set(OutboundEmail.objects.values_list("pk", flat=True))
    response = request(client, method, url, data)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    SENT[name] += 1
    STATUSES[(name, response.status_code, bool(stored_values(data)))] += 1
    if response.status_code >= 500:
        problem(f"{name}: {response.status_code} for {data!r}"[:500])
    if success is None:
        success = (200, 302) if method == "get" else (302,)
    success = response.status_code in success
    if not success and snapshot() != before:
        problem(f"{name}: {response.status_code} but stored {snapshot()} (was {before})")
    for email in OutboundEmail.objects.exclude(pk__in=emails_before):
        if any(c in email.subject + email.to for c in "\r\n"):
            problem(f"{name}: a line break in an email header: {email.subject!r} {email.to!r}")
        check_escaped(email.body_html, stored_values(data), f"{name} email")
    return response


def has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def request(client, method, url, data):
    """Django's test client cannot encode a lone surrogate; a client that is not a
    browser sends its (invalid) UTF-8 bytes, which is what this does."""
    pairs = [
        (key, value)
        for key, values in data.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    if not any(has_surrogate(k) or has_surrogate(v) for k, v in pairs):
        return getattr(client, method)(url, data)
    body = urllib.parse.urlencode(
        [(k.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass")) for k, v in pairs]
    )
    if method == "get":
        return client.get(url + ("&" if "?" in url else "?") + body)
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def path_part(value: str) -> str:
    """`value` as one segment of a URL path, percent-encoded as a client would."""
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


def stored_values(data) -> list[str]:
    values = []
    for value in data.values():
        values.extend(value if isinstance(value, list) else [value])
    return [v for v in values if "<" in v]


def check_escaped(html: str, values, where: str):
    for value in values:
        if value in html:
            problem(f"{where}: {value[:80]!r} rendered unescaped")


def client_for(user=None) -> Client:
    client = Client(raise_request_exception=not REPORT)
    if user is not None:
        client.force_login(user)
    return client


def principle_ids():
    return st.lists(
        st.sampled_from([str(pk) for pk in Principle.objects.values_list("pk", flat=True)]),
        min_size=1,
        max_size=3,
    )


def application_fields(network_pk):
    return {
        "network": str(network_pk),
        "applicant_name": "Ana Gómez",
        "applicant_position": "Secretaria TIC",
        "applicant_email": "ana@pasto.gov.co",
        "applicant_phone": "+57 2 733 3300",
        "motivation": "Open data.",
        "consent": "on",
    }


def ids(*valid):
    """A real id or anything else, as one segment of a URL path."""
    return st.one_of(st.sampled_from([str(v) for v in valid]), nasty).map(path_part)


def flat(data):
    return [
        (key, value)
        for key, values in data.items()
        for value in (values if isinstance(values, list) else [values])
    ]
