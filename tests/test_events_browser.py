"""Issue 20 in a real browser: the "since the list" page's filter, and the new pages and the pair timeline
at a phone's width (360 px) and a desktop's (1,280 px) in both languages, without sideways scrolling."""
from __future__ import annotations

import pytest

from browser import LANGS, chromium, new_page, open_page, served  # noqa: F401
from portal import urls


@pytest.mark.parametrize("lang", LANGS)
def test_the_since_page_filters_by_province_and_kind_and_keeps_the_choice_in_the_address(served, new_page, lang):
    base, _ = served
    page = new_page(width=360)
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
def test_the_new_pages_fit_the_screen(served, new_page, lang, width):
    base, _ = served
    page = new_page(width=width)
    for url in (urls.since(lang), urls.report(lang), urls.pair(lang, "phuket-zhanjiang"), urls.province(lang, "chiang-mai")):
        open_page(page, base, url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
        assert page.locator(".preview-notice").is_visible(), url
    open_page(page, base, urls.pair(lang, "phuket-zhanjiang"))
    assert page.locator("#timeline").is_visible() and page.locator("#timeline ~ ol li.event").count() >= 2
