"""Loads the demo data; safe to run again.

Rows are looked up by a natural key and created only when missing, so a second run
adds nothing and never undoes what the secretariat has edited since.
"""

from django.db import transaction
from django.utils.text import slugify

from alliance.demo import content
from alliance.models import FaqEntry, Partner
from cities import gazetteer
from cities.models import City, Principle
from cities.services import city_unique_slug
from networks.models import Membership, Network, PioneerLink
from networks.reminders import network_ensure_default_rules
from networks.services import membership_create


def _city(name: str, country: str) -> City:
    place = gazetteer.find(name, country)
    city = City.objects.filter(geonames_id=place.geonames_id).first()
    if city is None:
        city = City(geonames_id=place.geonames_id, **place.as_city_fields())
        city.slug = city_unique_slug(name=place.name, country=place.country)
        city.full_clean()
        city.save()
        # A demo member pledges to every principle.
        city.principles.set(Principle.objects.all())
    return city


def _join(city: City, network: Network, role: str, joined_on=None) -> None:
    # Only ever adds: a membership the secretariat has since changed is left as it is.
    if not Membership.objects.filter(city=city, network=network).exists():
        membership_create(
            city=city, network=network, role=role, joined_on=joined_on, note="Demo data"
        )


def _networks() -> dict[str, Network]:
    networks = {}
    for spec in content.NETWORKS:
        fields = {k: v for k, v in spec.items() if k not in {"slug", "founders", "host_city"}}
        fields["host_city"] = _city(*spec["host_city"]) if spec["host_city"] else None
        network, _ = Network.objects.get_or_create(slug=spec["slug"], defaults=fields)
        network_ensure_default_rules(network)
        networks[spec["slug"]] = network
        for name, country in spec["founders"]:
            _join(_city(name, country), network, Membership.Role.FOUNDING)
    return networks


def _pioneers(networks: dict[str, Network]) -> None:
    for name, country in content.PIONEERS:
        _join(
            _city(name, country),
            networks["global-alliance"],
            Membership.Role.PIONEER,
            joined_on=content.PIONEERS_ANNOUNCED,
        )
    for slug, pioneer, mentee, focus in content.PIONEER_LINKS:
        PioneerLink.objects.get_or_create(
            network=networks[slug],
            pioneer=_city(*pioneer),
            mentee=_city(*mentee),
            defaults={"focus": focus, "notes": content.DEMO_LINK_NOTE},
        )


def _partners(networks: dict[str, Network]) -> None:
    tiers = [
        (content.FOUNDING_CONTRIBUTORS, Partner.Tier.FOUNDING, content.FOUNDING_DESCRIPTION),
        (content.FORUM_PARTNERS, Partner.Tier.FORUM, content.FORUM_DESCRIPTION),
    ]
    for names, tier, description in tiers:
        for name in names:
            partner, created = Partner.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "kind": Partner.Kind.COMPANY,
                    "tier": tier,
                    "description": description,
                },
            )
            if created and tier == Partner.Tier.FOUNDING:
                partner.networks.add(networks["japan"], networks["global-alliance"])


def _faq() -> None:
    for order, (question, answer) in enumerate(content.FAQ, start=1):
        FaqEntry.objects.get_or_create(
            question=question, defaults={"answer": answer, "order": order}
        )


@transaction.atomic
def load_demo_data() -> None:
    networks = _networks()
    _pioneers(networks)
    _partners(networks)
    _faq()
