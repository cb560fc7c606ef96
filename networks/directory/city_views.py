from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cities.forms import CityProfileForm, ContactAudienceForm
from cities.models import City, CityOfficial
from networks.access import can_edit_city, contact_audiences, get_city_for_editor

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


@require_safe
def city_detail(request, slug):
    city = get_object_or_404(City.objects.prefetch_related("principles"), slug=slug)
    memberships = (
        city.memberships.active().filter(network__is_active=True).select_related("network")
    )
    # Everyone sees the contacts whose audience includes them; an official also sees
    # their own entry, whatever audience they chose for it.
    shown = Q(contact_audience__in=contact_audiences(request.user, city))
    if request.user.is_authenticated:
        shown |= Q(user=request.user)
    mentoring = _links_page(
        city.mentoring.current()
        .filter(network__is_active=True)
        .select_related("mentee", "network"),
        request.GET.get("links"),
    )
    mentored_by = _links_page(
        city.mentored_by.current()
        .filter(network__is_active=True)
        .select_related("pioneer", "network"),
        request.GET.get("mentors"),
    )
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "can_edit": can_edit_city(request.user, city),
            # Its officials may pledge in the city's name (networks/involvement).
            "is_official": request.user.is_authenticated
            and city.officials.filter(user=request.user).exists(),
            "contacts": city.officials.filter(shown).select_related("user"),
            # Counted by who could see them, so the page never promises a signed-in member
            # a contact that only the secretariat will ever see.
            **city.officials.exclude(shown).aggregate(
                hidden_for_members=Count("pk", filter=Q(contact_audience=Audience.MEMBERS)),
                hidden_for_secretariat=Count("pk", filter=Q(contact_audience=Audience.SECRETARIAT)),
            ),
            "memberships": memberships,
            "mentoring": mentoring,
            "mentored_by": mentored_by,
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
