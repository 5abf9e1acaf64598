"""Language of parts (WCAG 3.1.2) on every built page, and the pass that tags them (portal/typeset.py).

The walk classifies characters by their Unicode names, independently of the ranges the pass uses,
so a script the pass forgets is caught. Checked: the text of <body> and <title> and the attributes
a person sees or hears (alt, title, aria-label, aria-description, placeholder, value of buttons);
not <script>/<style> or the <head>'s meta content, which no assistive technology reads in place
(and which cannot carry a lang of their own).
"""
from __future__ import annotations

import functools
import unicodedata
from html.parser import HTMLParser

import pytest

# script (as Unicode names it) → languages written in it; a run is in place only inside an element
# whose lang's primary subtag is one of these.
SCRIPT_LANGS = {
    "THAI": {"th"}, "CJK": {"zh", "ja", "ko"}, "HIRAGANA": {"ja"}, "KATAKANA": {"ja"}, "HANGUL": {"ko"},
    "KHMER": {"km"}, "LAO": {"lo"}, "MYANMAR": {"my", "shn", "ksw"}, "TIBETAN": {"bo", "dz"},
    "CYRILLIC": {"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg"},
    "DEVANAGARI": {"hi", "ne", "mr", "sa"}, "BENGALI": {"bn", "as"},
    "VIETNAMESE": {"vi"},   # Latin letters that, of the site's languages, only Vietnamese writes
}
# Those letters by their Unicode names: the horned o and u, the barred d, the breve a, and the vowels
# with a hook above or a dot below or two marks (ấ, ặ).
VIETNAMESE_MARKS = ("WITH HORN", "D WITH STROKE", "A WITH BREVE", "WITH HOOK ABOVE", "WITH DOT BELOW",
                    "WITH CIRCUMFLEX AND", "WITH BREVE AND")
SHOWN_ATTRS = {"alt", "title", "aria-label", "aria-description", "placeholder"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@functools.lru_cache(maxsize=None)
def script_of(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH")):
        return "CJK"
    if name.startswith("LATIN") and any(mark in name for mark in VIETNAMESE_MARKS):
        return "VIETNAMESE"
    first = name.split(" ", 1)[0]
    return first if first in SCRIPT_LANGS else None


class LangWalk(HTMLParser):
    """Every run of a script outside an element whose lang fits it: (script, lang in force, where, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.skip = 0
        self.misplaced: list[tuple[str, str, str, str]] = []

    def lang(self) -> str:
        return next((lang for _tag, lang in reversed(self.stack) if lang is not None), "")

    def check(self, text: str, lang: str, where: str) -> None:
        primary = lang.split("-")[0].lower()
        for ch in text:
            if ch.isascii():
                continue
            script = script_of(ch)
            if script and primary not in SCRIPT_LANGS[script]:
                self.misplaced.append((script, lang, where, text.strip()[:60]))
                return

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = a.get("lang", self.lang()) or ""
        for name, value in attrs:
            if value and (name in SHOWN_ATTRS or (name == "value" and tag in ("button", "input")
                                                  and a.get("type") in ("button", "submit", "reset"))):
                self.check(value, lang, f"<{tag} {name}>")
        if tag not in VOID:
            self.stack.append((tag, a.get("lang")))
            self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                self.skip -= sum(t in ("script", "style") for t, _ in self.stack[i:])
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.check(data, self.lang(), f"<{self.stack[-1][0] if self.stack else '?'}>")


def misplaced_runs(html: str):
    walk = LangWalk()
    walk.feed(html)
    walk.close()
    return walk.misplaced


def test_every_page_tags_text_in_another_script_with_its_language(outputs):
    pages = {rel: body for rel, body in outputs.items() if rel.endswith(".html")}
    assert len(pages) > 400
    found = {rel: runs for rel in sorted(pages) if (runs := misplaced_runs(pages[rel].decode("utf-8")))}
    report = "\n".join(f"site/{rel}: {script} text in lang={lang!r} {where}: {text!r}"
                       for rel, runs in list(found.items())[:20] for script, lang, where, text in runs[:3])
    assert not found, f"{sum(map(len, found.values()))} runs on {len(found)} pages lack their lang:\n{report}"


def test_the_walk_finds_what_it_should():
    # A test of the test: each of these must be reported, each of the others must not.
    assert misplaced_runs('<html lang="en"><body><p>Uozu (魚津市)</p></body></html>')
    assert misplaced_runs('<html lang="en"><body><p>the list spells เมืองยูโอซู</p></body></html>')
    assert misplaced_runs('<html lang="th"><body><p><span lang="zh-Hans">昆明</span> 서울</p></body></html>')
    assert misplaced_runs('<html lang="en"><body><a aria-label="Link: รอลงนาม">#</a></body></html>')
    assert misplaced_runs('<html lang="th"><body><p lang="ja">Находка</p></body></html>')
    assert misplaced_runs('<html lang="en"><body><p>capital city of Quảng Bình</p></body></html>')
    assert not misplaced_runs('<html lang="en"><body><p>of <span lang="vi">Quảng Bình</span> (Kiên Giang, Hue)</p></body></html>')
    assert not misplaced_runs('<html lang="en"><body><p>the list spells <span lang="th">เมือง<b>ยูโอซู</b></span>'
                              '</p><script>var x = "ไทย"</script></body></html>')
    assert not misplaced_runs('<html lang="th"><body><p>เมืองอูโอซุ <span lang="ja">魚津市</span>'
                              '<img src="x.png" alt="แผนที่"></p></body></html>')


# ---------------------------------------------------------------- the pass itself

@pytest.fixture(scope="module")
def typesetter():
    from portal.load import load_registry
    from portal.errors import Problems
    from portal.typeset import Typesetter
    from conftest import ROOT
    problems = Problems()
    registry = load_registry(ROOT / "data", problems)
    problems.raise_if_any()
    return Typesetter(registry)


def page(lang: str, body: str) -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>ไทย 中文</title></head><body>{body}</body></html>'


def test_the_language_of_a_run_comes_from_the_data_then_the_script(typesetter):
    out = typesetter.page(page("en", "<p>Uozu (魚津市), Kunming (昆明市), ひらがな漢字, 서울, Находка, ປາກເຊ, कोई</p>"))
    assert '<span lang="ja">魚津市</span>' in out            # the record's lang
    assert '<span lang="zh-Hans">昆明市</span>' in out       # the record's lang
    assert '<span lang="ja">ひらがな漢字</span>' in out      # Kana beside Han: Japanese
    assert '<span lang="ko">서울</span>' in out
    assert '<span lang="ru">Находка</span>' in out
    assert '<span lang="lo">ປາກເຊ</span>' in out
    assert '<span lang="hi">कोई</span>' in out
    assert "<title>ไทย 中文</title>" in out                  # the head is left as it is
    assert not misplaced_runs(out.split("</head>")[1])


def test_thai_is_tagged_on_english_pages_only_where_untagged(typesetter):
    out = typesetter.page(page("en", '<p>The list spells เมืองยูโอซู (and จังหวัด โทยามะ).</p>'
                                     '<dd lang="th">เชียงใหม่</dd><span class="native" lang="ja">魚津市</span>'
                                     '<a title="ภาษาไทย" href="/x">x</a><script>"ไทย"</script>'))
    assert '<span lang="th">เมืองยูโอซู</span>' in out
    assert '<span lang="th">จังหวัด <span class="nw">โทยามะ</span></span>' in out    # a run goes on across spaces
    assert '<dd lang="th"><span class="nw">เชียงใหม่</span></dd>' in out   # already tagged: not again
    assert '<span class="native" lang="ja">魚津市</span>' in out
    assert 'title="ภาษาไทย"' in out and '<script>"ไทย"</script>' in out   # attributes and scripts untouched


def test_thai_names_eras_and_counts_are_kept_on_one_line(typesetter):
    out = typesetter.page(page("th", "<header><span>ความสัมพันธ์เมืองพี่เมืองน้องในระดับจังหวัด</span></header>"
                                     "<td>พ.ศ. ๒๕๓๒</td><p>มี ๓ คู่ ลงนาม ๒๗ ส.ค. ๒๕๖๑ กับเมืองอูโอซุ จังหวัดโทยามะ</p>"))
    assert '<span class="nw">เมืองพี่เมืองน้อง</span>' in out
    assert '<td><span class="nw">พ.ศ. ๒๕๓๒</span></td>' in out
    assert '<span class="nw">๓ คู่</span>' in out
    assert '<span class="nw">ส.ค. ๒๕๖๑</span>' in out
    assert 'เมือง<span class="nw">อูโอซุ</span>' in out      # the name, not the word for "city"
    dated = typesetter.page(page("th", "<p>สถานะ ณ ๔ มกราคม ๒๕๖๒ และเดือนมีนาคม ๒๕๖๑</p>"))
    assert '<span class="nw">๔ มกราคม ๒๕๖๒</span>' in dated and '<span class="nw">มีนาคม ๒๕๖๑</span>' in dated   # a date whole
    assert 'lang=' not in out.split("<body>")[1]   # Thai on a Thai page needs no tag


def test_a_latin_own_name_in_thai_text_says_its_language(typesetter):
    """A partner's own name in Latin letters (Vietnamese: Cần Thơ) quoted in a Thai note is read in
    its language, as the data gives it; a Latin name the data does not give stays untagged."""
    out = typesetter.page(page("th", "<p>ปรับเป็น นครเกิ่นเทอ (Cần Thơ) ซึ่งเป็นนคร และ Chiang Mai</p>"
                                     "<p>ภาษาไทย 中文 (Đồng Nai)</p>"))
    assert '<span class="nw" lang="vi">(Cần Thơ)</span>' in out
    assert '<span class="nw" lang="vi">(Đồng Nai)</span>' in out          # beside another script too
    assert '<span class="nw">Chiang Mai</span>' in out                    # (no lang: the data gives none)


def test_english_dates_are_kept_whole_in_text_not_in_attributes(typesetter):
    out = typesetter.page(page("en", '<p title="4 January 2019">as of 4 January 2019, since August 1989'
                                     ' and 1994 May 2019; Mayday 2019, Earth Day 2019; the list of 4 Jan 2019</p><svg><text>4 January 2019</text></svg>'))
    assert 'title="4 January 2019"' in out                                 # an attribute is left alone
    assert 'as of <span class="nw">4 January 2019</span>,' in out
    assert 'since <span class="nw">August 1989</span>' in out
    assert 'the list of <span class="nw">4 Jan 2019</span>' in out            # the month short, as strings write it
    assert '1994 <span class="nw">May 2019</span>' in out and "Mayday 2019" in out and "Earth Day 2019" in out
    assert "<text>4 January 2019</text>" in out                            # nor an SVG's text
    assert 'class="nw"' not in typesetter.page(page("th", "<p>as of 4 January 2019</p>"))   # (Thai pages: Thai dates)


def test_vietnamese_in_latin_letters_is_tagged_as_whole_names_and_titles(typesetter):
    """Vietnamese has no script of its own: it is found by the letters only it writes, as whole
    names (Tam Kỳ, Quảng Nam), without the English word before one, and a Vietnamese title whole."""
    out = typesetter.page(page("en", "<p>Coordinates are those of Tam Kỳ. In Quảng Trị, Cần Thơ to Đồng Hới "
                                     "(Quảng Nam, Quảng Ngãi and Kiên Giang).</p>"
                                     "<p><a href=\"/x\">Kết nghĩa giữa các địa phương: Minh chứng cho tình đoàn kết</a> · "
                                     "Sở Ngoại vụ tỉnh Quảng Trị (Quang Tri Department)</p>"))
    for name in ("Tam Kỳ", "Quảng Trị", "Cần Thơ", "Đồng Hới", "Quảng Nam", "Quảng Ngãi", "Sở Ngoại vụ tỉnh Quảng Trị",
                 "Kết nghĩa giữa các địa phương: Minh chứng cho tình đoàn kết"):
        assert f'<span lang="vi">{name}</span>' in out, name
    assert "In <span" in out and "Kiên Giang" in out and '<span lang="vi">Kiên' not in out  # (no letter of its own)
    assert not misplaced_runs('<html lang="en"><body>' + out.split("<body>")[1])
    thai = typesetter.page(page("th", "<p>ปรับเป็น ตามเอกสารของ Sở Ngoại vụ tỉnh Quảng Trị และ (Quảng Bình)</p>"))
    assert '<span lang="vi">Sở Ngoại vụ tỉnh Quảng Trị</span>' in thai           # (too long to keep on one line)
    assert '<span class="nw" lang="vi">(Quảng Bình)</span>' in thai              # (short: kept, brackets and all)


def test_a_text_takes_the_language_of_the_innermost_element_that_says_one(typesetter):
    """A quote in its own language (<blockquote lang="vi"><p>…) is left as it is, and Thai quoted on an
    English page inside an element that says th gets no second tag; an inner lang wins."""
    body = ('<blockquote lang="vi"><p>Ngày 13/3/2013, Sở Văn hóa tổ chức <b>lễ đón</b> Quảng Bình</p></blockquote>'
            '<blockquote lang="th"><p>๓๒/๑ จังหวัด<b>เชียงใหม่</b> – เมืองยูโอซู</p></blockquote>'
            '<blockquote lang="ko"><p>충청북도와 <i>태국</i> 7월</p></blockquote>'
            '<div lang="th"><p lang="en">the list spells เมืองยูโอซู</p><p>ไทย</p></div><p>then 中文</p>')
    out = typesetter.page(page("en", body))
    main = out.split("<body>")[1]
    assert main.count("<span lang=") == 2, main
    assert '<p lang="en">the list spells <span lang="th">' in main and '<p>then <span lang="zh">中文</span></p>' in main
    assert not misplaced_runs('<html lang="en"><body>' + main)
