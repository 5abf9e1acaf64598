"""Check data/_curate/in_progress.yaml, data/provinces.yaml and data/regions.yaml.

Run from the repository root:  .venv/bin/python data/_curate/check_in_progress.py
Prints every problem found and exits 1 if there is any; prints a summary and exits 0 otherwise.
"""
from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from pythainlp.corpus import provinces as corpus_provinces
from pythainlp.util import thai_digit_to_arabic_digit

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
IN_PROGRESS = DATA / "_curate" / "in_progress.yaml"
SEED_CANDIDATES = [ROOT.parent / "shared" / "seeds" / "000_0460de8bb3f1298f.txt",
                   ROOT / "shared" / "seeds" / "000_0460de8bb3f1298f.txt"]

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROW_RE = re.compile(r"^(\S+)/(\S+) \(OP\) จังหวัด(\S+)")
PHONE_RE = re.compile(r"[0-9๐-๙]{2,3}[ -][0-9๐-๙]{3,4}[ -][0-9๐-๙]{3,4}")
STAGE_MARKS = [(re.compile(r"\(รอลงนาม\)"), "awaiting_signature"),
               (re.compile(r"\(มท\.\s*๑\s*อนุมัติแล้ว\)"), "minister_approved")]
EXPECTED_ROWS = 52
FIRST_NO, LAST_NO = 90, 141   # ๖๐/๙๐ … ๖๑/๑๔๐, with the doubled ๑๓๗ renumbered

problems: list[str] = []


def problem(where: str, message: str) -> None:
    problems.append(f"{where}: {message}")


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def seed_lines() -> list[str] | None:
    for path in SEED_CANDIDATES:
        if path.exists():
            return path.read_text(encoding="utf-8").split("\n")
    problem("seed", "000_0460de8bb3f1298f.txt not found; source rows not compared")
    return None


def check_provinces(corpus: dict[str, dict]) -> tuple[dict, dict]:
    regions = yaml.safe_load((DATA / "regions.yaml").read_text(encoding="utf-8")) or {}
    expected_regions = {"north", "northeast", "central", "east", "west", "south"}
    if set(regions) != expected_regions:
        problem("data/regions.yaml", f"region keys {sorted(regions)} are not the six {sorted(expected_regions)}")
    for key, value in regions.items():
        if not isinstance(value, dict) or not value.get("en") or not value.get("th"):
            problem("data/regions.yaml", f"region '{key}' needs en and th")
    provinces = yaml.safe_load((DATA / "provinces.yaml").read_text(encoding="utf-8")) or {}
    if len(provinces) != 77:
        problem("data/provinces.yaml", f"{len(provinces)} provinces, expected 77")
    for name in sorted(set(corpus) - set(provinces)):
        problem("data/provinces.yaml", f"corpus province '{name}' is missing")
    for name in sorted(set(provinces) - set(corpus)):
        problem("data/provinces.yaml", f"'{name}' is not an English name of PyThaiNLP's corpus")
    slugs = {}
    for name, p in provinces.items():
        where = f"data/provinces.yaml: {name}"
        if not isinstance(p, dict):
            problem(where, "must be a mapping")
            continue
        if set(p) != {"slug", "region", "capital_en", "capital_th", "lat", "lon"}:
            problem(where, f"fields {sorted(p)} differ from slug, region, capital_en, capital_th, lat, lon")
        if p.get("slug") != slug(name):
            problem(where, f"slug {p.get('slug')!r} should be {slug(name)!r}")
        if p.get("slug") in slugs:
            problem(where, f"slug also used by {slugs[p.get('slug')]}")
        slugs[p.get("slug")] = name
        if p.get("region") not in regions:
            problem(where, f"region {p.get('region')!r} is not in data/regions.yaml")
        if not p.get("capital_en") or not p.get("capital_th"):
            problem(where, "capital_en and capital_th are required")
        lat, lon = p.get("lat"), p.get("lon")
        if not (isinstance(lat, (int, float)) and 5 <= lat <= 21 and isinstance(lon, (int, float)) and 97 <= lon <= 106):
            problem(where, f"lat/lon {lat}, {lon} are not inside Thailand")
        elif round(lat, 2) != lat or round(lon, 2) != lon:
            problem(where, "lat/lon must have at most 2 decimals")
    counts = {}
    for p in provinces.values():
        if isinstance(p, dict):
            counts[p.get("region")] = counts.get(p.get("region"), 0) + 1
    return provinces, counts


def check_records(corpus: dict[str, dict], countries: dict) -> list[dict]:
    text = IN_PROGRESS.read_text(encoding="utf-8")
    try:
        records = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem(str(IN_PROGRESS), f"is not valid YAML: {exc}")
        return []
    if not isinstance(records, list):
        problem(str(IN_PROGRESS), "must be a YAML list of records")
        return []
    if len(records) != EXPECTED_ROWS:
        problem(str(IN_PROGRESS), f"{len(records)} records, expected {EXPECTED_ROWS}")
    seed = seed_lines()
    by_th = {p["name_th"]: p["name_en"] for p in corpus.values()}
    ids: dict[str, int] = {}
    nos: dict[int, str] = {}
    previous_line = 0
    for i, r in enumerate(records, 1):
        rid = r.get("id")
        where = f"record {i} ({rid})"
        if not isinstance(rid, str) or not ID_RE.match(rid):
            problem(where, "id must be lower-case ASCII letters, digits and hyphens")
        elif rid in ids:
            problem(where, f"id already used by record {ids[rid]}")
        else:
            ids[rid] = i
        if r.get("status") != "in_progress":
            problem(where, "status must be in_progress")
        no = r.get("list_no")
        if not isinstance(no, int) or isinstance(no, bool):
            problem(where, "list_no must be an integer")
        else:
            if no in nos:
                problem(where, f"list_no {no} already used by {nos[no]}")
            nos[no] = rid
            if no != FIRST_NO + i - 1:
                problem(where, f"list_no {no} out of sequence (expected {FIRST_NO + i - 1})")
        province = r.get("province")
        if province not in corpus:
            problem(where, f"province {province!r} is not an English name of PyThaiNLP's corpus")
        elif isinstance(rid, str) and not rid.startswith(slug(province) + "-"):
            problem(where, f"id should start with the province slug {slug(province)}-")
        partner = r.get("partner") or {}
        for key in ("name_th", "name_en", "level", "country", "lat", "lon"):
            if partner.get(key) in (None, ""):
                problem(where, f"partner.{key} is missing")
        if partner.get("name_native") and not partner.get("lang"):
            problem(where, "partner.lang is required with name_native")
        if partner.get("country") not in countries:
            problem(where, f"partner.country {partner.get('country')!r} is not in data/countries.yaml")
        for key, low, high in (("lat", -90, 90), ("lon", -180, 180)):
            v = partner.get(key)
            if not isinstance(v, (int, float)) or not low <= v <= high:
                problem(where, f"partner.{key} {v!r} is not a coordinate")
            elif round(v, 2) != v:
                problem(where, f"partner.{key} must have at most 2 decimals")
        if not isinstance(partner.get("alt_names", []), list):
            problem(where, "partner.alt_names must be a list")
        for n, note in enumerate(r.get("notes") or [], 1):
            if not isinstance(note, dict) or set(note) != {"en", "th"} or not note["en"] or not note["th"]:
                problem(where, f"note {n} must have en and th")
        if PHONE_RE.search(yaml.safe_dump(r, allow_unicode=True)):
            problem(where, "looks like it holds a phone number")
        src = r.get("source") or {}
        line, row = src.get("line"), src.get("row")
        if not isinstance(line, int) or not isinstance(row, str):
            problem(where, "source.line and source.row are required")
            continue
        if line <= previous_line:
            problem(where, "records are not in list order (source lines must increase)")
        previous_line = line
        m = ROW_RE.match(row)
        if not m:
            problem(where, f"source.row does not look like an OP row: {row!r}")
            continue
        if r.get("year_be") != 2500 + int(thai_digit_to_arabic_digit(m.group(1))):
            problem(where, f"year_be {r.get('year_be')} does not match the printed prefix {m.group(1)}")
        if by_th.get(m.group(3)) != province:
            problem(where, f"province {province!r} does not match the row's จังหวัด{m.group(3)}")
        printed = int(thai_digit_to_arabic_digit(m.group(2)))
        if printed != no and not any(printed_th in " ".join(n["en"] for n in r.get("notes") or [])
                                     for printed_th in (f"๖๑/{m.group(2)}",)):
            problem(where, f"list_no {no} differs from the printed {printed} without a note")
        stage = None
        for rx, st in STAGE_MARKS:
            if rx.search(row):
                stage = st
        if r.get("stage") != stage:
            problem(where, f"stage {r.get('stage')!r}, but the row says {stage!r}")
        if seed is not None:
            if not 1 <= line <= len(seed):
                problem(where, f"source.line {line} is outside the seed")
            else:
                cells = [c.strip() for c in seed[line - 1].strip().strip("|").split("|")]
                if " ".join(cells) != row:
                    problem(where, f"source.row is not verbatim line {line} of the seed")
    return records


def check_with_loader() -> None:
    """Run the portal's own loader over the three files plus these records as pairs.yaml."""
    sys.path.insert(0, str(ROOT))
    try:
        from portal.errors import Problems
        from portal.load import load_registry
    except Exception as exc:  # the portal may be mid-rewrite: say so, don't crash
        problem("portal.load", f"not importable, loader check skipped ({exc})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in ("regions.yaml", "provinces.yaml", "countries.yaml", "registry.yaml"):
            shutil.copy(DATA / name, tmp / name)
        shutil.copy(IN_PROGRESS, tmp / "pairs.yaml")
        found = Problems()
        load_registry(tmp, found)
        for p in found.items:
            problem("portal.load", str(p).replace("data/pairs.yaml", "data/_curate/in_progress.yaml"))


def main() -> int:
    corpus = {p["name_en"]: p for p in corpus_provinces(details=True)}
    countries = yaml.safe_load((DATA / "countries.yaml").read_text(encoding="utf-8")) or {}
    provinces, region_counts = check_provinces(corpus)
    records = check_records(corpus, countries)
    check_with_loader()
    if problems:
        print(f"{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    stages = {}
    for r in records:
        stages[r["stage"]] = stages.get(r["stage"], 0) + 1
    notes = sum(len(r.get("notes") or []) for r in records)
    print(f"in_progress.yaml: {len(records)} records, list_no {records[0]['list_no']}–{records[-1]['list_no']}, "
          f"{len({r['province'] for r in records})} provinces, {notes} notes, stages {stages}")
    print(f"provinces.yaml: {len(provinces)} provinces, regions {region_counts}")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
