"""Applying to join a network, and following one's applications."""

from allauth.account.models import EmailAddress
from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance.request_data import param, query_checked_by_form
from cities.models import City
from networks.applications import application_resubmit, application_submit
from networks.forms import ApplicationForm, CitySearchForm
from networks.models import Application

DRAFT_KEY = "application_draft"
SEARCH_LIMIT = 20


def _chosen_city(request) -> City | None:
    slug = param(request, "city")
    return get_object_or_404(City, slug=slug) if slug else None


def _draft_initial(request) -> dict:
    """What an anonymous visitor typed before signing up, to fill the form again."""
    draft = request.session.get(DRAFT_KEY) or {}
    initial = {}
    for name, values in draft.items():
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


def _search_step(request):
    search = CitySearchForm(request.GET or None)
    results = None
    if search.is_valid() and search.cleaned_data["q"]:
        results = City.objects.search(search.cleaned_data["q"]).order_by("name", "id")[
            :SEARCH_LIMIT
        ]
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
        # Keep what was typed, send the visitor through sign-up, bring them back.
        request.session[DRAFT_KEY] = {
            k: v for k, v in request.POST.lists() if k not in {"csrfmiddlewaretoken", "consent"}
        }
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
    return render(request, "applications/list.html", {"applications": applications})


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
