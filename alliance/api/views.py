"""The API's pages for people: its documentation, the downloads and one's tokens."""

import functools

from allauth.core.ratelimit import consume_or_429
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliance.api import conditional, downloads
from alliance.api.models import ApiToken
from alliance.api.problems import problem
from alliance.api.tokens import may_hold_tokens, token_create, token_revoke


@functools.lru_cache(maxsize=1)
def _schema() -> dict:
    from alliance.api.api import api

    return api.get_openapi_schema(path_prefix="/api/v1")


LISTED_VALUES = 12  # longer lists (the countries) are told by their description


def _type(schema: dict) -> str:
    """A parameter's values as the page shows them: its choices, or its type."""
    for option in schema.get("anyOf", [schema]):
        if "$ref" in option:
            option = _schema()["components"]["schemas"][option["$ref"].split("/")[-1]]
        if "enum" in option:
            values = option["enum"]
            return " | ".join(values) if len(values) <= LISTED_VALUES else option["type"]
        if option.get("type") not in (None, "null"):
            return option.get("format", option["type"])
    return "string"


def operations() -> list[dict]:
    """The schema's operations, with their words in the current language."""
    found = []
    for route, methods in _schema()["paths"].items():
        for method, operation in methods.items():
            found.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": route,
                    "summary": _(operation.get("summary", "")),
                    "description": _(operation.get("description", "")),
                    "token": not any(option == {} for option in operation.get("security", [])),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": _type(p.get("schema", {})),
                            "description": _(
                                p.get("description") or p["schema"].get("description", "")
                            )
                            if (p.get("description") or p.get("schema", {}).get("description"))
                            else "",
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "statuses": sorted(operation.get("responses", {})),
                }
            )
    return found


@require_safe
def docs(request):
    base = f"{request.scheme}://{request.get_host()}"
    return render(
        request,
        "api/docs.html",
        {
            "schema_url": reverse("api:openapi-json"),
            "search_example": f"curl {base}{reverse('api:cities')}?q=cordoba",
            "token_example": (
                f'curl -H "Authorization: Bearer gsca_…" {base}{reverse("api:meetings")}'
            ),
            "operations": operations(),
            "licence": downloads.LICENCE,
            "licence_url": downloads.LICENCE_URL,
        },
    )


@require_safe
def download(request, fmt):
    """A download file, with Last-Modified and an ETag from the file; 503 (problem
    details, Retry-After) while the first build is still to come."""
    if fmt not in downloads.FORMATS:
        raise Http404
    target = downloads.path(fmt)
    try:
        stat = target.stat()
    except FileNotFoundError:
        downloads.downloads_request()
        response = problem(
            503, _("The file is being prepared: try again in a minute."), request=request
        )
        response["Retry-After"] = str(downloads.DEBOUNCE_SECONDS)
        return response
    etag = f'"{int(stat.st_mtime_ns)}-{stat.st_size}"'
    unchanged = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if unchanged is not None:
        unchanged["Cache-Control"] = conditional.CACHE_CONTROL
        return conditional.same_for_everyone(unchanged)
    response = FileResponse(
        target.open("rb"),
        content_type=downloads.FORMATS[fmt],
        as_attachment=True,
        filename=target.name,
    )
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["ETag"] = etag
    response["Link"] = f'<{downloads.LICENCE_URL}>; rel="license"'
    # Revalidated each time (a 304 costs a stat): without it, caches would guess a
    # freshness from Last-Modified (RFC 9111, 4.2.2) and keep a week-old file a day.
    response["Cache-Control"] = conditional.CACHE_CONTROL
    return conditional.same_for_everyone(response)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. the script that uses it."),
    )


@never_cache  # the page may show a new token's secret
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    """One's API tokens (name, start, created, last use), a form for a new one, whose
    secret is shown once on the answer to the POST."""
    allowed = may_hold_tokens(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    secret = None
    status = 200
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        limited = consume_or_429(request, action="api_token", user=request.user)
        if limited:
            return limited
        if form.is_valid():
            try:
                _token, secret = token_create(user=request.user, name=form.cleaned_data["name"])
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "allowed": allowed,
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user).order_by(
                "revoked_at", "-created_at"
            ),
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke_view(request, pk):
    """Revoke one of one's own tokens; another person's token is a 404."""
    token = get_object_or_404(ApiToken.objects.live(), pk=pk, user=request.user)
    token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens")
