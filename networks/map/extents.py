"""The area a map shows, in the map's projection.

The projection is equirectangular (plate carrée) in tenths of a degree: x is the
longitude × 10 and y the latitude × -10 (north up, as SVG's y grows downwards). A grid
cell in degrees is then a square on the map, which lets the database compute a city's
cell with plain arithmetic on its coordinates.
"""

import functools
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path

from cities.regions import Region, region_for_country

BOXES_PATH = Path(__file__).resolve().parent / "country_boxes.json"
# Marks are aggregated on a grid of at most this many cells, whatever the area shown:
# what bounds a map's size (networks.map.draw: a few hundred bytes per mark).
MAX_CELLS = 1000
# A map's grid is this many cells wide (a world map's 7.5 degrees each): at a desktop's width a
# cell is some 25 pixels, room for a group's number.
WORLD_COLUMNS = 48
# A country's box is widened to at least this (tenths of a degree), so a small
# country's map still shows its neighbours.
MIN_SPAN = 150
MARGIN = 0.08


@dataclass(frozen=True)
class Extent:
    """A rectangle of the map: west (x0), north (y0), width and height, in tenths of a
    degree (see the module's docstring)."""

    x0: int
    y0: int
    width: int
    height: int
    columns: int = WORLD_COLUMNS
    max_cells: int = MAX_CELLS

    @property
    def cell(self) -> int:
        """The grid's cell side, in tenths of a degree: the area's width over `columns`
        (WORLD_COLUMNS), larger when the area is so tall that it would make more than
        `max_cells` (MAX_CELLS) cells."""
        wide = math.ceil(self.width / self.columns)
        even = math.ceil(math.sqrt(self.width * self.height / self.max_cells))
        return max(wide, even, 1)

    def coarser(self) -> "Extent":
        """The same area on a grid of cells twice as wide (a quarter as many marks): the
        map a network's page shows among its other sections."""
        return replace(self, columns=self.columns // 2, max_cells=self.max_cells // 4)

    def view_box(self) -> str:
        return f"{self.x0} {self.y0} {self.width} {self.height}"

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x0 + self.width and self.y0 <= y <= self.y0 + self.height


def from_degrees(west: float, north: float, east: float, south: float) -> Extent:
    return Extent(
        round(west * 10), round(-north * 10), round((east - west) * 10), round((north - south) * 10)
    )


# Antarctica is left out: no member city lies there.
WORLD = from_degrees(-180, 85, 180, -60)

# Drawn by hand around each region's countries (cities.regions), with a margin.
REGIONS = {
    Region.LATIN_AMERICA: from_degrees(-120, 33, -30, -57),
    Region.NORTH_AMERICA: from_degrees(-170, 75, -50, 15),
    Region.EUROPE: from_degrees(-30, 75, 100, 33),
    Region.MIDDLE_EAST: from_degrees(-20, 42, 65, 10),
    Region.AFRICA: from_degrees(-25, 22, 60, -37),
    Region.SOUTH_ASIA: from_degrees(58, 39, 100, 4),
    Region.EAST_ASIA: from_degrees(70, 55, 180, -50),
}


@functools.cache
def _country_boxes() -> dict[str, list[int]]:
    return json.loads(BOXES_PATH.read_text(encoding="utf-8"))


def for_country(code: str) -> Extent:
    """The country's box from Natural Earth with a margin, or its region's (or the
    world) when the outlines do not have it (Singapore, Bahrain… at 1:110m)."""
    box = _country_boxes().get(str(code).upper())
    if box is None:
        region = region_for_country(code)
        return REGIONS.get(region, WORLD)
    west, north, east, south = box
    width, height = max(east - west, MIN_SPAN), max(south - north, MIN_SPAN)
    cx, cy = (west + east) / 2, (north + south) / 2
    width, height = width * (1 + 2 * MARGIN), height * (1 + 2 * MARGIN)
    return Extent(round(cx - width / 2), round(cy - height / 2), round(width), round(height))


def for_filters(*, network=None, region: str = "") -> Extent:
    """What a map of `region`'s cities, or of `network`'s members, shows: the region's
    area; a regional network's region; a national network's country; else the world."""
    if region:
        return REGIONS.get(region, WORLD)
    if network is not None:
        if network.scope_region:
            return REGIONS.get(network.scope_region, WORLD)
        if network.scope_country:
            return for_country(network.scope_country.code)
    return WORLD
