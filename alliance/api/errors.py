"""The API's errors as problem details (RFC 9457), in the reader's language: a bad
parameter (400, with each field's messages), no or a bad token (401), over the rate
limit (429), and what ninja or Django raise for the rest (404 and other HTTP errors).
"""

import math

from django import forms
from django.core import validators
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
        sent = request.GET.get(name)  # ninja's errors leave out pydantic's "input"
        errors.setdefault(name, []).append(_field_message(error, sent))
    return problem(
        400, _("A parameter has a value the API does not take."), request=request, errors=errors
    )


def _field_message(error: dict, value: str | None) -> str:
    """One of pydantic's errors (a dict of ValidationError.errors) about the query
    parameter sent as `value` (None: not sent), as the message Django's forms give for
    the same fault, translated by Django's own catalogues; pydantic's English message
    for the faults forms do not have."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind in ("literal_error", "enum"):
        return forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": value}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return str(forms.IntegerField.default_error_messages["invalid"])
    if kind == "missing":
        return str(forms.Field.default_error_messages["required"])
    if kind == "string_too_long" and "max_length" in context:
        shown = len(value) if isinstance(value, str) else 0
        limits = {"limit_value": context["max_length"], "show_value": shown}
        return validators.MaxLengthValidator.message % limits
    if kind == "less_than_equal" and "le" in context:
        return validators.MaxValueValidator.message % {"limit_value": context["le"]}
    if kind == "greater_than_equal" and "ge" in context:
        return validators.MinValueValidator.message % {"limit_value": context["ge"]}
    return str(error.get("msg", ""))


def _unauthenticated(request, exc):
    detail = str(exc) if str(exc) != "Unauthorized" else _("This needs an API token.")
    response = problem(401, detail, request=request)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _throttled(request, exc):
    response = problem(429, _("Too many requests: wait a little, then try again."), request=request)
    if exc.wait is not None:  # ninja sets it too, for its throttles but not for auth's
        response["Retry-After"] = str(math.ceil(exc.wait))
    return response


def _http_error(request, exc):
    return problem(exc.status_code, request=request)


def _not_found(request, exc):
    return problem(404, request=request)
