"""Rate limits of the anonymous forms: per address, per account, per email given.

allauth's limiter (settings.ACCOUNT_RATE_LIMITS) answers 429 with the site's page. A
rate "per user" cannot apply to an anonymous visitor, so each form has two actions:
`<action>` (per IP address and per email typed) and `<action>_account` (per account,
for those signed in).
"""

from allauth.core.ratelimit import consume_or_429
from django.http import HttpResponseBadRequest


def limit_sender(request, action: str):
    """The 429 response when this address or account sent `action` too often, else None."""
    limited = consume_or_429(request, action=action)
    if limited is None and request.user.is_authenticated:
        limited = consume_or_429(request, action=f"{action}_account", user=request.user)
    return limited


def limit_email(request, action: str, email: str):
    """The 429 response when `email` (a validated address) was given too often, else None."""
    return consume_or_429(request, action=f"{action}_email", key=email.strip().lower())


def screen(request, form, action: str, *, email_field: str, refusal: str):
    """The response refusing a public form's POST before anything is stored, else None.

    In this order: 400 with `refusal` (a translated sentence) when the honeypot field
    was filled (form.is_bot); 429 past the per-address or per-account limit of `action`;
    then, only for a valid form, 429 past the limit on the address typed in
    `email_field`. None means: go on, `form` is bound and is_valid() may be False (the
    caller answers 400 with the field errors).
    """
    if form.is_bot:
        return HttpResponseBadRequest(refusal)
    limited = limit_sender(request, action)
    if limited is None and form.is_valid():
        limited = limit_email(request, action, form.cleaned_data[email_field])
    return limited
