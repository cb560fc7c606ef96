"""Build the map's country outlines from Natural Earth, once: run by hand, output committed.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m networks.map.build_outlines package/countries-110m.json

Source: Natural Earth's 1:110m Admin 0 countries (public domain, naturalearthdata.com),
as TopoJSON in the npm package world-atlas 2.0.2 (ISC licence, Mike Bostock), which
already simplifies and quantises them. Output:

- static/map/world-110m.svg: every country but Antarctica as one filled path in the
  map's equirectangular projection (networks.map.projection: x = longitude, y = -latitude,
  in tenths of a degree), drawn under the member cities by <image>, so browsers cache it
  and a page carries only its points;
- networks/map/country_boxes.json: {ISO 3166-1 alpha-2: [west, north, east, south]} in
  the same units, the area a national network's map shows.

Needs no Django and no third-party package: TopoJSON's arcs are decoded here (the
format: github.com/topojson/topojson-specification, "2.1.5 Arcs" and "2.1.3 Transforms").
"""

import argparse
import hashlib
import json
from pathlib import Path

# The file the outlines were built from, so a rebuild from another version is noticed.
SOURCE_SHA256 = "2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"
ROOT = Path(__file__).resolve().parents[2]
SVG_PATH = ROOT / "static" / "map" / "world-110m.svg"
BOXES_PATH = Path(__file__).resolve().parent / "country_boxes.json"
ANTARCTICA = "010"  # ISO 3166-1 numeric: not drawn, no member city lies there
# A polygon smaller than this share of its country's largest counts for the drawing but
# not for the country's box: far islands would otherwise stretch it across an ocean.
BOX_MIN_SHARE = 0.1


def decode_arcs(topology: dict) -> list[list[tuple[int, int]]]:
    """Each arc as absolute points in tenths of a degree: (x = lon, y = -lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round((x * sx + tx) * 10), round(-(y * sy + ty) * 10)))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list) -> list[tuple[int, int]]:
    """A ring's points from its arc indexes (~i is arc i reversed); shared ends once."""
    points: list[tuple[int, int]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrapped(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ring without jumps across the antimeridian: a step of more than 180 degrees
    east or west is the same step the short way round (Fiji's, Russia's rings), so
    the ring may run past x = ±1800."""
    shift, previous, points = 0, ring[0][0], []
    for x, y in ring:
        if x - previous > 1800:
            shift -= 3600
        elif previous - x > 1800:
            shift += 3600
        previous = x
        points.append((x + shift, y))
    return points


def copies(ring: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The ring, and a copy a world away for the part that runs past the antimeridian."""
    xs = [x for x, _y in ring]
    result = [ring]
    if max(xs) > 1800:
        result.append([(x - 3600, y) for x, y in ring])
    if min(xs) < -1800:
        result.append([(x + 3600, y) for x, y in ring])
    return result


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def path_data(ring: list[tuple[int, int]]) -> str:
    """A closed ring as SVG path data with relative moves; repeated points dropped."""
    x0, y0 = ring[0]
    parts = [f"M{x0} {y0}"]
    x, y = x0, y0
    for px, py in ring[1:]:
        if (px, py) != (x, y):
            parts.append(f"{px - x} {py - y}")
            x, y = px, py
    return parts[0] + "l" + " ".join(parts[1:]) + "z" if len(parts) > 2 else ""


def area(ring: list[tuple[int, int]]) -> float:
    """The ring's area by the shoelace formula, in square map units."""
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs)) / 2


def build(topology: dict) -> tuple[str, dict]:
    """(the SVG document, {alpha-2: [west, north, east, south]})."""
    # django-countries' table, read without settings: ISO numeric -> alpha-2.
    from django_countries.data import ALT_CODES

    alpha2 = {numeric: code for code, (_alpha3, numeric) in ALT_CODES.items()}
    arcs = decode_arcs(topology)
    paths, boxes = [], {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA:
            continue
        outer = []
        for polygon in polygons(geometry):
            rings = [unwrapped(ring_points(ring, arcs)) for ring in polygon]
            paths.extend(path_data(copy) for ring in rings for copy in copies(ring))
            outer.append(rings[0])
        # Kosovo, Northern Cyprus and Somaliland have no ISO number in the source.
        code = alpha2.get(int(geometry["id"]), "") if geometry.get("id") else ""
        if code and outer:
            largest = max(area(ring) for ring in outer)
            kept = [p for ring in outer if area(ring) >= BOX_MIN_SHARE * largest for p in ring]
            xs, ys = [p[0] for p in kept], [p[1] for p in kept]
            boxes[code] = [max(min(xs), -1800), min(ys), min(max(xs), 1800), max(ys)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1800 -900 3600 1800" '
        'width="3600" height="1800">'
        "<!-- Natural Earth 1:110m countries (public domain), via world-atlas 2.0.2 -->"
        '<path fill="#dfe6ec" stroke="#ffffff" stroke-width="1.2" stroke-linejoin="round" '
        f'd="{"".join(p for p in paths if p)}"/></svg>\n'
    )
    return svg, dict(sorted(boxes.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas's countries-110m.json")
    args = parser.parse_args()
    raw = args.topojson.read_bytes()
    if hashlib.sha256(raw).hexdigest() != SOURCE_SHA256:
        parser.error("not world-atlas 2.0.2's countries-110m.json (its SHA-256 differs)")
    svg, boxes = build(json.loads(raw))
    SVG_PATH.write_text(svg, encoding="utf-8")
    BOXES_PATH.write_text(json.dumps(boxes, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{SVG_PATH}: {len(svg):,} bytes; {BOXES_PATH}: {len(boxes)} countries")


if __name__ == "__main__":
    main()
