"""The maps and the statistics page in Chromium, at 360 × 800 and 1280 × 900, in both languages:
77 province shapes that are named links, tap targets of at least 24 px, every year on the
per-year chart and in its table, the CSV download, and screenshots to look at."""
from __future__ import annotations

import csv
import io

import pytest

from browser import LANGS, SCREENSHOTS, chromium, new_page, open_page, served, shared_page  # noqa: F401
from portal import thai

SIZES = ((360, 800), (1280, 900))
CASES = [pytest.param(lang, w, h, id=f"{lang}-{w}") for lang in LANGS for w, h in SIZES]

SHAPES = """svg => [...svg.querySelectorAll('a')].map(a => {
  const r = a.getBoundingClientRect();
  return {href: a.getAttribute('href'), name: a.getAttribute('aria-label'), w: r.width, h: r.height,
          shape: !!a.querySelector('path'), point: !!a.querySelector('circle') && !a.querySelector('path')};
})"""


@pytest.mark.parametrize("lang,width,height", CASES)
def test_thailand_map_has_77_named_province_links_each_tappable(served, shared_page, lang, width, height):
    base, _ = served
    page = shared_page(width, height)
    open_page(page, base, f"/{lang}/map/")
    main, inset = page.locator("svg.map-thailand").all()
    links = main.evaluate(SHAPES)
    assert len(links) == 77 and all(l["shape"] and l["name"] for l in links)
    assert len({l["href"] for l in links}) == 77
    assert all(l["href"].startswith(f"/{lang}/provinces/") for l in links)
    # Every province can be tapped on a target of at least 24 px: on the country map, or on the
    # enlarged map of Bangkok and the provinces around it.
    best = {}
    for l in links + inset.evaluate(SHAPES):
        best[l["href"]] = max(best.get(l["href"], 0), min(l["w"], l["h"]))
    small = {h: round(s) for h, s in best.items() if s < 24}
    assert not small, f"province targets under 24 px: {small}"
    # The key is on screen right under the map, not in a tooltip.
    key = page.locator(".thailand-map .map-legend").first
    # (four shades of the list's counts, and Bangkok's: relations outside the provincial list)
    assert key.is_visible() and len(key.locator("li").all()) == 5


@pytest.mark.parametrize("lang,width,height", CASES)
def test_partner_points_are_tappable_and_never_overlap(served, shared_page, lang, width, height):
    base, _ = served
    page = shared_page(width, height)
    open_page(page, base, f"/{lang}/map/")
    for svg in ("svg.map-region", "svg.map-world"):
        points = [l for l in page.locator(svg).evaluate(SHAPES) if l["point"]]
        assert points, svg
        assert all(min(l["w"], l["h"]) >= 24 for l in points), svg
        assert all(l["name"] for l in points)
    boxes = page.locator("svg.map-region a:not(:has(path))").evaluate_all(
        "links => links.map(a => { const c = a.querySelector('circle').getBoundingClientRect();"
        " return [c.left + c.width / 2, c.top + c.height / 2, c.width]; })")
    for i, (x, y, d) in enumerate(boxes):
        for u, v, e in boxes[i + 1:]:
            assert (x - u) ** 2 + (y - v) ** 2 >= (min(d, e) * 0.95) ** 2, "two point targets overlap"


@pytest.mark.parametrize("lang,width,height", CASES)
def test_per_year_chart_and_its_table_have_every_year(served, shared_page, lang, width, height):
    base, _ = served
    page = shared_page(width, height)
    open_page(page, base, f"/{lang}/stats/")
    section = page.locator('section[aria-labelledby="by-year"]')
    want = [thai.year(be, lang) for be in range(2532, 2562)]   # 1989-2018
    names = section.locator("svg.chart-columns [role=listitem] > [role=img]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label').split(':')[0])")
    assert names == want
    chart = section.locator("svg.chart-columns").bounding_box()
    assert chart["height"] < 260 and chart["width"] <= width  # compact
    table = section.locator("table")
    assert not table.is_visible()   # the numbers wait behind "show the numbers"
    section.locator("summary").click()
    assert table.is_visible()
    assert table.locator("tbody th").all_inner_texts() == want


@pytest.mark.parametrize("lang", LANGS)
def test_csv_download_matches_the_table(served, new_page, lang):
    base, _ = served
    page = new_page(360, 800, accept_downloads=True)
    open_page(page, base, f"/{lang}/stats/")
    section = page.locator('section[aria-labelledby="by-year"]')
    link = section.locator("a[download]")
    with page.expect_download() as info:
        link.click()
    data = open(info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(data)))
    section.locator("summary").click()
    headers = section.locator("thead th").all_inner_texts()
    body = section.locator("tbody tr").evaluate_all("trs => trs.map(tr => [...tr.cells].map(c => c.innerText))")
    assert rows[0] == headers
    assert [thai.number(int(v), lang) for _, v in rows[1:]] == [v for _, v in body]
    assert len(rows) == 31


@pytest.mark.parametrize("lang", LANGS)
def test_tap_targets_of_chart_links_are_at_least_24px(served, shared_page, lang):
    base, _ = served
    page = shared_page(360, 800)
    open_page(page, base, f"/{lang}/stats/")
    sizes = page.locator("svg.chart a").evaluate_all(
        "links => links.map(a => Math.min(a.getBoundingClientRect().width, a.getBoundingClientRect().height))")
    assert sizes and min(sizes) >= 24


@pytest.mark.parametrize("lang,width,height", CASES)
def test_screenshots_of_maps_and_stats(served, shared_page, lang, width, height):
    """For a person to look at: the map page, a province page's map, the statistics page."""
    base, _ = served
    SCREENSHOTS.mkdir(exist_ok=True)
    page = shared_page(width, height)
    for name, url, part in (("map", f"/{lang}/map/", None), ("stats", f"/{lang}/stats/", None),
                            ("province-map", f"/{lang}/provinces/chiang-mai/", "figure.small-map")):
        open_page(page, base, url)
        out = SCREENSHOTS / f"maps-{lang}-{name}-{width}.png"
        if part:
            page.locator(part).screenshot(path=str(out), animations="disabled")
        else:
            page.screenshot(path=str(out), full_page=True, animations="disabled")
        assert out.read_bytes().startswith(b"\x89PNG")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
