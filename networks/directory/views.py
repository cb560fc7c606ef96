"""/directory/: the member cities partners browse, and its CSV export."""

import csv

from allauth.core.ratelimit import consume_or_429
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliance import data_version
from alliance.request_data import query_checked_by_form
from alliance.spreadsheet_cells import spreadsheet_cell
from cities.models import City
from networks.access import can_export
from networks.directory import counting, table
from networks.directory import query as directory
from networks.directory.filters import SELECTS, SORTS, DirectoryFilter, select_options
from networks.models import DirectoryExport

EXPORT_COLUMNS = [
    "name",
    "country",
    "region",
    "subdivision",
    "population",
    "size class",
    "networks",
    "member since",
    "website",
]


def _filtered(request, data=None) -> DirectoryFilter:
    # Always bound, even to an empty query: the member-only condition lives in the filter.
    data = request.GET if data is None else data
    return DirectoryFilter(data, queryset=City.objects.all(), request=request)


def _render(request, filterset, context, status=200, version=None):
    form = filterset.form
    version = data_version.current() if version is None else version
    options = {name: select_options(form[name], version) for name in SELECTS}
    return render(
        request,
        "directory/list.html",
        {"filter": filterset, "options": options, **context},
        status=status,
    )


PAGING = ("after", "before", "last")


@query_checked_by_form  # DirectoryFilter; the cursors are checked by directory.decode_cursor
@require_safe
def directory_list(request):
    filterset = _filtered(request)
    if not filterset.is_valid():
        return _render(request, filterset, {"invalid": True}, status=400)
    kept = {key: value for key, value in request.GET.items() if key in filterset.filters and value}
    # The same page of the same filters is the same HTML for everyone until the data
    # changes, and partners page through the same few views: rendered once per version.
    version = data_version.current()
    paging = {key: request.GET[key] for key in PAGING if key in request.GET}
    key = directory.results_cache_key({**kept, **paging}, get_language(), version)
    results = cache.get(key)
    if results is None:
        try:
            results = _results(filterset, kept, version)
        except directory.BadCursor:
            return _render(request, filterset, {"invalid": True}, status=400)
        cache.set(key, results, directory.RESULTS_CACHE_SECONDS)
    return _render(
        request,
        filterset,
        {
            "results": results,
            "query": urlencode(kept),
            "has_filters": any(k != "sort" for k in kept),
            "can_export": can_export(request.user),
            # The export form repeats the filters as hidden fields (it is a POST).
            "export_filters": sorted(kept.items()),
        },
        version=version,
    )


def _results(filterset, kept: dict, version: int) -> dict:
    """The count and the rendered table and pager of the page the request asks for."""
    request = filterset.request
    sort = filterset.form.cleaned_data.get("sort") or "name"
    queryset = filterset.qs
    filters = {key: value for key, value in kept.items() if key != "sort"}
    after, before = request.GET.get("after"), request.GET.get("before")
    cached = cache.get_many(counting.cache_keys(filters, version))
    page, total, exact = directory.counted_page(
        queryset,
        filters=filters,
        version=version,
        cached=cached,
        sort=sort,
        after=after,
        before=before,
        last="last" in request.GET,
    )
    total = total if exact else counting.about(total)
    html = render_to_string(
        "directory/_results.html",
        {
            "page": page,
            "table_rows": table.rows_html(table.rows(page.cities)),
            "total": total,
            "total_is_exact": exact,
            "sort_label": SORTS[sort],
            "query": urlencode(kept),
            "has_filters": bool(filters),
        },
    )
    return {"html": html, "total": total, "exact": exact}


class _Echo:
    def write(self, value):
        return value


# A POST with the CSRF token: the export writes a log row and spends the visitor's
# quota, so another site must not be able to start one in a signed-in partner's
# browser with a link or an <img> (issue #15, section 4). A GET answers 405.
@require_POST
@query_checked_by_form  # DirectoryFilter
@login_required
def directory_export(request):
    if not can_export(request.user):
        raise PermissionDenied
    limited = consume_or_429(request, action="directory_export", user=request.user)
    if limited:
        return limited
    filterset = _filtered(request, request.POST)
    if not filterset.is_valid():
        return _render(request, filterset, {"invalid": True}, status=400)
    filters = {k: v for k, v in request.POST.items() if k in filterset.filters and v}
    DirectoryExport.objects.create(user=request.user, filters=filters)
    queryset = directory.with_memberships(filterset.qs).order_by("name", "pk")

    def rows():
        writer = csv.writer(_Echo())
        # The byte order mark makes Excel read the file as UTF-8 (accents, smart quotes).
        yield "\N{BYTE ORDER MARK}"
        yield writer.writerow([_(column) for column in EXPORT_COLUMNS])
        for city in queryset.iterator(chunk_size=2000):
            size = city.size_class
            yield writer.writerow(
                spreadsheet_cell(value)
                for value in [
                    city.name,
                    city.country.code,
                    city.get_region_display(),
                    city.subdivision,
                    city.population,
                    size.label if size else "",
                    "; ".join(
                        f"{m.network.name} ({m.get_role_display()})"
                        for m in city.active_memberships
                    ),
                    city.member_since or "",
                    city.website,
                ]
            )

    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="alliance-directory-{stamp}.csv"'
    return response
