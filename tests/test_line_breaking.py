"""Thai and CJK line breaking, measured in Chromium: the line boxes of a phrase (Range.getClientRects)
must all be on one line, at 360 px and at 1280 px. The phrases are found in the page's own text, so
the test follows the templates: the site name in the header, every year with its era in the Thai
pairs table, every count with its unit in the provinces index, a CJK name and a Thai name in a pair's
title. (Chromium breaks Thai by its own dictionary and ignores <wbr> and `word-break: keep-all` in
Thai: portal/typeset.py keeps these units in no-break spans.)"""
from __future__ import annotations

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

CASES = [
    # (URL, where, what: a regular expression, at least how many matches)
    ("/th/", ".site-header .brand", "เมืองพี่เมืองน้อง", 1),
    ("/th/pairs/", "main .pair-rows", "พ\\.ศ\\. [๐-๙]{4}", 100),
    ("/th/provinces/", "main", "[๐-๙]+ คู่", 50),
    ("/th/pairs/chiang-mai-kunming/", "main h1", "昆明市|คุนหมิง|ยูนนาน", 3),
    ("/th/pairs/chiang-mai-xishuangbanna/", "main h1", "สิบสองปันนา|西双版纳傣族自治州", 2),
    ("/en/pairs/chiang-mai-kunming/", "main h1", "昆明市", 1),
    ("/th/pairs/chiang-mai-uozu/", "main h1", "魚津市|อูโอซุ|โทยามะ", 3),
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
