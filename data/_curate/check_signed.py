#!/usr/bin/env python3
"""Check data/_curate/signed.yaml: the 89 signed rows of the registry annex.

Run from the repository root with the project venv:
    .venv/bin/python data/_curate/check_signed.py
Exits non-zero and lists every problem found.
"""
import re
import sys
from pathlib import Path

import yaml
from pythainlp.corpus import provinces

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = HERE / "signed.yaml"
SEED = REPO.parent / "shared" / "seeds" / "000_0460de8bb3f1298f.txt"

EXPECTED = 89
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TOP_FIELDS = ["id", "status", "stage", "year_be", "list_no", "province", "partner", "source", "notes"]
PARTNER_FIELDS = ["name_th", "name_en", "level", "country", "lat", "lon", "alt_names"]
LEVELS = {"city", "municipality", "prefecture", "province", "state", "region", "autonomous_region",
          "autonomous_prefecture", "county", "district", "special_administrative_region", "capital"}
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
PHONE_RE = re.compile(r"[0-9๐-๙]{2,3}[ -]?[0-9๐-๙]{3,4}[ -][0-9๐-๙]{3,4}")


def thai_int(s):
    return int("".join(str(THAI_DIGITS.index(c)) for c in s))


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def main():
    errors = []

    def err(msg):
        errors.append(msg)

    with open(DATA, encoding="utf-8") as f:
        records = yaml.safe_load(f)

    if not isinstance(records, list):
        print("FAIL: top level is not a list")
        return 1
    if len(records) != EXPECTED:
        err(f"expected {EXPECTED} records, found {len(records)}")

    province_names = {p["name_en"] for p in provinces(details=True)}
    seed_lines = SEED.read_text(encoding="utf-8").split("\n") if SEED.exists() else None
    if seed_lines is None:
        err(f"seed file not found at {SEED}; source rows not checked")

    ids = set()
    for i, r in enumerate(records, 1):
        where = f"record {i} ({r.get('id', '?') if isinstance(r, dict) else '?'})"
        if not isinstance(r, dict):
            err(f"{where}: not a mapping")
            continue
        for k in TOP_FIELDS:
            if k not in r:
                err(f"{where}: missing field '{k}'")

        rid = r.get("id")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            err(f"{where}: bad id {rid!r}")
        elif rid in ids:
            err(f"{where}: duplicate id {rid}")
        ids.add(rid)

        if r.get("status") != "signed":
            err(f"{where}: status must be 'signed'")
        if r.get("stage") is not None:
            err(f"{where}: stage must be null for a signed pair")

        if r.get("list_no") != i:
            err(f"{where}: list_no {r.get('list_no')!r}, expected {i} (list order, no gaps)")

        prov = r.get("province")
        if prov not in province_names:
            err(f"{where}: province {prov!r} not in the PyThaiNLP provinces corpus")
        elif isinstance(rid, str) and not rid.startswith(slug(prov) + "-"):
            err(f"{where}: id does not start with the province slug {slug(prov)}-")

        if "signed_date" in r and not re.fullmatch(r"\d{4}-\d{2}", str(r["signed_date"])):
            err(f"{where}: signed_date must be YYYY-MM, got {r['signed_date']!r}")

        p = r.get("partner") or {}
        for k in PARTNER_FIELDS:
            if k not in p:
                err(f"{where}: partner missing '{k}'")
        for k in ("name_th", "name_en"):
            if k in p and (not isinstance(p[k], str) or not p[k].strip()):
                err(f"{where}: partner.{k} empty")
        if p.get("level") not in LEVELS:
            err(f"{where}: partner.level {p.get('level')!r} not allowed")
        if not re.fullmatch(r"[A-Z]{2}", str(p.get("country", ""))):
            err(f"{where}: partner.country must be ISO alpha-2, got {p.get('country')!r}")
        if p.get("name_native") and not p.get("lang"):
            err(f"{where}: name_native without lang")
        if p.get("lang") and not p.get("name_native"):
            err(f"{where}: lang without name_native")
        if ("parent_en" in p) != ("parent_th" in p):
            err(f"{where}: parent_en and parent_th go together")
        lat, lon = p.get("lat"), p.get("lon")
        if not isinstance(lat, (int, float)) or not -90 <= lat <= 90:
            err(f"{where}: bad lat {lat!r}")
        if not isinstance(lon, (int, float)) or not -180 <= lon <= 180:
            err(f"{where}: bad lon {lon!r}")
        if not isinstance(p.get("alt_names"), list) or not all(isinstance(a, str) and a for a in p.get("alt_names", [])):
            err(f"{where}: alt_names must be a list of strings")

        src = r.get("source") or {}
        line, row = src.get("line"), src.get("row")
        if not isinstance(line, int) or not isinstance(row, str):
            err(f"{where}: source.line (int) and source.row (str) required")
        else:
            m = re.match(r"^([๐-๙]{2})/([๐-๙]{1,3}) ", row)
            if not m:
                err(f"{where}: source.row does not start with a list number")
            elif r.get("year_be") != 2500 + thai_int(m.group(1)):
                err(f"{where}: year_be {r.get('year_be')} does not match the printed year {m.group(1)}")
            elif thai_int(m.group(2)) != r.get("list_no") and not any(
                    "misprint" in (n.get("en") or "") for n in r.get("notes") or []):
                err(f"{where}: printed number differs from list_no but no note explains it")
            if seed_lines is not None:
                if not 1 <= line <= len(seed_lines):
                    err(f"{where}: source.line {line} out of range")
                else:
                    printed = seed_lines[line - 1]
                    if printed.startswith("|"):
                        cells = [c.strip() for c in printed.strip().strip("|").split("|")]
                        verbatim = " ".join(cells)
                    elif printed.startswith("- "):
                        verbatim = printed[2:]
                    elif printed.startswith(" "):
                        verbatim = printed[1:]
                    else:
                        verbatim = printed
                    if verbatim != row:
                        err(f"{where}: source.row is not verbatim line {line}: {verbatim!r}")

        notes = r.get("notes")
        if not isinstance(notes, list):
            err(f"{where}: notes must be a list")
        else:
            for n in notes:
                if not isinstance(n, dict) or set(n) != {"en", "th"} or not all(
                        isinstance(n[k], str) and n[k].strip() for k in ("en", "th")):
                    err(f"{where}: each note needs non-empty 'en' and 'th' (and nothing else)")

        text = yaml.safe_dump(r, allow_unicode=True)
        if PHONE_RE.search(text):
            err(f"{where}: looks like it contains a phone number")

    if errors:
        print(f"FAIL: {len(errors)} problem(s)")
        for e in errors:
            print(" -", e)
        return 1
    n_prov = len({r["province"] for r in records})
    print(f"OK: {len(records)} signed records, ids unique, list_no 1..{len(records)}, {n_prov} provinces")
    return 0


if __name__ == "__main__":
    sys.exit(main())
