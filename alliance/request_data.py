"""Request data that reaches a query without a form is checked here first.

A form field refuses a NUL character with a field error (Django's CharField does), but
a value read straight from the request — a slug in ?city=, a cursor, the admin's
filters and search, an autocomplete term, a cookie — went to the database as it came,
and PostgreSQL refuses NUL in text ("cannot contain NUL characters": a 500), as both
databases refuse a lone surrogate (which JSON can carry) and SQLite an integer beyond
64 bits. One rule for all of them, `storable()`, used in two places:

- `RequestDataMiddleware` answers 400 to a query string that breaks the rule, unless
  the view binds its query string to a form (`@query_checked_by_form`), which then
  gives field errors; cookies that break it are dropped, so a bad session or
  language cookie is a visitor without one rather than a page that never loads. In
  the admin, whose query strings are all ids, filters and search, a whole number
  beyond 64 bits is refused too.
- `param()` reads one value (GET or POST) where a view looks a row up without a
  form, raising `BadParameter` (a 400 with its message) when it breaks the rule.
"""

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# NUL (PostgreSQL text cannot hold it) and UTF-16 surrogates (not encodable as UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
# A 64-bit signed integer, the widest integer column of both databases.
INTEGER_RANGE = (-(2**63), 2**63 - 1)
# Query parameters of the admin that are not ids: its search box and its page number
# (which Django already reads leniently).
ADMIN_FREE_TEXT = frozenset({"q", "p", "term", "page"})


class BadParameter(BadRequest):
    """A request value that cannot be used; `str()` is a message for the visitor."""


def storable(value: str) -> bool:
    """Whether both databases can compare and store `value` as text."""
    return _UNSTORABLE.search(value) is None


def storable_text(value: str) -> str:
    """`value` with what no database stores replaced by U+FFFD, for text that is only
    logged (a User-Agent header), where refusing the request would lose the log."""
    return _UNSTORABLE.sub("\ufffd", value)


def in_integer_range(value: str) -> bool:
    """False for a whole number no integer column can hold (e.g. 2**70); True otherwise."""
    value = value.strip()
    if not _WHOLE_NUMBER.fullmatch(value):
        return True
    # Python refuses to convert more than 4,300 digits; 20 already exceed 64 bits.
    if len(value.lstrip("+-").lstrip("0")) > 19:
        return False
    low, high = INTEGER_RANGE
    return low <= int(value) <= high


def param(request, name: str, *, source: str = "GET POST") -> str | None:
    """The value of `name` in the request (POST first when both are searched), or None.

    `source`: "GET", "POST" or both. Raises BadParameter when the value cannot reach the
    database (a NUL character, a lone surrogate).
    """
    for where in reversed(source.split()):
        value = getattr(request, where).get(name)
        if value:
            if not storable(value):
                raise BadParameter(
                    _("The address or form contains characters that cannot be used.")
                )
            return value
    return None


def query_checked_by_form(view):
    """Mark a view that validates its whole query string with a form (field errors)."""
    view.query_checked_by_form = True
    return view


class RequestDataMiddleware:
    """The query string and cookies of every request, checked before any view reads them.

    Goes before SessionMiddleware, which looks the session cookie up in the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, value in list(request.COOKIES.items()):
            if not (storable(name) and storable(value)):
                del request.COOKIES[name]
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "query_checked_by_form", False):
            return None
        in_admin = request.resolver_match is not None and request.resolver_match.app_name == (
            "admin"
        )
        for name, values in request.GET.lists():
            for value in (name, *values):
                if not storable(value):
                    raise BadParameter(_("The address contains characters that cannot be used."))
                if in_admin and name not in ADMIN_FREE_TEXT and not in_integer_range(value):
                    raise BadParameter(_("A number in the address is out of range."))
        return None


def bad_request(request, exception):
    """The 400 page (handler400), with the reason when it is one written for people."""
    from django.shortcuts import render

    reason = str(exception) if isinstance(exception, BadParameter) else ""
    response = render(request, "400.html", {"reason": reason}, status=400)
    # Under /api/ the page becomes problem details (alliance.api.problems), whose
    # "detail" is this reason.
    response.problem_detail = reason
    return response
