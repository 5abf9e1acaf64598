"""Issue 18 (i18a): a page per handbook section and plan chapter (its own title, description, card,
previous/next, the whole document; printed alone with full link addresses; its address recorded
in data/section_pages.yaml), the "#" as the one copy-link control, search synonyms, search on /
and the 404 page's suggestion. In the built site and in Chromium, both languages."""
from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from browser import LANGS, SCREENSHOTS, chromium, new_page, open_page, served, shared_page  # noqa: F401  (fixtures)
from portal import pages, content, search, urls
from portal.errors import BuildError
from portal.site import build, gather

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = yaml.safe_load((ROOT / "data" / "section_pages.yaml").read_text(encoding="utf-8"))
META_RE = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"')
MOU_WORDS = ("MoU", "mou", "M.O.U.", "เอ็มโอยู", "บันทึกความเข้าใจ", "memorandum", "ลงนาม MoU")
SIGNING = "step-2-6"


def metas(text: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in META_RE.findall(text)}


@pytest.fixture(scope="module")
def model():
    return gather(ROOT)


def section_page_list(model, lang):
    return {name: content.section_pages(model.docs[(lang, name)]) for name in content.PAGE_LEVELS}


# --- the pages, in the built site ------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_numbered_section_has_its_own_page_title_url_and_card(built, model, lang):
    base = model.site["base_url"]
    for name, parts in section_page_list(model, lang).items():
        doc = model.docs[(lang, name)]
        numbered = [s for s in doc.sections if s.level in content.PAGE_LEVELS[name]]
        assert [p.anchor for p in parts] == [s.anchor for s in numbered]
        assert [p.anchor for p in parts] == PUBLISHED[name]   # every address recorded, in reading order
        for i, part in enumerate(parts):
            url = urls.section(lang, name, part.anchor)
            text = built.outputs[urls.output_path(url)].decode()
            m = metas(text)
            # (on an English page, without the Thai term in brackets: a title cannot mark its language)
            assert m["og:title"].startswith(pages._plain_title(part.section.title, lang)), url
            assert m["og:url"] == base + url and f'<link rel="canonical" href="{base}{url}">' in text
            card = f"og/{lang}/sec-{name}-{part.anchor}.png"
            assert m["og:image"] == f"{base}/{card}" and built.outputs[card][:4] == b"\x89PNG", url
            assert m["og:description"] and m["og:description"] != doc.description, url
            h1 = re.search(r"<h1 id=\"([^\"]+)\">(.*?)</h1>", text, re.S)
            assert h1 and h1.group(1) == part.anchor and html.unescape(re.sub(r"<[^>]+>", "", h1.group(2))) == part.section.title
            for alias in part.section.aliases:   # an old anchor works on the section's page too
                assert f'id="{alias}"' in h1.group(2)
            # previous / next in reading order, and the whole document at this section
            if i:
                assert f'<a href="{urls.section(lang, name, parts[i - 1].anchor)}" rel="prev">' in text
            if i + 1 < len(parts):
                assert f'<a href="{urls.section(lang, name, parts[i + 1].anchor)}" rel="next">' in text
            assert f'<a href="{urls.document(lang, name)}#{part.anchor}">' in text
            # only its own section: the next section's heading is not on it
            if i + 1 < len(parts):
                assert f'id="{parts[i + 1].anchor}"' not in text, url


def test_the_signing_section_page_reads_as_the_signing(page):
    th, en = page("/th/handbook/step-2-6/"), page("/en/handbook/step-2-6/")
    assert metas(th)["og:title"].startswith("๒.๖ การลงนาม") and metas(en)["og:title"].startswith("2.6 Signing")
    assert "<title>๒.๖ การลงนาม" in th and "<title>2.6 Signing" in en
    # links inside it lead to the pages of the sections they name
    assert '<a href="/en/handbook/step-3-4/">' in en


def test_a_chapter_page_lists_its_sections_and_headings_do_not_skip_levels(page):
    chapter = page("/en/handbook/step-2/")
    for k in range(1, 8):
        assert f'<a href="/en/handbook/step-2-{k}/">' in chapter
    plan = page("/en/plan/s4/")   # a plan chapter holds its subsections, one level up
    assert re.search(r'<h2 id="s4-2">', plan) and "<h3 id=\"s4-2\"" not in plan
    assert 'class="permalink" href="/en/plan/s4/#s4-2"' in plan
    annex = page("/th/plan/annex/")   # the generated list too
    assert re.search(r'<h2 id="annex-signed">', annex) and re.search(r'<h3 id="annex-signed-\d{4}">', annex)


def test_the_whole_documents_are_unchanged_and_their_permalinks_copy_the_section_page(page):
    for lang in LANGS:
        whole = page(f"/{lang}/handbook/")
        for name, anchors in yaml.safe_load((ROOT / "data" / "anchors.yaml").read_text(encoding="utf-8")).items():
            doc = page(f"/{lang}/{name}/")
            for a in anchors:
                assert f'id="{a}"' in doc, (lang, name, a)
        assert (f'<a class="permalink" href="/{lang}/handbook/#{SIGNING}" data-copy="/{lang}/handbook/{SIGNING}/">'
                in whole)


def test_section_pages_stay_under_50_kb_with_their_css(built):
    for rel, data in built.outputs.items():
        if not re.match(r"(th|en)/(plan|handbook)/[a-z0-9-]+/index\.html$", rel):
            continue
        sheets = re.findall(rb'<link rel="stylesheet" href="/([^"?]+)', data)
        total = len(gzip.compress(data)) + sum(len(gzip.compress(built.outputs[s.decode()])) for s in sheets)
        assert total < 50_000, (rel, total)


def test_no_copy_control_on_the_home_page_or_the_pairs_pages_year_headings(page):
    for lang in LANGS:
        assert 'class="permalink"' not in page(f"/{lang}/")
        pairs = page(f"/{lang}/pairs/")
        assert re.search(r'<h3 id="signed-\d{4}">', pairs)
        assert not re.search(r'<h3 id="(signed|in-progress)-\d{4}">[^\n]*class="permalink"', pairs)
        assert 'class="permalink" href="/%s/pairs/#signed"' % lang in pairs   # the status headings keep theirs


# --- the published addresses are kept -------------------------------------------------------------

def test_a_section_page_that_disappears_is_reported(project):
    listed = project / "data" / "section_pages.yaml"
    listed.write_text(listed.read_text(encoding="utf-8").replace("- step-4-4\n", "- step-4-4\n- step-4-9\n"), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    report = err.value.report()
    assert "content/th/handbook.md: published section page '/th/handbook/step-4-9/' (data/section_pages.yaml) has disappeared" in report
    assert "content/en/handbook.md: published section page '/en/handbook/step-4-9/'" in report


def test_a_new_section_must_be_listed(project):
    listed = project / "data" / "section_pages.yaml"
    listed.write_text(listed.read_text(encoding="utf-8").replace("- step-4-4\n", ""), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    assert "handbook: section 'step-4-4' of content/th/handbook.md has a page but is not listed" in err.value.report()


def test_a_section_that_moves_keeps_its_address(project):
    """2.6 renumbered (its anchor step-2-6 kept as an alias, as docs/CONTENT.md asks): its old
    address still answers, and leads to the new one."""
    for lang in LANGS:
        md = project / "content" / lang / "handbook.md"
        md.write_text(md.read_text(encoding="utf-8").replace('{#step-2-6 data-alias="s5-4"}', '{#step-2-9 data-alias="s5-4 step-2-6"}'),
                      encoding="utf-8")
    for name in ("anchors", "section_pages"):
        f = project / "data" / f"{name}.yaml"
        f.write_text(f.read_text(encoding="utf-8").replace("- step-2-7\n", "- step-2-7\n- step-2-9\n"), encoding="utf-8")
    result = build(project, project / "site")
    moved = result.outputs["th/handbook/step-2-6/index.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=/th/handbook/step-2-9/">' in moved
    assert '<a href="/th/handbook/step-2-9/">' in moved
    assert 'id="step-2-6"' in result.outputs["th/handbook/step-2-9/index.html"].decode()


# --- synonyms -------------------------------------------------------------------------------------

NODE = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const core = require(input.core);
const out = {};
for (const [lang, p] of Object.entries(input.indexes)) {
  const idx = core.prepare(JSON.parse(fs.readFileSync(p, "utf8")));
  out[lang] = input.queries.map(q => core.search(idx, q, {limit: 3}).results.map(r => r.url));
}
process.stdout.write(JSON.stringify(out));
"""


def test_every_mou_word_finds_the_signing_section_first(built, tmp_path):
    paths = {}
    for lang in LANGS:
        paths[lang] = str(tmp_path / f"{lang}.json")
        Path(paths[lang]).write_bytes(built.outputs[search.index_path(lang)])
    payload = {"core": str(ROOT / "static" / "js" / "search-core.js"), "indexes": paths, "queries": list(MOU_WORDS)}
    proc = subprocess.run([shutil.which("node"), "-e", NODE], input=json.dumps(payload), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    for lang in LANGS:
        for q, results in zip(MOU_WORDS, got[lang]):
            assert results and results[0] == urls.section(lang, "handbook", SIGNING), (lang, q, results)


def test_a_bad_synonym_is_reported_at_its_line(project):
    (project / "data" / "search_synonyms.yaml").write_text(
        "- words: [MoU]\n  targets: [handbook#step-2-6]\n  why: ok\n"
        "- words: [twin town]\n  targets: [handbook#no-such-section]\n  why: broken\n"
        "- words: []\n  targets: [/provinces/chiang-mai/]\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    report = err.value.report()
    assert "data/search_synonyms.yaml:4: entry 2: target 'handbook#no-such-section' is not a section" in report
    assert "data/search_synonyms.yaml:7: entry 3: words must be a list of words" in report
    assert "data/search_synonyms.yaml:7: entry 3: why is missing" in report


# --- in Chromium ----------------------------------------------------------------------------------

SHOWN = """sel => [...document.querySelectorAll(sel)].filter(e => getComputedStyle(e).display !== 'none'
              && e.getBoundingClientRect().height > 0 && e.checkVisibility()).length"""


@pytest.mark.parametrize("lang", LANGS)
def test_a_section_page_prints_alone_with_full_addresses(served, shared_page, model, lang):
    base, _ = served
    page = shared_page()
    open_page(page, base, f"/{lang}/handbook/{SIGNING}/")
    page.emulate_media(media="print")
    for sel in (".site-header", ".breadcrumbs", ".pager", ".footer-links", ".js-copy-page"):
        assert page.evaluate(SHOWN, sel) == 0, f"{sel} is printed"
    assert page.evaluate(SHOWN, "main h1, .doc-body, .print-url, .section-of") == 4   # (which document it is from)
    site = model.site["base_url"]
    after = page.evaluate("""() => [...document.querySelectorAll('.doc-body a[href^="/"]')]
                               .map(a => getComputedStyle(a, '::after').content)""")
    assert after and all(c.startswith(f'" <{site}/{lang}/') or c.startswith(f'" <" "{site}" "/{lang}/') or site in c
                         for c in after), after
    printed = page.evaluate("""() => [...document.querySelectorAll('.doc-body a[href^="/"]')].map(a =>
                                 getComputedStyle(a, '::after').content.replace(/"\\s*"/g, '').replace(/"/g, ''))""")
    assert all(p.startswith(f" <{site}/") for p in printed), printed
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the signing section prints on {pages} pages"


@pytest.mark.parametrize("lang", LANGS)
def test_copy_link_copies_the_section_pages_address(served, new_page, lang):
    base, _ = served
    page = new_page(width=360, height=740, permissions=["clipboard-read", "clipboard-write"], bypass_csp=False)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    open_page(page, base, f"/{lang}/handbook/{SIGNING}/")
    button = page.locator("button.js-copy-page")
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{base}/{lang}/handbook/{SIGNING}/"
    # on the whole handbook, the "#" of 2.6 copies the address of 2.6's own page
    open_page(page, base, f"/{lang}/handbook/")
    link = page.locator(f"#{SIGNING} a.permalink")
    link.click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{base}/{lang}/handbook/{SIGNING}/"
    assert page.locator(f"#{SIGNING} .copied-note").is_visible()
    assert page.locator(".copy-link").count() == 0   # one control per section: the "#"
    assert not violations, violations


@pytest.mark.parametrize("lang", LANGS)
def test_the_hash_never_sits_alone_on_a_line(served, shared_page, lang):
    base, _ = served
    page = shared_page(width=360, height=740)
    open_page(page, base, f"/{lang}/handbook/")
    alone = page.evaluate("""() => [...document.querySelectorAll('h2 > a.permalink, h3 > a.permalink, h4 > a.permalink')].filter(a => {
        const r = document.createRange();
        r.setStartBefore(a.parentNode.firstChild); r.setEndBefore(a);
        const rects = [...r.getClientRects()].filter(x => x.width > 0);
        if (!rects.length) return true;
        const last = rects[rects.length - 1], mine = a.getBoundingClientRect();
        return mine.top >= last.bottom - 2;   // the '#' starts below the title's last line
      }).map(a => a.parentNode.id)""")
    assert alone == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_a_section_page_the_landing_and_the_404_page(served, shared_page, lang, width):
    base, _ = served
    page = shared_page(width=width, height=800)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    open_page(page, base, f"/{lang}/handbook/{SIGNING}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SCREENSHOTS / f"i18a-section-{lang}-{width}.png"), full_page=True)
    open_page(page, base, f"/{lang}/plan/s4/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    open_page(page, base, "/chiang-mai" if lang == "th" else "/en/provinces/chiangmai/", status=404)
    page.locator("#not-found-suggest a").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SCREENSHOTS / f"i18a-404-{lang}-{width}.png"), full_page=True)
    if lang == "th":
        open_page(page, base, "/")
        page.locator("#landing-q").fill("昆明")
        page.locator("#landing-results-th li a").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SCREENSHOTS / f"i18a-landing-{width}.png"), full_page=True)


@pytest.mark.parametrize("query,th,en", [
    ("昆明", "/th/pairs/chiang-mai-kunming/", "/en/pairs/chiang-mai-kunming/"),
    ("MoU", f"/th/handbook/{SIGNING}/", f"/en/handbook/{SIGNING}/"),
    ("บันทึกความเข้าใจ", f"/th/handbook/{SIGNING}/", f"/en/handbook/{SIGNING}/"),
])
def test_the_landing_page_searches_both_languages(served, shared_page, query, th, en):
    base, _ = served
    page = shared_page(width=360, height=740, bypass_csp=False)
    open_page(page, base, "/")
    page.locator("#landing-q").fill(query)
    page.locator("#landing-q").press("Enter")
    first_th = page.locator("#landing-results-th li a").first
    first_th.wait_for()
    assert first_th.get_attribute("href") == th
    assert page.locator("#landing-results-en li a").first.get_attribute("href") == en
    assert page.locator("#landing-status").inner_text().strip()
    # each language's status line in its language, the query one unit in its own (SearchCore.querySentence)
    assert page.locator("#landing-status > span").evaluate_all("els => els.map(e => e.lang)") == ["th", "en"]
    units = page.locator("#landing-status .search-q")
    assert units.count() == 2 and units.first.evaluate("e => getComputedStyle(e).display") == "inline-block"
    if query == "昆明":
        assert page.locator('#landing-status .search-q span[lang="zh"]').count() == 2
    # the Thai results link to the Thai search page with the query
    assert page.locator("#landing-results-th .landing-more").get_attribute("href").startswith("/th/search/?q=")
    page.locator("#landing-results-en li a").first.click()
    page.wait_for_url(base + en)


def test_the_landing_page_without_a_script_still_searches_and_opens_both_doors(served, shared_page):
    base, _ = served
    page = shared_page(java_script_enabled=False)
    open_page(page, base, "/")
    assert page.locator(".landing-figures li").count() == 4
    page.locator("#landing-q").fill("Kunming")
    page.get_by_role("button", name="Search in English").click()
    page.wait_for_url("**/en/search/?q=Kunming")
    page.go_back()
    page.locator("#landing-q").fill("เชียงใหม่")
    page.get_by_role("button", name="ค้นหาภาษาไทย").click()
    page.wait_for_url(re.compile(r".*/th/search/\?q=.*"))
    open_page(page, base, "/")
    assert page.get_by_role("link", name="English", exact=True).get_attribute("href") == "/en/"
    assert page.get_by_role("link", name="ภาษาไทย", exact=True).get_attribute("href") == "/th/"


@pytest.mark.parametrize("address,expect", [
    ("/chiang-mai", "/th/provinces/chiang-mai/"),
    ("/th/provinces/chiangmai/", "/th/provinces/chiang-mai/"),
    ("/en/provinces/chiangmai/", "/en/provinces/chiang-mai/"),
    ("/en/countries/japn/", "/en/countries/japan/"),
])
def test_the_404_page_suggests_the_closest_page(served, shared_page, address, expect):
    base, _ = served
    page = shared_page(bypass_csp=False)
    open_page(page, base, address, status=404)
    first = page.locator("#not-found-suggest a").first
    first.wait_for()
    assert first.get_attribute("href") == expect
    # without a script: the plain list of main pages, no empty suggestion box
    plain = shared_page(java_script_enabled=False)
    open_page(plain, base, address, status=404)
    assert not plain.locator("#not-found-suggest").is_visible()
    assert plain.locator("main ul a").count() >= 7
