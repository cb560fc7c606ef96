"""The directory's table: plain values for each row of a page, and the rows as HTML (the
page itself is networks/directory/query.py's)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from networks.models import Membership


def memberships_of(cities: list) -> dict[int, list[tuple[str, str]]]:
    """(network name, role) of each city's active memberships, by network name.

    Plain values in one query: a page shows some 50 badges, and building a Membership
    and a Network object for each cost more than the page's own query. The name is
    the current language's, else the English one (modeltranslation's fallback).
    """
    localized = build_localized_fieldname("name", get_language() or "en")
    fallback = build_localized_fieldname("name", "en")
    found: dict[int, list[tuple[str, str]]] = {city.pk: [] for city in cities}
    pairs = (
        Membership.objects.active()
        .filter(city__in=list(found), network__is_active=True)
        .values_list("city_id", f"network__{localized}", f"network__{fallback}", "role")
        .order_by()  # sorted here: Membership's own ordering would join the cities again
    )
    for city_id, name, english, role in pairs:
        found[city_id].append((name or english, role))
    for badges in found.values():
        badges.sort()
    return found


@dataclass
class Row:
    url: str
    name: str
    country_code: str
    country_name: str
    flag: str
    region: str
    size: str
    size_short: str
    population: int | None
    memberships: list


def rows(cities: list) -> list[Row]:
    """Plain values for the directory table: cheaper to render than model lookups per cell.

    Country names and flags repeat across a page, so each is looked up once.
    """
    from cities.regions import Region
    from cities.sizes import SHORT_LABELS, SizeClass

    placeholder = "__slug__"
    url_pattern = reverse("cities:detail", kwargs={"slug": placeholder})
    # Labels translated once per page rather than once per cell.
    regions = {value: str(label) for value, label in Region.choices}
    sizes = {size: str(size.label) for size in SizeClass}
    short_sizes = {size: str(label) for size, label in SHORT_LABELS.items()}
    roles = {value: str(label) for value, label in Membership.Role.choices}
    countries: dict[str, tuple[str, str]] = {}
    badges = memberships_of(cities)
    result = []
    for city in cities:
        code = city.country.code
        if code not in countries:
            countries[code] = (str(city.country.name), city.country.flag)
        size = city.size_class
        result.append(
            Row(
                url=url_pattern.replace(placeholder, city.slug),
                name=city.name,
                country_code=code,
                country_name=countries[code][0],
                flag=countries[code][1],
                region=regions.get(city.region, ""),
                size=sizes[size] if size else "",
                size_short=short_sizes[size] if size else "",
                population=city.population,
                memberships=[
                    (network, role, roles.get(role, role)) for network, role in badges[city.pk]
                ],
            )
        )
    return result


def rows_html(rows: list[Row]) -> str:
    """The table's <tr>s, built here rather than in the template.

    Fifty rows of six cells and their badges cost the template language several
    milliseconds, most of a page whose results were not cached yet. Every value is
    escaped; the markup follows templates/directory/_results.html's table head.
    """
    population_label = escape(_("Population"))
    not_recorded = (
        '<span class="muted" aria-hidden="true">—</span>'
        f'<span class="visually-hidden">{escape(_("Not recorded"))}</span>'
    )
    html = []
    for row in rows:
        flag = (
            f'<img class="flag" src="{escape(row.flag)}" alt="" width="16" height="11">'
            if row.flag
            else ""
        )
        badges = "".join(
            f'<li class="memberships__item"><span class="memberships__network">{escape(network)}'
            f'</span> <span class="badge badge--{escape(role)}">{escape(label)}</span></li>'
            for network, role, label in row.memberships
        )
        population = (
            not_recorded
            if row.population is None
            else escape(number_format(row.population, force_grouping=True))
        )
        html.append(
            "<tr>"
            f'<th scope="row" class="table__city"><a href="{escape(row.url)}">{escape(row.name)}'
            "</a></th>"
            f'<td class="table__country"><span class="country">{flag}'
            f'<span class="country__name">{escape(row.country_name)}</span></span></td>'
            f'<td class="table__region">{escape(row.region)}</td>'
            f'<td class="table__size"><span title="{escape(row.size)}">'
            f"{escape(row.size_short)}</span></td>"
            '<td class="table__memberships">'
            + (f'<ul class="memberships">{badges}</ul>' if badges else "")
            + "</td>"
            f'<td class="table__number" data-label="{population_label}">{population}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 (every value escaped above)
