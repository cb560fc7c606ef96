from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliance.models import FaqEntry, Partner
from networks.models import Network
from networks.querysets import member_cities


@require_safe
def home(request):
    networks = Network.objects.active().with_member_counts().select_related("host_city")
    return render(
        request,
        "alliance/home.html",
        {
            "networks": networks,
            "member_city_count": member_cities().count(),
            "country_count": member_cities().values("country").distinct().count(),
            "partner_count": Partner.objects.published().count(),
        },
    )


@require_safe
def partners(request):
    order = {tier: index for index, tier in enumerate(Partner.Tier.values)}
    published = sorted(
        Partner.objects.published().prefetch_related(
            Prefetch("networks", queryset=Network.objects.active())
        ),
        key=lambda partner: (order[partner.tier], partner.name.casefold()),
    )
    tiers = [
        (Partner.Tier(tier).label, list(group))
        for tier, group in groupby(published, key=lambda partner: partner.tier)
    ]
    return render(request, "alliance/partners.html", {"tiers": tiers})


@require_safe
def faq(request):
    return render(request, "alliance/faq.html", {"entries": FaqEntry.objects.published()})


@require_safe
def privacy(request):
    return render(request, "alliance/privacy.html")
