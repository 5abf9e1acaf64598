"""The plan and the handbook: anchors that never break, links checked at build time, print styles."""
from __future__ import annotations

import re

import pytest
import yaml

from portal.errors import BuildError
from portal.site import build, gather
from conftest import ROOT

DOCS = ("plan", "handbook")


def anchors_in(html: str) -> set[str]:
    return set(re.findall(r'<h[2-4][^>]*\bid="([^"]+)"', html)) | set(re.findall(r'<span id="([^"]+)" class="alias">', html))


@pytest.mark.parametrize("name", DOCS)
def test_both_languages_have_the_same_section_anchors(page, name):
    th, en = anchors_in(page(f"/th/{name}/")), anchors_in(page(f"/en/{name}/"))
    assert th == en
    assert len(th) > 20


@pytest.mark.parametrize("name", DOCS)
def test_no_published_anchor_has_disappeared(page, name):
    published = yaml.safe_load((ROOT / "data" / "anchors.yaml").read_text(encoding="utf-8"))[name]
    for lang in ("th", "en"):
        html = page(f"/{lang}/{name}/")
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        assert set(published) <= ids, f"/{lang}/{name}/ lost {sorted(set(published) - ids)}"


def test_plan_has_every_numbered_section(page):
    ids = anchors_in(page("/th/plan/"))
    expected = {"transmittal", "s1", "s2", "s3", "s4", "s5", "goal", "indicators", "annex",
                *(f"s4-{i}" for i in range(1, 6)), *(f"s5-{i}" for i in range(1, 6)),
                *(f"approach-{i}" for i in range(1, 4))}
    assert expected <= ids


def test_headings_show_a_permalink_to_themselves(page):
    html = page("/en/handbook/")
    assert re.search(r'<h2 id="step-2">.*?<a class="permalink" href="/en/handbook/#step-2"', html, re.S)


def test_annex_is_generated_from_the_registry_and_links_every_pair(page, built):
    for lang in ("th", "en"):
        html = page(f"/{lang}/plan/")
        for pair in built_pairs(built):
            assert f'href="/{lang}/pairs/{pair}/"' in html


def built_pairs(built):
    return [p.context["pair"].id for p in built.pages if p.kind == "pair" and p.lang == "th"]


def test_counts_block_shows_letters_beside_the_list(page):
    html = page("/en/plan/")
    assert "Stated in the letters" in html and "Counted in the list" in html
    assert "[[counts]]" not in html and "[[annex]]" not in html


def test_a_link_to_a_missing_section_fails_the_build_with_file_and_line(project):
    md = project / "content" / "en" / "handbook.md"
    text = md.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, l in enumerate(lines) if l.startswith("## ") and i > 5)
    lines.insert(target + 1, "\nSee [nowhere](/plan/#s99) and [no page](/nowhere/).\n")
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(project, project / "site")
    messages = [str(p) for p in err.value.problems]
    line = target + 3
    assert f"content/en/handbook.md:{line}: link '/en/plan/#s99': the page has no section #s99" in messages
    assert f"content/en/handbook.md:{line}: link '/en/nowhere/' leads to no page" in messages
    assert not (project / "site").exists()


def test_removing_a_published_section_fails_the_build(project):
    for lang in ("th", "en"):
        md = project / "content" / lang / "plan.md"
        md.write_text(md.read_text(encoding="utf-8").replace("{#s4-5}", "{#s4-6}"), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    messages = [str(p) for p in err.value.problems]
    assert any(m.startswith("content/th/plan.md: published anchor '#s4-5'") for m in messages)
    assert any("anchor 's4-6' of content/th/plan.md is not listed" in m for m in messages)


def test_a_renamed_section_keeps_its_old_anchor_as_an_alias(project):
    for lang in ("th", "en"):
        md = project / "content" / lang / "plan.md"
        md.write_text(md.read_text(encoding="utf-8").replace("{#s4-5}", '{#s4-5-new data-alias="s4-5"}'), encoding="utf-8")
    anchors = project / "data" / "anchors.yaml"
    data = yaml.safe_load(anchors.read_text(encoding="utf-8"))
    data["plan"].append("s4-5-new")
    anchors.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = build(project, project / "site")
    html = result.outputs["en/plan/index.html"].decode()
    assert 'id="s4-5-new"' in html and '<span id="s4-5" class="alias"></span>' in html


def test_sections_differ_between_languages_is_an_error(project):
    md = project / "content" / "en" / "handbook.md"
    md.write_text(md.read_text(encoding="utf-8").replace("{#step-4-4}", "{#step-4-5}"), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    messages = [str(p) for p in err.value.problems]
    assert "content/en/handbook.md: section anchor 'step-4-4' of content/th/handbook.md is missing here: both languages have the same sections" in messages


def test_last_updated_comes_from_the_content(page):
    # one date for the document in both languages (issue 16 item 24), from its front matter
    dates = {lang: re.search(r"^updated: (\S+)$", (ROOT / "content" / lang / "plan.md").read_text(encoding="utf-8"), re.M).group(1)
             for lang in ("th", "en")}
    assert dates["th"] == dates["en"]
    assert f'Last updated <time datetime="{dates["en"]}">' in page("/en/plan/")
    assert f'ปรับปรุงล่าสุด <time datetime="{dates["th"]}">' in page("/th/plan/")


def test_print_stylesheet_hides_navigation_and_prints_section_addresses(outputs):
    css = outputs["static/css/site.css"].decode()
    block = css[css.index("@media print"):]
    assert "@page { size: A4" in block
    assert ".site-header" in block and "display: none" in block
    assert ".permalink::after { content: attr(href); }" in block


# The annex's editor's note: what the annex shows otherwise than the ministry printed it (issue 11 §2).

def printed_numbers() -> dict[str, tuple[str, str]]:
    """Every record whose printed number (source.row) is not the number the annex shows: id → (printed, shown)."""
    from portal import thai
    out = {}
    for rec in yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8")):
        y, n = re.match(r"\s*([๐-๙0-9]+)\s*/\s*([๐-๙0-9]+)", rec["source"]["row"]).groups()
        printed = f"{int(thai.arabic_digits(y))}/{int(thai.arabic_digits(n))}"
        shown = f"{rec['year_be'] % 100}/{rec['list_no']}"
        if printed != shown:
            out[rec["id"]] = (printed, shown)
    return out


def test_annex_note_lists_every_renumbered_row_in_both_languages(page):
    from portal import thai
    renumbered = printed_numbers()
    assert renumbered["samut-sakhon-qinzhou"] == ("50/55", "50/45")   # the example the reader found
    for lang in ("th", "en"):
        html = page(f"/{lang}/plan/")
        note = html[html.index('id="annex-changes"'):html.index('<div class="annex">')]
        assert "annex-changes" in html[html.index('id="annex"'):]       # under the annex heading
        for pair_id, (printed, shown) in renumbered.items():
            if lang == "th":
                printed, shown = thai.thai_digits(printed), thai.thai_digits(shown)
            assert re.search(rf'<a href="/{lang}/pairs/{pair_id}/">{printed} → {shown} ', note), (lang, pair_id)
            row = re.search(rf'<li value="\d+"><a href="/{lang}/pairs/{pair_id}/">.*?</li>', html).group(0)
            assert printed in row, f"{lang}: the annex row of {pair_id} does not show its printed number"


def test_annex_note_shows_the_printed_row_of_each_renamed_pair(page):
    for lang, says in (("th", "หน้าของแต่ละคู่แสดงแถวนั้นตามที่พิมพ์ไว้"), ("en", "Every pair page shows its row exactly as printed")):
        html = page(f"/{lang}/plan/")
        note = html[html.index('id="annex-changes"'):html.index('<div class="annex">')]
        assert says in re.sub(r'<span class="nw">|</span>', "", note)   # (read through the no-break spans)
        # Toronto is printed as a state (มลรัฐโตรอนโต); the annex names the city, and the note says so
        toronto = re.search(r'<tr><td[^>]*><a href="/%s/pairs/chiang-mai-toronto/">.*?</tr>' % lang, note).group(0)
        assert "มลรัฐโตรอนโต" in re.sub(r'<span class="nw">|</span>', "", toronto)
        assert 'href="/%s/pairs/chiang-mai-uozu/"' % lang in note   # spelling mended (ยูโอซู → อูโอซุ)
        assert 'href="/%s/pairs/phuket-nice/"' % lang not in note   # printed as shown: not listed


# The handbook as steps an official follows (issue 11 §1), and its quotations (issue 11 §2).

import os
from pathlib import Path

SEEDS = Path(os.environ.get("SEEDS", ROOT.parent / "shared" / "seeds"))
CURLY = re.compile(r"“([^”]+)”")
STRAIGHT = re.compile(r'"([^"]+)"')


def prose(path: Path) -> str:
    """A content file's text without front matter, HTML tags or {: attribute} blocks, one space for any run of spaces."""
    text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    text = re.sub(r"</?(?:span|a|em|strong|q)\b[^>]*>", "", text)   # inline marks: the words run on
    text = re.sub(r"<[^>]+>|\{[:#][^}]*\}", " ", text)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("lang", ("th", "en"))
def test_every_quotation_of_the_plan_is_the_plan_pages_own_words(lang):
    """“Curly” quotations in the handbook quote the plan page of the same language word for word."""
    plan = prose(ROOT / "content" / lang / "plan.md")
    quotes = [q for q in CURLY.findall(prose(ROOT / "content" / lang / "handbook.md")) if q != "…"]
    assert len(quotes) >= 40
    missing = [q for q in quotes if q.strip() not in plan]
    assert not missing, f"{lang}: quoted as the plan but not in content/{lang}/plan.md: {missing}"


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents (shared/seeds) are not beside this checkout")
@pytest.mark.parametrize("lang", ("th", "en"))
def test_every_straight_quotation_is_in_a_source_document_as_printed(lang):
    """"Straight" quotations are the documents' own words (Thai, or English as printed): found in a seed,
    or in the Thai plan page (the plan's transcription), spacing and Markdown marks aside."""
    def bare(text: str) -> str:
        return re.sub(r"[\s#*|“”]+|</?b>", "", text)
    sources = "".join(bare(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")))
    sources += bare(prose(ROOT / "content" / "th" / "plan.md"))
    quotes = [q for q in STRAIGHT.findall(prose(ROOT / "content" / lang / "handbook.md")) if q != "…"]
    assert len(quotes) >= 50
    missing = [q for q in quotes if bare(q) not in sources]
    assert not missing, f"{lang}: quoted as printed but in no source document: {missing}"


@pytest.mark.parametrize("lang", ("th", "en"))
def test_handbook_is_four_steps_each_ending_in_a_checklist(page, lang):
    html = page(f"/{lang}/handbook/")
    steps = [html.index(f'<h2 id="step-{n}"') for n in range(1, 5)] + [html.index('<h2 id="background"')]
    for n in range(4):
        assert '<div class="checklist">' in html[steps[n]:steps[n + 1]], f"{lang}: step {n + 1} has no checklist"
    # the stages pair pages link to (#s5) are the proposal-to-signature step, signing its own section
    assert re.search(r'<h2 id="step-2"><span id="s5" class="alias"></span>', html)
    assert re.search(r'<h3 id="step-2-6"><span id="s5-4" class="alias"></span>(การลงนาม|2\.6 Signing|๒\.๖ การลงนาม)',
                     re.sub(r'<span class="nw">([^<]*)</span>', r"\1", html))   # (read through the no-break spans)


@pytest.mark.parametrize("lang,ask", (("th", "สอบถาม:"), ("en", "Ask:")))
def test_each_silence_of_the_sources_says_whom_to_ask(page, lang, ask):
    html = page(f"/{lang}/handbook/")
    silences = re.findall(r'<p class="ask">(.*?)</p>', html, re.S)
    assert len(silences) >= 20
    assert all(ask in s for s in silences)
    text = re.sub(r"<[^>]+>", "", html)
    for old in ("do not say", "does not say", "say nothing", "ไม่ได้กล่าวไว้", "ไม่ได้บอก"):
        assert old not in text, f"{lang}: '{old}' left outside the one-line silences"


def test_handbook_gives_the_lists_29_provinces_and_links_the_comparison(page):
    for lang, n in (("th", "๒๙"), ("en", "29")):
        html = page(f"/{lang}/handbook/")
        part = html[html.index('id="background-2"'):html.index('id="background-3"')]
        assert n in part and f'href="/{lang}/stats/#stated"' in part


def test_element_ids_are_the_id_attributes_and_only_those(outputs):
    """links.element_ids, which every link check and anchor list uses, finds each id="…" after the
    space before it (a tag written over lines too), not data-id="…", and on every page of the site
    finds what the plain pattern (links.ID_ATTR_RE, which short attribute strings are searched with)
    finds: the two spellings of the one rule cannot drift apart."""
    from portal import links
    assert links.element_ids('<p id="a" data-id="b" aria-id="c">\n<span\nid="d">x</span>') == ["a", "d"]
    plain = links.ID_ATTR_RE
    pages = [data.decode() for rel, data in outputs.items() if rel.endswith(".html")]
    assert len(pages) > 600
    for html in pages:
        assert links.element_ids(html) == plain.findall(html) == links.element_ids(html.encode())
