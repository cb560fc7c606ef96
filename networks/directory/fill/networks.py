"""The networks new cities join: found when they exist, made (and marked) otherwise."""

import collections

from django_countries import countries

from cities.regions import Region, region_for_country
from networks.meetings.reminders import network_ensure_default_rules
from networks.models import Network

NATIONAL_NETWORKS = 15
GENERATED = (
    "Generated load-test data (manage.py fill_directory), not a real network: "
    "delete it with the rest of the load-test data."
)
LANGUAGE_BY_COUNTRY = {"BR": "pt-br", "PT": "pt-br", "JP": "ja", "ES": "es"}


class Networks:
    """The networks new cities join: one regional per region, the top national ones."""

    def __init__(self, rows: list[dict]):
        self.created: list[Network] = []
        largest: dict[str, dict] = {}  # country or region -> its most populous city
        for row in rows:  # most populous first
            largest.setdefault(row["countrycode"], row)
            region = region_for_country(row["countrycode"])
            if region:
                largest.setdefault(region.value, row)

        glob = Network.objects.filter(kind=Network.Kind.GLOBAL, is_active=True).order_by("id")
        self.global_id = glob.values_list("id", flat=True).first()

        self.regional: dict[str, int] = {}
        for region in Region:
            self.regional[region.value] = self._ensure(
                existing=Network.objects.filter(kind=Network.Kind.REGIONAL, scope_region=region),
                slug=f"load-test-{region.value}",
                name=f"Regional Alliance for {region.label}",
                kind=Network.Kind.REGIONAL,
                scope_region=region.value,
                host_organisation=f"C4IR {region.label}",
                sample=largest.get(region.value),
                language="es" if region == Region.LATIN_AMERICA else "en",
            )

        self.national: dict[str, int] = {}
        ranking = collections.Counter(row["countrycode"] for row in rows)
        for code, _count in ranking.most_common(NATIONAL_NETWORKS):
            country = str(countries.name(code)) or code
            self.national[code] = self._ensure(
                existing=Network.objects.filter(kind=Network.Kind.NATIONAL, scope_country=code),
                slug=f"load-test-{code.lower()}",
                name=f"National Alliance for {country}",
                kind=Network.Kind.NATIONAL,
                scope_country=code,
                host_organisation=f"C4IR {country}",
                sample=largest.get(code),
                language=LANGUAGE_BY_COUNTRY.get(
                    code, "es" if region_for_country(code) == Region.LATIN_AMERICA else "en"
                ),
            )

    def _ensure(self, *, existing, slug, sample, language, **fields) -> int:
        found = existing.filter(is_active=True).order_by("id").values_list("id", flat=True)
        if found:
            return found[0]
        network, created = Network.objects.get_or_create(
            slug=slug,
            defaults={
                **fields,
                "time_zone": sample["timezone"] if sample else "UTC",
                "default_language": language,
                "description": GENERATED,
            },
        )
        if created:
            network_ensure_default_rules(network)
            self.created.append(network)
        return network.pk
