"""Write data/thai_breaks.txt: where Chromium would break the site's Thai text inside a word that
PyThaiNLP's dictionary knows. Chromium's ICU dictionary is smaller (it breaks พื้น|ฐาน, ขับ|เคลื่อน,
บันทึก|ความเข้าใจ) and sometimes cuts a known word wrongly in context (กา|รบูรณาการ for
การ|บูรณาการ). portal/typeset.py keeps exactly these words, or pairs of words, in no-break spans,
so a page pays only for the words that need it.

Run after `python build.py build`, whenever the content or the data gain Thai text:

    .venv/bin/python scripts/thai_breaks.py

It reads the built site/, cuts each Thai text into words as typesetting does
(portal/typeset.thai_words_of: PyThaiNLP's newmm), and asks Chromium (Intl.Segmenter, the same
ICU dictionary its line breaker uses) where it would cut the same text. A word Chromium cuts
inside even on its own is listed alone; a word it cuts only in context is listed with the
neighbour its wrong cut runs into ("การ บูรณาการ"). tests/test_line_breaking.py measures the
result on real pages.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from portal.typeset import thai_words_of  # noqa: E402  (the segmentation typesetting uses)

OUT = ROOT / "data" / "thai_breaks.txt"
THAI_WORD = re.compile("[\u0e01-\u0e4e]{2,}")
THAI_RUN = re.compile(r"[\u0e00-\u0e7f](?:[\s0-9.,:;\-–/]*[\u0e00-\u0e7f])*")   # as portal/typeset.RUN_RE
TEXT = re.compile(r">([^<]*[\u0e01-\u0e4e][^<]*)<")
HEADER = """\
# Where Chromium would break Thai text inside a word PyThaiNLP's dictionary knows (or a name): a word it cuts,
# or two words ("การ บูรณาการ") it cuts between wrongly. portal/typeset.py keeps each on one line.
# Written by scripts/thai_breaks.py from the built site's text; one entry a line.
"""
SEGMENT = """(texts) => {
  const seg = new Intl.Segmenter('th', {granularity: 'word'});
  return texts.map(t => [...seg.segment(t)].map(s => s.index).slice(1));
}"""


def site_runs(site: Path) -> set[str]:
    """Every run of Thai text in the built pages (no markup), cut as typesetting cuts it."""
    runs: set[str] = set()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        body = re.sub(r"<(script|style|svg)\b.*?</\1>", "", html[html.find("<body"):], flags=re.S)
        for text in TEXT.findall(re.sub(r"</?span\b[^>]*>", "", body)):
            runs.update(THAI_RUN.findall(text))
    return runs


def entries(runs: list[str], boundaries: list[list[int]], alone: set[str]) -> set[str]:
    out: set[str] = set()
    for run, cuts in zip(runs, boundaries):
        words, pos = [], 0
        for w in thai_words_of(run):
            start = run.find(w, pos)
            words.append((w, start, start + len(w)))
            pos = start + len(w)
        cuts_set = set(cuts)
        for i, (w, a, b) in enumerate(words):
            if not THAI_WORD.fullmatch(w) or not any(a < c < b for c in cuts):
                continue
            # A word Chromium cuts on its own is listed alone; one it cuts only here (จัง|หวัดเถื่อเทียน)
            # with the word its cut runs into, or else the next one: จังหวัด is kept whole only there.
            if w in alone:
                out.add(w)
            elif i + 1 < len(words) and (b not in cuts_set or a in cuts_set or i == 0):
                out.add(f"{w} {words[i + 1][0]}")
            elif i > 0:
                out.add(f"{words[i - 1][0]} {w}")
            else:
                out.add(w)
    return out


def main() -> int:
    site = ROOT / "site"
    if not (site / "th" / "index.html").exists():
        print("scripts/thai_breaks.py: build the site first (python build.py build)", file=sys.stderr)
        return 1
    runs = sorted(site_runs(site))
    words = sorted({w for run in runs for w in thai_words_of(run) if THAI_WORD.fullmatch(w)})
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        alone = {w for w, cuts in zip(words, page.evaluate(SEGMENT, words)) if cuts}
        boundaries = page.evaluate(SEGMENT, runs)
        browser.close()
    found = sorted(entries(runs, boundaries, alone))
    OUT.write_text(HEADER + "\n".join(found) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(found)} entries ({sum(' ' in e for e in found)} pairs) "
          f"for the site's {len(words)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
