"""Shared links that preview well: each page's own og:title and og:description, a 1200 × 630 PNG
card with the site's name in both languages; a permalink on every anchored heading, and a working "copy link" button
beside each (in Chromium, under the Content-Security-Policy)."""
from __future__ import annotations

import html
import re
import struct

import pytest
from playwright.sync_api import expect
import yaml

from browser import LANGS, SCREENSHOTS, chromium, new_page, open_page, served  # noqa: F401
from portal import cards, urls
from portal.render import NOT_SECTIONS

ROOT = cards.Path(__file__).resolve().parents[1]

META_RE = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"')
HEADING_RE = re.compile(r'<h([2-6])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def metas(text: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in META_RE.findall(text)}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_every_page_has_its_own_title_description_and_a_card(built):
    base = built.outputs["sitemap.xml"].decode().split("<loc>")[1].split("/", 3)[:3]
    base = "/".join(base)
    seen_titles = set()
    for page in built.pages:
        text = built.outputs[urls.output_path(page.url)].decode()
        m = metas(text)
        if page.kind != "landing":
            assert m["og:title"] == page.title and m["og:description"] == page.description, page.url
            seen_titles.add(m["og:title"])
        assert m["og:image"] == f"{base}/{cards.PATH}", page.url
        assert (m["og:image:width"], m["og:image:height"], m["og:image:type"]) == ("1200", "630", "image/png")
        assert m["og:image:alt"] and m["twitter:card"] == "summary_large_image"
    assert len(seen_titles) > 400   # their own, not one shared title


def test_the_card_is_a_1200_by_630_png_with_the_sites_name(built):
    data = built.outputs[cards.PATH]
    assert png_size(data) == (1200, 630)
    assert 10_000 < len(data) < 200_000
    strings = {lang: yaml.safe_load((ROOT / "data" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))
               for lang in LANGS}
    svg = cards.svg(strings)
    assert "ความสัมพันธ์เมืองพี่เมืองน้อง" in svg and "Sister City Relations" in svg
    assert cards.draw(strings) == data   # drawn the same way every time
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "og-card.png").write_bytes(data)   # to look at


def test_every_anchored_heading_has_a_permalink_to_itself(built):
    checked = 0
    for page in built.pages:
        if page.kind == "landing":
            continue
        text = built.outputs[urls.output_path(page.url)].decode()
        for _level, anchor, inner in HEADING_RE.findall(text):
            if anchor in NOT_SECTIONS:   # headings that only name a region (portal/render.py)
                continue
            assert f'class="permalink" href="{page.url}#{anchor}"' in inner, f"{page.url}#{anchor}"
            checked += 1
    assert checked > 1000
    plan = built.outputs["en/plan/index.html"].decode()
    assert re.search(r'<h4 id="annex-signed-\d{4}">.*?class="permalink" href="/en/plan/#annex-signed-\d{4}"', plan)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 1280])
def test_copy_link_copies_the_sections_address(served, new_page, lang, width):
    base, samples = served
    page = new_page(width=width, height=800, permissions=["clipboard-read", "clipboard-write"], bypass_csp=False)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    open_page(page, base, samples[lang]["handbook"])
    buttons = page.locator("h2 .copy-link")
    assert buttons.count() > 5
    button = buttons.nth(1)
    heading = button.locator("xpath=..")
    anchor = heading.get_attribute("id")
    button.scroll_into_view_if_needed()
    box, hbox = button.bounding_box(), heading.bounding_box()
    assert box["x"] + box["width"] <= width and box["y"] >= hbox["y"] - 1   # inside the page, in its heading
    assert page.locator(f'#{anchor} a.permalink').count() == 1          # the plain link stays
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{base}{samples[lang]['handbook']}#{anchor}"
    expect(page.locator("[role=status]")).to_have_text("คัดลอกลิงก์แล้ว" if lang == "th" else "Link copied")
    page.screenshot(path=str(SCREENSHOTS / f"copy-link-{lang}-{width}.png"), clip={
        "x": 0, "y": max(0, hbox["y"] - 20), "width": width, "height": min(300, hbox["height"] + 80)})
    # On a pair page, a template's heading has one too.
    open_page(page, base, samples[lang]["pair-signed"])
    page.locator("#notes .copy-link, #record .copy-link").first.click()
    assert "#" in page.evaluate("navigator.clipboard.readText()")
    assert not violations, violations
