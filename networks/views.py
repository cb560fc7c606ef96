"""The public network pages: what a person can read about a network of any size.

A network page shows counts by role, a bounded preview of its pioneer and founding
cities, its newest members and an aggregated picture of its pioneer links, then sends
the reader to the directory (keyset pages) for the full list: at 200,000 cities a page
that listed every member took 35 s and weighed 44 MB (issue #21).
"""

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from alliance import data_version
from alliance.rendered import render_kept
from networks.directory import figures
from networks.map.views import map_figure_kept
from networks.meetings.views import is_network_member
from networks.models import Membership, ModelPolicy, Network
from networks.policies.roadmap import network_matrix

ROLE_HEADINGS = {
    Membership.Role.PIONEER: _("Pioneer cities"),
    Membership.Role.FOUNDING: _("Founding members"),
    Membership.Role.MEMBER: _("Members"),
}
PREVIEW_ROLES = {
    Membership.Role.PIONEER: _("All pioneer cities of this network in the directory"),
    Membership.Role.FOUNDING: _("All founding members of this network in the directory"),
}
ROLE_PREVIEW = 24  # pioneer or founding cities listed; the directory has them all
NEWEST = 10
TOP_PIONEERS = 12  # pioneers drawn with their mentees
MENTEES_PER_PIONEER = 5
UPCOMING_MEETINGS = 10
# The rendered sections change only with the data's version; the minute bounds what a
# bulk update that sends no signal could leave stale, as for the directory's results.
SECTIONS_CACHE_SECONDS = 60


def network_cards(heading: str) -> str:
    """The active networks as cards with their member counts, `heading` ("h2" or "h3")
    fitting the page's outline: rendered once per language, version of the data and
    recount of the kept figures, so a page seen since costs no query for them."""
    kept = figures.alliance()
    key = f"network-cards:{heading}:{get_language()}:{data_version.current()}:{kept['version']}"
    html = cache.get(key)
    if html is None:
        networks = Network.objects.active().select_related("host_city")
        html = render_to_string(
            "networks/_network_cards.html",
            {"networks": figures.with_member_counts(networks), "heading": heading},
        )
        cache.set(key, html, SECTIONS_CACHE_SECONDS)
    return html


@require_safe
def network_list(request):
    return render(request, "networks/network_list.html", {"network_cards": network_cards("h2")})


def _role_previews(network, counts: dict) -> list[dict]:
    previews = []
    for role, all_label in PREVIEW_ROLES.items():
        total = counts.get(role, 0)
        if not total:
            continue
        memberships = (
            network.memberships.active()
            .filter(role=role)
            .select_related("city")
            .only("network", "joined_on", "role", "city__name", "city__slug", "city__country")
            .earliest_first()[:ROLE_PREVIEW]
        )
        previews.append(
            {
                "role": role.value,
                "heading": ROLE_HEADINGS[role],
                "all_label": all_label,
                "total": total,
                "memberships": list(memberships),
            }
        )
    return previews


def _mentoring(network) -> list[tuple[dict, list]]:
    """[(pioneer, its first links)] for the pioneers with the most links."""
    links = network.pioneer_links.current()
    top = links.top_pioneers(TOP_PIONEERS)
    if not top:
        return []
    first = links.first_per_pioneer([row["pioneer"] for row in top], MENTEES_PER_PIONEER)
    by_pioneer: dict[int, list] = {}
    for link in first.select_related("mentee").only(
        "network", "status", "focus", "pioneer", "mentee__name", "mentee__slug", "mentee__country"
    ):
        by_pioneer.setdefault(link.pioneer_id, []).append(link)
    for row in top:
        row["more"] = row["links"] - len(by_pioneer.get(row["pioneer"], []))
    return [(row, by_pioneer.get(row["pioneer"], [])) for row in top]


def _sections(network, numbers: dict) -> str:
    """The members and pioneer-link sections, rendered: the same for every visitor."""
    focus_labels = dict(ModelPolicy.choices)
    newest = (
        network.memberships.active()
        .newest()
        .select_related("city")
        .only("network", "joined_on", "role", "city__name", "city__slug", "city__country")[:NEWEST]
    )
    mentoring = _mentoring(network)
    shown_pioneers = len(mentoring)
    # Drawn again only when what it shows changed (alliance/rendered.py): a new data
    # version after a change elsewhere costs these queries, not the rendering.
    return render_kept(
        "networks/_network_sections.html",
        {
            "network": network,
            "numbers": numbers,
            "role_counts": [
                (role.value, ROLE_HEADINGS[role], numbers["roles"].get(role, 0))
                for role in Membership.Role
            ],
            "previews": _role_previews(network, numbers["roles"]),
            "newest": list(newest),
            "mentoring": mentoring,
            "more_pioneers": numbers["links"]["pioneers"] - shown_pioneers,
            "focus": [(focus_labels.get(focus), count) for focus, count in numbers["focus"]],
            # Members x model policies, bounded (networks.policies.roadmap): 2 queries.
            "matrix": network_matrix(network),
        },
    )


# A network's slug is at most this long (Network.slug): a longer one in the URL names no
# network, and would make a cache key longer than memcached's 250 characters.
SLUG_MAX_LENGTH = Network._meta.get_field("slug").max_length


def _kept_page(slug: str) -> dict:
    """What a network's page shows the same to everyone, per version of the data:
    {"network", "member_count", "sections", "member_map", "partner_list"}, in one cache
    entry, so a page seen since the last change reads it in one round trip and no query.
    Every part follows the data version: cities, memberships, networks and pioneer links
    (networks/signals.py) and partners (alliance/apps.py). Raises Http404."""
    if len(slug) > SLUG_MAX_LENGTH:  # no such network; and a key must stay short
        raise Http404
    version = data_version.current()
    key = f"network-page:{version}:{get_language()}:{slug}"
    kept = cache.get(key)
    if kept is None:
        network = get_object_or_404(Network.objects.active().select_related("host_city"), slug=slug)
        numbers = figures.network(network, version)
        # A large map may be drawn from a grid of an older version for a few seconds
        # more (networks/map/views.py): the page is kept no longer than its map.
        member_map, map_seconds = map_figure_kept(network=network, in_page=True)
        kept = {
            "network": network,
            "member_count": numbers["members"],
            "sections": _sections(network, numbers),
            "member_map": member_map,
            "partner_list": render_kept(
                "networks/_network_partners.html",
                {"partners": list(network.partners.published())},
            ),
        }
        cache.set(key, kept, min(SECTIONS_CACHE_SECONDS, map_seconds))
    return kept


@require_safe
def network_detail(request, slug):
    kept = _kept_page(slug)
    network = kept["network"]
    member = is_network_member(request.user, network)
    # Meetings are not part of the data version, and which are upcoming changes with the
    # hour: queried on each visit (1 query), drawn only when they changed.
    meetings = list(network.meetings.upcoming()[:UPCOMING_MEETINGS])
    return render(
        request,
        "networks/network_detail.html",
        {
            **kept,
            "meetings": meetings,
            # Meeting pages are for members: the public sees a meeting's title and date,
            # not where it happens nor how to join it (issue #15 §4).
            "meeting_list": render_kept(
                "networks/_meeting_list.html",
                {"network": network, "meetings": meetings, "meeting_details": member},
            ),
            # A form with the visitor's CSRF token: never in a kept piece.
            "can_subscribe": member,
        },
    )
