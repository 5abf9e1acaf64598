"""The downloads round-trip: what the CSV and JSON say is what data/pairs.yaml says."""
from __future__ import annotations

import csv
import io
import json

import yaml

from conftest import ROOT

PAIRS = {r["id"]: r for r in yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8"))}


def test_csv_opens_in_a_spreadsheet_and_matches_the_registry(outputs):
    raw = outputs["data/pairs.csv"]
    assert raw.startswith("\ufeff".encode())  # BOM: spreadsheet programs then read UTF-8 Thai
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(PAIRS) == 141
    for row in rows:
        r = PAIRS[row["id"]]
        assert row["status"] == r["status"]
        assert int(row["year_be"]) == r["year_be"] and int(row["list_no"]) == r["list_no"]
        assert row["partner_name_en"] == r["partner"]["name_en"]
        assert row["partner_name_th"] == r["partner"]["name_th"]
        assert row["country_code"] == r["partner"]["country"]
        assert row["source_row"] == r["source"]["row"]
        assert float(row["partner_lat"]) == r["partner"]["lat"]


def test_json_matches_the_registry_and_carries_provinces_and_countries(outputs):
    doc = json.loads(outputs["data/pairs.json"])
    assert doc["as_of"] == "2019-01-04"
    assert len(doc["provinces"]) == 77
    assert {c["code"] for c in doc["countries"]} >= {r["partner"]["country"] for r in PAIRS.values()}
    for row in doc["pairs"]:
        r = PAIRS[row["id"]]
        assert row["partner_name_native"] == r["partner"].get("name_native")
        assert row["notes_en"] == [n["en"] for n in r.get("notes") or []]
        assert row["stage"] == r.get("stage")


def test_geojson_has_one_point_per_pair(outputs):
    doc = json.loads(outputs["data/pairs.geojson"])
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 141
    f = doc["features"][0]
    r = PAIRS[f["id"]]
    assert f["geometry"]["coordinates"] == [r["partner"]["lon"], r["partner"]["lat"]]


def test_sitemap_lists_every_page_with_alternates(outputs, built):
    xml = outputs["sitemap.xml"].decode()
    for p in built.pages:
        if p.kind != "404":
            assert f"<loc>http://localhost:8000{p.url}</loc>" in xml
    assert xml.count('hreflang="th"') == xml.count('hreflang="en"')
    assert b"Sitemap: " in outputs["robots.txt"]
