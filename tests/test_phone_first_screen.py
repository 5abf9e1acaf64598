"""Issue 18 on a phone, in Chromium at 360 × 740 px, both languages: a header that leaves room for
the answer, a menu that opens without JavaScript, the home page's first screen, the country pages
grouped by the partner's region, and tap targets of at least 24 px."""
from __future__ import annotations

import pytest

from browser import LANGS, SCREENSHOTS, STRINGS, chromium, new_page, open_page, served, shared_page  # noqa: F401

PHONE = (360, 740)

# JavaScript: every control in the header, the breadcrumbs, the main content and the footer that
# is under 24 px tall, except a link inside a sentence (WCAG 2.5.8's inline exception) and the
# maps' shapes (tests/test_maps_browser.py: the small ones are in an open list beside the map).
SMALL_TARGETS = """() => {
  const BLOCK = 'p, li, td, th, dd, dt, h1, h2, h3, h4, figcaption, caption, blockquote';
  const inSentence = (a) => {
    const block = a.parentElement.closest(BLOCK);
    if (!block) return false;
    const own = [...block.querySelectorAll('a, button')].reduce((s, x) => s + x.textContent.length, 0);
    return block.textContent.replace(/\\s+/g, ' ').trim().length - own > 3;
  };
  const out = [];
  const all = document.querySelectorAll(
    'header a, header summary, header input, header button, .breadcrumbs a, main a, main button, main summary, ' +
    'main input, main select, footer a');
  for (const el of all) {
    if (el.closest('svg') || !el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height >= 24) continue;
    if (el.tagName === 'A' && inSentence(el)) continue;
    out.push([el.tagName, (el.textContent || '').trim().slice(0, 40), Math.round(r.height)]);
  }
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_phone_header_leaves_chiang_mais_first_pair_on_the_first_screen(served, shared_page, lang):
    base, _ = served
    page = shared_page(*PHONE)
    open_page(page, base, f"/{lang}/provinces/chiang-mai/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 140, f"the header is {header['height']:.0f} px tall at 360 px"
    brand = page.locator(".site-header .brand-short")
    assert brand.is_visible() and brand.evaluate("e => e.getClientRects().length") == 1   # one line
    assert page.locator(".site-header .site-search input").is_visible()                  # search: no tap needed
    first = page.locator("main .pair-rows li").first.bounding_box()
    assert first["y"] + first["height"] <= PHONE[1], f"Chiang Mai's first pair ends at {first['y'] + first['height']:.0f} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_short_name_is_whole_or_left_to_the_mark_never_cut_inside_a_word(served, shared_page, lang):
    """From 320 px up, the header's short name is shown whole on one line, or (where it does not fit
    beside the menu and the language) not shown, the mark alone linking home under the same name:
    never cut by an ellipsis (เมืองพี่เมือ…, Sister …)."""
    base, _ = served
    shown_at = []
    page = shared_page(*PHONE)
    open_page(page, base, f"/{lang}/provinces/chiang-mai/")
    try:
        for width in (320, 330, 343, 344, 350, 359, 360, 400):
            page.set_viewport_size({"width": width, "height": PHONE[1]})   # (as a phone turned or a window narrowed)
            name = page.locator(".site-header .brand-short")
            box = name.bounding_box()
            whole = name.evaluate("e => e.scrollWidth <= e.clientWidth && e.getClientRects().length === 1")
            if box["width"] > 1:
                assert whole, f"at {width} px the short name is cut"
                shown_at.append(width)
            assert page.get_by_role("link", name=STRINGS[lang]["site_short"], exact=True).is_visible()   # (its name)
            mark = page.locator(".site-header .brand").bounding_box()
            assert mark["width"] >= 44 and mark["height"] >= 44, f"at {width} px the home link is {mark}"
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})   # (the page is shared)
    assert 360 in shown_at and 400 in shown_at   # a usual phone sees the name


@pytest.mark.parametrize("lang", LANGS)
def test_the_menu_opens_without_javascript(shared_page, lang, served):
    base, _ = served
    page = shared_page(*PHONE, java_script_enabled=False, bypass_csp=False)
    open_page(page, base, f"/{lang}/pairs/chiang-mai-uozu/")
    links = page.locator(".site-nav a")
    assert links.count() >= 7 and not links.first.is_visible()       # closed: one button's room
    page.locator(".menu > summary").click()
    assert all(links.nth(i).is_visible() for i in range(links.count()))
    assert all(links.nth(i).bounding_box()["height"] >= 24 for i in range(links.count()))
    page.locator(".site-nav a", has_text="คู่มือ" if lang == "th" else "Handbook").click()
    page.wait_for_url(f"**/{lang}/handbook/")


@pytest.mark.parametrize("lang", LANGS)
def test_a_wide_screen_shows_the_menu_without_its_button(served, shared_page, lang):
    base, _ = served
    page = shared_page(1280, 800)
    open_page(page, base, f"/{lang}/provinces/")
    assert not page.locator(".menu > summary").is_visible()
    assert page.locator(".site-nav a").first.is_visible()
    assert page.locator(".site-header .brand-full").is_visible()
    box = page.locator(".site-header .site-search input")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth") and box.bounding_box()["width"] >= 250


@pytest.mark.parametrize("lang", LANGS)
def test_home_first_screen_answers(served, shared_page, lang):
    """What the site is for (heading and one sentence), a search box and the four headline figures,
    all on the first screen of a phone."""
    base, _ = served
    page = shared_page(*PHONE)
    open_page(page, base, f"/{lang}/")
    for selector in ("main h1", "main .lead", "main .site-search input", "main .stat-cards li >> nth=3"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] <= PHONE[1], f"{selector} is below the first screen"
    assert page.locator(".site-search").count() == 1                    # one box, in the page
    page.locator("main .site-search input").fill("Kunming")
    page.locator("main .site-search input").press("Enter")
    page.wait_for_url(f"**/{lang}/search/?q=Kunming")


@pytest.mark.parametrize("lang", LANGS)
def test_japan_is_grouped_by_prefecture_and_names_it_in_every_row(served, shared_page, lang):
    base, _ = served
    page = shared_page(*PHONE)
    open_page(page, base, f"/{lang}/countries/japan/")
    headings = page.locator("#counterparts ~ h3, section[aria-labelledby=counterparts] h3").all_inner_texts()
    names = ("จังหวัดโทยามะ", "จังหวัดไซตามะ") if lang == "th" else ("Toyama Prefecture", "Saitama Prefecture")
    for name in names:
        assert any(name in h for h in headings), f"no heading for {name}: {headings}"
    rows = page.locator("section[aria-labelledby=counterparts] .pair-rows li").all_inner_texts()
    assert len(rows) == 5
    toyama = next(r for r in rows if ("อูโอซุ" if lang == "th" else "Uozu") in r)
    saitama = next(r for r in rows if ("ฮอนโจ" if lang == "th" else "Honjo") in r)
    assert names[0] in toyama and names[1] in saitama
    # the quotations from another source are folded, after the pairs
    assert not page.locator("#other-relations ~ details .counterpart").first.is_visible()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["", "provinces/", "provinces/chiang-mai/", "countries/china/", "countries/japan/", "pairs/",
                                  "pairs/chiang-mai-uozu/", "handbook/", "stats/", "data/", "countries/"])
def test_no_tap_target_under_24_px_on_a_phone(served, shared_page, lang, path):
    base, _ = served
    page = shared_page(*PHONE)
    open_page(page, base, f"/{lang}/{path}")
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"/{lang}/{path} at 360 px: targets under 24 px: {small[:8]}"


# JavaScript: the links of the maps under 24 px whose address is not also a link in an open list
# (a <details open>, or a list that is not folded) of the same section.
SMALL_MAP_LINKS_NOT_LISTED = """() => {
  const out = [];
  for (const a of document.querySelectorAll('main svg a')) {
    const r = a.getBoundingClientRect();
    if (!a.checkVisibility() || (r.width >= 24 && r.height >= 24)) continue;
    const section = a.closest('section') || document.querySelector('main');
    const href = a.getAttribute('href');
    const listed = [...section.querySelectorAll('li > a')].some(l => l.getAttribute('href') === href && l.checkVisibility());
    if (!listed) out.push([a.getAttribute('aria-label'), Math.round(r.width), Math.round(r.height)]);
  }
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["map/", "provinces/", "provinces/chiang-mai/", "countries/japan/", "countries/china/"])
def test_a_map_target_under_24_px_is_also_in_an_open_list_beside_it(served, shared_page, lang, path):
    base, _ = served
    page = shared_page(*PHONE)
    open_page(page, base, f"/{lang}/{path}")
    missing = page.evaluate(SMALL_MAP_LINKS_NOT_LISTED)
    assert not missing, f"/{lang}/{path} at 360 px: map links under 24 px with no open list beside them: {missing[:8]}"


# JavaScript: every visible search box's placeholder, set as its text for a moment so that Chromium lays
# it out in the box's own editing area (which keeps room for the clear button, as the placeholder's
# does) → [[id, placeholder, the width it needs, the width it has]].
PLACEHOLDER_ROOM = """() => [...document.querySelectorAll('input[type=search][placeholder]')].filter(i => i.checkVisibility())
  .map(i => {
    const value = i.value;
    i.value = i.placeholder;
    const out = [i.id, i.placeholder, i.scrollWidth, i.clientWidth];
    i.value = value;
    return out;
  })"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width, height", [PHONE, (1280, 800)])
def test_the_search_boxs_placeholder_is_read_in_full(served, shared_page, lang, width, height):
    """Issue 18, second pass: the header's search box (and the home page's and the search page's) shows
    its whole placeholder, on a phone and on a wide screen, without the phone header growing."""
    base, _ = served
    page = shared_page(width, height)
    for path in ("provinces/chiang-mai/", "", "search/"):
        open_page(page, base, f"/{lang}/{path}")
        boxes = page.evaluate(PLACEHOLDER_ROOM)
        assert boxes, f"/{lang}/{path}: no search box shown"
        cut = [box for box in boxes if box[2] > box[3]]
        assert not cut, f"/{lang}/{path} at {width} px: placeholder cut (id, text, the width it needs, the box's): {cut}"
    if width == PHONE[0]:
        open_page(page, base, f"/{lang}/provinces/")
        assert page.locator(".site-header").bounding_box()["height"] <= 140


def test_the_placeholder_measure_sees_a_cut(served, shared_page):
    """A test of the test: the measure finds a placeholder longer than its box."""
    base, _ = served
    page = shared_page(*PHONE)
    open_page(page, base, "/en/provinces/")
    page.evaluate("document.querySelector('#site-q').placeholder = 'A province, partner, country or year'")
    (_id, _text, width, room), = page.evaluate(PLACEHOLDER_ROOM)
    assert width > room


@pytest.mark.parametrize("lang", LANGS)
def test_the_provinces_list_is_one_tap_from_the_first_screen_without_javascript(shared_page, served, lang):
    """Issue 18, second pass: on a phone the Thailand map fills the first screens of /provinces/; a link
    on the first screen takes the reader to the list (and one per region to that region), no script."""
    base, _ = served
    page = shared_page(*PHONE, java_script_enabled=False, bypass_csp=False)
    open_page(page, base, f"/{lang}/provinces/")
    first_region = page.locator("#province-list h2").first
    assert first_region.bounding_box()["y"] > PHONE[1]        # the list starts below the first screen
    jump = page.get_by_role("link", name="ไปที่รายชื่อจังหวัด" if lang == "th" else "Go to the list of provinces")
    box = jump.bounding_box()
    assert jump.is_visible() and box["y"] + box["height"] <= PHONE[1] and box["height"] >= 24
    jump.click()
    page.wait_for_url("**#province-list")
    heading = first_region.bounding_box()
    assert 0 <= heading["y"] and heading["y"] + heading["height"] <= PHONE[1] / 2, heading
    assert page.locator("#province-list .province-list a").first.is_visible()
    # a region's link: straight to its heading, its provinces below it
    south = page.locator(".province-jump a[href='#region-south']")
    page.evaluate("window.scrollTo(0, 0)")
    assert south.bounding_box()["y"] + south.bounding_box()["height"] <= PHONE[1]
    south.click()
    page.wait_for_url("**#region-south")
    heading = page.locator("#region-south").bounding_box()
    assert 0 <= heading["y"] <= PHONE[1] / 2
    assert page.locator("section[aria-labelledby=region-south] .province-list a").count() == 14
