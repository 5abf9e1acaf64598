"""The relations named outside the list, and the parents' own-script names, as a reader sees them
in Chromium: on Bangkok's and Ayutthaya's pages, on Japan's page and on a pair page, in both languages,
at 360 and 1280 px. Screenshots go to tests/screenshots/ for a person to look at."""
from __future__ import annotations

import pytest

from browser import AXE, SCREENSHOTS, chromium, new_page, open_page, served, shared_page  # noqa: F401 (fixtures)
from test_a11y import RUN, TAGS, describe

PAGES = {  # name → (path after the language, the relation anchors it must show)
    "bangkok": ("provinces/bangkok/", ["other-bangkok-yachiyo", "other-bangkok-tokyo"]),
    "ayutthaya": ("provinces/phra-nakhon-si-ayutthaya/", ["other-phra-nakhon-si-ayutthaya-shizuoka",
                                                          "other-phra-nakhon-si-ayutthaya-kyoto"]),
    "japan": ("countries/japan/", ["other-mae-sai-yuki", "other-bangkok-yachiyo", "other-bangkok-tokyo",
                                   "other-phra-nakhon-si-ayutthaya-shizuoka", "other-phra-nakhon-si-ayutthaya-kyoto"]),
}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_relations_outside_the_list_are_shown_and_fit_the_screen(served, shared_page, name, lang, width):
    base, _ = served
    path, anchors = PAGES[name]
    page = shared_page(width=width, height=900)
    open_page(page, base, f"/{lang}/{path}")
    heading = page.locator("#other-relations")
    assert heading.is_visible()
    assert ("๒๗ สิงหาคม ๒๕๖๑" if lang == "th" else "27 August 2018") in heading.inner_text()
    if name == "japan":   # a country page folds the quotations (issue 18): closed, then opened
        assert not page.locator(f"#{anchors[0]}").is_visible()
        page.locator("details.quoted > summary").click()
    for anchor in anchors:
        item = page.locator(f"#{anchor}")
        assert item.is_visible(), anchor
        assert item.locator("blockquote[lang=th]").is_visible(), anchor   # the source row, verbatim
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"other-relations-{name}-{lang}-{width}.png"), full_page=True)
    if width == 360:  # axe-core (WCAG 2.1 A and AA) on the page with its new section
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN, TAGS)
        assert not result["violations"], describe(result["violations"])


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_relations_address_opens_at_the_relation(served, new_page, lang):
    base, _ = served
    page = new_page(width=360, height=800)
    open_page(page, base, f"/{lang}/provinces/phra-nakhon-si-ayutthaya/#other-phra-nakhon-si-ayutthaya-kyoto")
    top = page.locator("#other-phra-nakhon-si-ayutthaya-kyoto").evaluate("e => e.getBoundingClientRect().top")
    assert -2 <= top < 800   # scrolled to it (to the sub-pixel)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_folded_relations_address_opens_it(served, new_page, lang):
    """On a country page the quotations are folded; an address that names one opens the fold."""
    base, _ = served
    page = new_page(width=360, height=800)
    open_page(page, base, f"/{lang}/countries/japan/#other-bangkok-tokyo")
    assert page.locator("#other-bangkok-tokyo").is_visible()
    top = page.locator("#other-bangkok-tokyo").evaluate("e => e.getBoundingClientRect().top")
    assert -2 <= top < 800


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_pair_page_shows_the_parents_own_script_name_with_its_language(served, shared_page, lang, width):
    base, _ = served
    page = shared_page(width=width, height=900)
    open_page(page, base, f"/{lang}/pairs/lamphun-jinghong/")
    parent = page.locator('#partner-side ~ dl span[lang="zh-Hans"]', has_text="云南省西双版纳傣族自治州")
    assert parent.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"parent-native-pair-{lang}-{width}.png"), full_page=True)
