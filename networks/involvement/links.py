"""Signed, expiring links in emails: they stand for an account nobody needs to create.

django.core.signing's TimestampSigner signs a row's id with a salt per purpose, so a
link made for one purpose (confirm a pledge) never works for another (decline a
nomination), and `max_age` makes it expire.
"""

from django.core import signing

# Seconds a link stays valid, per purpose.
PLEDGE_CONFIRM = ("pledge-confirm", 7 * 24 * 3600)
NOMINATION_DECLINE = ("nomination-decline", 90 * 24 * 3600)
INVITATION_CALENDAR = ("invitation-calendar", 365 * 24 * 3600)


def make_token(purpose: tuple[str, int], pk: int) -> str:
    """A URL-safe token standing for row `pk`, for `purpose` (one of the constants)."""
    return signing.TimestampSigner(salt=purpose[0]).sign(str(pk))


def read_token(purpose: tuple[str, int], token: str) -> int | None:
    """The row id `token` stands for, or None when it is forged, garbled or expired."""
    try:
        value = signing.TimestampSigner(salt=purpose[0]).unsign(token, max_age=purpose[1])
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return int(value) if value.isdigit() and len(value) < 19 else None
