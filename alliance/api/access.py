"""Who is asking (a token or nobody) and how often they may ask.

The API does not read the session: a browser signed in to the portal is an anonymous
client here, so an answer depends on the Authorization header alone (and the
language), never on a cookie another site could make a browser send.
"""

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, Throttled
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from alliance.api.tokens import token_user
from alliance.cache import read_and_count


class BadToken(AuthenticationError):
    def __init__(self):
        super().__init__(401, _("The API token is not valid: it is unknown or was revoked."))


class Token(HttpBearer):
    """`Authorization: Bearer <token>`: the token's owner, or 401 for a bad token.

    With `required=False` a request without the header is anonymous (public fields).
    """

    def __init__(self, required: bool = True):
        super().__init__()
        self.required = required

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None if self.required else AnonymousUser()
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            refused(request)
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token):
        user = token_user(token)
        if user is None:
            refused(request)
        return user


def refused(request):
    """Raises BadToken (a 401), or Throttled (a 429 with Retry-After) once the client's
    address is past its anonymous limit (API_RATE_ANONYMOUS): a refused token counts
    as an anonymous request, so guessing tokens is limited as anonymous reading is."""
    key, limit, window, left = AddressThrottle().window(client_address(request))
    _value, used = read_and_count(None, key, window + 1)
    if used > limit:
        raise Throttled(wait=max(left, 1))
    raise BadToken


def client_address(request) -> str:
    """The client's address, as the portal's other rate limits read it (allauth's
    adapter: DJANGO_TRUSTED_PROXY_COUNT proxies' X-Forwarded-For, else REMOTE_ADDR)."""
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request)


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/m" -> (120, 60): requests per window of seconds (s, m, h or d)."""
    number, _slash, period = rate.partition("/")
    return int(number), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


class WindowThrottle(BaseThrottle):
    """At most N requests per fixed window, counted in the cache (like the portal's
    other rate limits): one round trip per request (alliance.cache.read_and_count).
    `wait()` is the time left in the window, sent as Retry-After with the 429.

    A revalidation (alliance.api.revalidate) counts itself in the same round trip as
    its read of the data version and leaves its count on the request
    (`request.api_rate_count`), so it is counted once and costs one round trip in all.

    Without the cache (Redis down, alliance/cache.py) nothing is counted and nothing is
    refused, as for the sign-in limits.
    """

    scope = ""
    setting = ""

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def window(self, ident: str) -> tuple[str, int, int, float]:
        """(counter key, limit, window in seconds, seconds left in it) for `ident` now."""
        limit, window = parse_rate(getattr(settings, self.setting))
        now = time.time()
        start = int(now // window * window)
        return f"api-rate:{self.scope}:{ident}:{start}", limit, window, start + window - now

    def allow_request(self, request) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        key, limit, window, self.retry_after = self.window(ident)
        counted = getattr(request, "api_rate_count", None)
        if counted is not None and counted[0] == key:
            return counted[1] <= limit
        _value, used = read_and_count(None, key, window + 1)
        return used <= limit

    def wait(self) -> float:
        return max(self.retry_after, 1)


class AddressThrottle(WindowThrottle):
    """Anonymous requests, per client address: API_RATE_ANONYMOUS."""

    scope = "address"
    setting = "API_RATE_ANONYMOUS"

    def ident(self, request):
        if getattr(request.auth, "is_authenticated", False):
            return None
        return client_address(request)


class TokenThrottle(WindowThrottle):
    """Requests with a token, per token: API_RATE_TOKEN."""

    scope = "token"
    setting = "API_RATE_TOKEN"

    def ident(self, request):
        token = getattr(request.auth, "api_token", None)
        return None if token is None else str(token.pk)
