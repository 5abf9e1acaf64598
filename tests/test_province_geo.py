"""scripts/make_province_geo.py: matching the package's files to the portal's provinces, and
simplifying with shared borders (the real run needs npm and is not repeated here)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import make_province_geo as geo  # noqa: E402

PROVINCES = {"Bueng Kan": {"slug": "bueng-kan"}, "Phang Nga": {"slug": "phang-nga"}, "Bangkok": {"slug": "bangkok"}}
ADMIN1 = [{"region_code": "TH-BK", "iso_3166_2": "TH-38", "name": "Bueng Kan"},
          {"region_code": "TH-PG", "iso_3166_2": "TH-82", "name": "Phangnga", "name_en": "Phang Nga"},
          {"region_code": "TH-BM", "iso_3166_2": "TH-10", "name": "Bangkok Metropolis", "name_en": "Bangkok"}]


def feature():
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}


def test_files_are_matched_by_name_to_iso_codes():
    regions = {"TH-BK": feature(), "TH-PG": feature(), "TH-BM": feature()}
    matched = geo.match(regions, ADMIN1, PROVINCES)
    assert {slug: m["iso"] for slug, m in matched.items()} == {"bueng-kan": "TH-38", "phang-nga": "TH-82",
                                                              "bangkok": "TH-10"}
    assert matched["bueng-kan"]["file"] == "TH-BK"


def test_a_missing_or_unknown_province_stops_the_script_and_names_it():
    with pytest.raises(SystemExit, match="no boundary for bueng-kan"):
        geo.match({"TH-PG": feature(), "TH-BM": feature()}, ADMIN1, PROVINCES)
    with pytest.raises(SystemExit, match="TH-XX: not in the package's admin-1 table"):
        geo.match({"TH-XX": feature(), "TH-BK": feature(), "TH-PG": feature(), "TH-BM": feature()}, ADMIN1, PROVINCES)


def test_a_shared_border_is_simplified_the_same_on_both_sides():
    # Two squares sharing a wiggly edge x=1 (walked in opposite directions by the two rings).
    edge = [(1.0, y / 10) for y in range(11)]
    edge = [(x + (0.001 if i % 2 else 0), y) for i, (x, y) in enumerate(edge)]
    west = [(0.0, 0.0), *edge, (0.0, 1.0)]
    east = [(2.0, 0.0), (2.0, 1.0), *reversed(edge)]
    out = geo.simplify_shared({"west": [west], "east": [east]}, 0.01)
    (w,), (e,) = out["west"], out["east"]
    shared_w = [p for p in w if p[0] > 0.5 and p[0] < 1.5]
    shared_e = [p for p in e if p[0] > 0.5 and p[0] < 1.5]
    assert sorted(shared_w) == sorted(shared_e)
    assert len(shared_w) < len(edge)   # the wiggle is simplified away ...
    assert (1.0, 0.0) in shared_w and (1.0, 1.0) in shared_w  # ... but the junctions stay
