"""Rate limits of the anonymous forms: per address, per account, per email given.

allauth's limiter (settings.ACCOUNT_RATE_LIMITS) answers 429 with the site's page. A
rate "per user" cannot apply to an anonymous visitor, so each form has two actions:
`<action>` (per IP address and per email typed) and `<action>_account` (per account,
for those signed in).
"""

from allauth.core.ratelimit import consume_or_429


def limit_sender(request, action: str):
    """The 429 response when this address or account sent `action` too often, else None."""
    limited = consume_or_429(request, action=action)
    if limited is None and request.user.is_authenticated:
        limited = consume_or_429(request, action=f"{action}_account", user=request.user)
    return limited


def limit_email(request, action: str, email: str):
    """The 429 response when `email` (a validated address) was given too often, else None."""
    return consume_or_429(request, action=f"{action}_email", key=email.strip().lower())
