"""Shortcuts in the mail path give exactly what the long way gives.

Derandomised generated input: the plain-address shortcut of the SMTP backend against
Django's sanitize_address(), and the one-line header shortcut of the shared
serialisation against the email package's folding.
"""

from email import policy

from django.core.mail.message import sanitize_address
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alliance.mail_backends import PLAIN_ADDRESS, sanitized_recipient
from alliance.shared_mail import fold_header

ATEXT = "abcXYZ019!#$%&'*+/=?^_`{|}~-"
# Mostly address-like text, with what must not pass for plain: dots in odd places,
# quotes, spaces, angle brackets, non-ASCII letters, over-long host labels.
address_parts = st.text(alphabet=ATEXT + '.@ "<>,;:()[]\\éü京', min_size=0, max_size=12)
addresses = st.one_of(
    st.builds(
        lambda local, host, labels: f"{local}@{'.'.join([host, *labels])}",
        st.text(alphabet=ATEXT + ".", min_size=1, max_size=20),
        st.text(alphabet="abc-019", min_size=1, max_size=70),
        st.lists(st.text(alphabet="abcü-019.", min_size=0, max_size=8), max_size=3),
    ),
    st.builds(lambda *parts: "".join(parts), address_parts, st.just("@"), address_parts),
)


def outcome(function, address):
    try:
        return function(address, "utf-8")
    except Exception as exc:  # garbage in: the same error as Django's, or the test fails
        return type(exc)


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(addresses)
@example("a@" + "b" * 63 + ".org")
@example("a@" + "b" * 64 + ".org")  # too long a label for IDNA: Django's error
@example("a@example." + "c" * 64)
def test_a_recipient_address_goes_out_as_djangos_backend_writes_it(address):
    assert outcome(sanitized_recipient, address) == outcome(sanitize_address, address)


def test_plain_addresses_take_the_shortcut():
    for address in ["official1@bench.example.org", "Ana.O'Brien+x@mail-1.example.co"]:
        assert PLAIN_ADDRESS.fullmatch(address)
    for address in ["ana@münchen.example", '"a b"@example.org', "a..b@example.org", "a@b."]:
        assert not PLAIN_ADDRESS.fullmatch(address)


VISIBLE = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
header_values = st.one_of(
    st.text(alphabet=st.sampled_from(list('aZ09<>@.,;:=?-_ \t"()') + ["é", "\x7f"]), max_size=90),
    # Words and single spaces around the 78-character line limit.
    st.lists(st.text(alphabet=VISIBLE, min_size=1, max_size=24), min_size=1, max_size=8).map(
        " ".join
    ),
)


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.sampled_from(["To", "Date", "Message-ID", "X-Alliance-Reminder-Id"]), header_values)
@example("To", "x" * 74)  # a line of 78 characters
@example("To", "x" * 75)
@example("To", "x" * 30 + " " + "y" * 44)
def test_a_header_line_is_what_the_email_package_folds(name, value):
    for linesep in ("\r\n", "\n"):
        fold = policy.compat32.clone(linesep=linesep).fold_binary
        assert fold_header(fold, name, value, linesep) == fold(name, value)
