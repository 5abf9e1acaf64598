"""The registry's notes and names hold together (issue 11 §2): every record a note names exists,
one Thai name per partner and per parent region, and a parent the row does not print is a note."""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import yaml

from conftest import ROOT

PAIRS = yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8"))
OTHERS = yaml.safe_load((ROOT / "data" / "other_relations.yaml").read_text(encoding="utf-8"))
PROVINCES = yaml.safe_load((ROOT / "data" / "provinces.yaml").read_text(encoding="utf-8"))
SLUGS = sorted((v["slug"] for v in PROVINCES.values()), key=len, reverse=True)
TOKEN = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")
URL = re.compile(r"https?://\S+")


def named_ids(text: str) -> set[str]:
    """Record ids a note names: hyphenated tokens that start with a province's slug (ids are
    {province-slug}-{partner-slug}), so 'in-progress' or 'county-level' are not taken for ids.
    Cited web addresses are left out: a report's slug such as 'phuket-gov-welcomes-…' is no id."""
    text = URL.sub(" ", text)
    return {t for t in TOKEN.findall(text) if any(t.startswith(s + "-") for s in SLUGS)}


def test_named_ids_finds_ids_and_only_ids():
    text = ("in-progress row (๕๐/๕๕, id samut-sakhon-qinzhou), a county-level city; see phuket-hainan-39;"
            " cited at https://example.org/phuket-gov-welcomes-suining-64626.php")
    assert named_ids(text) == {"samut-sakhon-qinzhou", "phuket-hainan-39"}


def test_every_record_id_a_note_names_exists():
    ids = {r["id"] for r in PAIRS} | {r["id"] for r in OTHERS}
    missing = []
    for r in PAIRS + OTHERS:
        for n in r.get("notes") or []:
            for lang in ("en", "th"):
                missing += [(r["id"], lang, i) for i in named_ids(n[lang]) - ids]
    assert missing == []


def test_one_thai_name_per_partner():
    names = defaultdict(set)
    for r in PAIRS:
        p = r["partner"]
        names[(p["country"], p["name_en"])].add(p["name_th"])
        if p.get("name_native"):
            names[(p["country"], p["name_native"])].add(p["name_th"])
    assert {k: v for k, v in names.items() if len(v) > 1} == {}


def test_one_name_per_parent_region():
    th, native = defaultdict(set), defaultdict(set)
    for r in PAIRS:
        p = r["partner"]
        if p.get("parent_en"):
            th[p["parent_en"]].add(p["parent_th"])
            native[p["parent_en"]].add(p.get("parent_native"))
    assert {k: v for k, v in th.items() if len(v) > 1} == {}
    assert {k: v for k, v in native.items() if len(v) > 1} == {}


def test_a_partners_other_thai_spellings_are_kept_as_alt_names():
    """Harmonised names keep the forms they replaced, so a search for either finds the pair."""
    by_partner = {r["id"]: r["partner"] for r in PAIRS}
    assert "มณฑลกว่างต้ง" in by_partner["chon-buri-guangdong"]["alt_names"]
    assert "เมืองจิ่งหง (เซียงรุ่ง)" in by_partner["phrae-jinghong"]["alt_names"]
    assert "กัมปงธม" in by_partner["surin-kampong-thom"]["alt_names"]


UNITS = ("เขตปกครองตนเอง", "หมู่เกาะ", "มณฑล", "จังหวัด", "มลรัฐ", "รัฐ", "ภาค", "แคว้น", "อำเภอ", "ดินแดน", "เมือง", "ชนชาติไต")


def _core(parent_th: str) -> str:
    """จังหวัดอาลป์-มารีตีม → อาลป์-มารีตีม: the name without its unit word."""
    first = parent_th.split()[0]
    return next((first[len(u):] for u in UNITS if first.startswith(u)), first)


def test_a_parent_the_row_does_not_print_is_explained_in_a_note():
    unexplained = []
    for r in PAIRS:
        p = r["partner"]
        if not p.get("parent_en"):
            continue
        core = _core(p["parent_th"])
        if core in r["source"]["row"].replace(" ", ""):
            continue
        en = " ".join(n["en"] for n in r["notes"])
        latin = "".join(c for c in unicodedata.normalize("NFKD", en) if not unicodedata.combining(c))  # Quảng → Quang
        th = " ".join(n["th"] for n in r["notes"]).replace(" ", "")
        named_in_en = p["parent_en"].split()[0].rstrip(",") in latin or core in en.replace(" ", "")
        if not named_in_en or core not in th:
            unexplained.append(r["id"])
    assert unexplained == []


def test_port_arthur_is_not_a_name_of_dalian():
    dalian = next(r for r in PAIRS if r["id"] == "surin-dalian")
    assert "Port Arthur" not in dalian["partner"].get("alt_names", [])
    assert any("Lüshun" in n["en"] for n in dalian["notes"])   # mentioned, as a district, in a note
