from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliance.models import FaqEntry, Partner
from networks.directory import figures
from networks.involvement import figures as supporters_figures
from networks.models import Network
from networks.views import network_cards


@require_safe
def home(request):
    # Kept figures, not counted per visit: at 200,000 cities counting them took 1.1 s.
    numbers = figures.alliance()
    return render(
        request,
        "alliance/home.html",
        {
            "network_cards": network_cards("h3"),
            "member_city_count": numbers["member_cities"],
            "country_count": numbers["countries"],
            "partner_count": Partner.objects.published().count(),
            # Kept between changes of pledges (networks/involvement/figures.py).
            "supporter_count": supporters_figures.supporters()["total"],
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
