"""Errors under /api/ as problem details (RFC 9457, application/problem+json).

Two places make them: the API's own exception handlers (`install`), for what its
operations raise, and `ProblemDetailsMiddleware`, for everything else that answers an
/api/ URL with an error: no such URL (404), a method the route does not take (405), a
query string the portal refuses before any view (400), and any exception (500). So no
client of the API ever gets an HTML error page.
"""

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("django.request")

CONTENT_TYPE = "application/problem+json"
PREFIX = "/api/"

# Titles: the status's meaning in the client's language (RFC 9457 §3.1.4 allows it).
TITLES = {
    400: _("Bad request"),
    401: _("Authentication required"),
    403: _("Forbidden"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    413: _("Request too large"),
    429: _("Too many requests"),
    500: _("Internal server error"),
    503: _("Service unavailable"),
}
# Headers of the original answer that still say something true about the problem.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Content-Language")


def problem(status: int, detail: str = "", *, request=None, **extra) -> JsonResponse:
    """A problem-details response: {"type", "title", "status", "detail"?, "instance"?, ...extra}.

    `type` is "about:blank": the status code says what kind of problem it is.
    """
    language = translation.get_language_from_request(request) if request else None
    with translation.override(language or translation.get_language()):
        title = str(TITLES.get(status, _("Error")))
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = str(detail)
    if request is not None:
        body["instance"] = request.path
    body.update(extra)
    response = JsonResponse(body, status=status, content_type=CONTENT_TYPE)
    # The title is in the visitor's language (Accept-Language, the language cookie or a
    # saved preference), and a token may change the answer.
    patch_vary_headers(response, ("Accept-Language", "Cookie", "Authorization"))
    return response


def is_api(request) -> bool:
    return request.path.startswith(PREFIX)


class ProblemDetailsMiddleware:
    """Turns any error answer or uncaught exception under /api/ into problem details,
    and answers the API in the client's language.

    Placed near the top of MIDDLEWARE, so it also sees what the middleware below it
    refuses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(CONTENT_TYPE):
            return response
        detail = getattr(response, "problem_detail", "")
        replaced = problem(response.status_code, detail, request=request)
        for header in KEPT_HEADERS:
            if header in response:
                if header == "Vary":
                    patch_vary_headers(replaced, [v.strip() for v in response[header].split(",")])
                else:
                    replaced[header] = response[header]
        return replaced

    def process_view(self, request, view, args, kwargs):
        """The API's labels and titles follow Accept-Language (or the language cookie).

        Django's LocaleMiddleware reads English for every URL without a language prefix
        (the site's pages redirect to /es/… instead); the API has no prefixed URLs.
        """
        if request.resolver_match.namespace == "api":
            translation.activate(translation.get_language_from_request(request))
        return None

    def process_exception(self, request, exception):
        if not is_api(request):
            return None
        if isinstance(exception, Http404 | PermissionDenied | BadRequest | SuspiciousOperation):
            return None  # Django answers 4xx; __call__ turns that into problem details
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"request": request},
        )
        return problem(500, request=request)
