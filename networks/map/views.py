"""/map/ and the member map of a network's page: drawn once per version of the data.

The map of the same filters is the same for everyone until the directory's data
changes (alliance.data_version: every change to cities, memberships or networks
starts a new version), so the grid is computed once per version and set of
filters, and drawn once more per language; a map seen since costs no query. A large
map (its grid's GROUP BY took over REBUILD_BUDGET_SECONDS, e.g. the world map at
200,000 cities) is aggregated again at most once per MAP_STALE_SECONDS: a change shows
on it within MAP_STALE_SECONDS (30 s), on every other map at once (grid_for).
"""

import time

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from alliance import data_version, rendered
from alliance.request_data import query_checked_by_form
from cities.models import City
from cities.regions import Region
from networks.directory import facts as directory_facts
from networks.directory.filters import select_options
from networks.map import extents
from networks.map.draw import Drawing
from networks.map.forms import MapFilter
from networks.map.grid import Grid, cells_of

# Like the directory's rendered results: the key's version changes with the data; the
# minute bounds what a bulk update that sends no signal could leave stale.
MAP_CACHE_SECONDS = 60
# A grid that took longer than this to build is built at most once per
# MAP_STALE_SECONDS, whatever the number of changes in between (see grid_for).
REBUILD_BUDGET_SECONDS = 0.1
MAP_STALE_SECONDS = 30


def listed(*, network=None, region: str = ""):
    """The cities the directory lists for ?network=&region= (as its DirectoryFilter
    does: the membership facts kept on each city, networks/directory/facts.py), so a
    group's count is what its directory link finds."""
    cities = City.objects.all()
    if region:
        cities = cities.filter(region=region)
    key = directory_facts.key_for(network=network)
    if key == directory_facts.ALL:
        return cities.filter(is_member=True)
    return cities.filter(directory_facts.matching(key))


def grid_for(
    *, network=None, region: str = "", coarse: bool = False, version: int | None = None
) -> Grid:
    """The grid of `listed` cities for these filters; `coarse`: a quarter as many cells
    (Extent.coarser).

    Kept per set of filters with the version of the data it was built from. A grid of
    an older version is built again, except when it was expensive (its GROUP BY took
    more than REBUILD_BUDGET_SECONDS: the world map at 200,000 cities takes 0.4-2.5 s)
    and is at most MAP_STALE_SECONDS old: then it is served, marked `stale_until`. So a
    change shows on a large map within MAP_STALE_SECONDS, on the others at once, and a
    burst of changes (an import, an admin session) costs one GROUP BY per map per
    MAP_STALE_SECONDS rather than one per change and visitor.
    """
    version = data_version.current() if version is None else version
    key = f"map-grid:{network.pk if network else ''}:{region}:{coarse}"
    kept = cache.get(key)
    if kept is not None:
        built_version, built_at, took, grid = kept
        if built_version == version:
            return grid
        if took > REBUILD_BUDGET_SECONDS and time.time() < built_at + MAP_STALE_SECONDS:
            grid.stale_until = built_at + MAP_STALE_SECONDS
            return grid
    built_at, started = time.time(), time.perf_counter()
    cities = listed(network=network, region=region)
    extent = extents.for_filters(network=network, region=region)
    extent = extent.coarser() if coarse else extent
    grid = cells_of(cities, extent, kind=network.kind if network else "")
    took = time.perf_counter() - started
    cache.set(key, (version, built_at, took, grid), MAP_STALE_SECONDS)
    return grid


def map_figure(*, network=None, region: str = "", in_page: bool = False) -> str:
    """The rendered map, legend and table of these filters (safe HTML), per language.

    The page around it gives the heading with id="map-caption" that labels the map.
    `in_page`: a map among a page's other sections (a network's): a coarser grid, so at
    most a quarter of the marks, and the table folded in a <details>.
    """
    return map_figure_kept(network=network, region=region, in_page=in_page)[0]


def map_figure_kept(*, network=None, region: str = "", in_page: bool = False) -> tuple[str, int]:
    """(map_figure's HTML, for how many more seconds it may be kept): what a page that
    keeps the figure among its own pieces must not keep longer (a figure drawn from a
    grid of an older version is served only until that grid's stale_until)."""
    version = data_version.current()
    # (html, until), not the html alone as under the "map-html:" keys before: another
    # prefix, so a process of either kind never reads the other's entries.
    filters = f"{network.pk if network else ''}:{region}:{in_page}"
    key = f"map-figure:{version}:{get_language()}:{filters}"
    kept = cache.get(key)
    if kept is None:
        grid = grid_for(network=network, region=region, coarse=in_page, version=version)
        html = _drawn(grid, network=network, region=region, in_page=in_page)
        seconds = MAP_CACHE_SECONDS
        if grid.stale_until is not None:  # drawn from an older grid: no longer than it
            seconds = max(1, min(seconds, int(grid.stale_until - time.time())))
        kept = (html, time.time() + seconds)
        cache.set(key, kept, seconds)
    html, until = kept
    return mark_safe(html), max(1, int(until - time.time()))  # noqa: S308 (a template's output)


def _drawn(grid: Grid, *, network, region: str, in_page: bool) -> str:
    """The figure of `grid` (its SVG drawn, then the template), kept by what it shows.

    A new data version gives the same grid when the change was elsewhere (a city of
    another network): the drawing and the template are then not run again
    (alliance/rendered.py explains why the digest is a safe key).
    """
    stale_until, grid.stale_until = grid.stale_until, None  # not what is drawn
    shown = {"grid": grid, "network": network, "region": region, "in_page": in_page}
    key = f"map-drawn:{get_language()}:{rendered.digest(shown)}"
    grid.stale_until = stale_until
    html = cache.get(key)
    if html is None:
        drawing = Drawing(grid, {"network": network.slug if network else "", "region": region})
        html = render_to_string(
            "map/_figure.html",
            {
                "svg": mark_safe(drawing.svg(labelledby="map-caption")),  # noqa: S308 (escaped there)
                "grid": grid,
                "countries": drawing.table_rows(),
                "collapse_table": in_page,
                "network": network,
            },
        )
        cache.set(key, html, rendered.SECONDS)
    return html


def caption(network=None, region: str = "") -> str:
    """The map's heading for its filters, e.g. "Member cities of X in South Asia"."""
    region_name = dict(Region.choices).get(region, "")
    if network and region:
        return _("Member cities of %(network)s in %(region)s") % {
            "network": network.name,
            "region": region_name,
        }
    if network:
        return _("Member cities of %(network)s") % {"network": network.name}
    if region:
        return _("Member cities in %(region)s") % {"region": region_name}
    return _("All member cities")


@query_checked_by_form  # MapFilter
@require_safe
def map_page(request):
    form = MapFilter(request.GET)
    # The <option>s as the directory builds them: once per process, language and version.
    version = data_version.current()
    options = {name: select_options(form[name], version) for name in form.fields}
    if not form.is_valid():
        context = {"form": form, "options": options, "invalid": True}
        return render(request, "map/map.html", context, status=400)
    network, region = form.cleaned_data["network"], form.cleaned_data["region"]
    kept = {"network": network.slug if network else "", "region": region}
    return render(
        request,
        "map/map.html",
        {
            "form": form,
            "options": options,
            "caption": caption(network, region),
            "figure": map_figure(network=network, region=region),
            "has_filters": bool(network or region),
            "query": urlencode({key: value for key, value in kept.items() if value}),
        },
    )
