"""A world map of countries drawn by the site: SVG outlines computed from the vendored Natural
Earth boundaries (taxonomy/data/README.md), in the Equal Earth projection, so that no tile
server or script is needed and the map reads without JavaScript.

`country_shapes()` decodes the TopoJSON once per process; `shaded_map(counts)` gives what the
map template draws for a {country code: count} mapping."""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

BOUNDARIES = Path(__file__).parent / "data" / "countries-110m.json"

# Width of the drawing in SVG units; the height follows from the projection.
MAP_WIDTH = 960
# Antarctica (ISO numeric 010) takes a sixth of the height and holds no practice.
LEFT_OUT = {"010"}
# Outlines without an ISO numeric code in the data, and the codes they go by.
CODES_BY_NAME = {"Kosovo": "XK", "N. Cyprus": "", "Somaliland": ""}

# Equal Earth (Šavrič, Patterson and Jenny, 2018): an equal-area projection, so that a
# country's shaded area is in proportion to its size.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2

# Practices from which a country takes each shade (the last shade has no upper bound).
SHADE_THRESHOLDS = (1, 3, 10, 30, 100)


def equal_earth(longitude, latitude):
    """(x, y) in the projection's own units for a point in degrees."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def _decoded_arcs(topology):
    """Every arc as [(longitude, latitude)]: TopoJSON stores quantised deltas."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(arc_indexes, arcs):
    """A closed ring from arc indexes; ~i is arc i reversed. Consecutive arcs share their
    meeting point, kept once."""
    points = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _on_one_side(ring):
    """A ring that crosses the antimeridian (Russia's far east, Fiji) jumps from 180° to
    -180°, which a flat map would draw as a band across the world: its points on the far side
    are moved onto the meridian of the side that holds most of it."""
    if all(abs(a[0] - b[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False)):
        return ring
    east = sum(1 for longitude, _latitude in ring if longitude > 0) * 2 >= len(ring)
    edge = 180 if east else -180
    return [
        (longitude if (longitude > 0) == east else edge, latitude) for longitude, latitude in ring
    ]


def _polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def _alpha_2(geometry):
    numeric = geometry.get("id")
    if numeric is None:
        return CODES_BY_NAME.get(geometry.get("properties", {}).get("name", ""), "")
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country is not None else ""


@dataclass(frozen=True)
class CountryShape:
    code: str  # ISO 3166-1 alpha-2, "" for outlines that are no ISO country
    path: str  # SVG path data


@dataclass(frozen=True)
class MapDrawing:
    width: int
    height: int
    shapes: tuple


@cache
def country_shapes():
    """The map's outlines, projected and scaled to MAP_WIDTH: a `MapDrawing`."""
    topology = json.loads(BOUNDARIES.read_text())
    arcs = _decoded_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT:
            continue
        rings = [
            [equal_earth(lon, lat) for lon, lat in _on_one_side(_ring(ring, arcs))]
            for polygon in _polygons(geometry)
            for ring in polygon
        ]
        countries.append((_alpha_2(geometry), rings))
    xs = [x for _code, rings in countries for ring in rings for x, _y in ring]
    ys = [y for _code, rings in countries for ring in rings for _x, y in ring]
    left, top = min(xs), max(ys)
    factor = MAP_WIDTH / (max(xs) - left)
    height = math.ceil((top - min(ys)) * factor)
    shapes = []
    for code, rings in countries:
        commands = []
        for ring in rings:
            points = []
            for x, y in ring:
                # Whole units: at this width the 1:110m outlines have no finer detail to keep.
                point = (round((x - left) * factor), round((top - y) * factor))
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) < 3:
                continue
            coordinates = " ".join(f"{x},{y}" for x, y in points)
            commands.append(f"M{coordinates}Z")
        if commands:
            shapes.append(CountryShape(code=code, path="".join(commands)))
    return MapDrawing(width=MAP_WIDTH, height=height, shapes=tuple(shapes))


def shade(count):
    """0 for none, else 1 to len(SHADE_THRESHOLDS)."""
    return sum(1 for threshold in SHADE_THRESHOLDS if count >= threshold)


def shade_legend():
    """[(shade, lowest count, highest count or None)] for the map's key."""
    bounds = list(SHADE_THRESHOLDS) + [None]
    return [
        (index, low, high - 1 if high is not None else None)
        for index, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False), start=1)
    ]
