"""Issue 20 in a real browser: the "since the list" page's filter, and the new pages and the pair timeline
at a phone's width (360 px) and a desktop's (1,280 px) in both languages, without sideways scrolling."""
from __future__ import annotations

import pytest

from browser import LANGS, chromium, open_page, served, shared_page  # noqa: F401
from portal import urls


@pytest.mark.parametrize("lang", LANGS)
def test_the_since_page_filters_by_province_and_kind_and_keeps_the_choice_in_the_address(served, shared_page, lang):
    base, _ = served
    page = shared_page(width=360)
    open_page(page, base, urls.since(lang))
    assert page.locator("#event-filter").is_visible()           # the script shows the form it makes work
    total = page.locator("#events-grouped li[data-kind]").count()
    province = page.locator("#f-province option").nth(1).get_attribute("value")
    if not page.locator("#f-province").is_visible():              # (closed on a phone until opened)
        page.locator("#event-filter summary").click()
    page.select_option("#f-province", province)
    shown = page.locator("#events-grouped li[data-kind]:visible")
    n = shown.count()
    assert 0 < n < total
    assert set(shown.evaluate_all("els => els.map(e => e.dataset.province)")) == {province}
    assert f"province={province}" in page.url
    assert page.locator("#filter-status").inner_text().strip()
    page.select_option("#f-kind", "later")
    kinds = set(page.locator("#events-grouped li[data-kind]:visible").evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert kinds <= {"later"}
    page.click("#f-clear")
    assert page.locator("#events-grouped li[data-kind]:visible").count() == total
    # the choice is restored from a shared address
    page.goto(base + urls.since(lang) + f"?province={province}")
    assert page.locator("#events-grouped li[data-kind]:visible").count() == n


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", (360, 1280))
def test_the_new_pages_fit_the_screen(served, shared_page, lang, width):
    base, _ = served
    page = shared_page(width=width)
    for url in (urls.since(lang), urls.report(lang), urls.pair(lang, "phuket-zhanjiang"), urls.province(lang, "chiang-mai")):
        open_page(page, base, url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
        assert page.locator(".preview-notice").is_visible(), url
    open_page(page, base, urls.pair(lang, "phuket-zhanjiang"))
    assert page.locator("#timeline").is_visible() and page.locator("#timeline ~ ol li.event").count() >= 2


# ---------------------------------------------------------------- review items 9 and 10 (fb)

THAI = __import__("re").compile(r"[\u0e00-\u0e7f]")


@pytest.mark.parametrize("lang", LANGS)
def test_a_404_suggests_pages_in_its_own_language_and_none_for_an_address_unlike_any_name(served, shared_page, lang):
    base, _ = served
    page = shared_page(width=360)
    page.goto(f"{base}/{lang}/provinces/chiangmai/")
    page.wait_for_selector("#not-found-suggest li a")
    names = page.locator("#not-found-suggest li a").all_inner_texts()
    assert names[0] == ("เชียงใหม่" if lang == "th" else "Chiang Mai")
    assert all(bool(THAI.search(n)) == (lang == "th") for n in names), names
    page.goto(f"{base}/{lang}/no-such-page/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#not-found-suggest li").count() == 0   # was Phrae · United States · …
    assert not page.locator("#not-found-suggest").is_visible()


def test_thai_search_suggestions_for_a_missing_name_lead_with_the_thai_name(served, shared_page):
    base, _ = served
    page = shared_page(width=360)
    page.goto(f"{base}/th/search/?q=Ho+Chi+Minh+City")
    page.wait_for_selector("#search-suggestions li a")
    for item in page.locator("#search-suggestions li").all():
        link = item.locator("a").inner_text()
        assert THAI.search(link), link                          # the page's language first
        typed = item.locator("span[lang=en]")
        assert typed.count() == 0 or not THAI.search(typed.inner_text())
