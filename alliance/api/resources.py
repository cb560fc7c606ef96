"""One city, the networks, the partners and a token owner's meetings, as plain values.

What a reader sees follows the HTML pages exactly: a city's contacts are those its
page shows the same person (cities.views.contact_audiences, plus their own entry), and
meetings are those whose page the person may open (Meeting.objects.visible_to).
"""

import base64
import binascii
import datetime
import json

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from alliance.api.listing import city_rows
from alliance.models import Partner
from cities.models import City, CityOfficial
from networks.access import contact_audiences
from networks.directory import figures
from networks.models import Meeting, Network

LINKS_SHOWN = 100
MEETINGS_PER_PAGE = 50


def _date(value):
    return value.isoformat() if value else None


# A city's pioneer links each way: (the city's related manager, the other city's field,
# the URL name of their pages).
LINKS = {
    "mentoring": ("mentoring", "mentee", "api:city_mentoring"),
    "mentored_by": ("mentored_by", "pioneer", "api:city_mentored_by"),
}


def city_links(city, direction: str, after: int | None = None) -> dict:
    """A page of `city`'s current pioneer links in active networks one way (`direction`,
    a key of LINKS), LINKS_SHOWN at most, in the order recorded: those after the link
    `after` (a link's id, the keyset cursor of the `next` URL; None: the first page).

    Returns {"count": all of them, "results": [...], "next": URL of the next page or
    None}: the city page pages them the same way (templates/cities/_city_networks.html).
    """
    relation, other, url_name = LINKS[direction]
    rows = getattr(city, relation).current().filter(network__is_active=True)
    rows = rows.select_related(other, "network").order_by("pk")
    page = list((rows if after is None else rows.filter(pk__gt=after))[: LINKS_SHOWN + 1])
    more, page = len(page) > LINKS_SHOWN, page[:LINKS_SHOWN]
    url = reverse(url_name, kwargs={"slug": city.slug})
    return {
        "count": rows.count(),
        "results": [
            {
                "slug": getattr(link, other).slug,
                "name": getattr(link, other).name,
                "country": getattr(link, other).country.code,
                "network": link.network.slug,
                "focus": link.focus,
                "status": link.status,
            }
            for link in page
        ],
        "next": f"{url}?after={page[-1].pk}" if more else None,
    }


def city_detail(user, slug: str) -> dict:
    """Everything the city's page shows `user` (AnonymousUser for no token). 404 for an
    unknown slug."""
    city = get_object_or_404(City.objects.prefetch_related("principles"), slug=slug)
    summary = city_rows([city])[0]
    memberships = {m["network"]: m for m in summary["memberships"]}
    joined = dict(
        city.memberships.active()
        .filter(network__is_active=True)
        .values_list("network__slug", "joined_on")
    )
    shown = Q(contact_audience__in=contact_audiences(user, city))
    if user.is_authenticated:
        shown |= Q(user=user)
    Audience = CityOfficial.Audience
    hidden = city.officials.exclude(shown).aggregate(
        members=Count("pk", filter=Q(contact_audience=Audience.MEMBERS)),
        secretariat=Count("pk", filter=Q(contact_audience=Audience.SECRETARIAT)),
    )
    roles = dict(CityOfficial.Role.choices)
    return {
        **{k: summary[k] for k in ("slug", "name", "country", "country_name", "region")},
        "alternate_names": [n.strip() for n in city.alternate_names.splitlines() if n.strip()],
        "region_label": summary["region_label"],
        "subdivision": city.subdivision,
        "population": city.population,
        "size": summary["size"],
        "size_label": summary["size_label"],
        "latitude": float(city.latitude) if city.latitude is not None else None,
        "longitude": float(city.longitude) if city.longitude is not None else None,
        "time_zone": city.time_zone,
        "website": city.website,
        "profile": city.profile,
        "logo": city.logo.url if city.logo else None,
        "member_since": _date(city.member_since),
        "url": summary["url"],
        "principles": [
            {"code": p.code, "label": str(p.get_code_display())} for p in city.principles.all()
        ],
        "memberships": [
            {**badge, "joined_on": _date(joined.get(slug))} for slug, badge in memberships.items()
        ],
        "mentoring": city_links(city, "mentoring"),
        "mentored_by": city_links(city, "mentored_by"),
        "contacts": [
            {
                "name": official.user.get_full_name(),
                "position": official.position,
                "role": official.role,
                "role_label": str(roles.get(official.role, official.role)),
                "email": official.user.email,
                "phone": official.phone,
                "is_primary_contact": official.is_primary_contact,
            }
            for official in city.officials.filter(shown).select_related("user")
        ],
        "contacts_hidden": hidden,
    }


def _network(network, counts: dict) -> dict:
    return {
        "slug": network.slug,
        "name": network.name,
        "kind": network.kind,
        "kind_label": str(network.get_kind_display()),
        "scope": network.scope_display,
        "host_organisation": network.host_organisation,
        "host_city": network.host_city.slug if network.host_city else None,
        "launched_on": _date(network.launched_on),
        "member_count": counts.get(network.pk, 0),
        "url": network.get_absolute_url(),
        "members_url": reverse("api:network_members", kwargs={"slug": network.slug}),
    }


def networks() -> list[dict]:
    """The active networks, by name, with their member counts (as the networks page)."""
    counts = figures.alliance()["members_by_network"]
    return [_network(n, counts) for n in Network.objects.active().select_related("host_city")]


def network_detail(slug: str) -> dict:
    network = get_object_or_404(Network.objects.active().select_related("host_city"), slug=slug)
    numbers = figures.network(network)
    return {
        **_network(network, {network.pk: numbers["members"]}),
        "description": network.description,
        "members_by_role": {str(role): n for role, n in numbers["roles"].items()},
        "partners": list(network.partners.published().values_list("slug", flat=True)),
    }


def partners() -> list[dict]:
    """The published partners, by name, as the partners page lists them."""
    rows = Partner.objects.published().prefetch_related(
        Prefetch("networks", queryset=Network.objects.active())
    )
    return [
        {
            "slug": p.slug,
            "name": p.name,
            "kind": p.kind,
            "kind_label": str(p.get_kind_display()),
            "tier": p.tier,
            "tier_label": str(p.get_tier_display()),
            "website": p.website,
            "description": p.description,
            "logo": p.logo.url if p.logo else None,
            "networks": [n.slug for n in p.networks.all()],
        }
        for p in rows
    ]


def _meeting_cursor(meeting) -> str:
    raw = json.dumps([meeting.starts_at.isoformat(), meeting.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after_meeting(cursor: str) -> Q:
    """Meetings after the one `cursor` names; Http404 (a 404 problem) for a bad cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        starts, pk = json.loads(raw)
        starts = datetime.datetime.fromisoformat(starts)
        if not isinstance(pk, int) or starts.tzinfo is None or abs(pk) > 2**62:
            raise ValueError
        # In UTC, as the database compares it: 9999-12-31T23:59-14:00 is past year 9999.
        starts = starts.astimezone(datetime.UTC)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise BadMeetingCursor from None
    return Q(starts_at__gt=starts) | Q(starts_at=starts, pk__gt=pk)


class BadMeetingCursor(ValueError):
    pass


def meetings(user, path: str, after: str | None) -> dict:
    """The meetings whose pages `user` may open, from twelve months ago on (as the
    network's calendar feed), by start, MEETINGS_PER_PAGE at a time."""
    rows = Meeting.objects.visible_to(user).for_feed().select_related("network")
    if after:
        rows = rows.filter(_after_meeting(after))
    page = list(rows[: MEETINGS_PER_PAGE + 1])
    more, page = len(page) > MEETINGS_PER_PAGE, page[:MEETINGS_PER_PAGE]
    return {
        "next": f"{path}?after={_meeting_cursor(page[-1])}" if more else None,
        "results": [
            {
                "id": m.pk,
                "title": m.title,
                "network": m.network.slug,
                "network_name": m.network.name,
                "status": m.status,
                "starts_at": m.starts_at.isoformat(),
                "ends_at": m.ends_at.isoformat(),
                "duration_minutes": m.duration_minutes,
                "place": m.place,
                "online_url": m.online_url,
                "agenda": m.agenda,
                "url": m.get_absolute_url(),
            }
            for m in page
        ],
    }
