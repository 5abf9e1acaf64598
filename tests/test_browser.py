"""The real site in a real browser (Chromium, served from 127.0.0.1): a reader's clicks, the language
switch, the maps, printing, keyboard use, privacy (no outside request) and small screens.

Screenshots of the main page kinds at 360 px and 1280 px, in both languages, are written to
tests/screenshots/ on every run (git ignores the folder) for a person to look at."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser import (KINDS, LANGS, ROOT, SCREENSHOTS, STRINGS, chromium, expected_status,  # noqa: F401
                     new_page, open_page, params, served, shared_page)

SCREENSHOT_KINDS = ("landing", "home", "provinces", "province", "country", "pairs", "pair-signed", "plan",
                    "handbook", "map", "stats", "search")
PHONE, DESKTOP = 360, 1280
MAX_SHOT = 3000


def path_of(page) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def h1(page) -> str:
    return " ".join(page.locator("main h1").first.inner_text().split())


# --- A reader's path through the site, by clicking real links --------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_home_to_province_to_pair_to_country_and_back(served, built, shared_page, lang):
    base, samples = served
    t = STRINGS[lang]
    province_page = next(p for p in built.pages if p.lang == lang and p.url == samples[lang]["province"])
    province = province_page.context["province"]
    pair = province_page.context["signed"][0]
    page = shared_page()
    open_page(page, base, f"/{lang}/")

    page.get_by_role("navigation", name=t["nav_label"]).get_by_role("link", name=t["nav_provinces"], exact=True).click()
    page.wait_for_url(f"**/{lang}/provinces/")
    assert h1(page) == t["nav_provinces"]

    page.locator("main").get_by_role("link", name=province.name(lang), exact=True).click()
    page.wait_for_url(f"**/{lang}/provinces/{province.slug}/")
    assert province.name(lang) in h1(page)

    page.locator("main .pair-rows").first.get_by_role("link", name=pair.partner.name(lang), exact=True).click()
    page.wait_for_url(f"**/{lang}/pairs/{pair.id}/")
    assert h1(page).startswith(province.name(lang)) and pair.partner.name(lang) in h1(page)
    crumbs = page.get_by_role("navigation", name=t["breadcrumbs_label"])
    assert crumbs.locator("[aria-current=page]").inner_text().strip() == f"{province.name(lang)} – {pair.partner.name(lang)}"

    country = pair.partner.country
    page.locator("main").get_by_role("link", name=country.name(lang), exact=True).click()
    page.wait_for_url(f"**/{lang}/countries/{country.slug}/")
    assert country.name(lang) in h1(page)
    assert page.locator(f'main .pair-rows a[href="/{lang}/pairs/{pair.id}/"]').count() == 1  # listed there

    page.go_back()
    page.wait_for_url(f"**/{lang}/pairs/{pair.id}/")
    assert pair.partner.name(lang) in h1(page)
    page.go_back()
    page.wait_for_url(f"**/{lang}/provinces/{province.slug}/")
    # and home again through the brand link of the header
    page.locator(".site-header .brand").click()
    page.wait_for_url(f"**/{lang}/")
    assert h1(page) == t["home_heading"]   # what the site is for (issue 18), not its name again


def test_landing_page_leads_to_both_languages(served, shared_page):
    base, _ = served
    page = shared_page()
    open_page(page, base, "/")
    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_url("**/en/")
    page.go_back()
    page.get_by_role("link", name="ภาษาไทย", exact=True).click()
    page.wait_for_url("**/th/")
    assert page.locator("html").get_attribute("lang") == "th"


# --- The language switch keeps the page and the section -----------------------------------------

@pytest.mark.parametrize("start,end", [("/th/handbook/#s5", "/en/handbook/#s5"),
                                       ("/en/pairs/#in-progress", "/th/pairs/#in-progress"),
                                       ("/en/provinces/chiang-mai/", "/th/provinces/chiang-mai/")])
def test_language_switch_keeps_the_page_and_the_section(served, new_page, start, end):
    base, _ = served
    page = new_page()
    open_page(page, base, start)
    lang = start[1:3]
    switch = page.locator(".site-header a.lang-switch")
    assert switch.inner_text().strip() == STRINGS[lang]["switch_label"]
    switch.click()
    page.wait_for_url(base + end)
    assert path_of(page) == end
    assert page.locator("html").get_attribute("lang") == end[1:3]
    if "#" in end:
        fragment = end.split("#")[1]
        # the browser went to the section: it is the :target, and it is on screen
        assert page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id") == fragment
        top = page.evaluate(f"() => document.getElementById({fragment!r}).getBoundingClientRect().top")
        assert 0 <= top < 200, f"#{fragment} is not scrolled into view (top = {top})"


# --- The maps: shapes and points are links ------------------------------------------------------

HIT_POINT = """link => {
  link.scrollIntoView({block: 'center'});
  const r = link.getBoundingClientRect();
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
    const x = r.left + r.width * i / 12, y = r.top + r.height * j / 12;
    const hit = document.elementFromPoint(x, y);
    if (hit && hit.closest('a') === link) return [x, y];
  }
  return null;
}"""


@pytest.mark.parametrize("selector,expect", [
    ('svg.map-thailand a[href="/en/provinces/chiang-mai/"]', "/en/provinces/chiang-mai/"),
    ('svg.map-world a[href="/en/pairs/chiang-mai-yogyakarta/"]', "/en/pairs/chiang-mai-yogyakarta/"),
    ('svg.map-world a[href="/en/countries/japan/"]', "/en/countries/japan/"),
], ids=["province-point", "partner-point", "country-shape"])
def test_a_map_shape_or_point_is_a_link_to_its_page(served, shared_page, selector, expect):
    base, _ = served
    page = shared_page()
    open_page(page, base, "/en/map/")
    link = page.locator(selector)
    assert link.count() == 1, f"{selector} is not on the map"
    point = link.evaluate(HIT_POINT)
    assert point, f"no visible part of {selector} can be clicked: something covers it"
    page.mouse.click(*point)
    page.wait_for_url(base + expect)
    assert page.locator("main h1").count() == 1


def test_map_links_work_from_the_keyboard(served, shared_page):
    base, _ = served
    page = shared_page()
    open_page(page, base, "/en/map/")
    page.locator('svg.map-thailand a[href="/en/provinces/chiang-mai/"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/en/provinces/chiang-mai/")


# --- Print ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_handbook_prints_without_navigation(served, shared_page, lang):
    base, _ = served
    page = shared_page()
    open_page(page, base, f"/{lang}/handbook/")
    shown = """sel => [...document.querySelectorAll(sel)].map(e => getComputedStyle(e).display !== 'none'
                  && e.getBoundingClientRect().height > 0 && e.checkVisibility())"""
    chrome = (".site-header", ".site-nav", ".breadcrumbs", ".site-search", ".skip-link", ".lang-switch", ".toc")
    for sel in chrome:  # on screen all of this is there …
        assert page.locator(sel).count() >= 1, sel
    assert all(page.evaluate(shown, sel) for sel in (".site-nav", ".breadcrumbs", ".site-search"))
    page.emulate_media(media="print")
    for sel in chrome:  # … in print none of it
        assert not any(page.evaluate(shown, sel)), f"{sel} is printed"
    headings = page.evaluate(shown, ".doc-body h2, .doc-body h3")
    assert len(headings) >= 5 and all(headings), "some section headings are not printed"
    assert all(page.evaluate(shown, "main h1, .print-url"))
    assert page.locator(".print-url").inner_text().strip().endswith(f"/{lang}/handbook/")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


# --- Privacy: nothing leaves localhost ------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_no_request_leaves_localhost(served, new_page, lang):
    base, samples = served
    page = new_page()
    requests, failures, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    # (a request the browser itself cancelled because the test moved on to the next page, such as the
    # favicon's, is ERR_ABORTED: not a failure of the site; a missing file answers 404, caught below)
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and failures.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
            and failures.append(f"{r.url}: HTTP {r.status}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    visited = []
    for kind in KINDS:
        url = samples[lang][kind]
        open_page(page, base, url, status=expected_status(kind))
        visited.append(url)
        page.get_by_role("navigation", name=STRINGS[lang]["nav_label"]).count()  # the page is live
    if lang == "en":  # a search runs in the page too: it must not phone home either
        open_page(page, base, f"/{lang}/search/?q=Chiang")
        page.wait_for_load_state("networkidle")
    outside = [u for u in requests if not u.startswith(base + "/")]
    assert not outside, "requests left localhost:\n" + "\n".join(outside)
    assert len(requests) > len(visited), "no page asked for its style sheets and fonts"
    assert any("/static/fonts/" in u for u in requests), "the web fonts were not loaded from the site itself"
    assert not failures, "\n".join(failures)
    assert not errors, "\n".join(errors)


# --- Keyboard -------------------------------------------------------------------------------------

# The skip link is part of the one layout every page but the landing page uses (_base.html); one page of
# each layout-heavy kind is enough.
SKIP_LINK_KINDS = ("home", "province", "pair-signed", "handbook", "map", "stats", "search", "404")


@pytest.mark.parametrize("lang,kind", params(SKIP_LINK_KINDS))
def test_first_tab_focuses_a_visible_skip_link(served, shared_page, lang, kind):
    base, samples = served
    page = shared_page()
    open_page(page, base, samples[lang][kind], status=expected_status(kind))
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
      const e = document.activeElement, r = e.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return {cls: e.className, text: e.textContent.trim(), href: e.getAttribute('href'),
              top: r.top, left: r.left, right: r.right, bottom: r.bottom,
              onTop: !!hit && (hit === e || e.contains(hit)), visible: e.checkVisibility({opacityProperty: true, visibilityProperty: true}),
              outline: getComputedStyle(e).outlineStyle};
    }""")
    assert focused["cls"] == "skip-link" and focused["href"] == "#main", focused
    assert focused["text"] == STRINGS[lang]["skip_to_content"]
    assert focused["visible"] and focused["onTop"], f"the focused skip link is covered or hidden: {focused}"
    assert 0 <= focused["top"] and focused["bottom"] <= 900 and 0 <= focused["left"] and focused["right"] <= 1280, focused
    assert focused["bottom"] - focused["top"] >= 20, f"the skip link is too small to see: {focused}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next Tab goes on from the content, not from the top of the page
    assert page.evaluate("!!document.activeElement.closest('main')")


FOCUSABLE = """() => {
  const all = [...document.querySelectorAll('a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]')];
  const problems = [], expected = [];
  all.forEach((e, i) => {
    e.dataset.kb = i;
    const t = e.getAttribute('tabindex');
    const name = e.outerHTML.slice(0, 120);
    if (t !== null && parseInt(t, 10) > 0) problems.push('positive tabindex: ' + name);
    if (e.tabIndex < 0 || e.disabled || e.closest('[inert]')) return;
    if (!e.checkVisibility({visibilityProperty: true})) return;  // not rendered: not in the Tab order either
    expected.push(i);
    if (e.closest('[aria-hidden="true"]')) problems.push('focusable inside aria-hidden: ' + name);
  });
  return {expected, problems};
}"""

# Records every focus stop in the page itself (one round trip per Tab instead of two). Each stop is
# scrolled into view first, as the browser does, so that what a reader would see can be measured.
RECORD_FOCUS = """() => {
  window.__stops = [];
  document.addEventListener('focusin', event => {
    const e = event.target;
    if (!e.dataset || !e.dataset.kb) {
      window.__stops.push({i: -1, name: e.outerHTML ? e.outerHTML.slice(0, 120) : String(e)});
      return;
    }
    e.scrollIntoView({block: 'nearest', inline: 'nearest'});
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    let hits = 0;  // is some part of it on top? (points over each of its line boxes)
    for (const box of e.getClientRects()) for (const fx of [0.25, 0.5, 0.75]) for (const fy of [0.3, 0.5, 0.7]) {
      const x = box.left + box.width * fx, y = box.top + box.height * fy;
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit && (hit === e || e.contains(hit))) hits++;
    }
    const svg = e.closest('svg.map');
    const ringEl = svg && svg.lastElementChild.matches('.focus-ring.shown') ? svg.lastElementChild : null;
    const ring = ringEl && getComputedStyle(ringEl).display !== 'none' ? ringEl.getBoundingClientRect() : null;
    window.__stops.push({i: +e.dataset.kb, w: r.width, h: r.height, name: e.outerHTML.slice(0, 120), map: !!svg,
      visible: e.checkVisibility({opacityProperty: true, visibilityProperty: true}),
      inside: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
      onTop: hits > 0,
      ringOnTop: !!ring && ring.left <= r.left && ring.top <= r.top && ring.right >= r.right && ring.bottom >= r.bottom,
      ring: s.outlineStyle !== 'none' || s.boxShadow !== 'none'});
  });
}"""

# Every template is walked; pages that only repeat a template with more rows (the full list of pairs,
# the plan's annex, the lists of provinces and countries) would only make the run slower.
KEYBOARD_KINDS = ("landing", "home", "province", "province-empty", "country", "pair-signed",
                  "pair-in-progress", "data", "map", "stats", "search", "404")


@pytest.mark.parametrize("lang,kind", params(KEYBOARD_KINDS))
def test_every_link_and_button_is_reachable_by_tab_and_visible_when_focused(served, shared_page, lang, kind):
    base, samples = served
    page = shared_page()
    open_page(page, base, samples[lang][kind], status=expected_status(kind))
    found = page.evaluate(FOCUSABLE)
    assert not found["problems"], "\n".join(found["problems"])
    expected = found["expected"]
    assert expected, "nothing on the page can take the keyboard focus"
    page.evaluate(RECORD_FOCUS)
    for _ in range(len(expected) + 2):
        page.keyboard.press("Tab")
    reached, bad = [], []
    for info in page.evaluate("window.__stops"):
        if info["i"] == -1:
            bad.append(f"the focus stops on something that is neither a link nor a control: {info['name']}")
            continue
        if info["i"] in reached:  # round the page and back to the start
            break
        reached.append(info["i"])
        if not (info["visible"] and info["inside"] and info["w"] >= 2 and info["h"] >= 2):
            bad.append(f"focused but not visible: {info}")
        elif info["map"] and not info["ringOnTop"]:
            # map points overlap each other: site.js draws the focus ring above the whole map
            bad.append(f"focused map link without its focus ring on top: {info}")
        elif not info["map"] and not info["onTop"]:
            bad.append(f"focused but covered by something else: {info}")
        elif not info["ring"]:
            bad.append(f"focused without a visible focus indicator: {info['name']}")
    assert not bad, "\n".join(bad)
    missed = sorted(set(expected) - set(reached))
    names = page.evaluate("ids => ids.map(i => document.querySelector(`[data-kb=\"${i}\"]`).outerHTML.slice(0, 120))", missed)
    assert not missed, "not reachable with Tab:\n" + "\n".join(names)
    assert reached == sorted(reached), "the Tab order does not follow the page order"


# --- Small screens, and screenshots -------------------------------------------------------------

OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (r.right <= vw + 1 || !e.checkVisibility()) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {  // scrolls inside its own box: fine
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return false;
    }
    return true;
  }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                           + ' right=' + Math.round(e.getBoundingClientRect().right));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth, wide};
}"""


@pytest.mark.parametrize("lang,kind", params())
def test_no_horizontal_scrolling_at_360px(served, shared_page, lang, kind):
    base, samples = served
    page = shared_page(PHONE, 800)
    open_page(page, base, samples[lang][kind], status=expected_status(kind))
    result = page.evaluate(OVERFLOW)
    assert result["innerWidth"] == PHONE
    assert result["scrollWidth"] <= PHONE, f"{samples[lang][kind]} is wider than the screen: {result}"


def screenshot_name(lang: str, kind: str, width: int) -> str:
    return f"{kind}-{width}.png" if kind == "landing" else f"{lang}-{kind}-{width}.png"


@pytest.mark.parametrize("lang,kind", params(SCREENSHOT_KINDS))
def test_screenshots_of_the_main_page_kinds(served, shared_page, lang, kind):
    base, samples = served
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (PHONE, DESKTOP):
        page = shared_page(width, 800)
        open_page(page, base, samples[lang][kind])
        out = SCREENSHOTS / screenshot_name(lang, kind, width)
        out.unlink(missing_ok=True)
        # The top of the page, down to MAX_SHOT px: enough to judge the layout; the width checks cover the rest.
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_SHOT)
        page.screenshot(path=str(out), full_page=True, animations="disabled",
                        clip={"x": 0, "y": 0, "width": width, "height": height})
        data = out.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000
        assert int.from_bytes(data[16:20], "big") == width  # the PNG header's width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
