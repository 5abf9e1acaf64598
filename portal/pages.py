"""The page plan: every (language, kind, record) → URL, template, context and what it depends on.

Nothing here renders or writes; `render` turns each Page into HTML, `write` puts it in site/.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from . import content, lists, opendata, thai, urls
from .content import Document, SectionPage
from .errors import Problems
from .events import EVENT_KINDS, after_the_list, newest_first
from .model import Pair, Registry

LATEST_ON_HOME = 5       # events the home page shows (the since page has all)
LATEST_ON_PROVINCE = 5   # events a province page shows

# What each generated block of content/ ([[name]], content.DIRECTIVES) reads beyond what every page's
# fingerprint holds already (data/site.yaml's settings, the reports cited, the list's date and sources:
# site.Builder._plan), as names of site.dependency_digests. A page that shows a block is made again
# when one of them changes.
DIRECTIVE_READS = {
    "annex": ("pairs:listing", "pairs:rows", "provinces", "countries"),   # (its editor's note reads each row as printed)
    "counts": ("pairs:counts",),
    "publisher": (), "report": (), "offices": ("offices",), "outside-sources": (),
    "event-downloads": opendata.EVENTS_READ,   # (each button says its file's size)
}
assert DIRECTIVE_READS.keys() == set(content.DIRECTIVES), "every generated block says what it reads"


def directive_reads(html: str) -> list[str]:
    """What the generated blocks of a document (or of one section's page) read."""
    return sorted({d for m in content.DIRECTIVE_RE.finditer(html) for d in DIRECTIVE_READS.get(m.group(1), ())})


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


# A language's section pages, and where each section lives, read only that language's documents and
# two of its strings: a rebuild whose documents are the same objects (content.load_documents does not
# convert an unchanged file again) takes them from the last build (lang → (what they read, them)).
_LAST_SECTIONS: dict[str, tuple[tuple, dict[tuple, Any]]] = {}


class Planner:
    def __init__(self, registry: Registry, docs: dict[tuple[str, str], Document], strings: dict[str, dict]):
        self.r, self.docs, self.strings = registry, docs, strings
        self._cache: dict[tuple, Any] = {}   # each language's section pages, worked out once
        for lang in urls.LANGS:
            read = self._sections_read(lang)
            last = _LAST_SECTIONS.get(lang)
            if last and _same_reads(last[0], read):
                self._cache.update((k, v) for k, v in last[1].items() if k[1] == lang)
            else:
                _LAST_SECTIONS[lang] = (read, self._cache)   # (filled as the plan works them out)

    def _sections_read(self, lang: str) -> tuple:
        t = self.strings[lang]
        docs = tuple((name, doc, doc.published_pages) for (doc_lang, name), doc in sorted(self.docs.items())
                     if doc_lang == lang)
        return docs, t.get("nav_home"), tuple(t.get(f"nav_{name}") for name, _d, _p in docs)

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
            pages += self.after_the_list(lang)
            pages += self.sections(lang)
            pages.append(Page(urls.not_found(lang), lang, "404", "404.html", self.strings[lang]["not_found_title"],
                              self.strings[lang]["not_found_text"], {"suggest_config": self.not_found_config(lang)},
                              deps=("strings",)))
        return pages

    def not_found_config(self, lang: str) -> dict:
        """What static/js/not-found.js needs to suggest the page a mistyped address meant: this
        language's search index, and the words of the site's own addresses, which say where a page
        is, not what it is about (/th/provinces/chiangmai/ is searched as 'chiangmai')."""
        from .search import index_path
        folders = {u.strip("/").split("/")[1] for u in (urls.provinces(lang), urls.countries(lang), urls.pairs(lang),
                                                         urls.document(lang, "plan"), urls.document(lang, "handbook"),
                                                         urls.search(lang), urls.map_page(lang), urls.stats(lang))}
        kinds = {urls.provinces(lang).strip("/").split("/")[1]: "province", urls.countries(lang).strip("/").split("/")[1]: "country",
                 urls.pairs(lang).strip("/").split("/")[1]: "pair"}
        return {"index": "/" + index_path(lang), "ignore": sorted(folders | set(urls.LANGS) | {"index", "html", "htm", "php"}),
                "kinds": kinds}

    def home(self, lang: str) -> list[Page]:
        t = self.strings[lang]
        with_partners = {p.province.slug for p in self.r.pairs}
        return [Page(urls.home(lang), lang, "home", "home.html", t["site_name"], t["site_description"],
                     {"provinces_with": len(with_partners), "latest_events": [e for e in newest_first(self.r.events)
                                                                        if after_the_list(e.date, self.r.as_of)][:LATEST_ON_HOME]},
                     [], ("pairs:membership", "countries", "events"))]

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
        special = [{"province": pv, "other": self.r.other_relations_of_province(pv)}
                   for pv in self.r.provinces if not pv.is_province]
        pages = [Page(urls.provinces(lang), lang, "provinces", "provinces.html", t["nav_provinces"],
                      t["provinces_lead"], {"groups": groups, "special": special}, self.crumbs(lang, (t["nav_provinces"], urls.provinces(lang))),
                      ("pairs:membership", "provinces", "other_relations"))]
        for pv in self.r.provinces:
            mine = sorted(self.r.pairs_of_province(pv), key=_pair_order)
            kind = "province" if pv.is_province else "special_area"
            title = t[f"{kind}_title"].replace("{name}", pv.name(lang))
            pages.append(Page(
                urls.province(lang, pv.slug), lang, "province", "province.html", title,
                t[f"{kind}_description"].replace("{name}", pv.name(lang)),
                {"province": pv, "signed": [p for p in mine if p.signed], "in_progress": [p for p in mine if not p.signed],
                 "other_relations": self.r.other_relations_of_province(pv),
                 "later_relations": self.r.later_relations_of_province(pv),
                 "latest_events": self.r.events_of_province(pv)[:LATEST_ON_PROVINCE]},
                self.crumbs(lang, (t["nav_provinces"], urls.provinces(lang)), (pv.name(lang), urls.province(lang, pv.slug))),
                ("provinces", "countries", *(f"listing:{p.id}" for p in mine), "pairs:membership", "other_relations",
                 "events")))
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
            groups = lists.partner_regions(mine)
            title = t["country_title"].replace("{name}", c.name(lang))
            pages.append(Page(
                urls.country(lang, c.slug), lang, "country", "country.html", title,
                t["country_description"].replace("{name}", c.name(lang)),
                {"country": c, "pairs": mine, "groups": groups,
                 "in_region_order": lists.in_region_order(mine, lang, groups),
                 "other_relations": self.r.other_relations_of_country(c),
                 "later_relations": self.r.later_relations_of_country(c)},
                self.crumbs(lang, (t["nav_countries"], urls.countries(lang)), (c.name(lang), urls.country(lang, c.slug))),
                ("countries", "provinces", *(f"listing:{p.id}" for p in mine), "pairs:membership", "other_relations",
                 "events")))
        return pages

    def pairs(self, lang: str) -> list[Page]:
        t = self.strings[lang]
        pages = [Page(urls.pairs(lang), lang, "pairs", "pairs.html", t["nav_pairs"], t["pairs_lead"],
                      lists.pairs_index(self.r, lang),
                      self.crumbs(lang, (t["nav_pairs"], urls.pairs(lang))), ("pairs:listing", "provinces", "countries", "events"))]
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
                {"pair": p, "related": related, "timeline": self.r.events_of(p.id)},
                self.crumbs(lang, (t["nav_pairs"], urls.pairs(lang)), (title, urls.pair(lang, p.id))),
                (f"pair:{p.id}", *(f"listing:{q.id}" for q in related), "pairs:membership", "provinces", "countries",
                 "aliases", "events")))
        return pages

    def after_the_list(self, lang: str) -> list[Page]:
        """The "since the list" page (every event and later relation, newest first) and the report page."""
        t = self.strings[lang]
        every = since_items(self.r)
        items = [i for i in every if after_the_list(i["date"], self.r.as_of)]
        earlier = [i for i in every if not after_the_list(i["date"], self.r.as_of)]
        provinces = {i["province"].slug: i["province"] for i in items}
        kinds = [k for k in EVENT_KINDS if any(i["kind"] == k for i in items)]
        since = Page(urls.since(lang), lang, "since", "since.html", t["since_title"], t["since_lead"],
                     {"items": items, "years": _by_year(items), "earlier": earlier,
                      "choices": {"provinces": _sorted_by_name(list(provinces.values()), lang, lambda p: p.name(lang)),
                                  "kinds": kinds}},
                     self.crumbs(lang, (t["since_title"], urls.since(lang))),
                     tuple(sorted({"events", "provinces", "countries", *opendata.EVENTS_READ})))   # (and its buttons' files)
        report = Page(urls.report(lang), lang, "report", "report.html", t["report_page_title"], t["report_page_lead"],
                      {}, self.crumbs(lang, (t["report_page_title"], urls.report(lang))), ("offices",))
        return [since, report]

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
            deps = [f"doc:{lang}/{name}", *directive_reads(doc.html), *opendata.page_reads(name)]
            pages.append(Page(urls.document(lang, name), lang, "document", "document.html", doc.title, doc.description,
                              {"doc": doc, "children": children, "section_urls": self.section_urls(lang).get(name, {})},
                              self.crumbs(lang, (doc.title if len(doc.title) < 40 else t.get(f"nav_{name}", doc.title),
                                                 urls.document(lang, name))), tuple(deps)))
        return pages


    def _section_parts(self, lang: str) -> dict[str, list[SectionPage]]:
        key, cache = ("parts", lang), self._cache
        if key not in cache:
            cache[key] = {name: content.section_pages(doc) for (doc_lang, name), doc in sorted(self.docs.items())
                          if doc_lang == lang and name in content.PAGE_LEVELS}
        return cache[key]

    def section_urls(self, lang: str) -> dict[str, dict[str, str]]:
        """document → {id in it: the address of the section page that holds it} ('#id' added
        unless the id is that page's own heading). A copied or rewritten link goes there."""
        key, cache = ("urls", lang), self._cache
        if key not in cache:
            cache[key] = {name: content.section_addresses(lang, parts) for name, parts in self._section_parts(lang).items()}
        return cache[key]

    def sections(self, lang: str) -> list[Page]:
        """A page for each section of the plan and the handbook that has one (content.section_pages):
        its own title, description and card, the previous and next sections, and the whole document."""
        if ("sections", lang) not in self._cache:
            self._cache[("sections", lang)] = self._sections(lang)
        return self._cache[("sections", lang)]

    def _sections(self, lang: str) -> list[Page]:
        t = self.strings[lang]
        where = self.section_urls(lang)
        pages = []
        for name, parts in self._section_parts(lang).items():
            doc = self.docs[(lang, name)]
            doc_url = urls.document(lang, name)
            doc_label = doc.title if len(doc.title) < 40 else t.get(f"nav_{name}", doc.title)
            chapter_of: dict[str, SectionPage] = {c.anchor: part for part in parts for c in part.children}
            # What a section page reads, as one digest (Builder looks a dependency up by name, else
            # takes it as it is): its part, its neighbours' titles and every section's address, so
            # that an edit to one section re-renders the whole document and that section's page only.
            layout = hashlib.sha1(repr((sorted((n, sorted(w.items())) for n, w in where.items()), doc.title, doc.updated,
                                        doc.source)).encode()).hexdigest()
            for i, part in enumerate(parts):
                url = urls.section(lang, name, part.anchor)
                trail = [(doc_label, doc_url)]
                chapter = chapter_of.get(part.anchor)
                if chapter:
                    trail.append((chapter.section.title, urls.section(lang, name, chapter.anchor)))
                trail.append((part.section.title, url))
                near = {k: {"title": q.section.title, "url": urls.section(lang, name, q.anchor)} if q else None
                        for k, q in (("prev", parts[i - 1] if i else None), ("next", parts[i + 1] if i + 1 < len(parts) else None))}
                extra = directive_reads(part.html)
                mine = hashlib.sha1(repr((layout, part, [p.section for p in parts[max(0, i - 1):i + 2]],
                                          chapter.section if chapter else None)).encode()).hexdigest()
                extra.append(f"section:{lang}/{name}/{part.anchor}:{mine}")
                pages.append(Page(
                    url, lang, "section", "section.html", f"{_plain_title(part.section.title, lang)} · {t.get(f'nav_{name}', doc.title)}",
                    content.section_description(part),
                    {"doc": doc, "part": part, "html": relink(part.html, lang, where, url),
                     "children": [{"title": c.title, "url": urls.section(lang, name, c.anchor)} for c in part.children],
                     "chapter": {"title": chapter.section.title, "url": urls.section(lang, name, chapter.anchor)} if chapter else None,
                     "whole": f"{doc_url}#{part.anchor}", **near},
                    self.crumbs(lang, *trail), tuple(extra)))
            # A section that moved keeps its old address (data/section_pages.yaml): it leads to the new one.
            have = {p.anchor for p in parts}
            for old in doc.published_pages:
                moved = next((p for p in parts if old in p.section.aliases), None)
                if old not in have and moved:
                    new = urls.section(lang, name, moved.anchor)
                    pages.append(Page(urls.section(lang, name, old), lang, "section-moved", "section_moved.html",
                                      moved.section.title, content.section_description(moved), {"target": new},
                                      self.crumbs(lang, (doc_label, doc_url), (moved.section.title, new)),
                                      (f"moved:{old}:{layout}:{moved.section!r}",)))
        return pages


def _same_reads(a: tuple, b: tuple) -> bool:
    """The same documents (the very objects, with the same section pages) and the same strings."""
    return (len(a[0]) == len(b[0]) and all(x[0] == y[0] and x[1] is y[1] and x[2] == y[2] for x, y in zip(a[0], b[0]))
            and a[1:] == b[1:])


_THAI_IN_BRACKETS = re.compile(r"\s*\([^()]*[\u0e00-\u0e7f][^()]*\)")


def _plain_title(title: str, lang: str) -> str:
    """A section's title for <title> and og:title, which cannot mark a part's language: on an
    English page, without the Thai term in brackets that the heading itself shows (tagged th)."""
    return _THAI_IN_BRACKETS.sub("", title) if lang != "th" else title


_SAME_SITE_LINK_RE = re.compile(r'href="(/(th|en)/([a-z0-9-]+)/)?#([^"]+)"')


def relink(fragment: str, lang: str, where: dict[str, dict[str, str]], own_url: str) -> str:
    """A section's links to a section of the plan or the handbook (#id, or /th/handbook/#id) lead
    to the section page that holds it (a link within the page stays a #fragment)."""
    current = own_url.strip("/").split("/")[1]

    def link(m: re.Match) -> str:
        doc = m.group(3) if m.group(1) else current
        if m.group(1) and m.group(2) != lang:
            return m.group(0)
        target = where.get(doc, {}).get(m.group(4))
        if not target:
            return m.group(0) if m.group(1) else f'href="{urls.document(lang, doc)}#{m.group(4)}"'
        if target.split("#")[0] == own_url:
            return f'href="#{m.group(4)}"'
        return f'href="{target}"'
    return _SAME_SITE_LINK_RE.sub(link, fragment)
def since_items(registry: Registry) -> list[dict]:
    """Every event and every relation reported since the list, newest first: what the since page lists.
    A later relation is dated by its signing (or, without one, by its first event); an event of a later
    relation that cites the relation's own report is told by the relation's card, not twice."""
    card_reports = {rel.id: rel.source.url for rel in registry.later_relations}
    items = [{"type": "event", "event": e, "date": e.date, "province": e.province, "kind": e.kind,
              "order": e.file_line} for e in registry.events
             if card_reports.get(e.relation_id) != e.source.url]
    for rel in registry.later_relations:
        first = registry.events_of(rel.id)
        date = rel.signed_date or (first[0].date if first else None)
        if date:
            items.append({"type": "later", "relation": rel, "date": date, "province": rel.province,
                          "kind": "later", "order": -1,
                          "told": [e.id for e in first if card_reports[rel.id] == e.source.url]})   # their anchors
    return sorted(items, key=lambda i: (i["date"], i["order"]), reverse=True)


def _by_year(items: list[dict]) -> list[tuple[int, list[dict]]]:
    return [(year, list(group)) for year, group in groupby(items, key=lambda i: i["date"].year)]


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
