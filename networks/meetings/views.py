"""A meeting's page for members of its network, its RSVP, and calendar files."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cities.models import CityOfficial
from networks.meetings.calendar import meeting_ics, network_ics
from networks.meetings.feeds import calendar_feed_issue, calendar_feed_user
from networks.meetings.services import rsvp_answer
from networks.models import Meeting, Network, Rsvp
from networks.models.structure import member_cities

RSVPS_PER_PAGE = 50


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Will your city attend?"),
        choices=Rsvp.Answer.choices,
        widget=forms.RadioSelect,
    )


def _meeting_for(user, pk) -> Meeting:
    """The meeting if `user` manages its network or is an official of a member city; else 404."""
    meetings = Meeting.objects.visible_to(user).select_related("network")
    return get_object_or_404(meetings, pk=pk)


def _official_in(user, meeting) -> CityOfficial | None:
    official = CityOfficial.objects.filter(user=user).select_related("city").first()
    if official and _member_city_of(user, meeting.network).exists():
        return official
    return None


def _member_city_of(user, network):
    """The user's city, if it is an active member of `network`."""
    return member_cities(conditions=Q(network=network)).filter(officials__user=user)


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_detail(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    meeting = _meeting_for(request.user, pk)
    official = _official_in(request.user, meeting)
    current = Rsvp.objects.filter(meeting=meeting, city=official.city).first() if official else None
    form = RsvpForm(request.POST or None, initial={"answer": current.answer if current else None})
    if request.method == "POST":
        if official is None or meeting.status != Meeting.Status.SCHEDULED:
            raise Http404
        if form.is_valid():
            rsvp_answer(meeting=meeting, official=official, answer=form.cleaned_data["answer"])
            messages.success(request, _("Your answer was saved."))
            return redirect(meeting)
    city_zone = official.city.time_zone if official else meeting.network.time_zone
    manages = manages_network(request.user, meeting.network)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "official": official,
            "rsvp": current,
            "form": form,
            "network_zone": meeting.network.time_zone,
            "city_zone": city_zone,
            # A network of thousands of cities answers in thousands: its managers see
            # the totals and the answers a page at a time.
            "rsvps": _rsvp_page(meeting, request.GET.get("page")) if manages else None,
            "rsvp_counts": _answer_counts(meeting) if manages else None,
        },
        status=400 if request.method == "POST" else 200,
    )


def _answer_counts(meeting) -> list[tuple[str, str, int]]:
    """(answer, its label, cities that gave it) for every possible answer."""
    counts = meeting.rsvps.answer_counts()
    return [(value, label, counts.get(value, 0)) for value, label in Rsvp.Answer.choices]


def _rsvp_page(meeting, number):
    """One page of the cities' answers, by city name (Paginator: a malformed or
    out-of-range page number gives the nearest page)."""
    answers = meeting.rsvps.select_related("city").order_by("city__name", "pk")
    return Paginator(answers, RSVPS_PER_PAGE).get_page(number)


@require_safe
def meeting_calendar_file(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    meeting = _meeting_for(request.user, pk)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def manages_network(user, network) -> bool:
    return Network.objects.managed_by(user).filter(pk=network.pk).exists()


def is_network_member(user, network) -> bool:
    """An official of an active member city, or staff who manage the network."""
    if not user.is_authenticated:
        return False
    return _member_city_of(user, network).exists() or manages_network(user, network)


def calendar_feed_url(request, user, network) -> str:
    """A new private feed link (absolute URL) for `user`; the previous one stops working."""
    path = reverse("networks:calendar", kwargs={"slug": network.slug})
    token = calendar_feed_issue(user=user, network=network)
    return request.build_absolute_uri(f"{path}?token={token}")


@never_cache  # the page holds a private link
@require_POST
def calendar_link(request, slug):
    """POST: a member's new feed link, shown once (only its hash is kept)."""
    network = get_object_or_404(Network.objects.active(), slug=slug)
    if not is_network_member(request.user, network):
        raise Http404
    return render(
        request,
        "networks/calendar_link.html",
        {"network": network, "feed_url": calendar_feed_url(request, request.user, network)},
    )


@require_safe
def network_calendar(request, slug):
    """The network's meetings as a feed; calendar apps use the private link in ?token=."""
    network = get_object_or_404(Network.objects.active(), slug=slug)
    user = request.user if request.user.is_authenticated else None
    token = request.GET.get("token")
    if user is None and token:
        user = calendar_feed_user(token=token, network=network)
    if user is None:
        raise Http404
    if not is_network_member(user, network):
        if token:  # left the network: the link is withdrawn for good
            from networks.meetings.feeds import calendar_feeds_prune

            calendar_feeds_prune(users=[user], networks=[network])
        raise Http404
    meetings = network.meetings.for_feed().select_related("network")
    response = HttpResponse(
        network_ics(network, meetings), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{network.slug}.ics"'
    return response
