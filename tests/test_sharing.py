"""Shared links that preview well: each page's own og:title and og:description, a 1200 × 630 PNG
card of its kind (or document) and language, the landing page's with the site's name in both
languages; a permalink on every anchored heading, which also copies its address (issue 18)
(in Chromium, under the Content-Security-Policy)."""
from __future__ import annotations

import functools
import html
import io
import re
import struct
import zlib

import pytest
from PIL import Image
from playwright.sync_api import expect

from browser import LANGS, SCREENSHOTS, chromium, new_page, open_page, served  # noqa: F401
from portal import cards, urls
from portal.errors import BuildError
from portal import i18n
from portal.errors import Problems, RuntimeProblem
from portal.render import NO_PERMALINKS, NOT_SECTIONS
from portal.site import Builder, build

ROOT = cards.Path(__file__).resolve().parents[1]
THAI_RE = re.compile("[\u0e00-\u0e7f]")


@functools.lru_cache(maxsize=1)
def strings() -> dict[str, dict]:
    return i18n.load(ROOT / "data" / "strings", Problems())

META_RE = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"')
HEADING_RE = re.compile(r'<h([2-6])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def metas(text: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in META_RE.findall(text)}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def expected_card(page) -> str:
    """The card a page should show, by the rule written out: its kind's in its language, a
    document's own, the landing page's."""
    if page.kind == "landing":
        return "og/landing.png"
    if page.kind == "document":
        return f"og/{page.lang}/doc-{page.context['doc'].name}.png"
    if page.kind == "section":   # a handbook section or plan chapter's own page: its own card (issue 18)
        return f"og/{page.lang}/sec-{page.context['part'].doc}-{page.context['part'].anchor}.png"
    return f"og/{page.lang}/{page.kind}.png"


def test_every_page_has_its_own_title_description_and_a_card(built):
    base = built.outputs["sitemap.xml"].decode().split("<loc>")[1].split("/", 3)[:3]
    base = "/".join(base)
    seen_titles = set()
    shown = {}
    for page in built.pages:
        text = built.outputs[urls.output_path(page.url)].decode()
        m = metas(text)
        if page.kind != "landing":
            assert m["og:title"] == page.title and m["og:description"] == page.description, page.url
            seen_titles.add(m["og:title"])
        card = expected_card(page)
        assert m["og:image"] == f"{base}/{card}", page.url
        assert png_size(built.outputs[card]) == (1200, 630), card   # the file is among the build's outputs
        assert (m["og:image:width"], m["og:image:height"], m["og:image:type"]) == ("1200", "630", "image/png")
        assert m["og:image:alt"] and m["twitter:card"] == "summary_large_image"
        # The alt says what the card shows (its title, then the site's name), in the page's language.
        alt = m["og:image:alt"]
        # (a section's own title may quote Thai on an English page: 2.4 … (มท.๑ อนุมัติแล้ว))
        told = alt.replace(page.context["part"].section.title, "") if page.kind == "section" else alt
        assert bool(THAI_RE.search(told)) == (page.lang == "th"), (page.url, alt)
        if page.kind != "landing":
            assert alt.endswith(f" · {strings()[page.lang]['site_name']}"), (page.url, alt)
        shown.setdefault(card, set()).add(alt)
    assert len(seen_titles) > 400   # their own, not one shared title
    assert all(len(alts) == 1 for alts in shown.values()), shown   # one card, one description
    # A card for every kind in each language, and for every document: the plan, the handbook, …
    kinds = {(p.kind, p.lang) for p in built.pages if p.kind not in ("landing", "document", "section")}
    sections = {expected_card(p) for p in built.pages if p.kind == "section"}
    assert {k for k, _lang in kinds} >= {"home", "provinces", "province", "countries", "country", "pairs", "pair",
                                         "map", "stats", "search", "404"}
    assert {f"og/{lang}/{kind}.png" for kind, lang in kinds} <= set(shown)
    assert {f"og/{lang}/doc-{name}.png" for lang in LANGS for name in urls.DOCUMENTS} <= set(shown)
    assert sections <= set(shown) and len(sections) > 100
    assert len(shown) == len(kinds) + len(LANGS) * len(urls.DOCUMENTS) + len(sections) + 1
    assert not [rel for rel in built.outputs if rel.startswith("og/") and rel not in shown]   # no card unused


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG, each one's CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, at = [], 8
    while at < len(data):
        (n,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + n]
        assert struct.unpack(">I", data[at + 8 + n:at + 12 + n])[0] == zlib.crc32(kind + body), kind
        out.append((kind, body))
        at += 12 + n
    return out


def test_the_cards_are_valid_pngs_that_fit_and_are_drawn_the_same_every_time(built):
    all_cards = cards.cards_of(built.pages, strings())
    assert set(all_cards) == {rel for rel in built.outputs if rel.startswith("og/")}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    drawn = {}
    cards._state.clear()   # from nothing, in another order than the build's: the same bytes
    for rel, card in sorted(all_cards.items(), reverse=True):
        data = built.outputs[rel]
        assert png_size(data) == (1200, 630)
        assert 8_000 < len(data) < 100_000, (rel, len(data))
        chunks = png_chunks(data)
        kinds = [k for k, _ in chunks]
        assert kinds[:3] == [b"IHDR", b"PLTE", b"IDAT"] and kinds[-1] == b"IEND" and set(kinds) == {*kinds[:3], b"IEND"}
        raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))   # (checks its Adler-32)
        assert len(raw) == 630 * 1201
        image = Image.open(io.BytesIO(data))
        image.load()
        assert image.mode == "P" and image.size == (1200, 630)
        assert image.convert("RGB").getpixel((600, 2)) == (0x12, 0x3A, 0x63)   # the brand colour
        # Nothing reaches the sides: a margin of 48 px stays empty above the accent bar.
        assert image.crop((0, 0, 48, 612)).getbbox() is None, rel
        assert image.crop((1152, 0, 1200, 612)).getbbox() is None, rel
        # The title keeps between the header and the site's name (they are where the shared part has them).
        base = cards._base(card)
        top, bottom = base.band
        for y0, y1 in ((0, top), (bottom, 630)):
            assert image.crop((0, y0, 1200, y1)).tobytes() == base.image.crop((0, y0, 1200, y1)).tobytes(), rel
        assert image.crop((0, top, 1200, bottom)).getbbox(), rel   # and there is a title
        assert cards.draw(card) == data, rel
        drawn[rel] = data
        name = rel.removeprefix("og/").replace("/", "-")
        (SCREENSHOTS / f"og-{name}").write_bytes(data)   # to look at
    assert len(set(drawn.values())) == len(drawn)   # each card its own


def test_the_landing_card_has_the_sites_name_in_both_languages(built):
    card = cards.card_of(next(p for p in built.pages if p.kind == "landing"), strings())
    assert card.path == "og/landing.png"
    assert card.title == ("ความสัมพันธ์เมืองพี่เมืองน้อง", "ในระดับจังหวัด")
    assert card.below == ("Thailand's Provincial", "Sister City Relations") and card.below_lang == "en"


def test_card_titles_break_only_where_the_strings_do_and_shrink_to_fit():
    room = cards.WIDTH - 2 * cards.MARGIN
    for lang in LANGS:
        for key, text in strings()[lang].items():
            if key.startswith("og_card_"):
                rows = cards.lines(text)
                fitted, size = cards.fit(rows, cards.TITLE[0])
                assert fitted == rows, (lang, key)          # never broken elsewhere
                assert size >= 56 and all(cards.width(r, size) <= room for r in rows), (lang, key, size)
    # A title too long for one line (a document without its own string) is made smaller, then broken at a space.
    long = ("แผนขับเคลื่อนการดำเนินความสัมพันธ์เมืองพี่เมืองน้อง (Sister City) ในระดับจังหวัด พ.ศ. ๒๕๖๒–๒๕๖๖",)
    rows, size = cards.fit(long, cards.TITLE[0])
    assert size == cards.TITLE_MIN and len(rows) > 1 and " ".join(rows) == long[0]
    assert all(cards.width(r, size) <= room for r in rows)
    assert cards.runs("พ.ศ. ๒๕๖๒ (Sister City)") == [("พ", "th"), (".", "en"), ("ศ", "th"), (". ", "en"),
                                                      ("๒๕๖๒ ", "th"), ("(Sister City)", "en")]
    assert cards.joined(("คู่มือแนวทาง", "ในระดับจังหวัด")) == "คู่มือแนวทางในระดับจังหวัด"   # no space inside Thai
    assert cards.joined(("ข้อมูลเปิด: ดาวน์โหลด", "CSV")) == "ข้อมูลเปิด: ดาวน์โหลด CSV"


def test_a_document_without_its_own_card_string_gets_its_title_made_to_fit(project):
    """(The plan's title, 79 letters in Thai, with no line breaks chosen by a translator.)"""
    for lang in LANGS:
        file = project / "data" / "strings" / f"{lang}.yaml"
        text = file.read_text(encoding="utf-8")
        start = text.index("og_card_doc_plan: |-\n")
        end = text.index("og_card_doc_handbook:")
        file.write_text(text[:start] + text[end:], encoding="utf-8")
    result = build(project, write=False)
    for lang in LANGS:
        data = result.outputs[f"og/{lang}/doc-plan.png"]
        image = Image.open(io.BytesIO(data))
        assert image.crop((0, 0, 48, 612)).getbbox() is None and image.crop((1152, 0, 1200, 612)).getbbox() is None
        page = next(p for p in result.pages if p.kind == "document" and p.lang == lang and p.url.endswith("/plan/"))
        card = cards.card_of(page, i18n.load(project / "data" / "strings", Problems()))
        assert card.title == (page.context["doc"].title,)
        top, bottom = cards._base(card).band
        base = cards._base(card).image
        assert image.crop((0, bottom, 1200, 630)).tobytes() == base.crop((0, bottom, 1200, 630)).tobytes()
        (SCREENSHOTS / f"og-{lang}-doc-plan-untitled.png").write_bytes(data)   # to look at


def test_without_raqm_the_build_stops_with_one_line_saying_what_to_install(project, tmp_path, monkeypatch):
    from PIL import features
    real = features.check
    monkeypatch.setattr(features, "check", lambda name: False if name == "raqm" else real(name))
    site = tmp_path / "site"
    with pytest.raises(RuntimeProblem) as err:
        build(project, site, cache=False)   # (cards from a cache would need no drawing)
    report = err.value.report()
    assert report.count("\n") == 0 and "libfribidi0" in report and "Thai" in report
    assert err.value.problems[0].file.endswith("PIL")   # located: the Pillow that lacks it
    assert not site.exists()   # nothing written


def test_the_preview_server_draws_again_only_the_cards_whose_text_changed(project, monkeypatch):
    drawn = []
    real = cards.draw
    monkeypatch.setattr(cards, "draw", lambda card: drawn.append(card.path) or real(card))
    b = Builder(project, cache=False)   # (this Builder's own memory of its cards, not a cache on disk)
    b.build()
    assert sorted(drawn) == sorted(r for r in b.outputs if r.startswith("og/"))
    drawn.clear()
    assert not b.build().write.changed and drawn == []
    strings = project / "data" / "strings" / "en.yaml"
    text = strings.read_text(encoding="utf-8")
    strings.write_text(text.replace("  The registry\n  in figures\n", "  The registry\n  in numbers\n"), encoding="utf-8")
    result = b.build()
    assert drawn == ["og/en/stats.png"] and "og/en/stats.png" in result.write.written
    assert result.outputs == build(project, write=False).outputs


def test_cards_drawn_once_are_taken_from_the_build_cache(project, monkeypatch, tmp_path):
    """A build with the cache on disk (.cache/) keeps each card it draws; a new process (a new
    Builder) takes them from there and draws none, with the same bytes."""
    first = build(project, write=False, cache=True)
    drawn = []
    real = cards.draw
    monkeypatch.setattr(cards, "draw", lambda card: drawn.append(card.path) or real(card))
    again = build(project, write=False, cache=True)
    needed = cards.cards_of(again.pages, i18n.load(project / "data" / "strings", Problems()))
    assert drawn == [] and needed and all(again.outputs[rel] == first.outputs[rel] for rel in needed)


def test_strings_the_cards_cannot_read_are_reported_at_their_line(project):
    (project / "data" / "strings" / "en.yaml").write_text("site_name: [unclosed\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(project, write=False, cache=True)
    assert "data/strings/en.yaml:2: is not valid YAML" in err.value.report()


def test_every_anchored_heading_has_a_permalink_to_itself(built):
    checked = 0
    for page in built.pages:
        if page.kind == "landing":
            continue
        text = built.outputs[urls.output_path(page.url)].decode()
        skip = NO_PERMALINKS.get(page.kind)   # the home page's, the pairs page's years (issue 18)
        for _level, anchor, inner in HEADING_RE.findall(text):
            if anchor in NOT_SECTIONS or (skip and skip.fullmatch(anchor)):   # headings that only name a region (portal/render.py)
                assert 'class="permalink"' not in inner, f"{page.url}#{anchor}"
                continue
            assert f'class="permalink" href="{page.url}#{anchor}"' in inner, f"{page.url}#{anchor}"
            checked += 1
    assert checked > 1000
    plan = built.outputs["en/plan/index.html"].decode()
    assert re.search(r'<h4 id="annex-signed-\d{4}">.*?class="permalink" href="/en/plan/#annex-signed-\d{4}"', plan)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 1280])
def test_copy_link_copies_the_sections_address(served, new_page, lang, width):
    """The "#" after each heading is its one copy-link control (issue 18): it copies the section's
    address (a handbook section's own page, where it has one) and says so beside it."""
    base, samples = served
    page = new_page(width=width, height=800, permissions=["clipboard-read", "clipboard-write"], bypass_csp=False)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    open_page(page, base, samples[lang]["handbook"])
    links = page.locator("h2 > a.permalink")
    assert links.count() > 5 and page.locator(".copy-link").count() == 0
    link = links.nth(1)
    heading = link.locator("xpath=..")
    anchor = heading.get_attribute("id")
    link.scroll_into_view_if_needed()
    box, hbox = link.bounding_box(), heading.bounding_box()
    middle = box["y"] + box["height"] / 2   # (its padding makes a 24 px target: it may reach past the heading)
    assert box["x"] + box["width"] <= width and hbox["y"] <= middle <= hbox["y"] + hbox["height"]   # in its heading
    link.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{base}/{lang}/handbook/{anchor}/"   # the chapter's own page
    expect(page.locator("[role=status]")).to_have_text("คัดลอกลิงก์แล้ว" if lang == "th" else "Link copied")
    expect(heading.locator(".copied-note")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"copy-link-{lang}-{width}.png"), clip={
        "x": 0, "y": max(0, hbox["y"] - 20), "width": width, "height": min(300, hbox["height"] + 80)})
    # On a pair page, a template's heading copies its own address.
    open_page(page, base, samples[lang]["pair-signed"])
    page.locator("#notes a.permalink, #record a.permalink").first.click()
    assert "#" in page.evaluate("navigator.clipboard.readText()")
    assert not violations, violations
