"""The page plan: every (language, kind, record) → URL, template, context and what it depends on.

Nothing here renders or writes; `render` turns each Page into HTML, `write` puts it in site/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from . import lists, thai, urls
from .content import Document
from .errors import Problems
from .model import Pair, Registry


@dataclass
class Page:
    url: str
    lang: str
    kind: str
    template: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    breadcrumbs: list[dict] = field(default_factory=list)
    deps: tuple[str, ...] = ()   # names of the inputs this page reads: 'pairs', 'doc:th/plan', …

    @property
    def switch_url(self) -> str:
        return urls.switch(self.url)

    @property
    def alternates(self) -> list[dict]:
        return [{"lang": lang, "url": self.url if lang == self.lang else self.switch_url} for lang in urls.LANGS]


_sorted_by_name = lists.sorted_by_name
_pair_order = lists.pair_order


class Planner:
    def __init__(self, registry: Registry, docs: dict[tuple[str, str], Document], strings: dict[str, dict]):
        self.r, self.docs, self.strings = registry, docs, strings

    def crumbs(self, lang: str, *trail: tuple[str, str]) -> list[dict]:
        t = self.strings[lang]
        return [{"label": t["nav_home"], "url": urls.home(lang)}] + [{"label": a, "url": b} for a, b in trail]

    def plan(self) -> list[Page]:
        pages: list[Page] = [Page("/", "th", "landing", "landing.html", self.strings["th"]["site_name"],
                                  self.strings["th"]["site_description"], deps=("strings",))]
        for lang in urls.LANGS:
            pages += self.home(lang)
            pages += self.provinces(lang)
            pages += self.countries(lang)
            pages += self.pairs(lang)
            pages += self.documents(lang)
            pages.append(Page(urls.not_found(lang), lang, "404", "404.html", self.strings[lang]["not_found_title"],
                              self.strings[lang]["not_found_text"], deps=("strings",)))
        return pages

    def home(self, lang: str) -> list[Page]:
        t = self.strings[lang]
        with_partners = {p.province.slug for p in self.r.pairs}
        return [Page(urls.home(lang), lang, "home", "home.html", t["site_name"], t["site_description"],
                     {"provinces_with": len(with_partners)}, [], ("pairs:membership", "countries"))]

    def provinces(self, lang: str) -> list[Page]:
        t = self.strings[lang]
        groups = []
        for region in self.r.regions:
            members = [pv for pv in self.r.provinces if pv.region.key == region.key and pv.is_province]
            items = [{"province": pv,
                      "signed": sum(p.signed for p in self.r.pairs_of_province(pv)),
                      "in_progress": sum(not p.signed for p in self.r.pairs_of_province(pv))}
                     for pv in members]
            items = _sorted_by_name(items, lang, lambda i: i["province"].name(lang))
            groups.append({"region": region, "provinces": items})
        # Bangkok apart: not a province of the list, with the relations other sources name.
        special = [{"province": pv, "other": len(self.r.other_relations_of_province(pv))}
                   for pv in self.r.provinces if not pv.is_province]
        pages = [Page(urls.provinces(lang), lang, "provinces", "provinces.html", t["nav_provinces"],
                      t["provinces_lead"], {"groups": groups, "special": special}, self.crumbs(lang, (t["nav_provinces"], urls.provinces(lang))),
                      ("pairs:membership", "provinces"))]
        for pv in self.r.provinces:
            mine = sorted(self.r.pairs_of_province(pv), key=_pair_order)
            kind = "province" if pv.is_province else "special_area"
            title = t[f"{kind}_title"].replace("{name}", pv.name(lang))
            pages.append(Page(
                urls.province(lang, pv.slug), lang, "province", "province.html", title,
                t[f"{kind}_description"].replace("{name}", pv.name(lang)),
                {"province": pv, "signed": [p for p in mine if p.signed], "in_progress": [p for p in mine if not p.signed],
                 "other_relations": self.r.other_relations_of_province(pv)},
                self.crumbs(lang, (t["nav_provinces"], urls.provinces(lang)), (pv.name(lang), urls.province(lang, pv.slug))),
                ("provinces", "countries", *(f"listing:{p.id}" for p in mine), "pairs:membership", "other_relations")))
        return pages

    def countries(self, lang: str) -> list[Page]:
        t = self.strings[lang]
        rows = []
        for c in self.r.countries:
            mine = self.r.pairs_of_country(c)
            rows.append({"country": c, "signed": sum(p.signed for p in mine),
                         "in_progress": sum(not p.signed for p in mine),
                         "provinces": len({p.province.slug for p in mine})})
        rows = _sorted_by_name(rows, lang, lambda r: r["country"].name(lang))
        pages = [Page(urls.countries(lang), lang, "countries", "countries.html", t["nav_countries"], t["countries_lead"],
                      {"rows": rows}, self.crumbs(lang, (t["nav_countries"], urls.countries(lang))),
                      ("pairs:membership", "countries"))]
        for c in self.r.countries:
            mine = sorted(self.r.pairs_of_country(c), key=_pair_order)
            title = t["country_title"].replace("{name}", c.name(lang))
            pages.append(Page(
                urls.country(lang, c.slug), lang, "country", "country.html", title,
                t["country_description"].replace("{name}", c.name(lang)),
                {"country": c, "pairs": mine, "groups": lists.partner_regions(mine),
                 "other_relations": self.r.other_relations_of_country(c)},
                self.crumbs(lang, (t["nav_countries"], urls.countries(lang)), (c.name(lang), urls.country(lang, c.slug))),
                ("countries", "provinces", *(f"listing:{p.id}" for p in mine), "pairs:membership", "other_relations")))
        return pages

    def pairs(self, lang: str) -> list[Page]:
        t = self.strings[lang]
        pages = [Page(urls.pairs(lang), lang, "pairs", "pairs.html", t["nav_pairs"], t["pairs_lead"],
                      lists.pairs_index(self.r, lang),
                      self.crumbs(lang, (t["nav_pairs"], urls.pairs(lang))), ("pairs:listing", "provinces", "countries"))]
        by_partner: dict[str, list[Pair]] = {}
        for p in self.r.pairs:
            by_partner.setdefault(p.partner.name_en.casefold(), []).append(p)
        for p in self.r.pairs:
            title = f"{p.province.name(lang)} – {p.partner.name(lang)}"
            # The same partner in other records: another province, the other list, a second spelling's twin.
            related = [q for q in by_partner[p.partner.name_en.casefold()] if q.id != p.id]
            pages.append(Page(
                urls.pair(lang, p.id), lang, "pair", "pair.html", title,
                t["pair_description"].replace("{province}", p.province.name(lang)).replace("{partner}", p.partner.name(lang))
                .replace("{country}", p.partner.country.name(lang)).replace("{status}", t[f"status_{p.status}"]),
                {"pair": p, "related": related},
                self.crumbs(lang, (t["nav_pairs"], urls.pairs(lang)), (title, urls.pair(lang, p.id))),
                (f"pair:{p.id}", *(f"listing:{q.id}" for q in related), "pairs:membership", "provinces", "countries",
                 "aliases")))
        return pages

    def documents(self, lang: str) -> list[Page]:
        t = self.strings[lang]
        pages = []
        for (doc_lang, name), doc in sorted(self.docs.items()):
            if doc_lang != lang:
                continue
            children: dict[str, list[str]] = {}
            current = None
            for s in doc.sections:
                if s.level == 2:
                    current = s.anchor
                    children[current] = []
                elif s.level == 3 and current:
                    children[current].append(s.anchor)
            deps = [f"doc:{lang}/{name}"]
            if "[[annex]]" in doc.html or "[[counts]]" in doc.html:
                # the annex's editor's note also reads each row as printed (source.row)
                deps += ["pairs:listing", "pairs:rows", "provinces", "countries"]
            pages.append(Page(urls.document(lang, name), lang, "document", "document.html", doc.title, doc.description,
                              {"doc": doc, "children": children},
                              self.crumbs(lang, (doc.title if len(doc.title) < 40 else t.get(f"nav_{name}", doc.title),
                                                 urls.document(lang, name))), tuple(deps)))
        return pages


def annex_groups(registry: Registry) -> list[tuple[str, list[tuple[int, list[Pair]]]]]:
    """The registry grouped like the ministry's annex: by status, then by year, in list order."""
    out = []
    for status in ("signed", "in_progress"):
        rows = sorted((p for p in registry.pairs if p.status == status), key=lambda p: p.list_no)
        rows.sort(key=lambda p: p.year_be)  # stable: list order inside each year
        out.append((status, [(y, list(g)) for y, g in groupby(rows, key=lambda p: p.year_be)]))
    return out


PRINTED_NO_RE = re.compile(r"\s*([0-9๐-๙]+)\s*/\s*([0-9๐-๙]+)")


@dataclass(frozen=True)
class AnnexChange:
    """A row the annex shows otherwise than the ministry printed it (the printed row is on the pair page)."""
    pair: Pair
    printed_no: tuple[int, int] | None   # (year group, list number) as printed, where it differs
    name: bool                            # the partner is shown under another name than the printed one
    province: bool                        # the province's name is misprinted in the row
    country: bool                         # the row names no country, or another one

    @property
    def kinds(self) -> tuple[str, ...]:
        """What differs, in the order a row reads: number, province, partner, country."""
        return tuple(k for k, differs in (("number", self.printed_no), ("province", self.province),
                                          ("name", self.name), ("country", self.country)) if differs)


def printed_number(pair: Pair) -> tuple[int, int] | None:
    """The (year group, list number) the row was printed with, read from source.row."""
    m = PRINTED_NO_RE.match(pair.source.row)
    return (int(thai.arabic_digits(m.group(1))), int(thai.arabic_digits(m.group(2)))) if m else None


def annex_changes(registry: Registry) -> list[AnnexChange]:
    """Every row whose number, province, partner or country the annex shows differently from the printed row,
    derived from the data each build so the editor's note never drifts from the list it describes."""
    out = []
    for group in annex_groups(registry):
        for _year, rows in group[1]:
            for p in rows:
                row = _PrintedRow(p.source.row)
                printed = printed_number(p)
                shown = (p.year_be % 100, p.list_no)
                change = AnnexChange(
                    p, printed if printed and printed != shown else None,
                    name=not row.has(p.partner.name_th),
                    province=not row.has(p.province.name_th),
                    country=not (row.has(p.partner.country.formal_th) or row.has(p.partner.country.name_th)))
                if change.printed_no or change.name or change.province or change.country:
                    out.append(change)
    return out


class _PrintedRow:
    """A printed row, searched for whole names with its spacing ignored (จังหวัด พระตะบอง is จังหวัดพระตะบอง)."""

    def __init__(self, row: str):
        self.row = row
        self.kept = [i for i, ch in enumerate(row) if not ch.isspace()]   # bare position → position in row
        self.bare = "".join(row[i] for i in self.kept)

    def has(self, name: str) -> bool:
        """The whole name is printed: บุรีรัมย์ is not printed in บุรีรัมย์ย์ (a Thai letter may not follow it)."""
        bare = "".join(name.split())
        at = self.bare.find(bare)
        while at >= 0 and bare:
            after = self.kept[at + len(bare) - 1] + 1
            if after >= len(self.row) or not "\u0e01" <= self.row[after] <= "\u0e4e":
                return True
            at = self.bare.find(bare, at + 1)
        return False


def check_unique_urls(pages: list[Page], problems: Problems) -> None:
    """Two pages on one URL would overwrite each other: refuse instead."""
    seen: dict[str, Page] = {}
    for page in pages:
        path = urls.output_path(page.url)
        if path in seen:
            other = seen[path]
            problems.add("data/pairs.yaml" if page.kind in ("pair", "province", "country") else "content/", None,
                         f"two pages would be written to {page.url}: the {other.kind} page '{other.title}' "
                         f"and the {page.kind} page '{page.title}'")
        else:
            seen[path] = page
