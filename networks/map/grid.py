"""Member cities aggregated on a grid, in the database: one GROUP BY, whatever their number.

A map of 200,000 cities cannot draw each one (tens of megabytes, and marks on top of
each other): cities are counted per grid cell and country in one query
(`cells_of`); a cell with one city is drawn as that city, a cell with more as one mark
with their number. The grid comes from the area shown (`networks.map.extents`), so it
has at most `extents.MAX_CELLS` cells and the drawing stays bounded.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, FloatField, Min
from django.db.models.functions import Cast, Floor

from networks.map.extents import Extent
from networks.models import Network

# A city in several networks is drawn as its most local one's kind (a national
# network's member is also in the global alliance, say).
KIND_ORDER = [Network.Kind.NATIONAL, Network.Kind.REGIONAL, Network.Kind.GLOBAL]


@dataclass
class City:
    """A city drawn on its own: where it is (map units), what it is called, its kind."""

    name: str
    slug: str
    country: str
    population: int | None
    x: float
    y: float
    kind: str


@dataclass
class Cell:
    """One grid cell's member cities: their number, mean position (map units) and
    number per country, largest first; `city` when there is only one."""

    column: int
    row: int
    count: int
    x: float
    y: float
    countries: list[tuple[str, int]] = field(default_factory=list)
    city: City | None = None
    first: int = 0  # the lowest city id: the city itself when count is 1


@dataclass
class Grid:
    """What a map draws and its table lists.

    `cells`: the cells inside the extent with at least one city; `countries`: [(ISO
    code, cities)] of every matching city, largest first, drawn or not; `total`: the
    matching cities; `unplaced`: those without coordinates (not drawn); `outside`: those
    outside the extent (not drawn either).
    """

    extent: Extent
    cells: list[Cell]
    countries: list[tuple[str, int]]
    total: int
    unplaced: int
    outside: int
    # Set by networks.map.views.grid_for on a grid of an older version of the data,
    # served while it is at most MAP_STALE_SECONDS old: when (time.time()) it stops
    # being served, so what is drawn from it must not be kept longer.
    stale_until: float | None = None


def cells_of(cities, extent: Extent, *, kind: str = "") -> Grid:
    """Aggregate the `cities` QuerySet (already filtered) on `extent`'s grid.

    Two queries, each bounded: the GROUP BY (one row per cell and country, so at most
    MAX_CELLS × the countries a cell touches), then the cells' lone cities. `kind`: the
    kind every city is drawn as (a map of one network), else each city's most local.
    """
    size = extent.cell
    lon = Cast("longitude", FloatField())
    lat = Cast("latitude", FloatField())
    groups = (
        cities.order_by()
        .annotate(
            map_column=Floor((lon * 10 - extent.x0) / size),
            map_row=Floor((lat * -10 - extent.y0) / size),
        )
        .values("map_column", "map_row", "country")
        .annotate(n=Count("id"), mean_lon=Avg(lon), mean_lat=Avg(lat), first=Min("id"))
    )
    by_cell: dict[tuple[int, int], Cell] = {}
    per_country: dict[str, int] = defaultdict(int)
    total = unplaced = outside = 0
    for row in groups:
        count, country = row["n"], row["country"]
        total += count
        per_country[country] += count
        if row["map_column"] is None or row["map_row"] is None:
            unplaced += count
            continue
        x, y = row["mean_lon"] * 10, row["mean_lat"] * -10
        if not extent.contains(x, y):
            outside += count
            continue
        key = (int(row["map_column"]), int(row["map_row"]))
        cell = by_cell.get(key)
        if cell is None:
            cell = by_cell[key] = Cell(
                column=key[0], row=key[1], count=0, x=0.0, y=0.0, first=row["first"]
            )
        # The mean of the groups' means, weighted by their cities.
        cell.x = (cell.x * cell.count + x * count) / (cell.count + count)
        cell.y = (cell.y * cell.count + y * count) / (cell.count + count)
        cell.count += count
        cell.countries.append((country, count))
    cells = sorted(by_cell.values(), key=lambda c: (c.row, c.column))
    for cell in cells:
        cell.countries.sort(key=lambda pair: (-pair[1], pair[0]))
    _add_lone_cities([cell for cell in cells if cell.count == 1], kind)
    countries = sorted(per_country.items(), key=lambda pair: (-pair[1], pair[0]))
    return Grid(extent, cells, countries, total, unplaced, outside)


def _add_lone_cities(cells: list[Cell], kind: str) -> None:
    """Each cell's one city, with its name, exact place and network kind: the kinds
    of its active memberships are read from the facts kept on the city
    (networks/directory/facts.py, keys "k:<kind>"), in the same query."""
    from cities.models import City as CityModel

    if not cells:
        return
    ids = [cell.first for cell in cells]
    rows = CityModel.objects.filter(pk__in=ids).values(
        "id", "name", "slug", "country", "population", "latitude", "longitude", "member_facts"
    )
    found = {row["id"]: row for row in rows}
    for cell in cells:
        row = found.get(cell.first)
        if row is None or row["latitude"] is None:  # changed since the GROUP BY
            continue
        facts = row["member_facts"] or {}
        own = kind or next((k for k in KIND_ORDER if f"k:{k}" in facts), KIND_ORDER[-1])
        cell.city = City(
            name=row["name"],
            slug=row["slug"],
            country=row["country"],
            population=row["population"],
            x=float(row["longitude"]) * 10,
            y=float(row["latitude"]) * -10,
            kind=str(own),
        )
