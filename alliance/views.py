from itertools import groupby

from django.core.cache import cache
from django.db.models import Prefetch
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from alliance import data_version
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


def _partner_tiers() -> list:
    """[(tier label, [partner with its active networks prefetched])], tiers in order: 2 queries."""
    order = {tier: index for index, tier in enumerate(Partner.Tier.values)}
    published = sorted(
        Partner.objects.published().prefetch_related(
            Prefetch("networks", queryset=Network.objects.active())
        ),
        key=lambda partner: (order[partner.tier], partner.name.casefold()),
    )
    return [
        (Partner.Tier(tier).label, list(group))
        for tier, group in groupby(published, key=lambda partner: partner.tier)
    ]


@require_safe
def partners(request):
    # The same for everyone, kept per language and version of the data, which a change to
    # a partner (alliance/apps.py) or a network (networks/signals.py) renews: a visit
    # since the last change costs no query and no drawing of the cards.
    key = f"partners-page:{data_version.current()}:{get_language()}"
    body = cache.get(key)
    if body is None:
        body = render_to_string("alliance/_partners_body.html", {"tiers": _partner_tiers()})
        cache.set(key, body, data_version.SECONDS)
    return render(request, "alliance/partners.html", {"body": body})


@require_safe
def faq(request):
    return render(request, "alliance/faq.html", {"entries": FaqEntry.objects.published()})


@require_safe
def privacy(request):
    return render(request, "alliance/privacy.html")
