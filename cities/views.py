from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cities.forms import CityProfileForm, ContactAudienceForm
from cities.models import City, CityOfficial

Audience = CityOfficial.Audience


def _managed_networks(user):
    # Looked up by name: cities does not import the networks app. managed_by() is the
    # one place that says which networks a staff user looks after.
    return apps.get_model("networks", "Network").objects.managed_by(user)


def manages_city(user, city: City) -> bool:
    """Staff who look after a network the city is an *active* member of; the secretariat
    for every city.

    Not a pending or lapsed membership, nor an application: a host can create those
    itself, and its reach comes only from what the secretariat gave it (issue #15,
    networks/scope.py).
    """
    from alliance.roles import sees_all_networks

    if sees_all_networks(user):
        return True  # the secretariat, also for cities in no network yet
    return city.memberships.active().filter(network__in=_managed_networks(user)).exists()


def manages_any_network(user) -> bool:
    from alliance.roles import sees_all_networks

    return sees_all_networks(user) or _managed_networks(user).exists()


def contact_audiences(user, city: City) -> list[str]:
    """Whose contact details `user` may see on `city`'s page, by the audience each chose."""
    audiences = [CityOfficial.Audience.PUBLIC]
    if user.is_authenticated and (
        CityOfficial.objects.filter(user=user).exists()
        or hasattr(user, "partner_membership")
        or manages_any_network(user)
    ):
        audiences.append(CityOfficial.Audience.MEMBERS)
    if manages_city(user, city):
        audiences.append(CityOfficial.Audience.SECRETARIAT)
    return audiences


def can_edit_city(user, city: City) -> bool:
    if not user.is_authenticated:
        return False
    if CityOfficial.objects.filter(user=user, city=city).exists():
        return True
    return manages_city(user, city) and not _read_only(user)


def _read_only(user) -> bool:
    """Auditors see every network but change nothing (unless also secretariat)."""
    from alliance import roles

    return (
        not user.is_superuser
        and roles.in_group(user, roles.AUDITOR)
        and not roles.in_group(user, roles.SECRETARIAT)
    )


def get_city_for_editor(user, slug) -> City:
    """The city `user` may edit (its officials, and staff), or 404 for anyone else."""
    city = get_object_or_404(City, slug=slug)
    if can_edit_city(user, city):
        return city
    raise Http404


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
