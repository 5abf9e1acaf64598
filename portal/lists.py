"""Lists of pairs as the pages show them: one compact row per pair (templates/_macros.html
`pair_rows`), grouped so that a long list can be skimmed and jumped through.

- `partner_regions`: a long country page grouped by the partner's own first-level region
  (a Chinese province, a Japanese prefecture, a US state);
- `in_region_order`: a country page whose regions would gather nothing (Korea's partners are
  provinces themselves) as one list in the order of those regions;
- `pairs_index`: the all-pairs page, grouped by status and year, with what its filter
  (static/js/pairs-filter.js) needs: each row's filter values and sort ranks, and the choices.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, TypeVar

from markupsafe import Markup, escape

from . import thai
from .model import Pair, Registry

T = TypeVar("T")

# A country page is grouped by region when it is long and grouping actually gathers pairs (ten
# pairs in ten regions read best as one list), or, from a few pairs on, when its partners are
# cities inside regions (Uozu in Toyama, Reno in Nevada): a reader who knows the prefecture or the
# state finds the city under it. (Korea's three partners are provinces themselves: nothing to group;
# such a list is put in the order of the regions instead, `in_region_order`.)
GROUP_MIN_PAIRS = 10
GROUP_MIN_PAIRS_IN_REGIONS = 3
# Generic words left out of a region's anchor, so that #region-yunnan stays when 'Yunnan Province'
# becomes 'Yunnan' in the data (the label shows the name as the data spells it).
GENERIC_RE = re.compile(r"\s+((\w+\s+)?Autonomous (Region|Prefecture)|Province|Prefecture|State|Municipality)$")


def sorted_by_name(items: Iterable[T], lang: str, name: Callable[[T], str]) -> list[T]:
    """Thai collation on Thai pages, case-insensitive alphabetical on English pages (stable)."""
    if lang == "th":
        return thai.sort_thai(items, name)
    return sorted(items, key=lambda x: name(x).casefold())


def pair_order(p: Pair) -> tuple:
    """Signed before in progress, then the list's own order."""
    return (p.status != "signed", p.list_no)


@dataclass
class RegionGroup:
    id: str           # the anchor of its heading, the same in both languages
    name_en: str
    name_th: str
    pairs: list[Pair] = field(default_factory=list)

    def name(self, lang: str) -> str:
        return self.name_th if lang == "th" else self.name_en


def _top_region(p: Pair) -> tuple[str, str]:
    """(English, Thai) name of the first-level region the partner is in, or is itself.
    A parent such as 'Xishuangbanna Dai Autonomous Prefecture, Yunnan' names the region last:
    after the last comma in English, after the last space in Thai."""
    partner = p.partner
    if not partner.parent_en:
        return partner.name_en, partner.name_th
    en_parts = partner.parent_en.split(",")
    th = partner.parent_th or ""
    if len(en_parts) > 1:
        th = th.split()[-1] if th.split() else th
    return en_parts[-1].strip(), th.strip() or en_parts[-1].strip()


def partner_regions(pairs: list[Pair]) -> list[RegionGroup] | None:
    """A country's pairs grouped by the partner's own region, biggest group first; None when the
    list is short or grouping would not gather anything.

    The data spells one region several ways ('Yunnan' the partner, 'Yunnan Province' a parent,
    'Xishuangbanna …, Yunnan'); a name joins the shortest other name it begins with, as a word,
    and each group is labelled with its most frequent spelling in each language."""
    in_regions = 2 * sum(1 for p in pairs if p.partner.parent_en) >= len(pairs)   # most are inside a region
    if len(pairs) < (GROUP_MIN_PAIRS_IN_REGIONS if in_regions else GROUP_MIN_PAIRS):
        return None
    tops = [(p, *_top_region(p)) for p in pairs]
    names = {en for _p, en, _th in tops}

    def key(en: str) -> str:  # the shortest name that `en` begins with, word by word
        words = en.split(" ")
        return next(prefix for i in range(1, len(words) + 1) if (prefix := " ".join(words[:i])) in names)

    members: dict[str, list[tuple[Pair, str, str]]] = {}
    for item in tops:
        members.setdefault(key(item[1]), []).append(item)
    if len(members) > len(pairs) // 2 and not (in_regions and len(members) < len(pairs)):
        return None
    groups = []
    for k, items in members.items():
        en = Counter(en for _p, en, _th in items).most_common(1)[0][0]
        th = Counter(th for _p, _en, th in items).most_common(1)[0][0]
        slug = re.sub(r"[^a-z0-9]+", "-", GENERIC_RE.sub("", k).casefold()).strip("-")
        groups.append(RegionGroup(f"region-{slug}", en, th, sorted((p for p, _en, _th in items), key=pair_order)))
    groups.sort(key=lambda g: g.name_en.casefold())
    groups.sort(key=lambda g: -len(g.pairs))  # stable: by size, then by name
    return groups


_NOT_GIVEN = object()


def in_region_order(pairs: list[Pair], lang: str, groups=_NOT_GIVEN) -> list[Pair] | None:
    """A country's pairs in the order of the partner's own region, by its name in the page's language
    (less the word for its kind: Busan, Gangwon, Jeollanam-do; คังวอน, ช็อลลาใต้, ปูซาน), for a list
    of a few pairs on that `partner_regions` does not group: Korea's partners are provinces
    themselves, Cambodia's too. The list then still reads as organised by region, and each row names
    the region (the partner's own name when it is one, else its parent). None for a shorter list and
    for a grouped one."""
    if groups is _NOT_GIVEN:   # (the caller may pass partner_regions(pairs), worked out already)
        groups = partner_regions(pairs)
    if len(pairs) < GROUP_MIN_PAIRS_IN_REGIONS or groups is not None:
        return None

    def region(p: Pair) -> str:
        en, th = _top_region(p)
        if lang == "th":
            return " ".join(thai.names_in(th)) or th
        return GENERIC_RE.sub("", en)
    # within a region: the region itself first, then the places inside it (Quang Binh, then Dong Hoi)
    return sorted_by_name(sorted(pairs, key=lambda p: (bool(p.partner.parent_en), pair_order(p))), lang, region)


@dataclass
class YearGroup:
    status: str
    year_be: int
    pairs: list[Pair]

    @property
    def id(self) -> str:  # Common Era in the anchor, so that it is the same in both languages
        return f"{self.status.replace('_', '-')}-{thai.be_to_ce(self.year_be)}"


def pairs_index(registry: Registry, lang: str) -> dict:
    """The all-pairs page: rows by status then year, and the filter's choices and sort ranks."""
    ordered = sorted(registry.pairs, key=pair_order)
    sections = []
    for status in ("signed", "in_progress"):
        rows = sorted((p for p in ordered if p.status == status), key=lambda p: (p.year_be, p.list_no))
        years: dict[int, list[Pair]] = {}
        for p in rows:
            years.setdefault(p.year_be, []).append(p)
        sections.append({"status": status, "id": status.replace("_", "-"), "count": len(rows),
                         "years": [YearGroup(status, y, ps) for y, ps in years.items()]})
    by_year = sorted(ordered, key=lambda p: (p.year_be, p.list_no))
    by_province = sorted_by_name(by_year, lang, lambda p: p.province.name(lang))
    by_partner = sorted_by_name(by_year, lang, lambda p: p.partner.name(lang))
    provinces_by_region = []
    for region in registry.regions:
        members = [pv for pv in registry.provinces if pv.region.key == region.key and registry.pairs_of_province(pv)]
        if members:
            provinces_by_region.append((region, sorted_by_name(members, lang, lambda pv: pv.name(lang))))
    countries = Counter(p.partner.country.code for p in registry.pairs)
    rank_province = {p.id: i for i, p in enumerate(by_province)}
    rank_partner = {p.id: i for i, p in enumerate(by_partner)}
    # What the filter reads of each row, as the row's attributes (made here: in the template these
    # lookups would be most of the page's render time).
    row_data = {p.id: Markup(
        f' data-status="{p.status}" data-region="{escape(p.province.region.key)}" data-province="{escape(p.province.slug)}"'
        f' data-country="{p.partner.country.code.lower()}" data-year="{p.year_ce}"'
        f' data-rank-province="{rank_province[p.id]}" data-rank-partner="{rank_partner[p.id]}"') for p in ordered}
    return {
        "sections": sections,
        "row_data": row_data,
        "choices": {
            "regions": [pr[0] for pr in provinces_by_region],
            "provinces": provinces_by_region,
            "countries": [(c, countries[c.code]) for c in sorted_by_name(
                (c for c in registry.countries if countries[c.code]), lang, lambda c: c.name(lang))],
            "years": [(y, thai.be_to_ce(y)) for y in sorted({p.year_be for p in registry.pairs})],
        },
    }
