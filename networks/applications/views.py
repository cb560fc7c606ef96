"""Applying to join a network, and following one's applications."""

import hashlib

from allauth.account.models import EmailAddress
from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance import data_version
from alliance.request_data import param, query_checked_by_form
from cities.models import City
from networks.applications.forms import ApplicationForm, CitySearchForm
from networks.applications.services import application_resubmit, application_submit
from networks.models import Application

DRAFT_KEY = "application_draft"
SEARCH_LIMIT = 20
# What an anonymous visitor's draft may hold: the form's own fields (not the consent,
# which is given again, nor the bots' trap), each value cut to the field's length.
# Anything else a POST carries is dropped, so a draft stays a few kilobytes whatever
# the body was (issue #15, section 4: a 2 MB body had made a 2 MB session row).
DRAFT_FIELDS = [
    name for name in ApplicationForm.base_fields if name not in {"consent", "fax_number"}
]
DRAFT_VALUE_MAX = 200  # characters, for fields without their own maximum
DRAFT_VALUES_MAX = 10  # values per field: only the principles have several (five exist)
APPLICATIONS_PER_PAGE = 25


def _chosen_city(request) -> City | None:
    slug = param(request, "city")
    return get_object_or_404(City, slug=slug) if slug else None


def _draft(post) -> dict[str, list[str]]:
    """The draft to keep from an anonymous POST: {field name: [values]}, bounded.

    At most DRAFT_VALUES_MAX values per field of DRAFT_FIELDS, each cut to the
    field's max_length (DRAFT_VALUE_MAX characters when it has none).
    """
    draft = {}
    for name in DRAFT_FIELDS:
        limit = getattr(ApplicationForm.base_fields[name], "max_length", None) or DRAFT_VALUE_MAX
        values = [value[:limit] for value in post.getlist(name)[:DRAFT_VALUES_MAX]]
        if values:
            draft[name] = values
    return draft


def _draft_initial(request) -> dict:
    """What an anonymous visitor typed before signing up, to fill the form again."""
    draft = request.session.get(DRAFT_KEY) or {}
    initial = {}
    for name, values in draft.items():
        if name not in DRAFT_FIELDS:
            continue  # a draft stored before the fields were limited
        initial[name] = values if name == "principles" else (values[0] if values else "")
    return initial


@query_checked_by_form  # ?q= (CitySearchForm); ?city= is read through param()
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    city = _chosen_city(request)
    describing_new = "new" in request.GET or "new" in request.POST
    if city is None and not describing_new:
        return _search_step(request)

    if request.method == "POST":
        return _submit(request, city)
    form = ApplicationForm(existing_city=city, initial=_draft_initial(request))
    if request.user.is_authenticated and not form.initial.get("applicant_email"):
        form.initial["applicant_email"] = request.user.email
    return render(request, "applications/apply.html", {"form": form, "city": city})


def _matching(text: str) -> list[City]:
    """The first SEARCH_LIMIT cities whose name contains `text` (City.objects.search),
    by name: kept per version of the data (alliance/data_version.py), which any change to
    a city renews, so a search made since the last change costs no query. At 200,000
    cities the query took most of the page's time, however often it was asked."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = f"apply-search:{data_version.current()}:{digest}"
    results = cache.get(key)
    if results is None:
        results = list(
            City.objects.search(text)
            .order_by("name", "id")
            .only("name", "slug", "country", "subdivision")[:SEARCH_LIMIT]
        )
        cache.set(key, results, data_version.SECONDS)
    return results


def _search_step(request):
    search = CitySearchForm(request.GET or None)
    results = None
    if search.is_valid() and search.cleaned_data["q"]:
        results = _matching(search.cleaned_data["q"])
    status = 400 if search.is_bound and not search.is_valid() else 200
    return render(
        request,
        "applications/apply_start.html",
        {"search": search, "results": results},
        status=status,
    )


def _submit(request, city):
    form = ApplicationForm(request.POST, existing_city=city)
    if form.is_bot:
        return HttpResponseBadRequest(_("Your application could not be accepted."))
    here = request.get_full_path()
    if not request.user.is_authenticated:
        # Each draft is bounded, but a POST without a session cookie makes a new session
        # row: drafts per address are limited too (settings.ACCOUNT_RATE_LIMITS).
        limited = consume_or_429(request, action="apply_draft")
        if limited:
            return limited
        # Keep what was typed, send the visitor through sign-up, bring them back.
        request.session[DRAFT_KEY] = _draft(request.POST)
        messages.info(
            request,
            _("Create an account (or sign in) to send your application. What you typed is kept."),
        )
        return redirect(f"{reverse('account_signup')}?{urlencode({'next': here})}")
    if not EmailAddress.objects.filter(user=request.user, verified=True).exists():
        messages.error(request, _("Verify your email address before you apply."))
        return render(request, "applications/apply.html", {"form": form, "city": city}, status=403)
    limited = consume_or_429(request, action="apply", user=request.user)
    if limited:
        return limited
    if form.is_valid():
        application = form.save(commit=False)
        application.applicant = request.user
        try:
            application_submit(application=application, principles=form.cleaned_data["principles"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session.pop(DRAFT_KEY, None)
            return redirect("applications:submitted", pk=application.pk)
    return render(request, "applications/apply.html", {"form": form, "city": city}, status=400)


def _own_application(request, pk) -> Application:
    """The user's own application, or 404: another person's is not revealed."""
    return get_object_or_404(
        Application.objects.of(request.user).select_related("network", "city"), pk=pk
    )


@login_required
@require_safe
def application_list(request):
    applications = (
        Application.objects.of(request.user)
        .select_related("network", "city")
        .order_by("-submitted_at", "-id")
    )
    # Someone who applies for many cities (a national association, say) sees them a
    # page at a time; a malformed or out-of-range ?page= gives the nearest page.
    page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "applications/list.html", {"applications": page})


@login_required
@require_safe
def application_detail(request, pk):
    application = _own_application(request, pk)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "events": application.events.all(),
            "principles": application.principles.all(),
        },
    )


@login_required
@require_safe
def application_submitted(request, pk):
    return render(
        request, "applications/submitted.html", {"application": _own_application(request, pk)}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_edit(request, pk):
    application = _own_application(request, pk)
    if not application.can_be_edited:
        messages.error(request, _("This application cannot be changed any more."))
        return redirect(application)
    form = ApplicationForm(
        request.POST or None, instance=application, existing_city=application.city
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                application_resubmit(
                    application=form.save(commit=False),
                    principles=form.cleaned_data["principles"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your application was sent again."))
                return redirect(application)
        status = 400
    else:
        status = 200
    return render(
        request,
        "applications/apply.html",
        {"form": form, "city": application.city, "application": application},
        status=status,
    )
