"""Failed sign-ins, written from Django's `user_login_failed` signal (site and admin)."""

import datetime

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone

from alliance.models import LoginFailure
from alliance.request_data import storable_text


def _client_ip(request) -> str | None:
    # The same address allauth's rate limits count (honours DJANGO_TRUSTED_PROXY_COUNT).
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials`; only the name is kept.
    identifier = credentials.get("email") or credentials.get("username") or ""
    LoginFailure.objects.create(
        identifier=str(identifier)[:254],
        ip_address=_client_ip(request) if request is not None else None,
        path=request.path[:200] if request is not None else "",
        # A header no form validated; a NUL in it must not lose the log entry (or 500).
        user_agent=storable_text(request.headers.get("User-Agent", ""))[:300]
        if request is not None
        else "",
    )


def login_failures_prune(now: datetime.datetime | None = None) -> int:
    """Forget failed sign-ins older than LOGIN_FAILURE_RETENTION_DAYS; returns how many.

    They hold addresses and e-mail addresses tried: kept long enough to look into an
    attack, not for ever.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.LOGIN_FAILURE_RETENTION_DAYS)
    deleted, _ = LoginFailure.objects.filter(at__lt=cutoff).delete()
    return deleted
