from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from networks.meeting_views import is_network_member
from networks.models import Membership, Network

ROLE_HEADINGS = {
    Membership.Role.PIONEER: _("Pioneer cities"),
    Membership.Role.FOUNDING: _("Founding members"),
    Membership.Role.MEMBER: _("Members"),
}


@require_safe
def network_list(request):
    networks = Network.objects.active().with_member_counts().select_related("host_city")
    return render(request, "networks/network_list.html", {"networks": networks})


@require_safe
def network_detail(request, slug):
    network = get_object_or_404(Network.objects.active().select_related("host_city"), slug=slug)
    members = network.memberships.active().select_related("city").order_by("city__name", "city_id")
    by_role = {role: [] for role in Membership.Role}
    for membership in members:
        by_role[Membership.Role(membership.role)].append(membership)
    groups = [(role.value, ROLE_HEADINGS[role], items) for role, items in by_role.items() if items]
    links = network.pioneer_links.current().select_related("pioneer", "mentee")
    mentoring: dict = {}
    for link in links:
        mentoring.setdefault(link.pioneer, []).append(link)
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "groups": groups,
            "member_count": len(members),
            "mentoring": list(mentoring.items()),
            "partners": network.partners.published(),
            "meetings": list(network.meetings.upcoming()[:10]),
            "can_subscribe": is_network_member(request.user, network),
        },
    )
