"""Thai text ends a sentence with a space, or with nothing at the end of a paragraph, never with a
Western full stop (issue 18, second pass). Checked in the Thai fields of the curated files and the
Thai interface strings, and in the Thai pages as built (the templates join strings into sentences).
Left alone: abbreviations (พ.ศ., ม.ค., โทร.), a section's number (๑. บทนำ), English text, and what
quotes a source word for word (a report's title or quoted words, the ministry's printed rows)."""
from __future__ import annotations

import html
import re

import pytest
import yaml

from conftest import ROOT

FILES = ("events.yaml", "later_relations.yaml", "outside_sources.yaml", "offices.yaml", "strings/th.yaml")
# Fields that quote a source word for word (docs/DATA.md): never corrected, so never checked.
VERBATIM = {"title", "quote", "printed", "row", "publisher", "url"}
THAI = re.compile("[\u0e01-\u0e5b]")
# A full stop that ends something: after Thai (a letter, a digit, a closing bracket or quote after
# Thai), followed by a space or the end of the text.
STOP = re.compile("(?<=[\u0e01-\u0e5b)\u201d\u2019\"'])\\.(?=\\s|$)")
# Abbreviations: two or more short parts each with its dot (พ.ศ., ม.ค., เม.ย.), or one listed.
ABBREVIATION = re.compile("(?:^|[\\s(\u201c\"'\u2018/])(?:[\u0e01-\u0e4e]{1,4}\\.){2,}$|"
                          "(?:^|[\\s(\u201c\"'\u2018/])(?:จ|อ|ต|น|โทร|ผวจ|มท|สปป|กทม)\\.$")
# A section's or an item's number (๑. ๔.๒.): one or two digits, at the start or after a space.
NUMBER = re.compile("(?:^|\\s)[\u0e50-\u0e59]{1,2}(?:\\.[\u0e50-\u0e59]{1,2})*\\.$")


def thai_sentence_ends(text: str) -> list[str]:
    """Each Western full stop that ends a Thai sentence in `text`, with the words before it."""
    out = []
    for m in STOP.finditer(text):
        before = text[:m.end()]
        if ABBREVIATION.search(before) or NUMBER.search(before):
            continue
        if not THAI.search(text[max(0, m.start() - 3):m.start()]):
            continue                                # ")." or "”." after something else than Thai
        out.append(text[max(0, m.start() - 30):m.end()])
    return out


def test_the_check_finds_a_thai_full_stop_and_leaves_the_rest():
    assert thai_sentence_ends("เหตุการณ์ที่บันทึกไว้ พร้อมแหล่งที่มา. ทุกรายการ")
    assert thai_sentence_ends("เหตุการณ์ล่าสุดที่บันทึก กุมภาพันธ์ ๒๕๖๙.")
    assert thai_sentence_ends("ลงนามแล้ว (ไม่ระบุวันที่).")
    assert thai_sentence_ends("ทั้งหมด ๕ คู่.")
    for fine in ("บัญชี ณ ๔ ม.ค. ๒๕๖๒ ระบุ", "แผนขับเคลื่อน พ.ศ. ๒๕๖๒–๒๕๖๖", "ดูข้อ ๑. บทนำ", "๔.๒. กลไก",
                 "ส่วนราชการ โทร. ๐ ๒๒๒๔ ๖๑๕๐", "Washington D.C.", "It ends here.", "ไม่มีจุด"):
        assert not thai_sentence_ends(fine), fine


def thai_fields(node, path=()):
    """(path, text) of every text in `node` that is Thai and not a verbatim quotation."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in VERBATIM or key == "en" or str(key).endswith("_en"):
                continue
            yield from thai_fields(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from thai_fields(value, (*path, str(i)))
    elif isinstance(node, str) and THAI.search(node):
        yield ".".join(path), node


@pytest.mark.parametrize("name", FILES)
def test_no_thai_field_ends_a_sentence_with_a_full_stop(name):
    data = yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))
    found = [(where, stop) for where, text in thai_fields(data) for stop in thai_sentence_ends(text)]
    assert not found, f"data/{name}: a Thai sentence ends with '.': {found[:10]}"


BLOCK = re.compile(r"<(p|li|dd|dt|td|th|figcaption|caption|h[1-4])\b[^>]*>(.*?)</\1>", re.S)
OTHER_LANGUAGE = re.compile(r'<(span|q|cite|blockquote|a|p)\b[^>]*\blang="(?!th)[^"]*"[^>]*>.*?</\1>', re.S)


@pytest.mark.parametrize("url", ["/th/", "/th/provinces/chiang-mai/", "/th/pairs/phuket-xiamen/",
                                 "/th/pairs/chiang-mai-uozu/", "/th/since-the-list/", "/th/stats/", "/th/countries/japan/"])
def test_no_thai_sentence_on_a_page_ends_with_a_full_stop(page, url):
    """The templates too: a sentence they join from strings ends as the language does (sentence_end)."""
    main = page(url).split("<main", 1)[1].split("</main>", 1)[0]
    main = OTHER_LANGUAGE.sub(" ", main)
    found = []
    for _tag, inner in BLOCK.findall(main):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        found += thai_sentence_ends(text)
    assert not found, f"{url}: a Thai sentence ends with '.': {found[:10]}"
