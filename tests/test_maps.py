"""portal.maps: SVG maps drawn from the committed Natural Earth geometry (data/geo/)."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from portal import maps
from portal.thai import thai_digits

SVG = "{http://www.w3.org/2000/svg}"
CHIANG_MAI = (18.79, 98.98)
TOKYO = (35.68, 139.69)
BANGKOK = (13.75, 100.5)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything not well-formed


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in root.get("viewBox").split())


def path_bbox(d: str) -> tuple[float, float, float, float]:
    """Bounding box of the paths maps.py writes: 'M x y l dx dy dx dy … z', repeated."""
    xs, ys = [], []
    for sub in re.findall(r"M([^l]*)l([^z]*)z", d):
        nums = [float(n) for n in re.findall(r"-?\d*\.?\d+", " ".join(sub))]
        x, y = nums[0], nums[1]
        xs.append(x), ys.append(y)
        for dx, dy in zip(nums[2::2], nums[3::2]):
            x, y = x + dx, y + dy
            xs.append(x), ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def tinted_paths(root: ET.Element, fill: str = maps.TINT) -> list[ET.Element]:
    return [p for g in root.iter(f"{SVG}g") if g.get("fill") == fill for p in g.findall(f"{SVG}path")]


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}a"))


def circle_of(a: ET.Element) -> tuple[float, float]:
    c = a.find(f"{SVG}circle")
    return float(c.get("cx")), float(c.get("cy"))


def inside(pt, box, slack=0.0) -> bool:
    return box[0] - slack <= pt[0] <= box[2] + slack and box[1] - slack <= pt[1] <= box[3] + slack


def test_world_map_is_well_formed_and_named():
    svg = maps.world_map([], title="Partners", desc="Where they are")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") is None  # role="img" would hide the links
    assert "width" not in root.attrib and "height" not in root.attrib  # scales to its container
    title_id, desc_id = root.get("aria-labelledby").split()
    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert ids[title_id].tag == f"{SVG}title" and ids[title_id].text == "Partners"
    assert ids[desc_id].tag == f"{SVG}desc" and ids[desc_id].text == "Where they are"
    assert len(root.findall(f".//{SVG}path")) > 150  # one path per country
    assert not re.search(r"\d\.\d\d", svg)  # coordinates rounded to one decimal


def test_point_is_a_named_link():
    point = maps.MapPoint(36.8, 137.4, "/en/pairs/chiang-mai-uozu/", "Uozu – Chiang Mai")
    native = maps.MapPoint(36.8, 137.4, "/ja/", "魚津市", lang="ja")
    root = parse(maps.world_map([point, native], title="t", desc="d"))
    a, b = links(root)
    assert a.get("href") == "/en/pairs/chiang-mai-uozu/"
    assert a.get("aria-label") == "Uozu – Chiang Mai"
    assert a.find(f"{SVG}title").text == "Uozu – Chiang Mai"
    assert a.find(f"{SVG}circle") is not None
    assert b.get("lang") == "ja" and a.get("lang") is None


def test_text_is_escaped():
    evil = '<script>alert("x")</script> & "quotes"'
    point = maps.MapPoint(0, 0, '/x?a=1&b="2"', evil)
    svg = maps.world_map([point], title=evil, desc=evil)
    assert "<script" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert root.find(f"{SVG}title").text == evil
    a = links(root)[0]
    assert a.get("aria-label") == evil and a.get("href") == '/x?a=1&b="2"'


def test_chiang_mai_falls_inside_thailand_on_the_world_map():
    point = maps.MapPoint(*CHIANG_MAI, "/p/chiang-mai/", "Chiang Mai")
    root = parse(maps.world_map([point], title="t", desc="d", highlight={"TH"}))
    (thailand,) = tinted_paths(root)
    box = path_bbox(thailand.get("d"))
    assert inside(circle_of(links(root)[0]), box)
    # Bangkok is in Thailand too, Tokyo is not.
    root = parse(maps.world_map([maps.MapPoint(*BANGKOK, "/b", "b"), maps.MapPoint(*TOKYO, "/t", "t")],
                                title="t", desc="d", highlight={"TH"}))
    bkk, tokyo = (circle_of(a) for a in links(root))
    assert inside(bkk, box) and not inside(tokyo, box)


def test_focus_crops_the_view_to_the_country():
    world = view_box(parse(maps.world_map([], title="t", desc="d")))
    cities = [maps.MapPoint(*TOKYO, "/tokyo", "Tokyo"), maps.MapPoint(43.06, 141.35, "/sapporo", "Sapporo"),
              maps.MapPoint(33.59, 130.4, "/fukuoka", "Fukuoka")]
    root = parse(maps.world_map(cities, title="t", desc="d", highlight={"JP"}, focus="JP", width=640))
    x0, y0, w, h = view_box(root)
    assert (x0, y0, w) == (0, 0, 640)
    (japan,) = tinted_paths(root)
    jx0, jy0, jx1, jy1 = path_bbox(japan.get("d"))
    assert jx1 - jx0 > 0.5 * w or jy1 - jy0 > 0.5 * h  # Japan fills most of the view
    # The main islands are in view, with a margin; the view is a crop around Japan, not the world rescaled.
    for a in links(root):
        x, y = circle_of(a)
        assert 0.05 * w < x < 0.95 * w and 0.05 * h < y < 0.95 * h
    assert h / w > 0.8 and world[3] / world[2] < 0.5   # (the world's own view is twice as wide as tall)
    assert len(links(root)) == 3
    # Japan's box lies far from Thailand.
    assert maps._focus_box(maps._geo()["fine"]["JP"])[0] > BANGKOK[1] + 20


def test_focus_shows_the_main_body_not_overseas_parts():
    fine = maps._geo()["fine"]
    for code, home, overseas in (("US", (40.7, -74.0), (21.3, -157.9)),   # New York, Honolulu
                                 ("FR", (48.9, 2.35), (4.9, -52.3)),      # Paris, Cayenne
                                 ("JP", (33.6, 130.4), (24.3, 153.9))):   # Fukuoka, Minami-Torishima
        x0, y0, x1, y1 = maps._focus_box(fine[code])
        assert x0 <= home[1] <= x1 and y0 <= home[0] <= y1, code
        assert not (x0 <= overseas[1] <= x1 and y0 <= overseas[0] <= y1), code
    # A point given with the focus is never cut off: the view grows to include it.
    root = parse(maps.world_map([maps.MapPoint(21.3, -157.9, "/honolulu", "Honolulu")],
                                title="t", desc="d", focus="US"))
    assert len(links(root)) == 1


def test_unknown_focus_is_an_error():
    with pytest.raises(ValueError, match="ZZ"):
        maps.world_map([], title="t", desc="d", focus="ZZ")


def test_country_links():
    root = parse(maps.world_map([], title="t", desc="d", highlight={"JP"},
                                country_links={"JP": ("/en/countries/japan/", "Japan")}))
    (a,) = links(root)
    assert a.get("href") == "/en/countries/japan/" and a.get("aria-label") == "Japan"
    assert a.find(f"{SVG}path").get("fill") == maps.TINT


def marks():
    return [maps.ProvinceMark("chiang-mai", *CHIANG_MAI, "/p/chiang-mai/", "Chiang Mai: 9 pairs", 9, "Chiang Mai"),
            maps.ProvinceMark("bangkok", *BANGKOK, "/p/bangkok/", "Bangkok: 3 pairs", 3, "Bangkok"),
            maps.ProvinceMark("nan", 18.78, 100.78, "/p/nan/", "Nan: no pairs", 0, "Nan"),
            maps.ProvinceMark("phuket", 7.88, 98.39, "/p/phuket/", "Phuket: 1 pair", 1, "Phuket")]


def all_marks():
    """A mark for each of the 77 provinces of data/provinces.yaml, counts 0-8 in turn."""
    provinces = yaml.safe_load((maps.ROOT / "data" / "provinces.yaml").read_text(encoding="utf-8"))
    return [maps.ProvinceMark(v["slug"], v["lat"], v["lon"], f"/p/{v['slug']}/", f"{name}: {i % 9}", i % 9, name)
            for i, (name, v) in enumerate(sorted(provinces.items()))]


def test_province_geometry_covers_the_77_provinces():
    doc = json.loads(maps.PROVINCE_GEO_FILE.read_text(encoding="utf-8"))
    slugs = {m.slug for m in all_marks()}
    assert set(doc["provinces"]) == slugs and len(slugs) == 77
    isos = [p["iso"] for p in doc["provinces"].values()]
    assert len(set(isos)) == 77 and all(re.fullmatch(r"TH-\d\d", i) for i in isos)
    # The newest province, split from Nong Khai in 2011, has a shape of its own.
    assert doc["provinces"]["bueng-kan"]["iso"] == "TH-38" and doc["provinces"]["nong-khai"]["iso"] == "TH-43"
    assert doc["provinces"]["bangkok"]["iso"] == "TH-10"
    assert doc["attribution"] == maps.PROVINCE_ATTRIBUTION and "public domain" in doc["licence"]


def test_neighbouring_provinces_share_their_border():
    """Simplified once per border, so neighbours meet without gaps or overlaps."""
    for level in ("fine", "light"):
        geo = maps._province_geo(level)
        for a, b in (("chiang-mai", "lamphun"), ("bangkok", "nonthaburi"), ("nong-khai", "bueng-kan")):
            shared = {p for r in geo[a] for p in r} & {p for r in geo[b] for p in r}
            assert len(shared) >= 2, (level, a, b)


def test_thailand_map_draws_every_province_as_a_named_link():
    root = parse(maps.thailand_map(all_marks(), title="Provinces", desc="d"))
    by_href = {a.get("href"): a for a in links(root)}
    assert len(by_href) == 77
    for m in all_marks():
        a = by_href[m.href]
        assert a.get("aria-label") == m.label and a.find(f"{SVG}title").text == m.label
        (shape,) = a.findall(f"{SVG}path")
        assert shape.get("fill") == maps.province_shade(m.count)
        x0, y0, x1, y1 = path_bbox(shape.get("d"))
        assert x1 > x0 and y1 > y0
    _, _, w, h = view_box(root)
    assert w == 360 and 1.4 < h / w < 2.2  # Thailand is tall
    # Chiang Mai's shape contains its seat; Phuket's is in the south.
    cm = path_bbox(by_href["/p/chiang-mai/"].find(f"{SVG}path").get("d"))
    pk = path_bbox(by_href["/p/phuket/"].find(f"{SVG}path").get("d"))
    assert cm[3] < 0.4 * h < pk[1]


def test_shades_and_their_key_agree():
    assert maps.province_shade(0) != maps.province_shade(1) != maps.province_shade(3) != maps.province_shade(6)
    classes = maps.shade_classes()
    assert classes[0] == (0, 0, maps.province_shade(0)) and classes[-1][1] is None
    for low, high, fill in classes:
        assert maps.province_shade(low) == fill and (high is None or maps.province_shade(high) == fill)


def test_thailand_map_highlight_and_labels():
    root = parse(maps.thailand_map(all_marks(), title="t", desc="d", highlight="nan", labels=["bangkok", "chiang-mai"]))
    last = links(root)[-1]  # drawn last, so its outline is on top
    assert last.get("href") == "/p/nan/"
    assert last.find(f"{SVG}path").get("stroke") == maps.EMPH
    labels = [g for g in root.iter(f"{SVG}g") if g.get("aria-hidden") == "true" and g.find(f"{SVG}text") is not None]
    (group,) = labels
    assert group.get("pointer-events") == "none"  # taps go through to the province
    assert [t.text for t in group.findall(f"{SVG}text")] == ["Nan", "Bangkok", "Chiang Mai"]
    with pytest.raises(ValueError):
        maps.thailand_map(marks(), title="t", desc="d", highlight="atlantis")


def test_labels_never_overlap():
    root = parse(maps.thailand_map(all_marks(), title="t", desc="d", labels=[m.slug for m in all_marks()], font=16))
    boxes = []
    for t in root.iter(f"{SVG}text"):
        x, y = float(t.get("x")), float(t.get("y"))
        boxes.append(maps._label_box(x, y, t.text, 16))
    assert 5 < len(boxes) < 77  # some fit, the rest are left out
    for i, a in enumerate(boxes):
        assert not any(maps._overlaps(a, b) for b in boxes[i + 1:])


def test_bangkok_inset_shows_the_small_provinces_large():
    root = parse(maps.thailand_map(all_marks(), title="t", desc="d", box=maps.BANGKOK_BOX))
    hrefs = {a.get("href") for a in links(root)}
    assert {"/p/bangkok/", "/p/nonthaburi/", "/p/samut-songkhram/", "/p/samut-prakan/"} <= hrefs
    assert "/p/chiang-mai/" not in hrefs and "/p/phuket/" not in hrefs
    x0, y0, x1, y1 = path_bbox(next(a for a in links(root) if a.get("href") == "/p/samut-songkhram/")
                               .find(f"{SVG}path").get("d"))
    assert min(x1 - x0, y1 - y0) > 26  # the smallest province is a good tap target here


def test_points_at_one_place_are_one_numbered_link():
    same = [maps.MapPoint(22.0, 100.77, f"/pairs/{n}/", f"Xishuangbanna – {n}") for n in ("nan", "chiang-rai", "phayao")]
    far = maps.MapPoint(*TOKYO, "/pairs/tokyo/", "Tokyo")
    seen = []

    def group(points):
        seen.append(sorted(p.href for p in points))
        return "/countries/china/", f"Xishuangbanna: {len(points)} partners"
    root = parse(maps.world_map([*same, far], title="t", desc="d", box=maps.ASIA_BOX, group=group,
                                number=thai_digits))
    by_href = {link.get("href"): link for link in links(root)}
    assert len(by_href) == 2
    a, b = by_href["/countries/china/"], by_href["/pairs/tokyo/"]
    assert seen == [sorted(p.href for p in same)]
    assert a.get("href") == "/countries/china/" and a.get("aria-label") == "Xishuangbanna: 3 partners"
    assert a.find(f"{SVG}text").text == "๓"
    assert b.get("href") == "/pairs/tokyo/"
    # Every point's link has a tap target of at least 26 units (a unit is about a pixel at 360).
    for link in (a, b):
        assert max(float(c.get("r")) for c in link.findall(f"{SVG}circle")) * 2 >= 26


def test_groups_never_overlap_on_the_world_map():
    points = [maps.MapPoint(lat, lon, f"/p/{lat}/{lon}/", "x") for lat in range(10, 45, 3) for lon in range(95, 140, 4)]
    root = parse(maps.world_map(points, title="t", desc="d", group=lambda ps: ("#g", f"{len(ps)}")))
    centres = [circle_of(a) for a in links(root)]
    assert 1 < len(centres) < len(points)
    for i, (x, y) in enumerate(centres):
        for u, v in centres[i + 1:]:
            assert (x - u) ** 2 + (y - v) ** 2 >= (2 * maps.HIT_R) ** 2


def test_two_maps_on_one_page_have_distinct_ids():
    point = [maps.MapPoint(*TOKYO, "/t", "Tokyo")]
    page = "<div>" + "".join([
        maps.world_map(point, title="Same", desc="Same"),
        maps.world_map(point, title="Same", desc="Same"),   # even an identical map
        maps.world_map(point, title="Same", desc="Same", focus="JP"),
        maps.thailand_map(marks(), title="Same", desc="Same"),
    ]) + "</div>"
    root = parse(page)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == 8 and len(set(ids)) == 8
    for svg in root:
        own = {e.get("id") for e in svg.iter() if e.get("id")}
        assert set(svg.get("aria-labelledby").split()) == own


def test_ids_are_stable_for_the_same_content():
    """Rebuilding gives the same ids (the second identical map in a process gets a suffix)."""
    a = maps.world_map([], title="Stable", desc="x")
    b = maps.world_map([], title="Stable", desc="x")
    pa = parse(a).get("aria-labelledby").split()[0]
    pb = parse(b).get("aria-labelledby").split()[0]
    assert pb.startswith(pa.removesuffix("-title"))


def test_decode_topojson():
    # Two squares sharing the edge x=1, quantized: arc 0 is the shared edge, drawn reversed
    # (~0 == -1) by the second square.
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [[[2, 0], [0, 2]],                              # (1,0) -> (1,1)
                 [[2, 2], [-2, 0], [0, -2], [2, 0]],            # (1,1) -> (0,1) -> (0,0) -> (1,0)
                 [[2, 0], [2, 0], [0, 2], [-2, 0]]],            # (1,0) -> (2,0) -> (2,1) -> (1,1)
        # in quantized units; the transform maps q to 10 + q/2, 20 + q/2.
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "001", "properties": {"name": "West"}, "arcs": [[0, 1]]},
            {"type": "MultiPolygon", "id": "002", "properties": {"name": "East"}, "arcs": [[[2, ~0]]]},
            {"type": None, "properties": {"name": "Nothing"}},
        ]}},
    }
    west, east, nothing = maps.decode_topojson(topo)
    assert west[:2] == ("001", "West")
    assert west[2] == [[(11, 20), (11, 21), (10, 21), (10, 20), (11, 20)]]
    assert east[2] == [[(11, 20), (12, 20), (12, 21), (11, 21), (11, 20)]]  # shared edge reused
    assert nothing[2] == []


def test_cut_antimeridian():
    ring = [(170.0, 0.0), (-170.0, 0.0), (-170.0, 10.0), (170.0, 10.0)]  # 20 degrees wide across 180
    parts = maps._cut_antimeridian(ring)
    assert len(parts) == 2
    for part in parts:
        lons = [p[0] for p in part]
        assert -180 <= min(lons) and max(lons) <= 180 and max(lons) - min(lons) == pytest.approx(10)
    assert maps._cut_antimeridian([(0, 0), (1, 0), (1, 1)]) == [[(0, 0), (1, 0), (1, 1)]]


def test_geo_file_carries_its_attribution():
    doc = json.loads(maps.GEO_FILE.read_text(encoding="utf-8"))
    assert doc["attribution"] == maps.GEO_ATTRIBUTION
    # the pages' note names the shapes' source and the boundaries policy (data/boundaries.yaml)
    assert "Natural Earth" in maps.ATTRIBUTION["th"] and "one-China policy" in maps.ATTRIBUTION["en"]
    assert "public domain" in doc["licence"] and "Natural Earth" in maps.ATTRIBUTION["en"]
    assert {"TH", "JP", "CN", "US"} <= set(doc["world"]) and "AQ" not in doc["fine"]


@pytest.mark.skipif(not (maps.ATLAS_DIR / "countries-50m.json").exists(), reason="npm install not run")
def test_geo_file_is_what_the_generator_makes(tmp_path):
    out = tmp_path / "countries.json"
    maps.build_geo_file(maps.ATLAS_DIR, out)
    assert out.read_text(encoding="utf-8") == maps.GEO_FILE.read_text(encoding="utf-8")
