"""Submitting a policy, answering the secretariat, the library and its downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance.request_data import query_checked_by_form
from networks.involvement.ratelimits import limit_sender, screen
from networks.policies import mail, services
from networks.policies.filters import PolicyFilter
from networks.policies.forms import PolicyResubmitForm, PolicySubmitForm
from networks.policies.models import Policy

MINE_SHOWN = 50  # a submitter's latest policies on their account's page
PER_PAGE = 25
MAX_PAGES = 400  # bounded: page 400 of 25 reaches the 10,000th policy


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request):
    """GET: the form. POST: 400 for the honeypot, 429 past a rate limit (per address,
    account, email typed), 400 with field errors, else the policy is stored as
    submitted (its PDF too), acknowledged by email and the visitor sent to `sent`."""
    if request.method != "POST":
        return render(request, "policies/submit.html", {"form": PolicySubmitForm()})
    form = PolicySubmitForm(request.POST, request.FILES)
    refused = screen(
        request,
        form,
        "policy_submit",
        email_field="submitter_email",
        refusal=_("Your policy could not be accepted."),
    )
    if refused:
        return refused
    if form.is_valid():
        policy = form.apply(form.save(commit=False))
        policy.language = get_language()
        if request.user.is_authenticated:
            policy.submitted_by = request.user
        try:
            services.policy_submit(policy=policy, principles=form.cleaned_data["principles"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("policies:sent")
    return render(request, "policies/submit.html", {"form": form}, status=400)


@require_safe
def sent(request):
    """Thanks after a submission or a resubmission."""
    return render(request, "policies/sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, token):
    """The submitter's signed link: edit and resubmit a policy the secretariat asked about."""
    policy = mail.policy_for_token(token)
    if policy is None:
        return render(request, "link_invalid.html", status=404)
    if policy.status != Policy.Status.MORE_INFO:
        return render(request, "policies/edit_done.html", {"policy": policy}, status=409)
    if request.method != "POST":
        form = PolicyResubmitForm(instance=policy)
        return render(request, "policies/edit.html", {"form": form, "policy": policy})
    limited = limit_sender(request, "policy_submit")
    if limited:
        return limited
    form = PolicyResubmitForm(request.POST, request.FILES, instance=policy)
    if form.is_valid():
        edited = form.apply(form.save(commit=False))
        try:
            services.policy_resubmit(policy=edited, principles=form.cleaned_data["principles"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the policy was sent again to the secretariat."))
            return redirect("policies:sent")
    return render(request, "policies/edit.html", {"form": form, "policy": policy}, status=400)


@login_required
@require_safe
def mine(request):
    """The signed-in submitter's latest MINE_SHOWN policies and where each stands; one
    the secretariat asked about links to its form (a fresh signed link, the same form
    the email leads to), so a submitter with an account need not find the email."""
    policies = list(
        Policy.objects.filter(submitted_by=request.user)
        .only("pk", "title", "status", "decision_note", "created_at", "resubmitted_at")
        .order_by("-created_at", "-pk")[:MINE_SHOWN]
    )
    for policy in policies:
        policy.edit_path = None
        if policy.status == Policy.Status.MORE_INFO:
            policy.edit_path = reverse("policies:edit", args=[mail.edit_token(policy)])
    return render(request, "policies/mine.html", {"policies": policies, "shown": MINE_SHOWN})


@query_checked_by_form  # every parameter goes through PolicyFilter's form
@require_safe
def library(request):
    """/policies/: accepted policies, filtered by PolicyFilter (400 with the form's
    errors for a bad parameter), by title, 25 a page, at most MAX_PAGES pages."""
    filterset = PolicyFilter(
        request.GET,
        queryset=Policy.objects.in_library()
        .order_by("search_title", "id")
        .only(
            "title",
            "kind",
            "adopter",
            "country",
            "adopted_on",
            "policy_language",
            "model_policies",
            "is_illustrative",
        ),
    )
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else Policy.objects.none()
    paginator = Paginator(queryset, PER_PAGE)
    number = request.GET.get("page") or 1
    try:
        number = min(int(number), MAX_PAGES)
    except (TypeError, ValueError):
        number = 1
    query = {k: v for k, v in filterset.form.cleaned_data.items() if v} if valid else {}
    return render(
        request,
        "policies/library.html",
        {
            "filter": filterset,
            "page": paginator.get_page(number),
            "query": urlencode(query),
        },
        status=200 if valid else 400,
    )


@require_safe
def detail(request, pk):
    """An accepted policy's page; 404 for any other (nothing public before acceptance)."""
    policy = get_object_or_404(Policy.objects.in_library().select_related("city"), pk=_id(pk))
    return render(
        request,
        "policies/detail.html",
        {"policy": policy, "principles": list(policy.principles.all())},
    )


def _id(pk: int) -> int:
    if pk > 2**63 - 1:
        raise Http404
    return pk


def pdf_response(policy: Policy) -> FileResponse:
    """The policy's PDF as a download: fixed type and name, never rendered inline."""
    if not policy.pdf:
        raise Http404
    try:
        handle = policy.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"policy-{policy.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def download(request, pk):
    """An accepted policy's PDF, as a download (pdf_response); 404 otherwise."""
    return pdf_response(get_object_or_404(Policy.objects.in_library(), pk=_id(pk)))
