"""The plan's indicators computed from the registry, and the maps that place them: values for
the statistics and map pages and the small maps on province and country pages."""
from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Callable

from . import charts, maps, thai, urls
from .model import STAGES


def _fmt(lang: str):
    return partial(thai.number, lang=lang)


def province_rows(model) -> list[dict]:
    r = model.registry
    return [{"province": pv,
             "signed": sum(p.signed for p in r.pairs_of_province(pv)),
             "in_progress": sum(not p.signed for p in r.pairs_of_province(pv))} for pv in r.provinces]


def _marks(model, lang: str) -> list[maps.ProvinceMark]:
    t = model.strings[lang]
    out = []
    for row in province_rows(model):
        pv, n = row["province"], row["signed"] + row["in_progress"]
        label = f"{pv.name(lang)}: {t['n_pairs'].replace('{n}', thai.number(n, lang))}"
        out.append(maps.ProvinceMark(pv.slug, pv.lat, pv.lon, urls.province(lang, pv.slug), label, n))
    return out


def _points(pairs, lang: str) -> list[maps.MapPoint]:
    return [maps.MapPoint(p.partner.lat, p.partner.lon, urls.pair(lang, p.id),
                          f"{p.partner.name(lang)} – {p.province.name(lang)}") for p in pairs]


def charts_for(model, lang: str) -> list[dict]:
    r, t = model.registry, model.strings[lang]
    num = _fmt(lang)
    out = []

    def chart(cid: str, title: str, rows: list[dict], label_header: str, value_header: str, explain: str = "") -> None:
        bars = [charts.Bar(row["label"], row["value"], row.get("href")) for row in rows]
        out.append({"id": cid, "title": title, "explain": explain, "rows": rows, "label_header": label_header,
                    "value_header": value_header,
                    "svg": charts.bar_chart(bars, title=title, desc=explain or title, unit=t["unit_pairs"], number=num)})

    years = Counter(p.year_be for p in r.pairs if p.signed)
    chart("by-year", t["chart_by_year"],
          [{"label": thai.year(y, lang), "value": years[y]} for y in sorted(years)],
          t["col_year"], t["col_signed"], t["chart_by_year_explain"])

    by_country = Counter(p.partner.country.code for p in r.pairs)
    countries = {c.code: c for c in r.countries}
    chart("by-country", t["chart_by_country"],
          [{"label": countries[code].name(lang), "value": n, "href": urls.country(lang, countries[code].slug)}
           for code, n in by_country.most_common()],
          t["col_country"], t["col_pairs"])

    by_region = Counter(p.partner.country.world_region for p in r.pairs)
    chart("by-world-region", t["chart_by_world_region"],
          [{"label": t[f"world_region_{k}"], "value": n} for k, n in by_region.most_common()],
          t["col_world_region"], t["col_pairs"])

    stages = Counter(p.stage for p in r.pairs if not p.signed)
    chart("by-stage", t["chart_by_stage"],
          [{"label": t[f"stage_{s}"] if s else t["stage_none"], "value": stages[s]} for s in (*reversed(STAGES), None)],
          t["col_stage"], t["col_in_progress"], t["chart_by_stage_explain"])

    rows = province_rows(model)
    with_any = sum(1 for x in rows if x["signed"] or x["in_progress"])
    with_signed = sum(1 for x in rows if x["signed"])
    total = len(rows)
    out.append({"id": "coverage", "title": t["chart_coverage"], "explain": t["chart_coverage_explain"],
                "label_header": t["col_provinces_group"], "value_header": t["col_provinces"],
                "rows": [{"label": t["coverage_signed"], "value": with_signed},
                         {"label": t["coverage_in_progress_only"], "value": with_any - with_signed},
                         {"label": t["coverage_none"], "value": total - with_any},
                         {"label": t["coverage_total"], "value": total}],
                "svg": charts.share_bar([charts.Bar(t["coverage_signed"], with_signed),
                                         charts.Bar(t["coverage_in_progress_only"], with_any - with_signed),
                                         charts.Bar(t["coverage_none"], total - with_any)],
                                        title=t["chart_coverage"], desc=t["chart_coverage_explain"], number=num)})

    several = sorted((x for x in rows if x["signed"] + x["in_progress"] >= 3),
                     key=lambda x: -(x["signed"] + x["in_progress"]))
    chart("several", t["chart_several"],
          [{"label": x["province"].name(lang), "value": x["signed"] + x["in_progress"],
            "href": urls.province(lang, x["province"].slug)} for x in several],
          t["col_province"], t["col_pairs"], t["chart_several_explain"])
    return out


def context(model, pages) -> dict[str, Callable[[], dict]]:
    """Template values for the pages that show maps and charts: URL → a function that draws them.
    Drawing is deferred so a rebuild draws only the pages it renders; each page's figures are
    drawn in a scope of their own, so their ids depend only on that page."""
    return {url: _scoped(make) for url, make in _figure_makers(model).items()}


def _scoped(make: Callable[[], dict]) -> Callable[[], dict]:
    def draw() -> dict:
        with maps.figure_scope():
            return make()
    return draw


def _figure_makers(model) -> dict[str, Callable[[], dict]]:
    r = model.registry
    out: dict[str, Callable[[], dict]] = {}
    for lang in urls.LANGS:
        t = model.strings[lang]
        attribution = maps.ATTRIBUTION[lang]
        marks = _marks(model, lang)
        codes = {c.code for c in r.countries}
        country_links = {c.code: (urls.country(lang, c.slug), c.name(lang)) for c in r.countries}

        def map_page(lang=lang, t=t, marks=marks, attribution=attribution, country_links=country_links):
            return {
                "thailand_svg": maps.thailand_map(marks, title=t["map_thailand_title"], desc=t["map_thailand_explain"], width=520),
                "world_svg": maps.world_map(_points(r.pairs, lang), title=t["map_world_title"], desc=t["map_world_explain"],
                                            highlight=codes, country_links=country_links),
                "province_rows": sorted(province_rows(model), key=lambda x: -(x["signed"] + x["in_progress"])),
                "pairs_sorted": sorted(r.pairs, key=lambda p: (p.partner.country.name_en, p.partner.name_en)),
                "map_attribution": attribution}
        out[urls.map_page(lang)] = map_page
        out[urls.provinces(lang)] = lambda t=t, marks=marks, attribution=attribution: {
            "map_svg": maps.thailand_map(marks, title=t["map_thailand_title"], desc=t["map_thailand_explain"], width=420),
            "map_attribution": attribution}
        out[urls.stats(lang)] = lambda lang=lang: {"charts": charts_for(model, lang)}
        for pv in r.provinces:
            # A locator map: where the province is. Its partners are placed on the country pages
            # and the world map, which would cost every province page ~50 KB here.
            out[urls.province(lang, pv.slug)] = lambda pv=pv, lang=lang, t=t, marks=marks, attribution=attribution: {
                "map_svg": maps.thailand_map(marks, title=t["map_locator"].replace("{name}", pv.name(lang)),
                                             desc=t["map_thailand_explain"], highlight=pv.slug, width=320),
                "map_attribution": attribution}
        for c in r.countries:
            out[urls.country(lang, c.slug)] = lambda c=c, lang=lang, t=t, attribution=attribution: {
                "map_svg": maps.world_map(_points(r.pairs_of_country(c), lang),
                                          title=t["map_partners_in"].replace("{name}", c.name(lang)),
                                          desc=t["map_partners_of_desc"], highlight={c.code}, focus=c.code, width=640),
                "map_attribution": attribution}
    return out
