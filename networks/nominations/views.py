"""/events/ (calls open for nominations), the nomination form, the nominee's links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance.request_data import query_checked_by_form
from networks.involvement import links
from networks.involvement.ratelimits import screen
from networks.meetings.calendar import meeting_ics
from networks.nominations import services
from networks.nominations.forms import NominationForm, TimeZoneForm
from networks.nominations.models import Nomination, NominationCall

EVENTS_LIMIT = 100  # open calls are a handful; a bound all the same


def _visitor_zone(request, fallback: str = "UTC") -> str:
    """The zone a visitor chose (?tz=), their city's for an official, else `fallback`."""
    form = TimeZoneForm(request.GET)
    if form.is_valid() and form.cleaned_data["tz"]:
        return form.cleaned_data["tz"]
    official = getattr(request.user, "official", None) if request.user.is_authenticated else None
    return official.city.time_zone if official else fallback


@query_checked_by_form  # ?tz= goes through TimeZoneForm
@require_safe
def event_list(request):
    form = TimeZoneForm(request.GET)
    valid = form.is_valid()
    calls = (
        NominationCall.objects.open()
        .select_related("meeting__network")
        .order_by("meeting__starts_at", "id")[:EVENTS_LIMIT]
    )
    return render(
        request,
        "nominations/event_list.html",
        {
            "calls": calls,
            "form": form,
            "zone": form.cleaned_data["tz"] if valid else "",
        },
        status=200 if valid else 400,
    )


def _open_call(pk) -> NominationCall:
    return get_object_or_404(
        NominationCall.objects.open().select_related("meeting__network"), pk=pk
    )


@require_http_methods(["GET", "HEAD", "POST"])
def nominate(request, pk):
    call = _open_call(pk)
    context = {"call": call, "meeting": call.meeting}
    if request.method != "POST":
        initial = {"time_zone": _visitor_zone(request, call.meeting.network.time_zone)}
        if request.user.is_authenticated:
            initial["nominee_name"] = request.user.get_full_name()
            initial["nominee_email"] = request.user.email
        form = NominationForm(initial=initial)
        return render(request, "nominations/nominate.html", {**context, "form": form})
    form = NominationForm(request.POST)
    refused = screen(
        request,
        form,
        "nominate",
        email_field="nominee_email",
        refusal=_("Your nomination could not be accepted."),
    )
    if refused:
        return refused
    if form.is_valid():
        nomination = form.save(commit=False)
        nomination.call = call
        nomination.language = get_language()
        try:
            services.nomination_submit(nomination=nomination)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("nominations:sent")
    return render(request, "nominations/nominate.html", {**context, "form": form}, status=400)


@require_safe
def nomination_sent(request):
    return render(request, "nominations/sent.html")


def _nomination_from(token, purpose) -> Nomination:
    pk = links.read_token(purpose, token)
    nomination = Nomination.objects.select_related("call__meeting__network").filter(pk=pk)
    found = nomination.first() if pk is not None else None
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "HEAD", "POST"])
def decline(request, token):
    """The nominee's signed link: GET asks, POST declines (twice is harmless)."""
    try:
        nomination = _nomination_from(token, links.NOMINATION_DECLINE)
    except Http404:
        return render(request, "link_invalid.html", status=404)
    if request.method == "POST":
        services.nomination_withdraw(nomination_id=nomination.pk)
        messages.success(request, _("You declined the nomination. We will not write again."))
        return redirect("nominations:decline", token=token)
    return render(
        request,
        "nominations/decline.html",
        {"nomination": nomination, "meeting": nomination.call.meeting},
    )


@require_safe
def invitation_ics(request, token):
    """The invited nominee's calendar file (signed link in the invitation), while invited."""
    nomination = _nomination_from(token, links.INVITATION_CALENDAR)
    if nomination.status != Nomination.Status.INVITED:
        raise Http404
    response = HttpResponse(meeting_ics(nomination.call.meeting), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response
