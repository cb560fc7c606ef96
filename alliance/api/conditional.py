"""Conditional requests: ETag and Last-Modified, and 304 when nothing changed.

Lists of cities take their validators from the directory's data version
(alliance.data_version.current(): a new one on every change to cities, memberships,
networks, principles or pioneer links, and at least every minute), so a client
revalidating an unchanged page gets its 304 before any query. Other answers (a city
with the contacts its reader may see, partners, meetings) are validated by a digest of
the body, since changes to contacts, partners and meetings start no new version.
"""

import datetime
import hashlib
import json

from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date

CACHE_CONTROL = "max-age=0, must-revalidate"
VARY = ("Accept-Language", "Cookie", "Authorization")


# What every operation may answer besides its own statuses, in OpenAPI 3 (the
# schema's "responses"; Problem is alliance.api.schemas.Problem).
SCHEMA_ANSWERS = {
    304: {"description": "Not Modified: the copy that If-None-Match names is current"},
    412: {
        "description": "Precondition Failed: If-Match or If-Unmodified-Since does not hold",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    },
}


def version_etag(version: int, *parts) -> str:
    """A strong ETag for the representation made from data `version` and `parts`."""
    raw = json.dumps([version, *parts], sort_keys=True, default=str).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def version_time(version: int) -> datetime.datetime:
    """When data `version` began (it is time.time_ns() of that moment)."""
    return datetime.datetime.fromtimestamp(version / 1e9, tz=datetime.UTC)


def headers(response, *, etag: str | None = None, last_modified=None, private=False):
    """Set the validators, Cache-Control and Vary on `response`; returns it."""
    if etag:
        response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = ("private, " if private else "") + CACHE_CONTROL
    patch_vary_headers(response, VARY)
    return response


def names_an_etag(request) -> bool:
    """The request's If-None-Match lists entity tags (not "*", which RFC 9110, 13.1.2,
    matches any current representation: that of a valid query only, so "*" may be
    answered only once the query is known to be good)."""
    value = request.META.get("HTTP_IF_NONE_MATCH")
    return value is not None and value.strip() != "*"


def not_modified(request, *, etag: str, last_modified, private=False):
    """A 304 when the client's If-None-Match / If-Modified-Since still hold (a 412 when
    its If-Match / If-Unmodified-Since do not), with the validators; else None.

    Django's own answer is the one sent (it was built and thrown away for a second 304,
    a cost on the path that must stay near a bare view's, and a 412 became a 304)."""
    answer = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if answer is None:
        return None
    return headers(answer, etag=etag, last_modified=last_modified, private=private)


def by_digest(request, response, *, private=False):
    """`response` with an ETag of its body, or a 304 when the client already has it."""
    set_response_etag(response)
    headers(response, private=private)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def same_for_everyone(response):
    """Mark `response` (the same bytes whoever asks, e.g. a download) to be sent without
    Vary, which the session and language middleware would add; returns it. A shared
    cache (a CDN) then keeps one copy, not one per language and session cookie."""
    response.same_for_everyone = True
    return response


class SameForEveryoneMiddleware:
    """Drops Vary from responses marked by same_for_everyone(). Placed above the session
    and language middleware in MIDDLEWARE, so it sees their Vary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "same_for_everyone", False):
            del response["Vary"]
        return response
