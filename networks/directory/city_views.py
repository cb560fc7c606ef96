import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance import data_version
from cities.forms import CityProfileForm, ContactAudienceForm
from cities.models import City, CityOfficial
from networks.access import can_edit_city, contact_audiences, get_city_for_editor
from networks.policies.roadmap import city_parts as policy_parts

Audience = CityOfficial.Audience


# A pioneer may mentor thousands of cities: its page shows them a page at a time.
LINKS_PER_PAGE = 24


def _links_page(links, number):
    """One page of `links`, in the order they were recorded (Paginator: a malformed or
    out-of-range page number gives the nearest page, never an error).

    Not by the other city's name: that sorts every link of the city for each page
    (40 ms for a pioneer's 3,000 links), where the order of the rows is an index's.
    """
    return Paginator(links.order_by("pk"), LINKS_PER_PAGE).get_page(number)


# The parts of a city's page that are the same for every visitor (its profile, pledges,
# facts, networks and pioneer links) change only with the data's version, which every
# change to cities, memberships, networks, principles or pioneer links starts; the
# minute bounds what a bulk update that sends no signal could leave stale.
PARTS_CACHE_SECONDS = 60
PARTS = ("header", "main", "aside", "networks")


def _public_parts(city: City, links_page, mentors_page) -> dict[str, str]:
    """{part: HTML} of templates/cities/_city_<part>.html: nothing in them depends on who
    is looking (contacts and the edit button are rendered per request)."""
    context = {
        "city": city,
        "memberships": city.memberships.active()
        .filter(network__is_active=True)
        .select_related("network"),
        "mentoring": _links_page(
            city.mentoring.current()
            .filter(network__is_active=True)
            .select_related("mentee", "network"),
            links_page,
        ),
        **policy_parts(city),
        "mentored_by": _links_page(
            city.mentored_by.current()
            .filter(network__is_active=True)
            .select_related("pioneer", "network"),
            mentors_page,
        ),
    }
    return {part: render_to_string(f"cities/_city_{part}.html", context) for part in PARTS}


def _parts_key(city: City, links_page, mentors_page) -> str:
    pages = hashlib.sha256(repr((links_page, mentors_page)).encode()).hexdigest()[:16]
    return f"city-page:{data_version.current()}:{city.pk}:{get_language()}:{pages}"


@require_safe
def city_detail(request, slug):
    city = get_object_or_404(City, slug=slug)
    links_page, mentors_page = request.GET.get("links"), request.GET.get("mentors")
    key = _parts_key(city, links_page, mentors_page)
    parts = cache.get(key)
    if parts is None:
        parts = _public_parts(city, links_page, mentors_page)
        cache.set(key, parts, PARTS_CACHE_SECONDS)
    # Everyone sees the contacts whose audience includes them; an official also sees
    # their own entry, whatever audience they chose for it. A city has a handful of
    # officials: one query, sorted out here.
    audiences = set(contact_audiences(request.user, city))
    me = request.user.pk if request.user.is_authenticated else None
    officials = list(city.officials.select_related("user"))
    contacts = [o for o in officials if o.contact_audience in audiences or o.user_id == me]
    hidden = [o.contact_audience for o in officials if o not in contacts]
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "parts": {part: mark_safe(html) for part, html in parts.items()},  # noqa: S308
            "can_edit": can_edit_city(request.user, city),
            # Its officials may pledge in the city's name (networks/involvement).
            "is_official": me is not None and any(o.user_id == me for o in officials),
            "contacts": contacts,
            # Counted by who could see them, so the page never promises a signed-in member
            # a contact that only the secretariat will ever see.
            "hidden_for_members": hidden.count(Audience.MEMBERS),
            "hidden_for_secretariat": hidden.count(Audience.SECRETARIAT),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def city_edit(request, slug):
    city = get_city_for_editor(request.user, slug)
    official = CityOfficial.objects.filter(user=request.user, city=city).first()
    data = request.POST if request.method == "POST" else None
    form = CityProfileForm(data, request.FILES or None, instance=city)
    contact = ContactAudienceForm(data, instance=official, prefix="contact") if official else None
    if request.method == "POST":
        if form.is_valid() and (contact is None or contact.is_valid()):
            with transaction.atomic():
                form.save()
                if contact is not None:
                    contact.save()
            messages.success(request, _("The city profile was saved."))
            return redirect(city)
        status = 400
    else:
        status = 200
    return render(
        request,
        "cities/city_edit.html",
        {"city": city, "form": form, "contact_form": contact},
        status=status,
    )
