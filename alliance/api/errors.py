"""The API's errors as problem details (RFC 9457), in the reader's language: a bad
parameter (400, with each field's messages), no or a bad token (401), over the rate
limit (429), and what ninja or Django raise for the rest (404 and other HTTP errors).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from alliance.api.problems import problem


def answer_with_problems(api: NinjaAPI) -> None:
    """Register this module's handlers on `api` (ninja's add_exception_handler)."""
    for error, handler in (
        (ValidationError, _invalid),
        (AuthenticationError, _unauthenticated),
        (Throttled, _throttled),
        (HttpError, _http_error),
        (Http404, _not_found),
    ):
        api.add_exception_handler(error, handler)


def _invalid(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        name = str(error.get("loc", ["?"])[-1])
        errors.setdefault(name, []).append(str(error.get("msg", "")))
    return problem(
        400, _("A parameter has a value the API does not take."), request=request, errors=errors
    )


def _unauthenticated(request, exc):
    detail = str(exc) if str(exc) != "Unauthorized" else _("This needs an API token.")
    response = problem(401, detail, request=request)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _throttled(request, exc):
    return problem(429, _("Too many requests: wait a little, then try again."), request=request)


def _http_error(request, exc):
    return problem(exc.status_code, request=request)


def _not_found(request, exc):
    return problem(404, request=request)
