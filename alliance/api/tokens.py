"""API tokens: made, used and revoked (the one write path for each).

A token is `gsca_` and 43 random URL-safe characters (256 bits from `secrets`); only
its SHA-256 is stored, so looking one up is one indexed equality and a copy of the
database holds no usable token. Tokens are read-only: the API has no write route.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.api.models import ApiToken
from cities.models import CityOfficial

PREFIX = "gsca_"
SHOWN_PREFIX_LENGTH = 10  # "gsca_" and five characters: enough to tell tokens apart
MAX_LIVE_TOKENS = 20
# Recording every use would write a row per request; a minute is as precise as
# "last used" needs to be.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def digest(secret: str) -> str:
    """The SHA-256 hex digest (64 characters) that is stored for `secret`."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def may_hold_tokens(user) -> bool:
    """Partner people and city officials: those who may make API tokens (issue #18)."""
    if not user.is_authenticated:
        return False
    return hasattr(user, "partner_membership") or CityOfficial.objects.filter(user=user).exists()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token named `name` for `user`; returns (token row, secret).

    The secret is returned once and never stored. Raises PermissionDenied when `user`
    may not hold tokens or already holds MAX_LIVE_TOKENS live ones.
    """
    if not may_hold_tokens(user):
        raise PermissionDenied(_("Only partner people and city officials may make API tokens."))
    if ApiToken.objects.live().filter(user=user).count() >= MAX_LIVE_TOKENS:
        raise PermissionDenied(
            _("You already have %(n)d tokens: revoke one first.") % {"n": MAX_LIVE_TOKENS}
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip(), prefix=secret[:SHOWN_PREFIX_LENGTH], key_hash=digest(secret)
    )
    token.full_clean()
    token.save()
    return token, secret


def token_revoke(*, token: ApiToken, by) -> None:
    """Revoke `token` (its owner from their account page, or the secretariat in the
    admin); it is refused from the next request on. Revoking twice changes nothing."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )


def token_user(secret: str):
    """The active user whose live token `secret` is, or None; stamps the token's last use.

    One indexed query; the stamp is written at most once per LAST_USED_PRECISION.
    """
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.live()
        .filter(key_hash=digest(secret), user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.api_token = token
    return token.user
