"""Pages of cities: /api/v1/cities/ and a network's members, on the directory's code.

The filters, the search (folded by cities.gazetteer.fold), the sorts, the keyset
pages and the "exact up to 10,000, else about N" total are the directory's own
(networks.filters.DirectoryFilter, networks.directory.page and .count), so the API and
/directory/ list the same cities in the same order with the same total. Like the
directory's HTML, a page's JSON is kept for a minute per data version, language and
query, and an unchanged page is answered 304 before any query.
"""

import datetime
import hashlib
import json
from enum import Enum

from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from alliance import data_version
from alliance.api import conditional, revalidate
from alliance.api.problems import problem
from cities.models import City
from cities.regions import Region
from cities.sizes import SizeClass
from networks.directory import counting
from networks.directory import query as directory
from networks.directory.filters import DirectoryFilter
from networks.models import Membership

PAGING = ("after", "before", "last")


def filter_data(filters) -> dict[str, str]:
    """The validated query parameters as the directory's form reads them (strings),
    empty ones left out."""
    data = {}
    for name, value in filters.dict().items():
        if value in (None, "", False):
            continue
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif value is True:
            value = "1"
        data[name] = str(value)
    return data


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:32]


def city_page(request, filters, *, fixed: dict | None = None) -> HttpResponse:
    """One page of cities matching `filters` (a CityFilters), `fixed` overriding them
    (a network's members: {"network": slug}). 400 with the field errors for a bad
    filter or cursor; 304 when the client's copy is current."""
    data = {**filter_data(filters), **(fixed or {})}
    query = {k: v for k, v in data.items() if k not in PAGING}
    paging = {k: v for k, v in data.items() if k in PAGING}
    # An anonymous revalidation read the version already (alliance.api.revalidate).
    version = getattr(request, "api_data_version", None)
    version = data_version.current() if version is None else version
    language = get_language()
    shown = {k: v for k, v in data.items() if k not in (fixed or {})}
    etag = revalidate.page_etag(request, version, language)
    modified = conditional.version_time(version)
    # With If-None-Match, revalidation comes before the filters are checked: only a
    # page that was served (valid filters) ever had this ETag, so a match costs no more
    # than reading the version (anonymous ones are answered even before the API's
    # parsing, by alliance.api.revalidate). A date alone (If-Modified-Since) or "*"
    # fits any query, so those are checked once the page is known to be good (filters
    # and cursor): usually read from the cache, as the version is unchanged.
    early = conditional.names_an_etag(request)
    if early and (
        unchanged := conditional.not_modified(request, etag=etag, last_modified=modified)
    ):
        return unchanged
    key = f"api-cities:{version}:{language}:{_digest([request.path, data])}"
    # The page and its count in one round trip: after a change both are missing.
    counted = {k: v for k, v in query.items() if k != "sort"}
    found = cache.get_many([key, *counting.cache_keys(counted, version)])
    body = found.get(key)
    filterset = None
    if body is None:
        filterset = DirectoryFilter(query, queryset=City.objects.all())
        if not filterset.is_valid():
            errors = {name: list(messages) for name, messages in filterset.form.errors.items()}
            return problem(400, _bad_filter(), request=request, errors=errors)
    if body is None:
        try:
            body = _render(request, filterset, counted, paging, shown, version, found)
        except directory.BadCursor:
            return problem(400, _bad_cursor(), request=request)
        cache.set(key, body, directory.RESULTS_CACHE_SECONDS)
    if not early and (
        unchanged := conditional.not_modified(request, etag=etag, last_modified=modified)
    ):
        return unchanged
    response = HttpResponse(body, content_type="application/json")
    return conditional.headers(response, etag=etag, last_modified=modified)


def _bad_filter():
    return _("A filter has a value the directory does not know.")


def _bad_cursor():
    return _("The page cursor is not valid: follow the next and previous links.")


def _render(request, filterset, counted, paging, shown, version, cached) -> bytes:
    sort = filterset.form.cleaned_data.get("sort") or "name"
    queryset = filterset.qs
    page, total, exact = directory.counted_page(
        queryset,
        filters=counted,
        version=version,
        cached=cached,
        sort=sort,
        after=paging.get("after"),
        before=paging.get("before"),
        last="last" in paging,
    )
    plain = {k: v for k, v in shown.items() if k not in PAGING}

    def link(cursor_name, cursor):
        if cursor is None:
            return None
        return f"{request.path}?{urlencode({**plain, cursor_name: cursor})}"

    payload = {
        "count": total if exact else counting.about(total),
        "count_is_exact": exact,
        "next": link("after", page.next_cursor),
        "previous": link("before", page.previous_cursor),
        "results": city_rows(page.cities),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def memberships_of(city_ids: list[int]) -> dict[int, list[dict]]:
    """Each city's active memberships of active networks, in one query of plain values,
    sorted by network name; names in the current language, else English."""
    localized = build_localized_fieldname("name", get_language() or "en")
    fallback = build_localized_fieldname("name", "en")
    roles = {value: str(label) for value, label in Membership.Role.choices}
    found: dict[int, list[dict]] = {pk: [] for pk in city_ids}
    rows = (
        Membership.objects.active()
        .filter(city__in=city_ids, network__is_active=True)
        .values_list(
            "city_id", "network__slug", f"network__{localized}", f"network__{fallback}", "role"
        )
        .order_by()
    )
    for city_id, slug, name, english, role in rows:
        found[city_id].append(
            {
                "network": slug,
                "network_name": name or english,
                "role": role,
                "role_label": roles.get(role, role),
            }
        )
    for badges in found.values():
        badges.sort(key=lambda badge: (badge["network_name"], badge["network"]))
    return found


def city_rows(cities: list) -> list[dict]:
    """The API's (and the downloads') row of each city: plain values, labels in the
    current language, each label looked up once per page."""
    placeholder = "__slug__"
    page_url = reverse("cities:detail", kwargs={"slug": placeholder})
    api_url = reverse("api:city", kwargs={"slug": placeholder})
    regions = {value: str(label) for value, label in Region.choices}
    sizes = {size: str(size.label) for size in SizeClass}
    countries: dict[str, str] = {}
    badges = memberships_of([city.pk for city in cities])
    rows = []
    for city in cities:
        code = city.country.code
        if code not in countries:
            countries[code] = str(city.country.name)
        size = city.size_class
        rows.append(
            {
                "slug": city.slug,
                "name": city.name,
                "country": code,
                "country_name": countries[code],
                "region": city.region or None,
                "region_label": regions.get(city.region, ""),
                "size": size.value if size else None,
                "size_label": sizes[size] if size else "",
                "population": city.population,
                "member_since": city.member_since.isoformat() if city.member_since else None,
                "url": page_url.replace(placeholder, city.slug),
                "api_url": api_url.replace(placeholder, city.slug),
                "memberships": badges[city.pk],
            }
        )
    return rows
