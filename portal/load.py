"""data/ → the model. Every problem is recorded with file, line, record and field; the caller
stops once, after all of them are known."""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from babel import Locale

from . import limits, reuse, thai, yamlfile
from .errors import Problems
from .model import (ALIAS_KINDS, LEVELS, OTHER_LEVELS, OTHER_STATUSES, STAGES, STATUSES, WORLD_REGIONS, Alias,
                    Country, Note, OtherRelation, OtherSource, Pair, Partner, Province, Region, Registry, SourceDoc,
                    SourceRow, StatedTotal, PROVINCE_KINDS)

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

PAIR_KEYS = {"id", "status", "stage", "year_be", "list_no", "province", "partner", "source", "notes",
             "signed_date"}
PARTNER_KEYS = {"name_th", "name_en", "name_native", "lang", "level", "parent_en", "parent_th",
                "parent_native", "parent_lang", "country", "lat", "lon", "alt_names"}
OTHER_KEYS = {"id", "province", "party_th", "party_en", "level", "status", "year_be", "signed_date", "partner",
              "source", "notes"}
ALIAS_SECTIONS = ("provinces", "partners", "countries")
SEED_FILE_RE = re.compile(r"^[0-9]{3}_[0-9a-f]+\.txt$")  # a file of shared/seeds/


class _Checker:
    """Field checks for one mapping, each failure recorded with its line."""

    def __init__(self, problems: Problems, file: str, what: str, mapping: yamlfile.Located, prefix: str = ""):
        self.problems, self.file, self.what, self.m, self.prefix = problems, file, what, mapping, prefix
        self.ok = True

    def fail(self, key: str | None, message: str, *, at: str | None = None) -> None:
        """Record a problem with `key`; `at` names the key whose line to report when `key` is absent."""
        where = at or key
        line = self.m.line_of(where) if where is not None and isinstance(self.m, yamlfile.Located) else getattr(self.m, "line", None)
        field = f"{self.prefix}{key}" if key else self.prefix.rstrip(".")
        self.problems.add(self.file, line, f"{self.what}: {field} {message}" if field else f"{self.what}: {message}")
        self.ok = False

    def unknown(self, allowed: set[str]) -> None:
        """Each key that is not a field, quoted as written (an empty key shows as '')."""
        for key in self.m:
            if key not in allowed:
                line = self.m.line_of(key) if isinstance(self.m, yamlfile.Located) else getattr(self.m, "line", None)
                self.problems.add(self.file, line, f"{self.what}: {limits.excerpt(f'{self.prefix}{key}')} is not a known "
                                                   f"field (expected one of: {', '.join(sorted(allowed))})")
                self.ok = False

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.m.get(key)
        if value is None:
            if required:
                self.fail(key, "is missing" if key not in self.m else "is empty")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be text, not {limits.excerpt(value)}")
            return None
        return value.strip()

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.m.get(key)
        if value is None:
            self.fail(key, "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, f"must be a whole number from {low} to {high}, not {limits.excerpt(value)}")
            return None
        return value

    def real(self, key: str, low: float, high: float) -> float | None:
        value = self.m.get(key)
        if value is None:
            self.fail(key, "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            self.fail(key, f"must be a number from {low} to {high}, not {limits.excerpt(value)}")
            return None
        return float(value)

    def mapping(self, key: str) -> yamlfile.Located | None:
        value = self.m.get(key)
        if not isinstance(value, dict):
            self.fail(key, "is missing" if value is None else f"must be a mapping, not {limits.excerpt(value)}")
            return None
        return value


def id_problem(value: str, what: str = "it is used in URLs") -> str | None:
    """Why `value` cannot be an id, slug or anchor (a URL part and a file name), or None."""
    if len(value) > limits.MAX_ID:
        return f"{limits.excerpt(value)} is {len(value)} characters long, more than {limits.MAX_ID} ({what})"
    if not ID_RE.match(value):
        return f"{limits.excerpt(value)} must be lower-case ASCII letters, digits and hyphens ({what})"
    return None


def _digest(value: Any) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()[:16]


def load_regions(data: Path, problems: Problems) -> dict[str, Region]:
    raw = yamlfile.load_as(data / "regions.yaml", "data/regions.yaml", problems, dict,
                           "a mapping of region keys to {en, th}")
    regions: dict[str, Region] = Entries()
    if raw is None:
        return regions
    regions.written = set(raw)
    for key, value in raw.items():
        c = _Checker(problems, "data/regions.yaml", f"region {limits.excerpt(key)}", value if isinstance(value, dict) else raw)
        if not isinstance(value, dict):
            c.fail(None, "must be a mapping with en and th")
            continue
        en, th = c.text("en"), c.text("th")
        if c.ok:
            regions[key] = Region(key, en, th)
    return regions


def load_provinces(data: Path, regions: dict[str, Region], problems: Problems) -> list[Province]:
    """The 77 provinces: names from PyThaiNLP's corpus, region and capital from data/provinces.yaml."""
    file = "data/provinces.yaml"
    raw = yamlfile.load_as(data / "provinces.yaml", file, problems, dict,
                           "a mapping of province English names to their details")
    if raw is None:
        return []
    corpus = {p["name_en"]: p for p in thai.provinces()}
    out = EntryList(written=set(raw) | {corpus[n]["name_th"] for n in raw if n in corpus})   # (pairs name either)
    for name, value in raw.items():
        line = raw.line_of(name)
        if name not in corpus:
            problems.add(file, line, f"province {limits.excerpt(name)} is not in PyThaiNLP's province corpus")
            continue
        if not isinstance(value, dict):
            problems.add(file, line, f"province {limits.excerpt(name)} must be a mapping")
            continue
        c = _Checker(problems, file, f"province {limits.excerpt(name)}", value)
        c.unknown({"slug", "region", "capital_en", "capital_th", "lat", "lon", "list_note_en", "list_note_th", "kind"})
        slug, region = c.text("slug"), c.text("region")
        if slug and id_problem(slug):
            c.fail("slug", id_problem(slug))
        if region and region not in regions:
            _unknown_reference(c, regions, "region", region, f"{limits.excerpt(region)} is not a region of data/regions.yaml")
        cap_en, cap_th = c.text("capital_en"), c.text("capital_th")
        lat, lon = c.real("lat", 5, 21), c.real("lon", 97, 106)
        note_en, note_th = c.text("list_note_en", required=False), c.text("list_note_th", required=False)
        if (note_en is None) != (note_th is None):
            c.fail("list_note_th" if note_th is None else "list_note_en", "is missing: a list note is given in both languages",
                   at="list_note_en" if note_th is None else "list_note_th")
        kind = c.text("kind", required=False) or "province"
        if kind not in PROVINCE_KINDS:
            c.fail("kind", f"{limits.excerpt(kind)} is not one of: {', '.join(PROVINCE_KINDS)}")
        elif kind != "province" and note_en is None:
            c.fail("kind", f"is {kind}: give list_note_en and list_note_th (what its page says instead of the list's pairs)")
        if c.ok:
            out.append(Province(name, corpus[name]["name_th"], slug, regions[region], cap_en, cap_th, lat, lon,
                                list_note_en=note_en, list_note_th=note_th, kind=kind))
    missing = sorted(set(corpus) - set(raw))
    for name in missing:
        problems.add(file, None, f"province {limits.excerpt(name)} of PyThaiNLP's corpus is missing")
    return out


def load_countries(data: Path, problems: Problems) -> dict[str, Country]:
    file = "data/countries.yaml"
    raw = yamlfile.load_as(data / "countries.yaml", file, problems, dict,
                           "a mapping of ISO 3166-1 alpha-2 codes to countries")
    if raw is None:
        return Entries()
    en, th = Locale("en").territories, Locale("th").territories
    out = Entries(written=set(raw))
    for code, value in raw.items():
        line = raw.line_of(code)
        if not isinstance(code, str) or not ISO2_RE.match(code) or code not in en:
            problems.add(file, line, f"country {limits.excerpt(code)} is not an ISO 3166-1 alpha-2 code")
            continue
        if not isinstance(value, dict):
            problems.add(file, line, f"country {limits.excerpt(code)} must be a mapping")
            continue
        c = _Checker(problems, file, f"country {limits.excerpt(code)}", value)
        c.unknown({"slug", "formal_th", "formal_en", "world_region", "name_en", "name_th", "name_native", "lang"})
        slug = c.text("slug")
        if slug and id_problem(slug):
            c.fail("slug", id_problem(slug))
        formal_th, formal_en, region = c.text("formal_th"), c.text("formal_en"), c.text("world_region")
        if region and region not in WORLD_REGIONS:
            c.fail("world_region", f"{limits.excerpt(region)} must be one of: {', '.join(WORLD_REGIONS)} "
                                   "(a new one needs its name in data/strings, world_region_<key>, and a place in portal/model.py)")
        native, lang = c.text("name_native", required=False), c.text("lang", required=False)
        if native and not lang:
            c.fail("lang", "is required with name_native", at="name_native")
        if c.ok:
            out[code] = Country(code, slug, c.text("name_en", required=False) or en[code],
                                c.text("name_th", required=False) or th[code],
                                formal_en, formal_th, region, native, lang)
    return out


def _province_index(provinces: list[Province]) -> dict[str, Province]:
    index = Entries(written=getattr(provinces, "written", None))
    for p in provinces:
        index[p.name_en] = index[p.name_th] = index[p.name_en.lower()] = p
    return index


def load_pairs(data: Path, provinces: list[Province], countries: dict[str, Country],
               problems: Problems, ids: set[str] | None = None, as_of: _dt.date | None = None) -> list[Pair]:
    """The ministry's list. `ids`, if given, receives every record id written, valid or not;
    `as_of`, the list's date, is the latest a signing date may be."""
    file = "data/pairs.yaml"
    raw = yamlfile.load_as(data / "pairs.yaml", file, problems, list,
                           "a list of pair records (each starting with '- id:')")
    if raw is None:
        return []
    if not raw:  # a registry emptied by mistake must not be published as "no pairs"
        problems.add(file, 1, "holds no pair records")
        return []
    by_name = _province_index(provinces)
    pairs: list[Pair] = []
    seen_ids: dict[str, int] = {}
    seen_no: dict[int, str] = {}
    last, kept = _LAST_PAIRS.copy(), {} if reuse.kept() else None
    _LAST_PAIRS.clear()
    for index, rec in enumerate(raw):
        if not isinstance(rec, dict):
            problems.add(file, _item_line(raw, index), f"record {index + 1} must be a mapping, not {limits.excerpt(rec)}")
            continue
        pair = _pair_of(rec, file, by_name, countries, problems, as_of, last, kept)
        rid = rec.get("id")
        if isinstance(rid, str):
            if rid in seen_ids:
                problems.add(file, rec.line_of("id"),
                             f"pair {limits.excerpt(rid)}: id is already used by the record at line {seen_ids[rid]}")
            else:
                seen_ids[rid] = rec.line_of("id")
        no = rec.get("list_no")
        if isinstance(no, int) and not isinstance(no, bool):
            if no in seen_no:
                problems.add(file, rec.line_of("list_no"),
                             f"pair {limits.excerpt(rid)}: list_no {no} is already used by pair {limits.excerpt(seen_no[no])}")
            else:
                seen_no[no] = rid
        if pair:
            pairs.append(pair)
    if ids is not None:
        ids.update(seen_ids)
    if kept is not None:
        _LAST_PAIRS.update(kept)
    return pairs


# The preview server's rebuilds (portal/reuse.py): a record read again unchanged is the very same
# object (yamlfile.remembering), and while the province, the country and the list's date it is
# checked against are equal too, it makes the same Pair: taken from the last build, not checked
# and made again (9 of a note edit's 11 ms of reading pairs.yaml). id(record) → (the record,
# what it was checked against, its Pair).
_LAST_PAIRS: dict[int, tuple[yamlfile.Located, tuple, Pair]] = {}


def _pair_of(rec: yamlfile.Located, file: str, by_name: dict[str, Province], countries: dict[str, Country],
             problems: Problems, as_of: _dt.date | None, last: dict, kept: dict | None) -> Pair | None:
    """_pair's Pair of the record, or the last build's (see _LAST_PAIRS)."""
    if kept is None:
        return _pair(rec, file, by_name, countries, problems, as_of)
    name, partner = rec.get("province"), rec.get("partner")
    country = partner.get("country") if isinstance(partner, dict) else None
    against = (as_of, _province_named(by_name, name.strip()) if isinstance(name, str) else None,
               countries.get(country.strip()) if isinstance(country, str) else None)   # (as _pair reads them)
    hit = last.get(id(rec))
    if hit is not None and hit[0] is rec and hit[1] == against:
        pair = hit[2]
    else:
        before = len(problems.items)
        pair = _pair(rec, file, by_name, countries, problems, as_of)
        if pair is None or len(problems.items) != before:
            return pair
    kept[id(rec)] = (rec, against, pair)
    return pair


def _item_line(items: list, index: int) -> int | None:
    """The line of a list item that is not a mapping: after the previous mapping, if any."""
    before = [x.line for x in items[:index] if isinstance(x, yamlfile.Located)]
    return before[-1] if before else 1


def _pair(rec: yamlfile.Located, file: str, provinces: dict[str, Province],
          countries: dict[str, Country], problems: Problems, as_of: _dt.date | None = None) -> Pair | None:
    rid = rec.get("id")
    c = _Checker(problems, file, f"pair {limits.excerpt(rid)}" if isinstance(rid, str) else f"record at line {rec.line}", rec)
    c.unknown(PAIR_KEYS)
    rid = c.text("id")
    if rid and id_problem(rid):
        c.fail("id", id_problem(rid))
    status = c.text("status")
    if status and status not in STATUSES:
        c.fail("status", f"{limits.excerpt(status)} must be one of: {', '.join(STATUSES)}")
    stage = rec.get("stage")
    if stage is not None:
        if status == "signed":
            c.fail("stage", f"{limits.excerpt(stage)} is set on a signed pair (stages belong to in_progress pairs)")
        elif stage not in STAGES:
            c.fail("stage", f"{limits.excerpt(stage)} must be one of: {', '.join(STAGES)} (or null)")
    year_be = c.integer("year_be", 2500, 2600)
    list_no = c.integer("list_no", 1, 100000)
    province = _province_of(c, provinces)
    signed_month = _signed_month(rec, c, status, as_of, "the ministry's list (data/registry.yaml, as_of)",
                                 year_be)
    partner = _partner(c.mapping("partner"), c, countries, problems, file)
    source = None
    src = c.mapping("source")
    if src is not None:
        s = _Checker(problems, file, c.what, src, "source.")
        s.unknown({"row", "line"})
        row, line = s.text("row"), s.integer("line", 1, 10**6)
        c.ok &= s.ok
        if s.ok:
            source = SourceRow(line, row)
    notes = _notes(rec, c, problems, file)
    if not c.ok or partner is None or province is None or source is None:
        return None
    return Pair(rid, status, stage, year_be, list_no, province, partner, source, tuple(notes),
                signed_month, rec.line, _digest(rec))


def _province_of(c: "_Checker", by_name: dict[str, Province]) -> Province | None:
    """The record's `province` field: a province of PyThaiNLP's corpus, by its English name."""
    pname = c.text("province")
    if not pname:
        return None
    province = _province_named(by_name, pname)
    if not province:
        _unknown_reference(c, by_name, "province", pname, f"{limits.excerpt(pname)} is not one of the 77 provinces of PyThaiNLP's corpus")
    return province


class Entries(dict):
    """A data file's valid entries by key, and `written`: every key the file wrote, valid or not
    (None: not known). A reference to a key written but invalid, or into a file that could not be
    read at all, is not reported again with each record that makes it: the entry's (or the
    file's) own problem says why."""

    def __init__(self, *args, written: set | None = None):
        super().__init__(*args)
        self.written = written


class EntryList(list):
    """A data file's valid entries in order (the provinces), and `written`, as Entries has."""

    def __init__(self, *args, written: set | None = None):
        super().__init__(*args)
        self.written = written


def _unknown_reference(c: "_Checker", known, key: str, name: str, message: str) -> None:
    """A field naming what the file it refers to does not hold (Entries): reported unless that file
    could not be read, or wrote it with an entry of its own reported invalid ("Bangkok is not one
    of the 77 provinces" would be wrong, once or a hundred times); the record is then only left out."""
    written = getattr(known, "written", None)
    if known and (written is None or name not in written):
        c.fail(key, message)
    else:
        c.ok = False


def _province_named(by_name: dict[str, Province], name: str) -> Province | None:
    return by_name.get(name) or by_name.get(name.lower())


EARLIEST_SIGNING = 1900   # a signing year before it is a typo (0000-01, 0001-01), not history


def _signed_month(rec: yamlfile.Located, c: _Checker, status: str | None, latest: _dt.date | None,
                  latest_what: str, year_be: int | None = None) -> tuple[int, int] | None:
    """The record's signed_date (year, month): a month that exists, of a signed record, no later
    than `latest` (the date of the document that lists it) and in the Buddhist-era year_be."""
    sd = rec.get("signed_date")
    if sd is None:
        return None
    m = MONTH_RE.match(str(sd))
    if not m or not 1 <= int(m.group(2)) <= 12:
        c.fail("signed_date", f"{limits.excerpt(sd)} must be a year and month, YYYY-MM")
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if year < EARLIEST_SIGNING:
        c.fail("signed_date", f"{limits.excerpt(sd)}: the year {year} is before {EARLIEST_SIGNING}: is it a typo?")
        return None
    if status in set(STATUSES) | set(OTHER_STATUSES) and status != "signed":   # (a misspelt status is reported as such)
        c.fail("signed_date", f"{limits.excerpt(sd)} is set on a record whose status is {status}: only a signed "
                              "relation has a signing date (remove it, or correct the status)")
        return None
    if latest is not None and (year, month) > (latest.year, latest.month):
        c.fail("signed_date", f"{limits.excerpt(sd)} is after {latest.isoformat()}, the date of {latest_what}, "
                              "which lists it as signed: is it a typo?")
        return None
    if year_be is not None and year + 543 != year_be:
        c.fail("signed_date", f"{limits.excerpt(sd)} is in {year + 543} BE, but year_be is {year_be}: one of them is wrong")
        return None
    return (year, month)


def _notes(rec: yamlfile.Located, c: _Checker, problems: Problems, file: str) -> list[Note]:
    notes = []
    raw_notes = rec.get("notes") or []
    if not isinstance(raw_notes, list):
        c.fail("notes", "must be a list of {en, th} notes")
        return notes
    for i, n in enumerate(raw_notes):
        if not isinstance(n, dict):
            c.fail("notes", f"item {i + 1} must be a mapping with en and th")
            continue
        nc = _Checker(problems, file, c.what, n, f"notes[{i + 1}].")
        nc.unknown({"en", "th", "doubt"})
        en, th = nc.text("en"), nc.text("th")
        doubt = n.get("doubt", False)
        if not isinstance(doubt, bool):
            nc.fail("doubt", f"must be true or false (true: the note states a doubt), not {limits.excerpt(doubt)}")
        c.ok &= nc.ok
        if nc.ok:
            notes.append(Note(en, th, doubt))
    return notes


def _partner(m, parent: _Checker, countries: dict[str, Country], problems: Problems, file: str) -> Partner | None:
    if m is None:
        return None
    c = _Checker(problems, file, parent.what, m, "partner.")
    c.unknown(PARTNER_KEYS)
    name_th, name_en = c.text("name_th"), c.text("name_en")
    level = c.text("level")
    if level and level not in LEVELS:
        c.fail("level", f"{limits.excerpt(level)} must be one of: {', '.join(LEVELS)}")
    code = c.text("country")
    country = None
    if code:
        if not ISO2_RE.match(code):
            c.fail("country", f"{limits.excerpt(code)} is not an ISO 3166-1 alpha-2 code")
        elif code not in countries:
            _unknown_reference(c, countries, "country", code, f"{limits.excerpt(code)} is not in data/countries.yaml")
        else:
            country = countries[code]
    lat, lon = c.real("lat", -90, 90), c.real("lon", -180, 180)
    native, lang = c.text("name_native", required=False), c.text("lang", required=False)
    if native and not lang:
        c.fail("lang", "is required with name_native (a BCP 47 tag such as zh-Hans, ja, vi)", at="name_native")
    parent_en, parent_th = c.text("parent_en", required=False), c.text("parent_th", required=False)
    parent_native, parent_lang = c.text("parent_native", required=False), c.text("parent_lang", required=False)
    if parent_native and not parent_en:
        c.fail("parent_native", "is given without parent_en (the parent's English name)")
    if parent_lang:
        # its form as a BCP 47 tag is checked with every *_lang field (langtags, in yamlfile.load_as)
        if not parent_native:
            c.fail("parent_lang", "is given without parent_native")
        elif parent_lang == lang:
            c.fail("parent_lang", f"'{parent_lang}' is the same as lang: give it only where the parent's language differs")
    elif parent_native and not lang:
        c.fail("parent_lang", "is required with parent_native when the partner has no lang (a BCP 47 tag such as ja, zh-Hans)",
               at="parent_native")
    alt = m.get("alt_names") or []
    if not isinstance(alt, list) or not all(isinstance(a, str) for a in alt):
        c.fail("alt_names", "must be a list of names")
        alt = []
    parent.ok &= c.ok
    if not c.ok:
        return None
    return Partner(name_th, name_en, level, country, lat, lon, native, lang, parent_en, parent_th,
                   tuple(a.strip() for a in alt if a.strip()), parent_native, parent_lang)


def load_meta(data: Path, problems: Problems) -> tuple[_dt.date | None, dict, dict]:
    file = "data/registry.yaml"
    raw = yamlfile.load_as(data / "registry.yaml", file, problems, dict,
                           "a mapping with as_of, stated and sources")
    if raw is None:
        return None, {}, {}
    c = _Checker(problems, file, "registry", raw)
    as_of = raw.get("as_of")
    if not isinstance(as_of, _dt.date):
        c.fail("as_of", "must be a date, YYYY-MM-DD")
        as_of = None
    stated = {}
    raw_stated = raw.get("stated")
    if not isinstance(raw_stated, dict) or set(raw_stated) != set(STATUSES):
        c.fail("stated", f"must give the totals the letters state for each of: {', '.join(STATUSES)}")
        raw_stated = raw_stated if isinstance(raw_stated, dict) else {}
    for status, v in raw_stated.items():
        sc = _Checker(problems, file, "registry", v if isinstance(v, dict) else raw, f"stated.{status}.")
        if status not in STATUSES or not isinstance(v, dict):
            sc.fail(None, f"must be one of {STATUSES} with pairs and provinces")
            continue
        p, n = sc.integer("pairs", 0, 10**6), sc.integer("provinces", 0, 77)
        if sc.ok:
            stated[status] = StatedTotal(p, n)
    sources = {}
    raw_sources = raw.get("sources")
    if not isinstance(raw_sources, dict) or "plan" not in raw_sources:
        c.fail("sources", "must be a mapping of source documents that includes 'plan'")
        raw_sources = raw_sources if isinstance(raw_sources, dict) else {}
    for key, v in raw_sources.items():
        sc = _Checker(problems, file, f"source {limits.excerpt(key)}", v if isinstance(v, dict) else raw)
        if not isinstance(v, dict):
            sc.fail(None, "must be a mapping")
            continue
        vals = [sc.text(k) for k in ("title_th", "title_en", "ref_th", "ref_en")]
        if not isinstance(v.get("date"), _dt.date):
            sc.fail("date", "must be a date, YYYY-MM-DD")
        sfile = sc.text("file", required=False)
        if sfile and not SEED_FILE_RE.match(sfile):
            sc.fail("file", f"'{sfile}' must name a source file of shared/seeds/, such as 003_570947d7c7ff27bd.txt")
        short_th, short_en = sc.text("short_th", required=False), sc.text("short_en", required=False)
        if sc.ok:
            sources[key] = SourceDoc(key, *vals, v["date"], sfile, short_th, short_en)
    return as_of, stated, sources


def load_aliases(data: Path, problems: Problems) -> dict[str, dict[str, tuple[tuple[Alias, ...], int]]]:
    """data/aliases.yaml → {section: {key: (aliases, line)}}; the keys are checked by the caller,
    which knows the provinces, pairs and countries. The file is optional."""
    file = "data/aliases.yaml"
    out: dict[str, dict] = {s: {} for s in ALIAS_SECTIONS}
    if not (data / "aliases.yaml").exists():
        return out
    raw = yamlfile.load_as(data / "aliases.yaml", file, problems, dict,
                           f"a mapping with the sections {', '.join(ALIAS_SECTIONS)}")
    if raw is None:
        return out
    for section, entries in raw.items():
        line = raw.line_of(section)
        if section not in ALIAS_SECTIONS:
            problems.add(file, line, f"'{section}' is not a section of aliases (expected one of: {', '.join(ALIAS_SECTIONS)})")
            continue
        if entries is None:
            continue
        if not isinstance(entries, dict):
            problems.add(file, line, f"{section} must be a mapping of names to lists of aliases")
            continue
        for key, items in entries.items():
            kline = entries.line_of(key)
            what = f"aliases of {section[:-1]} '{key}'"
            if not isinstance(items, list) or not items:
                problems.add(file, kline, f"{what} must be a list of {{name, lang, kind, source}}")
                continue
            found, names = [], set()
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    problems.add(file, kline, f"{what}: item {i + 1} must be a mapping with name, lang, kind and source")
                    continue
                c = _Checker(problems, file, what, item, f"[{i + 1}].")
                c.unknown({"name", "lang", "kind", "source"})
                name, lang, kind, source = c.text("name"), c.text("lang"), c.text("kind"), c.text("source")
                if kind and kind not in ALIAS_KINDS:
                    c.fail("kind", f"'{kind}' must be one of: {', '.join(ALIAS_KINDS)}")
                if name and name in names:
                    c.fail("name", f"'{name}' is given twice")
                names.add(name)
                if c.ok:
                    found.append(Alias(name, lang, kind, source))
            out[section][key] = (tuple(found), kline)
    return out


def _unknown_alias_keys(section: dict, known, what: str, problems: Problems) -> None:
    if not known:   # (the file the keys refer to could not be read: its own problem says why)
        return
    for key, (_, line) in section.items():
        if key not in known and key not in (known.written or ()):
            problems.add("data/aliases.yaml", line, f"{what} '{key}' has aliases but is not {known.describe}")


class _Known(set):
    """A set of valid keys that can say what they are, for error messages, and the keys written
    but invalid (their own entry's problem says why: not reported again)."""

    def __init__(self, items, describe: str, written=None):
        super().__init__(items)
        self.describe, self.written = describe, written


def load_other_relations(data: Path, provinces: list[Province], countries: dict[str, Country],
                         problems: Problems, source_dates: dict | None = None) -> list[OtherRelation]:
    """data/other_relations.yaml: relations the sources name outside the ministry's list. Optional.
    `source_dates` (a source's file → (date, what it is)): a signing date is no later than the
    document that names the relation."""
    source_dates = source_dates or {}
    file = "data/other_relations.yaml"
    if not (data / "other_relations.yaml").exists():
        return []
    raw = yamlfile.load_as(data / "other_relations.yaml", file, problems, list,
                           "a list of relation records (each starting with '- id:')")
    if raw is None:
        return []
    by_name = _province_index(provinces)
    out: list[OtherRelation] = []
    seen: dict[str, int] = {}
    for index, rec in enumerate(raw):
        if not isinstance(rec, dict):
            problems.add(file, _item_line(raw, index), f"record {index + 1} must be a mapping, not {rec!r}")
            continue
        rid = rec.get("id")
        c = _Checker(problems, file, f"relation '{rid}'" if isinstance(rid, str) else f"record at line {rec.line}", rec)
        c.unknown(OTHER_KEYS)
        rid = c.text("id")
        if rid and id_problem(rid, "it is used in anchors"):
            c.fail("id", id_problem(rid, "it is used in anchors"))
        elif rid in seen:
            c.fail("id", f"is already used by the record at line {seen[rid]}")
        elif rid:
            seen[rid] = rec.line_of("id")
        province = _province_of(c, by_name)
        party_th, party_en = c.text("party_th"), c.text("party_en")
        level = c.text("level")
        if level and level not in OTHER_LEVELS:
            c.fail("level", f"'{level}' must be one of: {', '.join(OTHER_LEVELS)}")
        elif level == "bma" and province and province.slug != "bangkok":
            c.fail("level", f"is bma (the Bangkok Metropolitan Administration) but province is '{province.name_en}', not Bangkok")
        status = c.text("status")
        if status and status not in OTHER_STATUSES:
            c.fail("status", f"'{status}' must be one of: {', '.join(OTHER_STATUSES)}")
        year_be = None
        if rec.get("year_be") is not None:
            year_be = c.integer("year_be", 2400, 2700)
        cited = source_dates.get(rec["source"].get("file")) if isinstance(rec.get("source"), dict) else None
        signed_month = _signed_month(rec, c, status, cited[0] if cited else None,
                                     cited[1] if cited else "", year_be)
        partner = _partner(c.mapping("partner"), c, countries, problems, file)
        source = None
        src = c.mapping("source")
        if src is not None:
            s = _Checker(problems, file, c.what, src, "source.")
            s.unknown({"file", "line", "row"})
            sfile, line, row = s.text("file"), s.integer("line", 1, 10**6), s.text("row")
            if sfile and not SEED_FILE_RE.match(sfile):
                s.fail("file", f"'{sfile}' must name a source file of shared/seeds/, such as 003_570947d7c7ff27bd.txt")
            c.ok &= s.ok
            if s.ok:
                source = OtherSource(sfile, line, row)
        notes = _notes(rec, c, problems, file)
        if c.ok and partner and province and source:
            out.append(OtherRelation(rid, province, party_th, party_en, level, partner, status, year_be, source,
                                     tuple(notes), signed_month, rec.line))
    return out


def _check_other_sources(others: list[OtherRelation], sources: dict[str, SourceDoc], problems: Problems) -> None:
    """A relation's source file must be a document of data/registry.yaml: its page names that document."""
    files = {s.file for s in sources.values() if s.file}
    for o in others:
        if sources and o.source.file not in files:
            problems.add("data/other_relations.yaml", o.file_line,
                         f"relation '{o.id}': source.file '{o.source.file}' is not the file of a source in data/registry.yaml "
                         f"(sources: file); known: {', '.join(sorted(files)) or 'none'}")


def load_boundaries(data: Path, problems: Problems) -> None:
    """data/boundaries.yaml, which portal/maps.py applies to every map: checked here, so that a
    mistake is reported at its line before any map is drawn."""
    file = "data/boundaries.yaml"
    raw = yamlfile.load_as(data / "boundaries.yaml", file, problems, dict,
                           "a mapping with drawn_as_part_of, source, note_en and note_th")
    if raw is None:
        return
    c = _Checker(problems, file, "boundaries", raw)
    c.unknown({"drawn_as_part_of", "source", "note_en", "note_th"})
    c.text("note_en"), c.text("note_th")
    rules = c.mapping("drawn_as_part_of")
    for part, whole in (rules or {}).items():
        for code in (part, whole):
            if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper()):
                problems.add(file, rules.line_of(part), f"drawn_as_part_of: {limits.excerpt(code)} is not an "
                             "ISO 3166-1 alpha-2 code (two capital letters)")
        if whole in rules:
            problems.add(file, rules.line_of(part), f"drawn_as_part_of: {part} is drawn as part of {whole}, "
                         f"which is itself drawn as part of {rules[whole]}: name the country it belongs to")
    source = c.mapping("source")
    if source is not None:
        sc = _Checker(problems, file, "boundaries", source, "source.")
        sc.unknown({"title", "publisher", "date", "url", "quote"})
        for key in ("title", "publisher", "url"):
            sc.text(key)
        if source.get("date") is None:
            sc.fail("date", "is missing: the date the source was published")


def load_registry(data: Path, problems: Problems) -> Registry | None:
    """Everything under data/, validated. Returns None when any problem was found."""
    regions = load_regions(data, problems)
    provinces = load_provinces(data, regions, problems)
    countries = load_countries(data, problems)
    aliases = load_aliases(data, problems)
    # Aliases join the records before the pairs refer to them (records are immutable).
    written_provinces = getattr(provinces, "written", None)
    _unknown_alias_keys(aliases["provinces"], _Known((p.name_en for p in provinces),
                        "the English name of a province in data/provinces.yaml", written_provinces), "province", problems)
    _unknown_alias_keys(aliases["countries"], _Known(countries, "a country of data/countries.yaml", countries.written),
                        "country", problems)
    provinces = EntryList((replace(p, aliases=aliases["provinces"][p.name_en][0]) if p.name_en in aliases["provinces"] else p
                           for p in provinces), written=written_provinces)
    countries = Entries({code: replace(c, aliases=aliases["countries"][code][0]) if code in aliases["countries"] else c
                         for code, c in countries.items()}, written=countries.written)
    # The list's date and the sources' first: the latest a signing date may be. (Their problems
    # are reported in their usual place, after the pairs'.)
    meta_problems = Problems()
    as_of, stated, sources = load_meta(data, meta_problems)
    ids: set[str] = set()
    pairs = load_pairs(data, provinces, countries, problems, ids, as_of)
    _unknown_alias_keys(aliases["partners"], _Known(ids, "the id of a record of data/pairs.yaml"), "pair", problems)
    pairs = [replace(p, partner=replace(p.partner, aliases=aliases["partners"][p.id][0]))
             if p.id in aliases["partners"] else p for p in pairs]
    dates = {s.file: (s.date, f"{s.short_en or s.title_en} (data/registry.yaml, sources: {key})")
             for key, s in sources.items() if s.file and s.date}
    others = load_other_relations(data, provinces, countries, problems, dates)
    problems.items += meta_problems.items
    _check_other_sources(others, sources, problems)
    load_boundaries(data, problems)
    if problems:
        return None
    registry = Registry(as_of, pairs, list(provinces), list(countries.values()), list(regions.values()),
                        stated, sources, others)
    from . import events   # what happened after the list: checked against the records above
    registry.later_relations, registry.events = events.load(data, registry, problems)
    return None if problems else registry
