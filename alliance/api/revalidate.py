"""A revalidated page of cities answered 304 before the API's machinery (issue #18).

A client that sends If-None-Match for /api/v1/cities/ (or a network's members) asks
"is my copy still current?". Deciding takes the data version, the language, the path
and the query string, nothing else: the ETag is made from exactly these
(page_etag), and only a page that was served (valid filters, an active
network) ever carried it, so a match needs no validation of the filters, no count, no
query and no pydantic parsing. The one thing kept before the answer is the anonymous
rate limit, counted in the same round trip to the cache as the version is read
(alliance.data_version.current_and_count), and the answer is given by the middleware
(EarlyRevalidationMiddleware) before sessions, the language redirect, the URL
resolver and ninja, so a 304 costs about what a bare view costs plus one cache round
trip.

With an Authorization header the request takes the full path: the token must be
checked (a revoked one is a 401, not a 304) and the token's own limit applies.
Every other anonymous request for these pages (no If-None-Match, no match, no
version yet, over the limit) goes on to the API's view with the version and the count
left on the request, so neither is read twice (a page costs one round trip fewer too)
and a request over the limit gets the usual 429 problem from the throttle.
"""

import functools
import re

from django.utils import translation
from django.utils.translation import get_language

from alliance import data_version
from alliance.api import conditional
from alliance.api.access import AddressThrottle, client_address

_THROTTLE = AddressThrottle()
REVALIDATING = ("cities", "network_members")  # the URL names (alliance/api/urls.py)


def revalidating(view):
    """`view` (a ninja path view) preceded by the early 304 for anonymous revalidations."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if _anonymous_read(request) and not _already_asked(request):
            answer = not_modified(request)
            if answer is not None:
                return answer
        return view(request, *args, **kwargs)

    return wrapper


def _already_asked(request) -> bool:
    """not_modified() has run for this request: EarlyRevalidationMiddleware asked, in
    the page's language. Its mark is the rate count it leaves for the throttle."""
    return hasattr(request, "api_rate_count")


def _anonymous_read(request) -> bool:
    return request.method in ("GET", "HEAD") and "HTTP_AUTHORIZATION" not in request.META


class EarlyRevalidationMiddleware:
    """Answers an anonymous revalidation of a page of cities (`not_modified` below)
    before the rest of the middleware and the URL resolver run, as Django's
    FetchFromCacheMiddleware answers from its cache near the top of the stack.

    Whether the client's copy is current depends on the data version, the language,
    the path and the query string only (page_etag), and the language is the one the
    API's views speak, read from the request the same way (ProblemDetailsMiddleware.
    process_view: translation.get_language_from_request), so the answer is the one the
    view would give. Sessions, CSRF, messages, the language redirect, the resolver and
    ninja had cost a 304 about 2.1 x a bare view that runs through all of them (issue
    #18, bench/api.py). Kept: the address's rate limit (counted here, in the same round
    trip as the version is read) and the Host check (request.get_host(): a Host not in
    ALLOWED_HOSTS is a 400, as CommonMiddleware makes it). The 304 carries ETag,
    Last-Modified, Cache-Control and Vary, which RFC 9110 (15.4.5) asks of it.

    Any other anonymous request for these pages (no If-None-Match, no match, no version
    yet, over the limit) goes on with the version and the count left on the request,
    so neither is read twice. Placed right below ProblemDetailsMiddleware in
    MIDDLEWARE; without it `not_modified` asks itself, from the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (_anonymous_read(request) and _revalidating_path(request.path_info)):
            return self.get_response(request)
        key, limit, window, _left = _THROTTLE.window(client_address(request))
        counted = data_version.send_current_and_count(key, window + 1)
        request.api_early_count = (key, limit, counted)
        try:
            if conditional.names_an_etag(request):
                request.get_host()  # DisallowedHost (a 400) before anything is answered
                language = translation.get_language_from_request(request)
                answer = not_modified(request, language=language)
                if answer is not None:
                    return answer
            return self.get_response(request)
        finally:
            counted.close()


def _revalidating_path(path: str) -> bool:
    """Whether `path` is a page of cities (REVALIDATING), decided before Django resolves
    the URL: by a pattern rather than a second resolve(), which cost more than the
    rest of this middleware (tests/api/test_revalidate.py checks they agree)."""
    return _PAGES_OF_CITIES.match(path) is not None


# /api/v1/ (alliance/urls.py) + ninja's "cities/" and "networks/{slug}/members/".
_PAGES_OF_CITIES = re.compile(r"/api/v1/(?:cities|networks/[^/]+/members)/\Z")


def not_modified(request, language: str | None = None):
    """The 304 for an anonymous revalidation whose ETag is current and within the
    address's limit, else None. Every anonymous request reads the version and counts
    itself here, in one round trip (sent by EarlyRevalidationMiddleware, or now), and
    leaves both on the request (`api_data_version`, `api_rate_count`) for the view and
    the throttle, so a page costs one round trip fewer too. `language`: the page's
    (default: the active one)."""
    early = getattr(request, "api_early_count", None)
    if early is not None:
        key, limit, counted = early
        version, used = counted.result()
    else:
        key, limit, window, _left = _THROTTLE.window(client_address(request))
        version, used = data_version.current_and_count(key, window + 1)
    request.api_rate_count = (key, used)
    if version is None or used > limit:
        return None
    request.api_data_version = version
    if not conditional.names_an_etag(request):
        return None
    return conditional.not_modified(
        request,
        etag=page_etag(request, version, language or get_language()),
        last_modified=conditional.version_time(version),
    )


def page_etag(request, version: int, language: str) -> str:
    """The ETag of a page of cities: its data version, language, path and query string
    (every parameter and value as sent; two spellings of one query have two ETags,
    which costs a client at most one full answer)."""
    query = sorted((name, values) for name, values in request.GET.lists())
    return conditional.version_etag(version, language, request.path, query)
