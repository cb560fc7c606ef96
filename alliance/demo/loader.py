"""Loads the demo data; safe to run again.

Rows are looked up by a natural key and created only when missing, so a second run
adds nothing and never undoes what the secretariat has edited since.
"""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alliance.demo import content, faq, involvement, partners, policies
from alliance.models import FaqEntry, Partner, User
from cities import gazetteer
from cities.models import City, CityOfficial, Principle
from cities.services import city_unique_slug
from networks.facts.ledger import one_sync
from networks.meetings.reminders import network_ensure_default_rules
from networks.meetings.services import meeting_schedule
from networks.models import Meeting, Membership, Network, PioneerLink, ReminderRule
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
        (partners.FOUNDING_CONTRIBUTORS, Partner.Tier.FOUNDING, partners.FOUNDING_DESCRIPTION),
        (partners.FORUM_PARTNERS, Partner.Tier.FORUM, partners.FORUM_DESCRIPTION),
    ]
    for names, tier, description in tiers:
        for name in names:
            text = description.format(sector=partners.PARTNER_SECTORS[name])
            partner, created = Partner.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "kind": Partner.Kind.COMPANY,
                    "tier": tier,
                    "description": text,
                },
            )
            if not created and partner.description in partners.OLD_DESCRIPTIONS:
                partner.description = text
                partner.save(update_fields=["description"])
            if created and tier == Partner.Tier.FOUNDING:
                partner.networks.add(networks["japan"], networks["global-alliance"])


def _officials() -> None:
    for place, email, (first, last), language in content.DEMO_OFFICIALS:
        if User.objects.filter(email__iexact=email).exists():
            continue
        user = User(email=email, first_name=first, last_name=last, language=language)
        user.set_unusable_password()  # a demo address: nobody signs in as it
        user.save()
        CityOfficial.objects.create(
            user=user,
            city=_city(*place),
            role=CityOfficial.Role.FOCAL_POINT,
            position="Demo data: an illustrative contact",
            contact_audience=CityOfficial.Audience.MEMBERS,
        )


def _meetings(networks: dict[str, Network], today: datetime.date) -> None:
    for network in networks.values():
        zone = zoneinfo.ZoneInfo(network.time_zone)
        for n, (days, hour, title, agenda, own_rules) in enumerate(content.DEMO_MEETINGS, 1):
            # Added again only once the previous one has passed, so a demo database
            # always has upcoming meetings and a second run on the same day adds none.
            if network.meetings.filter(title=title, starts_at__gte=timezone.now()).exists():
                continue
            starts_at = datetime.datetime.combine(
                today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=zone
            )
            meeting = Meeting(
                network=network,
                title=title,
                agenda=agenda,
                starts_at=starts_at,
                online_url=content.DEMO_MEETING_LINK.format(slug=network.slug, n=n),
            )
            meeting.full_clean()
            meeting.save()
            for minutes in own_rules:
                ReminderRule.objects.create(meeting=meeting, minutes_before=minutes)
            meeting_schedule(meeting=meeting)


def _faq() -> None:
    for order, (question, answer, *link) in enumerate(faq.FAQ, start=1):
        entry, created = FaqEntry.objects.get_or_create(
            question=question,
            defaults={"answer": answer, "order": order, "link": link[0] if link else ""},
        )
        if not created and link and not entry.link:  # a database loaded before the links
            entry.link = link[0]
            entry.save(update_fields=["link"])


@transaction.atomic
def load_demo_data(*, today: datetime.date | None = None) -> None:
    """Load or complete the demo data; `today` (default: the current date) anchors the
    demo meetings' dates. Every write goes through the hooks of networks.facts (status
    rows, directory fields, ledger); one_sync() plans each meeting's reminders once, at
    the end, instead of after every membership, official and rule."""
    with one_sync():
        networks = _networks()
        _pioneers(networks)
        _partners(networks)
        _officials()
        _meetings(networks, today or timezone.localdate())
        _faq()
        involvement.load_supporters()
        involvement.load_call()
        policies.load_policies()
        policies.load_roadmap()
