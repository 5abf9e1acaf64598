"""The plan's indicators computed from the registry, and the maps that place them: values for
the statistics and map pages and the small maps on province and country pages."""
from __future__ import annotations

import csv
import io
from collections import Counter
from functools import partial
from typing import Callable

from . import events, charts, i18n, maps, thai, urls
from .model import STAGES


def _fmt(lang: str):
    return partial(thai.number, lang=lang)


def province_rows(model) -> list[dict]:
    r = model.registry
    return [{"province": pv,
             "signed": sum(p.signed for p in r.pairs_of_province(pv)),
             "in_progress": sum(not p.signed for p in r.pairs_of_province(pv))} for pv in r.provinces]


def counted_province_rows(model) -> list[dict]:
    """The rows the statistics count as provinces: the list's 76, not Bangkok (kind: special_area),
    which the list does not cover as a province; the text beside each count says so."""
    return [row for row in province_rows(model) if row["province"].is_province]


def _kind_key(key: str, pv) -> str:
    """The string that names a province as one ("จังหวัด{name}"), or Bangkok without the word."""
    return key if pv.is_province else f"{key}_special_area"


def _marks(model, lang: str) -> list[maps.ProvinceMark]:
    t = model.strings[lang]
    out = []
    for row in province_rows(model):
        pv, n = row["province"], row["signed"] + row["in_progress"]
        label = f"{pv.name(lang)}: {i18n.count(t, 'n_pairs', n, lang) if pv.is_province else t['special_area_in_list']}"
        outside = not pv.is_province and bool(model.registry.other_relations_of_province(pv))
        out.append(maps.ProvinceMark(pv.slug, pv.lat, pv.lon, urls.province(lang, pv.slug), label, n, pv.name(lang),
                                     maps.OUTSIDE_LIST if outside else ""))
    # The maps' links in alphabetical order of the page's language, as a screen reader lists them.
    return thai.sort_thai(out, key=lambda m: m.name) if lang == "th" else sorted(out, key=lambda m: m.name)


def legend(model, lang: str, highlight=None) -> list[dict]:
    """The key under a Thailand map: one swatch per shade (maps.shade_classes), and the
    outlined province on its own page."""
    t = model.strings[lang]
    num = _fmt(lang)
    out = []
    for low, high, fill in maps.shade_classes():
        if low == 0 and high == 0:
            label = t["legend_none"]
        elif high is None:
            label = t["legend_more"].replace("{n}", num(low))
        elif low == high == 1:
            label = t["legend_range_one"]
        else:
            label = t["legend_range"].replace("{low}", num(low)).replace("{high}", num(high))
        out.append({"fill": fill, "label": label})
    outside = [pv for pv in model.registry.provinces
               if not pv.is_province and model.registry.other_relations_of_province(pv)]
    for pv in outside:   # Bangkok: relations from other sources, not the list's (review item 17)
        out.append({"fill": maps.OUTSIDE_LIST, "label": t["legend_outside_list"].replace("{name}", pv.name(lang))})
    if highlight is not None:
        this = t[_kind_key("legend_this", highlight)].replace("{name}", highlight.name(lang))
        out.append({"fill": "none", "stroke": maps.EMPH, "label": this})
    return out


def point_legend(model, lang: str, countries: bool = True) -> list[dict]:
    """The key of a map of partners: a dot, a numbered group, and (world maps) a tinted country."""
    t = model.strings[lang]
    out = [{"shape": "dot", "fill": maps.POINT, "label": t["legend_point"]},
           {"shape": "group", "fill": maps.POINT, "label": t["legend_group"]}]
    if countries:
        out.append({"fill": maps.TINT, "label": t["legend_country"]})
    return out


# The width a map is shown at on a 360 px phone (the page's margins taken off).
PHONE_MAP_PX = 328


def sorted_countries(model, lang: str) -> list:
    """The partner countries in the page's order (the list beside the world maps)."""
    from .lists import sorted_by_name
    return sorted_by_name(model.registry.countries, lang, lambda c: c.name(lang))


def _points(pairs, lang: str) -> list[maps.MapPoint]:
    return [maps.MapPoint(p.partner.lat, p.partner.lon, urls.pair(lang, p.id),
                          f"{p.partner.name(lang)} – {p.province.name(lang)}") for p in pairs]


def _grouper(model, lang: str, anchor: str, own=None, asia: str | None = None):
    """A numbered dot's link and name: its country's page if all its partners are in one
    country (other than `own`, the page's own country), else the enlarged Asian view (`asia`)
    if they are all in it, else the list on the same page (`anchor`); the name lists every
    partner, so nothing is only on hover."""
    t = model.strings[lang]
    by_href = {urls.pair(lang, p.id): p for p in model.registry.pairs}

    def group(points):
        pairs = [by_href[p.href] for p in points]
        countries = {p.partner.country for p in pairs}
        place = ", ".join(dict.fromkeys(p.partner.name(lang) for p in pairs))
        label = i18n.count(t, "map_group", len(pairs), lang, place=place)
        if len(countries) == 1 and own not in countries:
            return urls.country(lang, countries.pop().slug), label
        x0, y0, x1, y1 = maps.ASIA_BOX
        if asia and all(x0 <= p.lon <= x1 and y0 <= p.lat <= y1 for p in points):
            return asia, label
        return anchor, label
    return group


def _country_labels(model, lang: str, pairs) -> list[tuple[str, float, float]]:
    """Names of the partner countries, most partners first (so they win a crowded spot), at
    maps.country_label_point."""
    counts = Counter(p.partner.country for p in pairs)
    return [(c.name(lang), *maps.country_label_point(c.code)) for c, _ in counts.most_common()]


def _csv(rows: list[dict], label_header: str, value_header: str) -> bytes:
    """A chart's numbers: UTF-8 with a byte-order mark (spreadsheets then read Thai), the
    page's headers, values as plain digits."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([label_header, value_header])
    for row in rows:
        label = str(row.get("csv_label", row["label"]))
        w.writerow(["'" + label if label[:1] in "=+-@" else label, row["value"]])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def charts_for(model, lang: str) -> list[dict]:
    r, t = model.registry, model.strings[lang]
    num = _fmt(lang)
    out = []

    def named(label: str, n: int) -> str:
        return f"{label}: {i18n.count(t, 'n_pairs', n, lang)}"

    def add(cid: str, title: str, rows: list[dict], label_header: str, value_header: str, svg: str, explain: str = "") -> None:
        out.append({"id": cid, "title": title, "explain": explain, "rows": rows, "label_header": label_header,
                    "value_header": value_header, "svg": svg, "csv": urls.stats_csv(lang, cid)})

    def bars(cid: str, title: str, rows: list[dict], label_header: str, value_header: str, explain: str = "") -> None:
        drawn = [charts.Bar(row["label"], row["value"], row.get("href"), name=named(row["label"], row["value"])) for row in rows]
        add(cid, title, rows, label_header, value_header,
            charts.bar_chart(drawn, title=title, desc=explain or title, number=num), explain)

    # Every year from the first signing to the last, zeros included: an even time axis.
    years = Counter(p.year_be for p in r.pairs if p.signed)
    span = range(min(years), max(years) + 1) if years else range(0)
    era = (lambda be: be) if lang == "th" else thai.be_to_ce
    year_rows = [{"label": thai.year(y, lang), "csv_label": era(y), "value": years[y]} for y in span]
    columns = [charts.Bar(thai.number(str(era(y)), lang), years[y], name=f"{thai.year(y, lang)}: {i18n.count(t, 'n_pairs', years[y], lang)}")
               for y in span]
    add("by-year", t["chart_by_year"], year_rows, t["col_year"], t["col_n_signed"],
        charts.column_chart(columns, title=t["chart_by_year"], desc=t["chart_by_year_explain"],
                            axis_label=t["chart_by_year_axis"], ticks=[era(y) % 5 == 0 for y in span], number=num),
        t["chart_by_year_explain"])

    by_country = Counter(p.partner.country.code for p in r.pairs)
    countries = {c.code: c for c in r.countries}
    bars("by-country", t["chart_by_country"],
         [{"label": countries[code].name(lang), "value": n, "href": urls.country(lang, countries[code].slug)}
          for code, n in by_country.most_common()],
         t["col_country"], t["col_n_pairs"])

    by_region = Counter(p.partner.country.world_region for p in r.pairs)
    bars("by-world-region", t["chart_by_world_region"],
         [{"label": t[f"world_region_{k}"], "value": n} for k, n in by_region.most_common()],
         t["col_world_region"], t["col_n_pairs"])

    stages = Counter(p.stage for p in r.pairs if not p.signed)
    bars("by-stage", t["chart_by_stage"],
         [{"label": t[f"stage_{s}"] if s else t["stage_none"], "value": stages[s]} for s in (*reversed(STAGES), None)],
         t["col_stage"], t["col_n_in_progress"], t["chart_by_stage_explain"])

    rows = counted_province_rows(model)
    with_any = sum(1 for x in rows if x["signed"] or x["in_progress"])
    with_signed = sum(1 for x in rows if x["signed"])
    total = len(rows)
    add("coverage", t["chart_coverage"],
        [{"label": t["coverage_signed"], "value": with_signed},
         {"label": t["coverage_in_progress_only"], "value": with_any - with_signed},
         {"label": t["coverage_none"], "value": total - with_any},
         {"label": t["coverage_total"], "value": total}],
        t["col_coverage_group"], t["col_n_provinces"],
        charts.share_bar([charts.Bar(t["coverage_signed"], with_signed),
                          charts.Bar(t["coverage_in_progress_only"], with_any - with_signed),
                          charts.Bar(t["coverage_none"], total - with_any)],
                         title=t["chart_coverage"], desc=t["chart_coverage_explain"], number=num),
        t["chart_coverage_explain"])

    several = sorted((x for x in rows if x["signed"] + x["in_progress"] >= 3),
                     key=lambda x: -(x["signed"] + x["in_progress"]))
    bars("several", t["chart_several"],
         [{"label": x["province"].name(lang), "value": x["signed"] + x["in_progress"],
           "href": urls.province(lang, x["province"].slug)} for x in several],
         t["col_province"], t["col_n_pairs"], t["chart_several_explain"])
    return out


def csv_files(model) -> dict[str, bytes]:
    """The numbers behind every chart of the statistics pages, one CSV per chart and language,
    from the same rows as the charts and their tables."""
    out = {}
    for lang in urls.LANGS:
        for chart in charts_for(model, lang):
            out[chart["csv"].lstrip("/")] = _csv(chart["rows"], chart["label_header"], chart["value_header"])
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
        thai_attribution = maps.PROVINCE_CREDIT[lang] + " " + maps.ATTRIBUTION[lang]
        marks = _marks(model, lang)
        by_count = [m.slug for m in sorted(marks, key=lambda m: (-m.count, m.slug))]
        codes = {c.code for c in r.countries}
        country_links = {c.code: (urls.country(lang, c.slug), c.name(lang)) for c in r.countries}

        def map_page(lang=lang, t=t, marks=marks, by_count=by_count, attribution=thai_attribution,
                     country_links=country_links):
            points = _points(r.pairs, lang)
            group = _grouper(model, lang, "#world-table")
            labels = _country_labels(model, lang, r.pairs)
            return {
                "thailand_svg": maps.thailand_map(marks, title=t["map_thailand_title"], desc=t["map_thailand_explain"],
                                                  labels=["bangkok", *by_count[:14]], tap=14, tap_skip=maps.BANGKOK_BOX),
                "bangkok_svg": maps.thailand_map(marks, title=t["map_bangkok_title"], desc=t["map_bangkok_explain"],
                                                 box=maps.BANGKOK_BOX, labels=by_count),
                "legend": legend(model, lang),
                "world_svg": maps.world_map(points, title=t["map_world_title"], desc=t["map_world_explain"],
                                            highlight=codes, country_links=country_links,
                                            group=_grouper(model, lang, "#world-table", asia="#map-asia"), number=_fmt(lang)),
                "asia_svg": maps.world_map(points, title=t["map_asia_title"], desc=t["map_asia_explain"],
                                           highlight=codes, country_links=country_links, group=group,
                                           box=maps.ASIA_BOX, labels=labels, number=_fmt(lang)),
                "point_legend": point_legend(model, lang),
                # i18b: the provinces too small to tap on the two maps as a phone shows them (328 px)
                "small_provinces": list({m.slug: m for m in (
                    maps.small_provinces(marks, shown_px=PHONE_MAP_PX, tap=14, tap_skip=maps.BANGKOK_BOX)
                    + maps.small_provinces(marks, shown_px=PHONE_MAP_PX, box=maps.BANGKOK_BOX))}.values()),
                "partner_countries": sorted_countries(model, lang),
                "province_rows": sorted(counted_province_rows(model), key=lambda x: -(x["signed"] + x["in_progress"])),
                "pairs_sorted": sorted(r.pairs, key=lambda p: (p.partner.country.name_en, p.partner.name_en)),
                "map_attribution": attribution}
        out[urls.map_page(lang)] = map_page
        out[urls.provinces(lang)] = lambda lang=lang, t=t, marks=marks, by_count=by_count, attribution=thai_attribution: {
            "map_svg": maps.thailand_map(marks, title=t["map_thailand_title"], desc=t["map_thailand_explain"],
                                         level="light", labels=["bangkok", *by_count[:8]]),
            "map_legend": legend(model, lang),
            "map_attribution": attribution}
        out[urls.stats(lang)] = lambda lang=lang: {"charts": charts_for(model, lang),
                                                   "activity": events.activity_rows(r),   # issue 20
                                                   "signed_since": events.signed_since_list(r)}
        for pv in r.provinces:
            # A locator map: where the province is, among the others shaded by their pairs. Its
            # partners are placed on the country pages and the world map.
            out[urls.province(lang, pv.slug)] = lambda pv=pv, lang=lang, t=t, marks=marks, attribution=thai_attribution: {
                "map_svg": maps.thailand_map(marks, title=t[_kind_key("map_locator", pv)].replace("{name}", pv.name(lang)),
                                             desc=t[_kind_key("map_locator_explain", pv)].replace("{name}", pv.name(lang)),
                                             highlight=pv.slug, level="light",
                                             labels=["bangkok"], font=19,  # shown 15rem wide: 12-px names
                                             linked=False),  # a locator: its provinces would be too small to tap
                "map_legend": legend(model, lang, pv),
                "map_attribution": attribution}
        for c in r.countries:
            out[urls.country(lang, c.slug)] = lambda c=c, lang=lang, t=t: {
                "map_svg": maps.world_map(_points(r.pairs_of_country(c), lang),
                                          title=t["map_partners_in"].replace("{name}", c.name(lang)),
                                          desc=t["map_partners_of_desc"], highlight={c.code}, focus=c.code,
                                          group=_grouper(model, lang, "#counterparts", own=c), number=_fmt(lang)),
                "map_legend": point_legend(model, lang, countries=False),
                "map_attribution": maps.ATTRIBUTION[lang]}
    return out
