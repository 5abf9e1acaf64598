"""Lists of pairs a person can use on a phone: the answer first on province and country pages, one
compact row per pair, long country pages grouped by the partner's own region, the pairs page's
filter (narrows in place, writes and restores the address, works by keyboard), and every status
dated. In Chromium at 360 × 800 and 1280 × 900, both languages, on the real data."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from browser import (AXE, LANGS, ROOT, SCREENSHOTS, STRINGS, chromium, new_page, open_page,  # noqa: F401
                     served, shared_page)
from portal import lists, thai

SIZES = [(360, 800), (1280, 900)]
MAX_PX_PER_PAIR = 110


def _registry():
    from portal.errors import Problems
    from portal.load import load_registry
    return load_registry(ROOT / "data", Problems())


@pytest.fixture(scope="module")
def reg():
    return _registry()


def visible_rows(page, selector="main li[data-status]"):
    return page.evaluate(f"""() => [...document.querySelectorAll({selector!r})]
        .filter(li => li.checkVisibility()).map(li => ({{...li.dataset}}))""")


# --- Unit: grouping and dates ---------------------------------------------------------------------

def test_long_country_is_grouped_by_the_partners_own_region(reg):
    china = next(c for c in reg.countries if c.code == "CN")
    pairs = reg.pairs_of_country(china)
    groups = lists.partner_regions(pairs)
    assert groups, "China's 73 pairs are not grouped"
    assert sorted(p.id for g in groups for p in g.pairs) == sorted(p.id for p in pairs)  # each pair once
    yunnan = next(g for g in groups if g.id == "region-yunnan")
    names = {p.partner.name_en for p in yunnan.pairs}
    # the province itself, a city whose parent is Yunnan Province, a city whose parent ends in ", Yunnan Province"
    assert {"Yunnan Province", "Kunming", "Jinghong"} <= names
    assert yunnan.name("th") == "มณฑลยูนนาน"
    assert [len(g.pairs) for g in groups] == sorted((len(g.pairs) for g in groups), reverse=True)
    assert len({g.id for g in groups}) == len(groups)


def test_short_lists_and_lists_that_would_not_gather_are_not_grouped(reg):
    by_code = {c.code: reg.pairs_of_country(c) for c in reg.countries}
    assert lists.partner_regions(by_code["KH"]) is None            # ten provinces, each its own region
    assert lists.partner_regions(by_code["KR"]) is None            # three provinces, each its own region
    assert lists.partner_regions(by_code["CA"]) is None            # two pairs: one list reads best
    assert lists.partner_regions(by_code["VN"]) is None            # provinces, one city among 18 pairs


def test_a_few_cities_inside_regions_are_grouped_by_region(reg):
    """Japan's cities by prefecture, the US's by state (issue 18): the partners are inside regions."""
    by_code = {c.code: reg.pairs_of_country(c) for c in reg.countries}
    japan = lists.partner_regions(by_code["JP"])
    assert japan and {g.name_en for g in japan} == {"Saitama Prefecture", "Toyama Prefecture", "Gunma", "Hokkaido"}
    saitama = next(g for g in japan if g.name_en == "Saitama Prefecture")
    assert {p.partner.name_en for p in saitama.pairs} == {"Honjo", "Yoshida"} and saitama.id == "region-saitama"
    us = lists.partner_regions(by_code["US"])
    assert us and [(g.name_en, len(g.pairs)) for g in us] == [("Nevada", 3), ("California", 2), ("North Carolina", 1)]


def test_partners_that_are_regions_are_listed_in_the_order_of_their_regions(reg):
    """Issue 18, Korea by province: its partners are provinces themselves (Busan a metropolitan city
    with no parent in the data), so grouping gathers nothing; the list is in the order of the
    regions instead, by their names in the page's language less the word for their kind."""
    by_code = {c.code: reg.pairs_of_country(c) for c in reg.countries}
    korea = by_code["KR"]
    assert lists.partner_regions(korea) is None
    assert [p.partner.name_en for p in lists.in_region_order(korea, "en")] == ["Busan", "Gangwon", "Jeollanam-do"]
    # คังวอน, ช็อลลาใต้, ปูซาน: นครปูซาน is not filed under น
    assert [p.partner.name_th for p in lists.in_region_order(korea, "th")] == ["จังหวัดคังวอน", "จังหวัดช็อลลาใต้", "นครปูซาน"]
    for lang in LANGS:   # a city sits with its region, after it: Quang Binh, then Dong Hoi (Quang Binh Province)
        vietnam = [p.partner.name_en for p in lists.in_region_order(by_code["VN"], lang)]
        assert sorted(vietnam) == sorted(p.partner.name_en for p in by_code["VN"])
        at = vietnam.index("Dong Hoi")
        assert vietnam[at - 2:at + 1] == ["Quang Binh", "Quang Binh", "Dong Hoi"], vietnam
    assert lists.in_region_order(by_code["CN"], "en") is None and lists.in_region_order(by_code["JP"], "th") is None  # grouped
    assert lists.in_region_order(by_code["CA"], "en") is None   # two pairs: the list's own order


def test_compact_date_does_not_break():
    import datetime
    day = datetime.date(2019, 1, 4)
    assert thai.date_short(day, "th") == "๔\u00a0ม.ค.\u00a0๒๕๖๒"
    assert thai.date_short(day, "en") == "4\u00a0Jan\u00a02019"


# --- HTML: rows, dates --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_pairs_page_has_one_row_per_pair_with_filter_values(page, reg, lang):
    html = page(f"/{lang}/pairs/")
    rows = re.findall(r'<li data-status="([a-z_]+)" data-region="[a-z_-]+" data-province="([a-z-]+)" '
                      r'data-country="([a-z]{2})" data-year="(\d{4})"', html)
    assert len(rows) == len(reg.pairs)
    expected = sorted((p.status, p.province.slug, p.partner.country.code.lower(), str(p.year_ce)) for p in reg.pairs)
    assert sorted(rows) == expected
    for p in reg.pairs:  # each row links its pair, with the own-script name in its language
        assert f'href="/{lang}/pairs/{p.id}/"' in html
    zh = next(p for p in reg.pairs if p.partner.lang and p.partner.lang.startswith("zh"))
    assert f'<span class="native" lang="{zh.partner.lang}">{zh.partner.name_native}</span>' in html
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html  # strict CSP to come


@pytest.mark.parametrize("lang", LANGS)
def test_every_status_shown_is_dated(built, outputs, reg, lang):
    """Wherever a status badge appears, the list's date is there by the first one: the answer line of a
    province or country page, beside the badge on a pair page; on the long pairs page, each status
    section's heading too."""
    from portal import urls
    stamp = f'<time datetime="{reg.as_of.isoformat()}">'
    checked = 0
    for p in built.pages:
        if p.lang != lang or p.kind not in ("pairs", "province", "country", "pair"):
            continue
        html = outputs[urls.output_path(p.url)].decode("utf-8")
        main = html[html.index("<main"):]
        first_badge = main.find('class="badge ')
        if first_badge < 0:
            continue
        block_end = re.compile(r"</(p|li|h2)>").search(main, first_badge).end()
        assert stamp in main[:block_end], f"{p.url}: a status is shown before any date of the list"
        sections = re.findall(r'<section aria-labelledby="(?:signed|in-progress)">\s*<h2[^>]*>.*?</h2>', main, re.S)
        if p.kind == "pairs":  # a long page: each status section's heading repeats the date
            assert len(sections) == 2 and all(stamp in s for s in sections), f"{p.url}: a status heading without the date"
        checked += 1
    assert checked > 100


def test_landing_page_shows_the_lists_date(page, reg):
    html = page("/")
    assert html.count(f'<time datetime="{reg.as_of.isoformat()}">') == 2  # in Thai and in English
    text = re.sub(r'<span class="nw">([^<]*)</span>', r"\1", html)   # (no-break spans: portal/typeset.py)
    assert "๔ มกราคม ๒๕๖๒" in text and "4 January 2019" in text


# --- Browser: answer first, compactness ------------------------------------------------------------

def _summary(t, lang, n_signed, n_in_progress, as_of):
    n = n_signed + n_in_progress
    count = (t["count_pair_one"] if n == 1 else t["count_pairs"]).replace("{n}", thai.number(n, lang))
    parts = [t["summary_signed"].replace("{n}", thai.number(n_signed, lang))] if n_signed else []
    if n_in_progress:
        parts.append(t["summary_in_progress"].replace("{n}", thai.number(n_in_progress, lang)))
    return f"{count} — {' · '.join(parts)} · {t['as_of_word']}\u00a0{thai.date_short(as_of, lang)}"


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", ["chiang-mai", "nan"])
def test_province_page_answers_first(served, shared_page, reg, lang, slug, width, height):
    base, _ = served
    t = STRINGS[lang]
    province = next(pv for pv in reg.provinces if pv.slug == slug)
    mine = reg.pairs_of_province(province)
    page = shared_page(width, height)
    open_page(page, base, f"/{lang}/provinces/{slug}/")
    answer = page.locator("main .answer")
    text = answer.inner_text()
    assert text.startswith(f"{province.name(lang)}:")
    if mine:
        signed = sum(p.signed for p in mine)
        assert _summary(t, lang, signed, len(mine) - signed, reg.as_of) in text, text
        first = page.locator("main .pair-rows li").first
    else:
        assert t["summary_none"] in text and thai.date_short(reg.as_of, lang) in text
        link = answer.get_by_role("link", name=t["province_none_link"])
        assert link.get_attribute("href") == f"/{lang}/handbook/#s3"
        first = answer
    box = first.bounding_box()
    assert box and box["y"] + box["height"] <= 800, f"the first pair (or the no-partner line) ends at {box}"
    # the answer comes before the map
    assert page.evaluate("""() => { const a = document.querySelector('main .answer'), m = document.querySelector('main .small-map');
        return !m || !!(a.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    if mine:
        assert page.evaluate("""() => { const r = document.querySelector('main .pair-rows'), m = document.querySelector('main .small-map');
            return !m || !!(r.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING); }"""), "the map is not after the pairs"


# The lines a row's visible text takes: its boxes' vertical centres, a new line where they jump.
LINES_OF_EACH_ROW = """() => [...document.querySelectorAll('main .pair-rows li')].map(li => {
  const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT), range = document.createRange();
  const centres = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || node.parentElement.closest('.visually-hidden')) continue;
    range.selectNodeContents(node);
    for (const b of range.getClientRects()) if (b.width > 1 && b.height > 1) centres.push((b.top + b.bottom) / 2);
  }
  centres.sort((a, b) => a - b);
  let lines = 0, last = -1e9;
  for (const c of centres) { if (c - last > 10) lines++; last = c; }
  return [lines, li.innerText];
})"""


@pytest.mark.parametrize("lang", LANGS)
def test_pairs_page_is_compact_on_a_phone(served, shared_page, reg, lang):
    base, _ = served
    page = shared_page(360, 800)
    open_page(page, base, f"/{lang}/pairs/")
    height = page.evaluate("document.documentElement.scrollHeight")
    per_pair = height / len(reg.pairs)
    assert per_pair <= MAX_PX_PER_PAIR, f"/{lang}/pairs/ is {height} px: {per_pair:.0f} px per pair"
    # and a row is at most three lines
    lines = page.evaluate(LINES_OF_EACH_ROW)
    tallest = max(lines, key=lambda x: x[0])
    assert tallest[0] <= 3, f"a row is {tallest[0]} lines: {tallest[1]}"


def open_country(served, shared_page, reg, code: str, lang: str, width: int, height: int):
    """The country with ISO code `code`, and a browser page at `width` showing its page in `lang`."""
    base, _ = served
    country = next(c for c in reg.countries if c.code == code)
    page = shared_page(width, height)
    open_page(page, base, f"/{lang}/countries/{country.slug}/")
    return country, page


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_long_country_page_jumps_to_the_partners_regions(served, shared_page, reg, lang, width, height):
    china, page = open_country(served, shared_page, reg, "CN", lang, width, height)
    groups = lists.partner_regions(reg.pairs_of_country(china))
    jump = page.get_by_role("navigation", name=STRINGS[lang]["regions_jump"].replace("{name}", china.name(lang)))
    links = jump.get_by_role("link")
    assert links.count() == len(groups)
    target = groups[1]
    jump.get_by_role("link", name=target.name(lang), exact=True).click()
    page.wait_for_url(f"**#{target.id}")
    heading = page.locator(f"h3#{target.id}")
    assert 0 <= heading.bounding_box()["y"] < 100
    rows = page.locator(f"h3#{target.id} + ul.pair-rows > li")
    assert rows.count() == len(target.pairs)
    assert page.locator("main .pair-rows > li").count() == len(reg.pairs_of_country(china))
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{lang}-country-long-{width}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": 3000})


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_korea_reads_as_organised_by_province(served, shared_page, reg, lang, width, height):
    """Korea's page (its partners are provinces): under a heading that says so, one row per pair in
    the order of the provinces, each naming its province; nothing wider than the screen."""
    korea, page = open_country(served, shared_page, reg, "KR", lang, width, height)
    section = page.locator("section[aria-labelledby=counterparts]")
    heading = section.get_by_role("heading", level=2)
    assert heading.inner_text().replace("#", "").strip().startswith(STRINGS[lang]["regions_order_title"])
    names = section.locator(".pair-rows > li .who > a").all_inner_texts()
    assert names == [p.partner.name(lang) for p in lists.in_region_order(reg.pairs_of_country(korea), lang)]
    for row in section.locator(".pair-rows > li").all():
        assert row.is_visible() and row.bounding_box()["x"] + row.bounding_box()["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{lang}-country-korea-{width}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": 1400})


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_united_states_is_grouped_by_state_and_each_row_names_it(served, shared_page, reg, lang, width, height):
    us, page = open_country(served, shared_page, reg, "US", lang, width, height)
    groups = lists.partner_regions(reg.pairs_of_country(us))
    for g in groups:
        assert page.locator(f"h3#{g.id}").inner_text().startswith(g.name(lang))
        rows = page.locator(f"h3#{g.id} + ul.pair-rows > li")
        assert rows.count() == len(g.pairs)
        for row in rows.all():   # the state in the row, on its own or in the partner's Thai name
            assert g.name(lang) in row.locator(".who").inner_text() and row.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SCREENSHOTS / f"{lang}-country-us-{width}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": 1400})


# --- Browser: the pairs page's filter ----------------------------------------------------------------

def _query(page) -> dict:
    # The address as the page has it now: page.url follows it a moment later (an event from the
    # browser), so reading page.url right after a key press raced the filter's replaceState.
    return {k: v[0] for k, v in parse_qs(urlsplit(page.evaluate("location.href")).query).items()}


@pytest.mark.parametrize("lang", LANGS)
def test_filter_by_keyboard_narrows_in_place_and_writes_the_address(served, shared_page, reg, lang):
    base, _ = served
    t = STRINGS[lang]
    page = shared_page(360, 800)
    open_page(page, base, f"/{lang}/pairs/")
    summary = page.locator("#pair-filter summary")
    assert summary.is_visible() and summary.inner_text().strip() == t["filter_title"]
    summary.focus()
    page.keyboard.press("Enter")  # opens the filter
    country = page.get_by_label(t["filter_country"], exact=True)
    assert country.is_visible()
    country.focus()
    # choose China from the keyboard: step down the options until it is selected
    china = next(c for c in reg.countries if c.code == "CN")
    for _ in range(len(reg.countries) + 1):
        if country.input_value() == "cn":
            break
        page.keyboard.press("ArrowDown")
    assert country.input_value() == "cn"
    assert _query(page) == {"country": "cn"}
    n_china = len(reg.pairs_of_country(china))
    rows = visible_rows(page)
    assert len(rows) == n_china and all(r["country"] == "cn" for r in rows)
    live = page.get_by_role("status")
    expected = t["filter_result"].replace("{n}", thai.number(n_china, lang)).replace("{total}", thai.number(len(reg.pairs), lang))
    assert live.inner_text().strip() == expected
    assert live.get_attribute("role") == "status"

    page.keyboard.press("Shift+Tab")  # back through the province and region to the status
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "f-status"
    page.keyboard.press("ArrowDown")  # signed
    assert _query(page) == {"status": "signed", "country": "cn"}
    both = [p for p in reg.pairs if p.signed and p.partner.country.code == "CN"]
    rows = visible_rows(page)
    assert len(rows) == len(both) and all(r["status"] == "signed" and r["country"] == "cn" for r in rows)
    # headings of years with nothing left are gone, and each count says what is shown
    assert page.locator("#pairs-grouped h3:visible").count() == len({p.year_be for p in both})
    assert page.locator("#in-progress").is_hidden()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{lang}-pairs-filtered-360.png"))

    # the language switch carries the filter to the other language's page
    other = "en" if lang == "th" else "th"
    page.locator(".site-header a.lang-switch").click()
    page.wait_for_url(f"**/{other}/pairs/?*")
    assert _query(page) == {"status": "signed", "country": "cn"}
    assert len(visible_rows(page)) == len(both)


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_filter_is_restored_from_a_shared_address(served, shared_page, reg, lang, width, height):
    base, _ = served
    t = STRINGS[lang]
    page = shared_page(width, height)
    open_page(page, base, f"/{lang}/pairs/?region=north&status=in_progress&sort=province&bogus=1&year=notayear")
    assert page.locator("#pair-filter").evaluate("d => d.open")
    assert page.get_by_label(t["filter_region"], exact=True).input_value() == "north"
    assert page.get_by_label(t["filter_status"], exact=True).input_value() == "in_progress"
    assert page.get_by_label(t["filter_year"], exact=True).input_value() == ""  # not a year: ignored
    expected = [p for p in reg.pairs if p.province.region.key == "north" and not p.signed]
    rows = visible_rows(page)
    assert len(rows) == len(expected)
    # sorted by province: one list, in Thai collation on Thai pages
    order = [r["province"] for r in rows]
    names = {p.province.slug: p.province.name(lang) for p in expected}
    want = [p.province.slug for p in lists.sorted_by_name(sorted(expected, key=lambda p: (p.year_be, p.list_no)),
                                                           lang, lambda p: p.province.name(lang))]
    assert order == want, [names[s] for s in order]
    assert page.locator("#pairs-grouped").is_hidden() and page.locator("#pairs-sorted").is_visible()
    assert page.locator("#sorted-title").inner_text().strip() == t["sorted_title"].replace("{sort}", t["sort_province"])
    # a province outside the chosen region is not offered
    outside = next(pv for pv in reg.provinces if pv.region.key != "north" and reg.pairs_of_province(pv))
    assert page.locator(f'#f-province option[value="{outside.slug}"]').is_disabled()
    # the filtered, sorted page is as accessible as the whole list (axe-core, WCAG 2.1 A and AA)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: "
                          "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})")
    assert not found["violations"], [(v["id"], [n["target"] for n in v["nodes"]]) for v in found["violations"]]
    # "show all pairs" empties the address and brings every row back, grouped again
    page.get_by_role("button", name=t["filter_clear"]).click()
    assert urlsplit(page.url).query == ""
    assert len(visible_rows(page)) == len(reg.pairs)
    assert page.locator("#pairs-grouped").is_visible() and page.locator("#pairs-sorted").is_hidden()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{lang}-pairs-filter-open-{width}.png"))


def test_without_javascript_the_pairs_page_is_the_whole_grouped_list(served, shared_page, reg):
    base, _ = served
    page = shared_page(360, 800, java_script_enabled=False)
    open_page(page, base, "/en/pairs/?country=cn")
    assert page.locator("#pair-filter").is_hidden()  # a filter that cannot work is not offered
    assert page.locator("main li[data-status]:visible").count() == len(reg.pairs)
    jump = page.get_by_role("navigation", name=STRINGS["en"]["jump_years"])
    link = jump.get_by_role("link", name="2005", exact=True)
    link.click()
    assert urlsplit(page.url).fragment == "signed-2005"
    assert 0 <= page.locator("#signed-2005").bounding_box()["y"] < 100
