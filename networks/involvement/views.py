"""The get-involved page, pledges, /supporters/ and partnership enquiries."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance.request_data import query_checked_by_form
from cities.models import City, CityOfficial
from networks.involvement import figures, links, services
from networks.involvement.filters import SupporterFilter
from networks.involvement.forms import CityPledgeForm, PartnerEnquiryForm, PledgeForm
from networks.involvement.models import OrganisationKind, Pledge
from networks.involvement.ratelimits import limit_sender, screen

SUPPORTERS_PER_PAGE = 50
# The policy submission form is another wing's (branch `policies`); until it lands the
# page shows this step without a link rather than a broken one.
POLICY_SUBMIT_URL_NAME = "policies:submit"


def _policy_submit_url() -> str | None:
    try:
        return reverse(POLICY_SUBMIT_URL_NAME)
    except NoReverseMatch:
        return None


@require_safe
def get_involved(request):
    return render(
        request,
        "involvement/get_involved.html",
        {
            "policy_submit_url": _policy_submit_url(),
            "secretariat_email": settings.SECRETARIAT_EMAIL,
            "supporter_count": figures.supporters()["total"],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def pledge(request):
    if request.method != "POST":
        return render(request, "involvement/pledge.html", {"form": PledgeForm()})
    form = PledgeForm(request.POST)
    refused = screen(
        request,
        form,
        "pledge",
        email_field="contact_email",
        refusal=_("Your pledge could not be accepted."),
    )
    if refused:
        return refused
    if form.is_valid():
        item = form.save(commit=False)
        item.language = get_language()
        if request.user.is_authenticated:
            item.submitted_by = request.user
        try:
            services.pledge_submit(pledge=item, principles=form.cleaned_data["principles"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("involvement:pledge_sent")
    return render(request, "involvement/pledge.html", {"form": form}, status=400)


@require_safe
def pledge_sent(request):
    return render(request, "involvement/pledge_sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def pledge_confirm(request, token):
    """GET shows a button (mail scanners follow links); POST confirms."""
    pk = links.read_token(links.PLEDGE_CONFIRM, token)
    item = Pledge.objects.filter(pk=pk).first() if pk is not None else None
    if item is None:
        return render(request, "involvement/pledge_link_invalid.html", status=404)
    if request.method == "POST":
        item = services.pledge_confirm(pledge_id=item.pk)
        messages.success(request, _("Thank you: your pledge is confirmed."))
        return redirect("involvement:pledge_confirm", token=token)
    return render(request, "involvement/pledge_confirm.html", {"pledge": item})


@query_checked_by_form  # ?kind= and ?country= go through SupporterFilter's form
@require_safe
def supporters(request):
    filterset = SupporterFilter(
        request.GET, queryset=Pledge.objects.listed().order_by("organisation", "id")
    )
    valid = filterset.is_valid()
    page = Paginator(filterset.qs if valid else Pledge.objects.none(), SUPPORTERS_PER_PAGE)
    numbers = figures.supporters()
    kinds = [(label, numbers["by_kind"].get(value, 0)) for value, label in OrganisationKind.choices]
    return render(
        request,
        "involvement/supporters.html",
        {
            "filter": filterset,
            "page": page.get_page(request.GET.get("page")),
            "total": numbers["total"],
            "kinds": kinds,
            "query": urlencode({k: v for k, v in filterset.form.cleaned_data.items() if v})
            if valid
            else "",
        },
        status=200 if valid else 400,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def city_pledge(request, slug):
    """An official pledges for their own city; anyone else gets 404."""
    city = get_object_or_404(City, slug=slug)
    if not CityOfficial.objects.filter(user=request.user, city=city).exists():
        raise Http404
    form = CityPledgeForm(
        request.POST or None, initial={"principles": list(city.principles.all()) or None}
    )
    if request.method == "POST":
        limited = limit_sender(request, "city_pledge")
        if limited:
            return limited
        if form.is_valid():
            try:
                services.city_pledge(
                    city=city,
                    official_user=request.user,
                    principles=form.cleaned_data["principles"],
                    may_be_listed=form.cleaned_data["may_be_listed"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you: the pledge is recorded; the secretariat will publish it."),
                )
                return redirect(city)
        status = 400
    else:
        status = 200
    return render(
        request, "involvement/city_pledge.html", {"form": form, "city": city}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def partner_enquiry(request):
    context = {"secretariat_email": settings.SECRETARIAT_EMAIL}
    if request.method != "POST":
        return render(
            request, "involvement/partner.html", {**context, "form": PartnerEnquiryForm()}
        )
    form = PartnerEnquiryForm(request.POST)
    refused = screen(
        request,
        form,
        "partner_enquiry",
        email_field="contact_email",
        refusal=_("Your enquiry could not be accepted."),
    )
    if refused:
        return refused
    if form.is_valid():
        enquiry = form.save(commit=False)
        enquiry.language = get_language()
        try:
            services.enquiry_submit(enquiry=enquiry)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("involvement:partner_sent")
    return render(request, "involvement/partner.html", {**context, "form": form}, status=400)


@require_safe
def partner_sent(request):
    return render(
        request, "involvement/partner_sent.html", {"secretariat_email": settings.SECRETARIAT_EMAIL}
    )
