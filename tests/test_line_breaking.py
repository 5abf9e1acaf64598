"""Thai and CJK line breaking, measured in Chromium: the line boxes of a phrase (Range.getClientRects)
must all be on one line, at 360 px and at 1280 px. The phrases are found in the page's own text, so
the test follows the templates: the site name in the header, every year with its era in the Thai
pairs table, every count with its unit in the provinces index, a CJK name and a Thai name in a pair's
title. (Chromium breaks Thai by its own dictionary and ignores <wbr> and `word-break: keep-all` in
Thai: portal/typeset.py keeps these units in no-break spans.)"""
from __future__ import annotations

import re

import pytest

from browser import SCREENSHOTS, chromium, open_page, served, shared_page  # noqa: F401

# JavaScript: every match of `pattern` in the text under `selector` → [text, number of lines, width].
LINES_OF = """([selector, pattern]) => {
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    const nodes = [], starts = [];
    let text = "";
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n; (n = walk.nextNode());) { nodes.push(n); starts.push(text.length); text += n.data; }
    const at = (i) => { let k = starts.length - 1; while (starts[k] > i) k--; return [nodes[k], i - starts[k]]; };
    for (const m of text.matchAll(new RegExp(pattern, "gu"))) {
      const range = document.createRange();
      range.setStart(...at(m.index));
      const [endNode, endOffset] = at(m.index + m[0].length - 1);
      range.setEnd(endNode, endOffset + 1);
      const rects = [...range.getClientRects()].filter(r => r.width > 0).sort((a, b) => a.top - b.top);
      let lines = 0, bottom = -Infinity;
      for (const r of rects) { if (r.top >= bottom - 2) { lines++; } bottom = Math.max(bottom, r.bottom); }
      out.push([m[0], lines, Math.round(document.documentElement.scrollWidth)]);
    }
  }
  return out;
}"""

EN_DATE = ("(?:[0-9]{1,2}[ \u00a0])?(?:January|February|March|April|May|June|July|August|September|October|November"
           "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \u00a0][0-9]{4}")

CASES = [
    # (URL, where, what: a regular expression, at least how many matches)
    ("/th/", ".site-header .brand", "เมืองพี่เมืองน้อง", 1),
    # a signed pair's year with its era, an in-progress pair's list year group (issue 18)
    ("/th/pairs/", "main .pair-rows", "พ\\.ศ\\. [๐-๙]{4}|กลุ่มปี [๐-๙]{4}", 130),
    ("/th/provinces/", "main", "[๐-๙]+ คู่", 50),
    ("/th/pairs/chiang-mai-kunming/", "main h1", "昆明市|คุนหมิง|ยูนนาน", 3),
    ("/th/pairs/chiang-mai-xishuangbanna/", "main h1", "สิบสองปันนา|西双版纳傣族自治州", 2),
    ("/en/pairs/chiang-mai-kunming/", "main h1", "昆明市", 1),
    ("/th/pairs/chiang-mai-uozu/", "main h1", "魚津市|อูโอซุ|โทยามะ", 3),
    # the partners of relations outside the list, in event and relation titles and notes (review item 6)
    ("/th/since-the-list/", "main", "จังหวัดชุงชองบุก|นครกว่างโจว", 4),
    ("/th/provinces/chiang-mai/", "main", "จังหวัดชุงชองบุก|นครกว่างโจว", 3),
    ("/th/", "main", "จังหวัดชุงชองบุก", 1),
    # English dates, as Thai dates: from the templates, the strings, events and content/'s prose
    ("/en/", "main", EN_DATE, 2),
    ("/en/since-the-list/", "main", EN_DATE, 60),
    ("/en/since-the-list/", "main h1", EN_DATE, 1),   # "Since the list of 4 Jan 2019" (the strings' short month)
    ("/en/handbook/", "main", EN_DATE, 3),
]


@pytest.mark.parametrize("width", (360, 1280))
@pytest.mark.parametrize("url, where, pattern, at_least", CASES, ids=[f"{c[0]}:{c[2][:12]}" for c in CASES])
def test_a_phrase_that_must_not_break_is_on_one_line(served, shared_page, width, url, where, pattern, at_least):
    base, _samples = served
    page = shared_page(width, 800)
    open_page(page, base, url)
    found = [f for f in page.evaluate(LINES_OF, [where, pattern]) if f[1] > 0]   # (0 lines: not shown)
    assert len(found) >= at_least, f"{url}: expected at least {at_least} of {pattern!r} shown in {where}, found {len(found)}"
    broken = [(text, lines) for text, lines, _w in found if lines != 1]
    assert not broken, f"{url} at {width} px: broken across lines: {broken[:10]}"
    assert all(w <= width for *_x, w in found), f"{url} at {width} px: the page is wider than the screen"


def test_the_measure_sees_a_break(served, shared_page):
    """A test of the test: a phrase that wraps in a narrow box is counted as more than one line."""
    base, _samples = served
    page = shared_page(360, 800)
    open_page(page, base, "/th/")
    page.evaluate("""() => { const p = document.createElement('p'); p.id = 'probe'; p.style.width = '3em';
                             p.textContent = 'ความสัมพันธ์เมืองพี่เมืองน้องในระดับจังหวัด'; document.body.append(p); }""")
    (text, lines, _w), = page.evaluate(LINES_OF, ["#probe", "ความสัมพันธ์เมืองพี่เมืองน้องในระดับจังหวัด"])
    assert lines > 1


# JavaScript: the text of every block of `selector` (paragraph, list item, heading, cell …) that has
# Thai in it, and where its lines start: [[text, [offsets of the first letter of each line but the
# first]], …], measured letter by letter with Range.getClientRects().
THAI_LINES = """(selector) => {
  const BLOCKS = 'p, li, h1, h2, h3, h4, dd, dt, td, th, caption, figcaption, summary, blockquote, label, a.brand';
  const blocks = new Map();
  for (const root of document.querySelectorAll(selector)) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n; (n = walk.nextNode());) {
      const block = n.parentElement.closest(BLOCKS) || n.parentElement;
      if (!blocks.has(block)) blocks.set(block, []);
      blocks.get(block).push(n);
    }
  }
  const out = [];
  const range = document.createRange();
  for (const nodes of blocks.values()) {
    if (!nodes.some(n => /[\\u0e01-\\u0e4e]/.test(n.data))) continue;
    let text = "", breaks = [], lastTop = null;
    for (const n of nodes) {
      for (let i = 0; i < n.data.length; i++) {
        range.setStart(n, i); range.setEnd(n, i + 1);
        const r = range.getClientRects()[0];
        if (r && r.width > 0 && !/\\s/.test(n.data[i])) {
          if (lastTop !== null && r.top > lastTop + 4) breaks.push(text.length + i);
          lastTop = r.top;
        }
      }
      text += n.data;
    }
    if (breaks.length) out.push([text, breaks]);
  }
  return out;
}"""


def words_broken_across_lines(blocks) -> list[tuple[str, str]]:
    """(word, its line) for every PyThaiNLP dictionary word with a line start inside it. The words are
    PyThaiNLP's (newmm) as typesetting cuts them (portal/typeset.thai_words_of): a compound longer
    than a phone's heading holds (สำนักงานคณะกรรมการพัฒนาการเศรษฐกิจและสังคมแห่งชาติ) may break
    between the dictionary words it is made of, never inside one."""
    from pythainlp.corpus import thai_words

    from portal.typeset import thai_words_of
    dictionary = thai_words()
    broken = []
    for text, breaks in blocks:
        pos = 0
        for word in thai_words_of(text):
            start = text.find(word, pos)
            pos = start + len(word)
            if word in dictionary and any(start < b < pos for b in breaks):
                broken.append((word, text[max(0, start - 15):pos + 15]))
    return broken


@pytest.mark.parametrize("url", ["/th/handbook/", "/th/", "/en/handbook/", "/en/", "/th/plan/",
                                 "/th/since-the-list/", "/th/provinces/chiang-mai/"])   # events and relations too
def test_no_thai_dictionary_word_breaks_across_lines(served, shared_page, url):
    """Every Thai word PyThaiNLP's dictionary knows (พื้นฐาน, ขับเคลื่อน, บันทึกความเข้าใจ, ต่างประเทศ,
    ดำเนินการ, คำอธิบาย …) stays on one line at 360 px, in the header, the main text and the footer."""
    base, _samples = served
    page = shared_page(360, 740)
    open_page(page, base, url)
    blocks = page.evaluate(THAI_LINES, "body")
    assert url.startswith("/en/") or sum(len(b) for _t, b in blocks) > (200 if "book" in url or "plan" in url else 3), \
        f"{url}: too few line breaks measured: the measure is not seeing the text"
    broken = words_broken_across_lines(blocks)
    assert not broken, (f"{url} at 360 px: {len(broken)} dictionary words broken across lines, e.g. {broken[:8]}; "
                        "if they are new words, run scripts/thai_breaks.py after a build")


def test_the_word_measure_sees_a_broken_word(served, shared_page):
    """A test of the test: a dictionary word forced to wrap in a narrow box is reported."""
    base, _samples = served
    page = shared_page(360, 740)
    open_page(page, base, "/th/")
    page.evaluate("""() => { const p = document.createElement('p'); p.id = 'probe'; p.style.width = '1px';
                             p.textContent = 'พื้นฐาน'; document.body.append(p); }""")
    broken = words_broken_across_lines(page.evaluate(THAI_LINES, "#probe"))
    assert [w for w, _ in broken] == ["พื้นฐาน"]


def test_the_list_of_words_chromium_breaks_holds_whole_words():
    """data/thai_breaks.txt: each entry one word as typesetting segments it (a dictionary word, or a
    name PyThaiNLP does not know, กว๋างบิ่ญ), or two ("การ บูรณาการ"); most are dictionary words."""
    from pythainlp.corpus import thai_words

    from conftest import ROOT
    from portal.typeset import thai_words_of, words_chromium_splits
    entries = words_chromium_splits(ROOT)
    assert len(entries) > 300
    assert not [e for e in entries if not all(thai_words_of(w) == (w,) for w in e.split(" "))]
    dictionary = thai_words()
    assert sum(e in dictionary for e in entries) > 0.7 * len(entries)


def test_typesetting_keeps_whole_words_not_list_matches():
    """A word of the list is found by segmenting, so แนวทางการขับเคลื่อน keeps ขับเคลื่อน whole (a plain
    match of the list would take การขับ first); a pair is kept together only where it occurs."""
    from portal.model import Registry
    from portal.typeset import Typesetter
    empty = Registry.__new__(Registry)
    empty.countries, empty.provinces, empty.pairs = [], [], []
    t = Typesetter(empty, words=("ขับเคลื่อน", "การขับ", "พื้นฐาน", "การ บูรณาการ"), phrases=("(Sister City)",))
    assert t.keep_together("แนวทางการขับเคลื่อน") == 'แนวทางการ<span class="nw">ขับเคลื่อน</span>'
    assert t.keep_together("ประสานการบูรณาการ") == 'ประสาน<span class="nw">การบูรณาการ</span>'
    assert t.keep_together("การค้า") == "การค้า"
    assert '<span class="nw">(Sister City)</span>' in t.keep_together("เมืองพี่เมืองน้อง (Sister City) ในระดับจังหวัด")


@pytest.mark.parametrize("url", ["/th/since-the-list/", "/th/provinces/chiang-mai/", "/th/"])
def test_names_of_relations_outside_the_list_are_kept_whole_like_the_lists(page, url):
    """Review item 6: partners of later and other relations (จังหวัดชุงชองบุก, นครกว่างโจว) in event and relation
    titles, summaries and notes get the same no-break span as the list's partners' names."""
    html = page(url).split("<main", 1)[1]
    text = re.sub(r"<[^>]+>", "", html)
    for name in ("ชุงชองบุก", "กว่างโจว"):
        if name not in text:
            continue
        kept = re.findall(rf'<span class="nw">[^<]*{name}[^<]*</span>', html)
        assert kept and len(kept) == text.count(name), (url, name, len(kept), text.count(name))


def test_latin_names_in_thai_text_are_kept_whole_and_titles_are_not():
    """Issue 18, second pass: a Latin name of two to four capitalised words (or numbers after the first)
    inside Thai text gets a no-break span, brackets and all, also between runs of other scripts; a
    longer run of capitalised words (a title) and lowercase words do not; English pages are untouched."""
    from portal.model import Registry
    from portal.typeset import Typesetter
    empty = Registry.__new__(Registry)
    empty.countries, empty.provinces, empty.pairs = [], [], []
    t = Typesetter(empty)

    def kept(text, context="th"):
        return re.findall(r'<span class="nw">([^<]*)</span>', t._typeset_text(text, context))
    assert kept("เมืองพอร์ตแบลร์ (Port Blair) ของอินเดีย") == ["(Port Blair)"]
    assert kept("เมืองโกตากินะบะลู (Kota Kinabalu) รัฐซาบาห์") == ["(Kota Kinabalu)"]
    assert kept("หน้าของ Hua Hin Today และ Royal Thai Embassy, Washington D.C. ระบุ") == [
        "Hua Hin Today", "Royal Thai Embassy", "Washington D.C."]
    assert kept("ตามเกณฑ์ (WCAG 3.1.2) และรหัส ISO 3166-1 alpha-2") == ["(WCAG 3.1.2)", "ISO 3166-1"]
    assert kept("ญี่ปุ่น (八千代市) / City of Yachiyo ระบุ") == ["City of Yachiyo"]          # between other scripts
    assert kept("ข่าว The Friendship City Status Between Penang and Phuket ระบุ") == []  # a title: may break
    assert kept("ข่าว Austin and Chiang Mai sign New Sister City Partnership") == []
    assert kept("(media release) ของจังหวัด") == []
    assert kept("Kota Kinabalu (Port Blair)", "en") == []


# Latin names inside Thai text (portal/typeset.py LATIN_NAME_RE, data/keep_together.txt), measured with
# the text column at every width from 220 to 360 px, so that each name comes to a line's end somewhere.
LATIN_NAMES = [
    ("/th/pairs/phuket-port-blair/", r"\(Port Blair\)", 1),
    ("/th/pairs/ratchaburi-kota-kinabalu/", "Kota Kinabalu", 1),
    ("/th/pairs/prachuap-khiri-khan-leshan/", "Hua Hin Today", 1),
    ("/th/pairs/chiang-mai-hokkaido/", r"\(Hokkaido Government", 1),
    ("/th/handbook/", r"\(Friendship Cities\)|European Commission|track 1\.5|Think Globally", 4),
    ("/th/plan/", "CLMVT Forum 2018|Sustainable Development Goals", 2),
    ("/th/since-the-list/", r"Hua Hin Today|\(Vietnam News Agency\)", 2),
]


@pytest.mark.parametrize("url, pattern, at_least", LATIN_NAMES, ids=[c[0] for c in LATIN_NAMES])
def test_a_latin_name_in_thai_text_never_breaks_at_any_phone_width(served, shared_page, url, pattern, at_least):
    base, _samples = served
    page = shared_page(360, 800)
    open_page(page, base, url)
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
    broken = set()
    for width in range(220, 361, 6):
        page.evaluate(f"document.querySelector('main').style.width = '{width}px'")
        found = [f for f in page.evaluate(LINES_OF, ["main", pattern]) if f[1] > 0]
        assert len(found) >= at_least, f"{url} at {width} px: {len(found)} of {pattern!r} shown"
        broken |= {(text, width) for text, lines, _w in found if lines != 1}
    page.evaluate("document.querySelector('main').style.width = ''")
    assert not broken, f"{url}: broken across lines (name, column width): {sorted(broken)[:10]}"
