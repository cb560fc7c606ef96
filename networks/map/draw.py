"""The map as SVG and its table, built as strings (like the directory's rows).

A map has up to `extents.MAX_CELLS` marks; through the template language they cost
tens of milliseconds, here a few. Every value is escaped. Marks are sized in map units
from the grid's cell, so each stays inside its own cell and none covers another; on
screen the SVG scales with its container (viewBox). Colour is never the only cue: each
network kind has its own shape, a group of cities shows its number, and every mark is
a link whose accessible name (its <title>, also the pointer's tooltip) says what it is.
"""

import math

from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries as country_names

from cities.sizes import SHORT_LABELS, SizeClass, size_class_for
from networks.map.grid import Cell, Grid

OUTLINES = "map/world-110m.svg"
# A lone city's mark, as a share of the cell's side, by size class (None: not recorded).
SIZE_SHARE = {
    None: 0.13,
    SizeClass.TOWN: 0.13,
    SizeClass.SMALL: 0.17,
    SizeClass.MEDIUM: 0.21,
    SizeClass.METROPOLITAN: 0.26,
    SizeClass.LARGE_METROPOLITAN: 0.31,
}
# A group's circle grows with the log of its number, from MIN to MAX of the cell's side
# (MAX < 0.5: it never leaves its cell).
GROUP_MIN, GROUP_MAX, GROUP_FULL = 0.32, 0.48, 10_000


def _kind_names() -> dict[str, str]:
    return {
        "global": _("member of the global network"),
        "regional": _("member of a regional network"),
        "national": _("member of a national network"),
    }


def _number(value: float, precision: int = 0) -> str:
    return f"{value:.{precision}f}"


def _shape(kind: str, x: float, y: float, r: float, precision: int) -> str:
    """A circle (global), a square (regional) or a triangle (national) around (x, y)."""

    def n(value: float) -> str:
        return _number(value, precision)

    if kind == "regional":
        side = r * 1.8
        return (
            f'<rect x="{n(x - side / 2)}" y="{n(y - side / 2)}" '
            f'width="{n(side)}" height="{n(side)}"/>'
        )
    if kind == "national":
        h = r * 1.2
        return f'<path d="M{n(x)} {n(y - h * 1.1)}l{n(h)} {n(h * 1.9)}h{n(-2 * h)}z"/>'
    return f'<circle cx="{n(x)}" cy="{n(y)}" r="{n(r)}"/>'


def _clamped(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _place(x: float, y: float) -> str:
    """The position of (x, y) in map units as whole degrees, e.g. "46° N, 5° E"."""
    lat, lon = -y / 10, x / 10
    lat_text = (_("%(degrees)s° N") if lat >= 0 else _("%(degrees)s° S")) % {
        "degrees": f"{abs(lat):.0f}"
    }
    lon_text = (_("%(degrees)s° E") if lon >= 0 else _("%(degrees)s° W")) % {
        "degrees": f"{abs(lon):.0f}"
    }
    return f"{lat_text}, {lon_text}"


class Drawing:
    """Draws one grid: `svg()` the map, `table_rows()` the per-country table.

    `filters`: the map's filters ({"network": slug, "region": code}, empty values left
    out), carried into the directory links of groups and table rows.
    """

    def __init__(self, grid: Grid, filters: dict[str, str]):
        self.grid = grid
        self.filters = {key: value for key, value in filters.items() if value}
        self.cell = grid.extent.cell
        # Whole map units (a tenth of a degree) are fine enough on a world map; a
        # region's cells are smaller, its marks drawn to a hundredth of a degree.
        self.precision = 0 if self.cell >= 40 else 1
        self.city_url = reverse("cities:detail", kwargs={"slug": "__slug__"})
        self.directory_url = reverse("directory")
        self.kinds = _kind_names()
        self.sizes = {size: str(label) for size, label in SHORT_LABELS.items()}
        self._countries: dict[str, str] = {}

    def country(self, code: str) -> str:
        if code not in self._countries:
            self._countries[code] = str(country_names.name(code)) or code
        return self._countries[code]

    def directory_link(self, code: str) -> str:
        return f"{self.directory_url}?{urlencode({**self.filters, 'country': code})}"

    def svg(self, *, labelledby: str) -> str:
        extent = self.grid.extent
        marks = "".join(
            self._city(cell) if cell.city is not None else self._group(cell)
            for cell in self.grid.cells
        )
        return (
            f'<svg class="map__svg" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="{extent.view_box()}" role="group" aria-labelledby="{escape(labelledby)}">'
            f'<image href="{escape(static(OUTLINES))}" x="-1800" y="-900" width="3600" '
            'height="1800" preserveAspectRatio="none" aria-hidden="true"/>'
            f'<g class="map__marks">{marks}</g></svg>'
        )

    def _bounds(self, cell: Cell, r: float) -> tuple[float, float]:
        """The mark's centre, kept inside its own cell so that marks never overlap."""
        x0 = self.grid.extent.x0 + cell.column * self.cell
        y0 = self.grid.extent.y0 + cell.row * self.cell
        return (
            _clamped(cell.x, x0 + r, x0 + self.cell - r),
            _clamped(cell.y, y0 + r, y0 + self.cell - r),
        )

    def _city(self, cell: Cell) -> str:
        city = cell.city
        size = size_class_for(city.population)
        r = self.cell * SIZE_SHARE[size]
        cell.x, cell.y = city.x, city.y
        x, y = self._bounds(cell, r)
        label = _("%(city)s, %(country)s – %(kind)s, %(size)s") % {
            "city": city.name,
            "country": self.country(city.country),
            "kind": self.kinds.get(city.kind, city.kind),
            "size": self.sizes[size] if size else _("population not recorded"),
        }
        url = self.city_url.replace("__slug__", city.slug)
        return (
            f'<a href="{escape(url)}" class="map__city map__city--{escape(city.kind)}">'
            f"<title>{escape(label)}</title>{_shape(city.kind, x, y, r, self.precision)}</a>"
        )

    def _group(self, cell: Cell) -> str:
        share = GROUP_MIN + (GROUP_MAX - GROUP_MIN) * min(
            1.0, math.log10(cell.count) / math.log10(GROUP_FULL)
        )
        r = self.cell * share
        x, y = self._bounds(cell, r)
        code, _count = cell.countries[0]
        values = {
            "count": number_format(cell.count, force_grouping=True),
            "place": _place(cell.x, cell.y),  # where the cities are, not the drawn mark
            "country": self.country(code),
        }
        if len(cell.countries) == 1:
            label = ngettext(
                "%(count)s member city near %(place)s, in %(country)s: "
                "list the member cities of %(country)s",
                "%(count)s member cities near %(place)s, in %(country)s: "
                "list the member cities of %(country)s",
                cell.count,
            )
        else:
            label = ngettext(
                "%(count)s member city near %(place)s, most in %(country)s: "
                "list the member cities of %(country)s",
                "%(count)s member cities near %(place)s, most in %(country)s: "
                "list the member cities of %(country)s",
                cell.count,
            )
        digits = str(cell.count)
        font = min(self.cell * 0.36, 1.8 * r / (0.6 * len(digits)))
        x, y, r, font = (_number(value, self.precision) for value in (x, y, r, font))
        return (
            f'<a href="{escape(self.directory_link(code))}" class="map__group">'
            f"<title>{escape(label % values)}</title>"
            f'<circle cx="{x}" cy="{y}" r="{r}"/>'
            f'<text x="{x}" y="{y}" font-size="{font}">{digits}</text></a>'
        )

    def table_rows(self) -> list[dict]:
        """[{"code", "name", "count", "url"}] per country, most member cities first."""
        return [
            {
                "code": code,
                "name": self.country(code),
                "count": count,
                "url": self.directory_link(code),
            }
            for code, count in self.grid.countries
        ]
