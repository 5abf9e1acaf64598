"""Search: the index the build writes (search/{th,en}.json), the ranking code the browser runs
(static/js/search-core.js, run here under node), the query set (tests/search_queries.yaml) and
the search page in Chromium.

The rule that makes Thai work is checked directly: the index side (portal/search.py) and the
query side (search-core.js) normalise, split and segment every indexed string the same way."""
from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

if __name__ == "__main__":  # run as a script (the measurement at the end): the project on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from browser import AXE, chromium, new_page, open_page, served, shared_page  # noqa: F401  (fixtures)
from portal import content, search, thai, urls

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "static" / "js" / "search-core.js"
QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
MAX_GZIP_BYTES = 60_000   # per language (issue 10); the index is about 43 kB gzip-compressed

# Runs the real core on the real index: stdin {"core", "indexes": {lang: path}, "calls": [...]}.
NODE_RUNNER = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const core = require(input.core);
const idx = {};
for (const [lang, p] of Object.entries(input.indexes)) idx[lang] = core.prepare(JSON.parse(fs.readFileSync(p, "utf8")));
const out = input.calls.map(([fn, lang, arg]) => {
  if (fn === "search") return core.search(idx[lang], arg, {limit: 10});
  if (fn === "segment") return core.segmentThai(arg, idx[lang].vocab, idx[lang].maxLen);
  if (fn === "runs") return core.runs(core.normalize(arg));
  if (fn === "parse") return core.parseQuery(idx[lang], arg).map(c => c.map(a => a.map(t => t.t)));
  if (fn === "vocab") return [...idx[lang].vocab].sort();
  if (fn === "bench") {  // ms a query, over arg = [[lang, q], …] run ten times
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < 10; k++) for (const [l, q] of arg) core.search(idx[l], q, {limit: 10});
    return Number(process.hrtime.bigint() - t0) / 1e6 / (10 * arg.length);
  }
  throw new Error(fn);
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="session")
def index_files(outputs, tmp_path_factory) -> dict[str, Path]:
    """The built indexes, as the browser fetches them."""
    folder = tmp_path_factory.mktemp("search")
    out = {}
    for lang in urls.LANGS:
        out[lang] = folder / f"{lang}.json"
        out[lang].write_bytes(outputs[search.index_path(lang)])
    return out


@pytest.fixture(scope="session")
def node(index_files):
    """node(calls) → the core's answers, one node process per call list."""
    exe = shutil.which("node")
    assert exe, "node is needed to run the search core (static/js/search-core.js) as the browser does"

    def run(calls: list) -> list:
        payload = {"core": str(CORE), "indexes": {k: str(v) for k, v in index_files.items()}, "calls": calls}
        proc = subprocess.run([exe, "-e", NODE_RUNNER], input=json.dumps(payload, ensure_ascii=False),
                              capture_output=True, text=True, encoding="utf-8", timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)
    return run


@pytest.fixture(scope="session")
def indexes(outputs) -> dict[str, dict]:
    return {lang: json.loads(outputs[search.index_path(lang)]) for lang in urls.LANGS}


@pytest.fixture(scope="session")
def answers(node) -> list[dict]:
    return node([["search", q["lang"], str(q["q"])] for q in QUERIES])


@pytest.fixture(scope="session")
def model():
    from portal.site import gather
    return gather(ROOT)


@pytest.fixture(scope="session")
def pair_years(model) -> dict[str, int]:
    return {p.id: p.year_be for p in model.registry.pairs}


def top3_ok(query: dict, answer: dict, pair_years: dict[str, int]) -> bool:
    top = [r["url"] for r in answer["results"][:3]]
    if "year" in query:
        k = min(3, sum(1 for y in pair_years.values() if y == query["year"]))
        return len(top) >= k and all(re.fullmatch(rf"/{query['lang']}/pairs/([a-z0-9-]+)/", u)
                                     and pair_years[u.split("/")[3]] == query["year"] for u in top[:k])
    expect = query["expect"] if isinstance(query["expect"], list) else [query["expect"]]
    return any(u in top for u in expect)


# --- the query set ------------------------------------------------------------------------------

def test_query_set_is_broad():
    assert len(QUERIES) >= 60
    assert {q["lang"] for q in QUERIES} == set(urls.LANGS)
    text = " ".join(str(q["q"]) for q in QUERIES)
    for script, pattern in {"Thai": "[\u0e01-\u0e4e]", "Thai digits": "[\u0e50-\u0e59]", "Chinese/Japanese": "[\u4e00-\u9fff]",
                            "Korean": "[\uac00-\ud7a3]", "Vietnamese diacritics": "[ạ-ỹđĐ]", "Khmer": "[\u1780-\u17ff]",
                            "Lao": "[\u0e80-\u0eff]", "Burmese": "[\u1000-\u109f]", "Cyrillic": "[\u0400-\u04ff]"}.items():
        assert re.search(pattern, text), f"the query set has no {script} query"
    kinds = {m.group(1) for q in QUERIES for u in ([q["expect"]] if isinstance(q.get("expect"), str) else q.get("expect", []))
             for m in [re.match(r"/[a-z]{2}/(pairs|provinces|countries|plan|handbook)/", u)] if m}
    assert kinds == {"pairs", "provinces", "countries", "plan", "handbook"}
    assert any("year" in q for q in QUERIES)


def test_expected_urls_exist(outputs):
    for q in QUERIES:
        for url in ([q["expect"]] if isinstance(q.get("expect"), str) else q.get("expect", [])):
            path, _, fragment = url.partition("#")
            assert urls.output_path(path) in outputs, f"{q['q']!r}: {url} is not a page of the site"
            if fragment:
                assert f'id="{fragment}"' in outputs[urls.output_path(path)].decode(), f"{q['q']!r}: no #{fragment}"


@pytest.mark.parametrize("i", range(len(QUERIES)), ids=[f"{q['lang']}-{q['q']}" for q in QUERIES])
def test_query_finds_expected_in_top_three(i, answers, pair_years):
    query, answer = QUERIES[i], answers[i]
    got = [f"{r['url']} ({r['score']})" for r in answer["results"][:3]]
    assert top3_ok(query, answer, pair_years), f"{query['q']!r} ({query['lang']}): expected {query.get('expect', query.get('year'))}, got {got}"


def test_pass_rate_is_total(answers, pair_years):
    passed = sum(top3_ok(q, a, pair_years) for q, a in zip(QUERIES, answers))
    assert passed == len(QUERIES), f"{passed}/{len(QUERIES)} queries have the expected page in the top three"


# --- one segmentation, one normalisation ---------------------------------------------------------

def _indexed_strings(model, lang: str) -> list[str]:
    out = []
    for rec in search.records(model, lang):
        out += [f for f, _ in rec.fields] + [rec.title, rec.body]
    return [s for s in out if s]


def test_browser_uses_the_vocabulary_the_build_used(node, indexes, model):
    for lang in urls.LANGS:
        shipped = node([["vocab", lang, None]])[0]
        terms = indexes[lang]["terms"]
        assert shipped == sorted(t for t in terms if search._is_thai(t))
        # every Thai term of a record is a word of that vocabulary: nothing outside it is indexed
        assert all(search._is_thai(t) for t in shipped)


def test_query_and_index_are_segmented_the_same_way(node, indexes, model):
    """Every Thai run of every indexed string: portal/search.py's cut == search-core.js's cut."""
    for lang in urls.LANGS:
        vocab = frozenset(t for t in indexes[lang]["terms"] if search._is_thai(t))
        max_len = max(len(t) for t in vocab)
        thai_runs = sorted({run for s in _indexed_strings(model, lang) for k, run in search.runs(search.normalize(s))
                            if k == "t"} | {run for q in QUERIES for k, run in search.runs(search.normalize(str(q["q"])))
                                            if k == "t"})
        assert len(thai_runs) > 300
        js = node([["segment", lang, run] for run in thai_runs])
        py = [search.segment_thai(run, vocab, max_len) for run in thai_runs]
        differ = [(r, a, b) for r, a, b in zip(thai_runs, py, js) if a != b]
        assert not differ, f"{len(differ)} Thai runs are cut differently, e.g. {differ[:3]}"
        # The build's shortcut (only the word lengths that occur after each two letters) cuts the same.
        lengths = search.word_lengths(vocab)
        assert [search.segment_thai(run, vocab, max_len, lengths) for run in thai_runs] == py


def test_pythainlp_reads_its_dictionary_from_the_set_as_from_its_trie(model):
    """thai.WordSet stands in for PyThaiNLP's Trie (built 30 times faster): the same cuts."""
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import dict_trie
    words = set(thai_words()) | {"เซี่ยเหมิน", "ก"}
    trie, as_set = dict_trie(words), thai.WordSet(words)
    texts = sorted({run for lang in urls.LANGS for s in _indexed_strings(model, lang)
                    for k, run in search.runs(search.normalize(s)) if k == "t"})
    assert len(texts) > 300
    for text in texts + ["กขค", "เซี่ยเหมินก", "ก"]:
        assert word_tokenize(text, custom_dict=as_set, keep_whitespace=False) == \
            word_tokenize(text, custom_dict=trie, keep_whitespace=False), text


def test_normalisation_and_runs_are_the_same_in_python_and_js(node, model, indexes):
    # The browser gets only the folds that land on the index's characters: a query character whose
    # fold lands elsewhere (羅 → 罗 when no name has 罗) cannot match folded or not, so it is left out.
    shipped = set(indexes["th"]["fold"][0::2]) | set(indexes["en"]["fold"][0::2])
    cjk = search.fold_tables()[0]
    strings = sorted(s for s in set(_indexed_strings(model, "th") + _indexed_strings(model, "en") + [str(q["q"]) for q in QUERIES]
                         + ["Thừa Thiên Huế", "Đà Nẵng", "ŁÓDŹ", "Xi’an", "๔.๒", "ຫຼວງພະບາງ", "ＣＨＩＡＮＧ　ＭＡＩ", "กำ",
                            "ก\u0e4d\u0e32", "İstanbul", "Ærø", "北海道 ホッカイドウ", "강원도", "ё"])
                     if all(c in shipped or c not in cjk for c in s))
    assert "廣東省" in strings and "全羅南道" not in strings
    js = node([["runs", "th", s] for s in strings])
    py = [[list(r) for r in search.runs(search.normalize(s))] for s in strings]
    differ = [(s, a, b) for s, a, b in zip(strings, py, js) if a != b]
    assert not differ, f"{len(differ)} strings split differently, e.g. {differ[:3]}"


def test_thai_names_are_whole_words_and_running_text_is_cut(node):
    parsed = node([["parse", "th", "เซี่ยเหมิน"], ["parse", "th", "เมืองเซี่ยเหมินมณฑลฝูเจี้ยน"],
                   ["parse", "th", "๒๕๖๐"], ["parse", "en", "2017"], ["parse", "th", "พ.ศ. ๒๕๖๐"],
                   ["parse", "en", "厦门市"], ["parse", "en", "Thừa Thiên-Huế"], ["parse", "en", "云南省昆明市"],
                   ["parse", "en", "廣東省"], ["parse", "en", "津市"]])
    assert parsed[0] == [[["เซี่ยเหมิน"]]]
    assert parsed[1] == [[["เมือง"]], [["เซี่ยเหมิน"]], [["มณฑล"]], [["ฝูเจี้ยน"]]]
    assert parsed[2] == [[["2560"], ["2017"]]]
    assert parsed[3] == [[["2017"], ["2560"]]]
    assert parsed[4] == [[["2560"], ["2017"]]], "พ.ศ. is the era of the year, not two words"
    assert parsed[5] == [[["厦门"]]], "an administrative suffix is optional: 厦门 and 厦门市 are the same query"
    assert parsed[6] == [[["thua"]], [["thien"]], [["hue"]]]
    assert parsed[7] == [[["云南"]], [["昆明"]]], "province and city are two words, each without its suffix"
    assert parsed[8] == [[["广东"]]], "Traditional folds to Simplified (廣東省 → 广东省), 省 is a suffix"
    assert parsed[9] == [[["津市"]]], "a suffix stays when stripping it would leave one character"


def test_a_name_not_in_the_list_meets_the_nearest_names_in_the_readers_script(node):
    """Issue 16 item 33: Ho Chi Minh City is in neither list. It is not "corrected" into another
    record (ho chi binh city, Dong Hoi); the page offers the nearest names, written in the script
    the reader typed, whichever page they are on."""
    thai = re.compile("[\u0e00-\u0e7f]")
    en_latin, th_thai, en_thai, th_latin = node([["search", "en", "Ho Chi Minh City"], ["search", "th", "โฮจิมินห์"],
                                                  ["search", "en", "โฮจิมินห์"], ["search", "th", "Ho Chi Minh City"]])
    for found in (en_latin, th_thai, en_thai, th_latin):
        assert found["results"] == [] and 1 <= len(found["suggestions"]) <= 5, found
    assert all(not thai.search(s["title"]) for s in en_latin["suggestions"])
    assert any("Quang Binh" in s["title"] for s in en_latin["suggestions"])   # the Vietnamese names with a part in common
    assert all(thai.search(s["title"]) and "lang" not in s for s in th_thai["suggestions"])
    assert all(thai.search(s["title"]) and s["lang"] == "th" and not thai.search(s["pageTitle"]) for s in en_thai["suggestions"])
    assert all(not thai.search(s["title"]) and s["lang"] == "en" and thai.search(s["pageTitle"]) for s in th_latin["suggestions"])
    # a unit word in front is not what makes a name near: นครโฮจิมินห์ is not offered นครปฐม
    unit = node([["search", "th", "นครโฮจิมินห์"]])[0]
    assert unit["suggestions"] and not any(s["title"] in ("นครปฐม", "นครนายก") for s in unit["suggestions"])


def test_thai_running_text_is_found(node):
    """A word inside a paragraph (no spaces around it) is found: ผู้ว่าราชการจังหวัด in section 5.2's text."""
    res = node([["search", "th", "ผู้ว่าราชการจังหวัด"], ["search", "th", "การค้าชายแดน"]])
    assert "/th/plan/s5/#s5-2" in [r["url"] for r in res[0]["results"]]
    assert "/th/plan/s4/#s4-2" in [r["url"] for r in res[1]["results"]]


def test_typos_prefixes_and_no_results(node):
    res = node([["search", "en", "Hokaido"], ["search", "en", "Hokk"], ["search", "en", "Hok"],
                ["search", "en", "qwertyuiop"], ["search", "en", ""], ["search", "en", "Xiamen Zzzzz"]])
    assert res[0]["results"][0]["url"] == "/en/pairs/chiang-mai-hokkaido/"
    assert res[1]["results"][0]["url"] == "/en/pairs/chiang-mai-hokkaido/"
    assert res[3]["results"] == [] and res[4]["results"] == []
    # a word that matches nothing: the other words still find their page, marked incomplete
    assert res[5]["results"][0]["url"] == "/en/pairs/phuket-xiamen/" and res[5]["complete"] is False


def test_fold_table_is_what_opencc_and_hanja_make():
    """portal/search_fold.json is committed (the build needs neither library): it must be what
    scripts/search_fold.py makes with the pinned opencc and hanja."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import search_fold
    assert json.loads(search_fold.OUT.read_text(encoding="utf-8")) == search_fold.make(), \
        "portal/search_fold.json is stale: run .venv/bin/python scripts/search_fold.py"
    cjk, hanja = search.fold_tables()
    assert cjk["廣"] == "广" and cjk["県"] == "县" and cjk["縣"] == "县" and cjk["靜"] == "静"
    assert hanja["釜"] == "부" and hanja[cjk["廣"]] == "광"


def test_folding_is_the_same_at_index_and_query_time(node, indexes):
    """The index ships the folds that reach its characters; Python and the browser then fold alike."""
    for lang in urls.LANGS:
        fold = dict(zip(indexes[lang]["fold"][0::2], indexes[lang]["fold"][1::2]))
        assert fold.get("東") == "东" and fold.get("廣") == "广"
        assert all(search.normalize(c) == f for c, f in fold.items())
    strings = ["廣東省", "雲南", "廣州市", "釜山廣域市"]
    assert node([["runs", "en", s] for s in strings]) == [[list(r) for r in search.runs(search.normalize(s))] for s in strings]
    assert search.strip_korean_suffix("부산광역시") == "부산" and search.strip_korean_suffix("강원도") == "강원"
    assert search.strip_korean_suffix("부산") is None and search.strip_korean_suffix("Seoul") is None


def test_corrections_are_reported_and_whole_names_come_first(node):
    res = node([["search", "en", "Pukhet"], ["search", "en", "Phuket"], ["search", "th", "นาน"],
                ["search", "en", "Nan"], ["search", "en", "Ho Chi Minh"], ["search", "th", "ภูเกต"],
                ["search", "en", "Hokk"]])
    assert res[0]["corrected"] == "Phuket" and res[0]["results"][0]["url"] == "/en/provinces/phuket/"
    assert res[1]["corrected"] is None, "a query spelt right is not 'corrected'"
    assert res[2]["results"][0]["url"] == "/th/provinces/nan/" and res[2]["corrected"] == "น่าน"
    assert all(r["kind"] not in ("plan", "handbook") for r in res[2]["results"][:1])
    # Nan (whole name) before Nanning, Nanjing (the query is a part of their names)
    assert res[3]["results"][0]["url"] == "/en/provinces/nan/"
    assert any("nanning" in r["url"] for r in res[3]["results"][1:]), "the part-word matches are still listed, after"
    # not in the list: no list of unrelated part-matches, but the closest names
    assert res[4]["results"] == [] and res[4]["suggestions"], res[4]
    assert res[5]["corrected"] == "ภูเก็ต"
    assert res[6]["corrected"] is None, "a prefix (typed half-way) is not a correction"


def test_query_set_covers_issue_10(indexes):
    """The cases issue 10 names, each in the query set: Traditional Chinese, Japanese suffixes,
    hanja, Thai without tone marks, a misplaced h, aliases, relations from other sources."""
    text = {str(q["q"]) for q in QUERIES}
    for q in ("廣東", "云南", "静岡県", "釜山", "นาน", "เซียงไฮ", "ภูเกต", "เชียงไหม่", "Pukhet", "Phukte", "Korat", "Tokyo"):
        assert q in text, f"the query set lacks {q}"
    assert len(QUERIES) >= 118 + 40
    assert any("#other-" in str(q.get("expect")) for q in QUERIES if q["lang"] == "th")
    assert any("#other-" in str(q.get("expect")) for q in QUERIES if q["lang"] == "en")


# --- the index files and the page ---------------------------------------------------------------

def test_index_covers_every_record(indexes, built, model):
    r = model.registry
    for lang in urls.LANGS:
        docs = indexes[lang]["docs"]
        kinds = indexes[lang]["kinds"]
        by_kind: dict[str, set[str]] = {}
        for kind, url, title, context, *_other_title in docs:
            by_kind.setdefault(kinds[kind], set()).add(url)
            assert title and context, url
        assert by_kind["pair"] == {urls.pair(lang, p.id) for p in r.pairs}
        assert by_kind["province"] == {urls.province(lang, p.slug) for p in r.provinces if p.is_province}
        assert by_kind["special_area"] == {urls.province(lang, p.slug) for p in r.provinces if not p.is_province}
        assert by_kind["country"] == {urls.country(lang, c.slug) for c in r.countries}
        assert r.other_relations and by_kind["other"] == {urls.other_relation_url(lang, o) for o in r.other_relations}
        for name in search.SECTION_DOCS:   # each section opens its own page, or the page that holds it (#id)
            doc = model.docs[(lang, name)]
            parts = content.section_pages(doc)
            held = content.section_addresses(lang, parts)
            assert by_kind[name] == {held[s.anchor] for s in doc.sections}
            assert {urls.section(lang, name, p.anchor) for p in parts} <= by_kind[name]


def test_index_links_resolve(indexes, outputs):
    for lang in urls.LANGS:
        for _kind, url, _title, _context, *_other_title in indexes[lang]["docs"]:
            path, _, fragment = url.partition("#")
            html = outputs[urls.output_path(path)].decode()
            assert not fragment or f'id="{fragment}"' in html, url


SIGNING = "step-2-6"   # the handbook's signing section (2.6): what MoU and บันทึกความเข้าใจ mean


def test_a_section_result_opens_its_own_page(node, model, outputs):
    """Issue 18: a result for a numbered section opens that section's page (short, shareable), in
    both languages; the whole document keeps the section's anchor (data/anchors.yaml)."""
    calls = [["search", lang, q] for lang in urls.LANGS for q in ("MoU", "บันทึกความเข้าใจ")]
    for (_fn, lang, q), answer in zip(calls, node(calls)):
        first = answer["results"][0]
        assert first["url"] == f"/{lang}/handbook/{SIGNING}/", (lang, q, [r["url"] for r in answer["results"][:3]])
        section = next(s for s in model.docs[(lang, "handbook")].sections if s.anchor == SIGNING)
        assert first["title"] == section.title
        page_html = outputs[urls.output_path(first["url"])].decode()
        assert re.search(rf'<h1 id="{SIGNING}">', page_html), "the section page does not open on the section"
        assert f'href="/{lang}/handbook/#{SIGNING}"' in page_html, "the section page links the whole document's anchor"
        assert f'id="{SIGNING}"' in outputs[urls.output_path(f"/{lang}/handbook/")].decode()
    published = yaml.safe_load((ROOT / "data" / "anchors.yaml").read_text(encoding="utf-8"))
    assert SIGNING in published["handbook"]


def test_index_size_is_reasonable(outputs):
    for lang in urls.LANGS:
        raw, packed = search.sizes(outputs[search.index_path(lang)])
        assert packed < MAX_GZIP_BYTES, f"search/{lang}.json is {packed} bytes gzip-compressed ({raw} raw)"


def test_search_page_carries_config_and_fallback(page, outputs, model):
    for lang in urls.LANGS:
        html = page(urls.search(lang))
        m = re.search(r'<script type="application/json" id="search-config">(.*?)</script>', html, re.S)
        assert m, "the search page has no #search-config"
        config = json.loads(m.group(1))
        assert config["lang"] == lang
        assert config["index"] == f"/search/{lang}.json" and config["index"].lstrip("/") in outputs
        strings = yaml.safe_load((ROOT / "data" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))
        as_of = thai.date(model.registry.as_of, lang)
        assert config["strings"] == {k: strings[k].replace("{date}", as_of) for k in search.STRING_KEYS}
        assert as_of in config["strings"]["search_not_in_list"], "the no-result text names the list's date"
        assert "<noscript>" in html and 'aria-live="polite"' in html
        assert html.index("search-core.js") < html.index("/static/js/search.js")


def test_header_form_leads_to_the_search_page(page):
    for lang in urls.LANGS:
        html = page(urls.home(lang))
        assert re.search(rf'<form class="site-search" role="search" action="/{lang}/search/" method="get">', html)
        assert 'name="q"' in html


# --- the page in a real browser -----------------------------------------------------------------

@pytest.mark.parametrize("lang, query, expected", [
    ("th", "เซี่ยเหมิน", "/th/pairs/phuket-xiamen/"),
    ("en", "厦门", "/en/pairs/phuket-xiamen/"),
])
def test_search_page_in_chromium(served, new_page, lang, query, expected):
    base, _samples = served
    page = new_page()
    outside = []
    page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(base) else None)
    from urllib.parse import quote
    open_page(page, base, f"/{lang}/search/?q={quote(query)}")
    link = page.locator(f'#search-results a[href="{expected}"]')
    link.wait_for(state="visible", timeout=15_000)
    assert page.input_value("#q") == query
    status = page.locator("#search-status").inner_text()
    assert query in status and status.strip(), status
    item = page.locator("#search-results li").filter(has=page.locator(f'a[href="{expected}"]'))
    assert item.locator(".search-kind").inner_text().strip()
    assert item.locator(".search-context").inner_text().strip()
    native = item.locator(".search-context span[lang]")
    assert native.inner_text() == "厦门市" and native.get_attribute("lang").startswith("zh"), \
        "the partner's own-script name carries its language"
    assert not outside, f"requests left the site: {outside}"
    # typing a new query updates the list and the address
    page.fill("#q", "Hokkaido")
    page.locator(f'#search-results a[href="/{lang}/pairs/chiang-mai-hokkaido/"]').wait_for(timeout=15_000)
    assert "q=Hokkaido" in page.url


SCREENSHOTS = ROOT / "tests" / "screenshots"


@pytest.mark.parametrize("lang, query", [("th", "MoU"), ("en", "บันทึกความเข้าใจ")])
def test_a_section_result_opens_the_section_page_in_chromium(served, shared_page, lang, query):
    """Clicking the first result for an MoU word opens the handbook's signing section on its own page."""
    base, _ = served
    page = shared_page(360, 800)
    open_page(page, base, f"/{lang}/search/?q=" + quote(query))
    first = page.locator("#search-results a").first
    first.wait_for(timeout=15_000)
    assert first.get_attribute("href") == f"/{lang}/handbook/{SIGNING}/"
    title = first.inner_text()
    first.click()
    page.wait_for_url(f"{base}/{lang}/handbook/{SIGNING}/")
    h1 = page.locator("h1")
    assert h1.get_attribute("id") == SIGNING and title.strip() in h1.inner_text(), (title, h1.inner_text())
    assert h1.is_visible()


def _axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (results, correction, no result)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                          ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    return [f"{v['id']}: {v['help']}" for v in found["violations"]]


def _wait_for_answer(page) -> str:
    page.wait_for_function("""() => { const s = document.getElementById('search-status').textContent;
                                      return s && !s.endsWith('…'); }""")
    return page.locator("#search-status").inner_text()


@pytest.mark.parametrize("width, height", [(360, 800), (1280, 900)])
@pytest.mark.parametrize("lang", urls.LANGS)
def test_search_page_has_one_box_and_the_answer_above_the_fold(served, shared_page, lang, width, height):
    """One search box on the search page (the header's is left out), the first result well above
    the fold, and the language switch carries the query to the other language's search page."""
    base, _ = served
    page = shared_page(width, height)
    open_page(page, base, f"/{lang}/search/?q=" + quote("น่าน"))
    _wait_for_answer(page)
    assert page.locator("input[type=search]").count() == 1, "the search page shows more than one search box"
    first = page.locator("#search-results a").first
    assert first.get_attribute("href") == f"/{lang}/provinces/nan/"
    assert first.bounding_box()["y"] + first.bounding_box()["height"] < min(height, 600), \
        f"the first result is at y = {first.bounding_box()['y']:.0f}"
    page.screenshot(path=str(SCREENSHOTS / f"search-{lang}-{width}-result.png"))
    other = urls.other(lang)
    switch = page.locator("a.lang-switch")
    assert switch.get_attribute("href") == f"/{other}/search/?q=" + quote("น่าน")
    switch.click()
    page.wait_for_url(f"{base}/{other}/search/?q=*")
    _wait_for_answer(page)
    assert page.input_value("#q") == "น่าน"
    assert page.locator("#search-results a").first.get_attribute("href") == f"/{other}/provinces/nan/"
    # a new query typed on the page travels too
    page.fill("#q", "Korat")
    page.locator(f'#search-results a[href="/{other}/provinces/nakhon-ratchasima/"]').wait_for()
    assert page.locator("a.lang-switch").get_attribute("href") == f"/{lang}/search/?q=Korat"


def test_the_language_of_a_query_is_its_script(node):
    """search-core.js queryLang: the lang of the query echoed on the search page."""
    cases = {"昆明": "zh", "Yunnan Kunming 昆明": "zh", "とうきょう": "ja", "東京都 とうきょう": "ja", "부산": "ko",
             "釜山 부산": "ko", "เชียงใหม่": "th", "Xiamen": "", "2560": "", "เชียงใหม่ 昆明": ""}
    script = ("const c = require(process.argv[1]); const qs = JSON.parse(process.argv[2]);"
              "process.stdout.write(JSON.stringify(qs.map(c.queryLang)));")
    out = subprocess.run([shutil.which("node"), "-e", script, str(CORE), json.dumps(list(cases))],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert dict(zip(cases, json.loads(out))) == cases


# Where each character of the echoed query, and the closing quotation mark after it, is drawn.
_QUERY_LINES = r"""() => {
  const unit = document.querySelector('#search-status .search-q');
  if (!unit) return null;
  const tops = [];
  const walk = document.createTreeWalker(unit, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) for (let i = 0; i < n.data.length; i++) {
    if (/\s/.test(n.data[i])) continue;
    const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
    tops.push(Math.round(r.getBoundingClientRect().bottom));
  }
  const typed = unit.querySelector('[lang]');
  return {text: unit.textContent, lang: typed ? typed.lang : '', typed: typed ? typed.textContent : '',
          tops: tops, width: unit.getBoundingClientRect().right, page: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", urls.LANGS)
@pytest.mark.parametrize("query, tag", [("昆明", "zh"), ("Yunnan Kunming 昆明", "zh"), ("โฮจิมินห์", "th")])
def test_the_query_in_the_result_count_is_one_unit_in_its_language(served, shared_page, lang, query, tag, width):
    """Issue 18: the query echoed in the result count is not broken across lines (“Yunnan Kunming 昆|明”
    broke on the Thai page at 360 px), closing mark included, and carries its script's language."""
    base, _ = served
    page = shared_page(width, 800)
    open_page(page, base, f"/{lang}/search/?q=" + quote(query))
    _wait_for_answer(page)
    got = page.evaluate(_QUERY_LINES)
    assert got, "the result count does not set the query apart"
    assert got["text"] == f"“{query}”" and got["typed"] == query and got["lang"] == tag, got
    assert len(set(got["tops"])) == 1, f"the query breaks across lines: {got}"
    assert got["width"] <= width and got["page"] <= width
    if width == 360 and query.startswith("Yunnan"):
        page.locator("#search-status").screenshot(path=str(SCREENSHOTS / f"search-{lang}-360-query-unit.png"))


def test_a_query_longer_than_the_line_wraps_inside_the_page(served, shared_page):
    base, _ = served
    page = shared_page(360, 800)
    query = "Xishuangbanna Dai Autonomous Prefecture Yunnan Province 西双版纳傣族自治州"
    open_page(page, base, "/th/search/?q=" + quote(query))
    _wait_for_answer(page)
    got = page.evaluate(_QUERY_LINES)
    assert got["text"] == f"“{query}”" and len(set(got["tops"])) > 1
    assert got["page"] <= 360, "a long query pushes the page off the screen"


@pytest.mark.parametrize("lang, query, one", [("en", "Korat", "1 result for “Korat”"),
                                              ("th", "โคราช", "พบ ๑ รายการสำหรับ “โคราช”")])
def test_one_result_is_singular(served, shared_page, lang, query, one):
    base, _ = served
    page = shared_page()
    open_page(page, base, f"/{lang}/search/?q=" + quote(query))
    assert _wait_for_answer(page).strip() == one
    assert page.locator("#search-results li").count() == 1


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang, query, corrected, expected", [
    ("en", "Pukhet", "Phuket", "/en/provinces/phuket/"),
    ("th", "เชียงไหม่", "เชียงใหม่", "/th/provinces/chiang-mai/"),
])
def test_a_corrected_query_says_so(served, shared_page, lang, query, corrected, expected, width):
    base, _ = served
    page = shared_page(width, 800)
    open_page(page, base, f"/{lang}/search/?q=" + quote(query))
    _wait_for_answer(page)
    assert page.locator("#search-results a").first.get_attribute("href") == expected
    note = page.locator("#search-corrected")
    assert note.is_visible() and f"“{corrected}”" in note.inner_text()
    page.screenshot(path=str(SCREENSHOTS / f"search-{lang}-{width}-corrected.png"))
    assert not _axe_violations(page)
    page.fill("#q", "Phuket")   # spelt right: no correction
    page.wait_for_function("() => document.getElementById('search-corrected').hidden")


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang, query, date", [("en", "Ho Chi Minh", "4 January 2019"),
                                               ("th", "โฮจิมินห์", "๔ มกราคม ๒๕๖๒")])
def test_no_result_is_not_a_dead_end(served, shared_page, lang, query, date, width):
    """No result: the page says the name is not in the list as of its date, offers the closest
    names (for a Latin query), and links to browsing by country and to the list's sources."""
    base, _ = served
    page = shared_page(width, 800)
    open_page(page, base, f"/{lang}/search/?q=" + quote(query))
    _wait_for_answer(page)
    assert page.locator("#search-results li").count() == 0
    box = page.locator("#search-none")
    assert box.is_visible()
    text = box.inner_text()
    assert f"“{query}”" in text and date in text
    hrefs = box.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert urls.countries(lang) in hrefs and urls.document(lang, "sources") in hrefs
    for href in hrefs:   # every way out leads to a page
        assert page.request.get(base + href).ok, href
    if lang == "en":
        assert page.locator("#search-suggestions a").count() >= 1, "no 'did you mean' for a Latin name"
    page.screenshot(path=str(SCREENSHOTS / f"search-{lang}-{width}-none.png"))
    assert not _axe_violations(page)
    page.fill("#q", "Xiamen")   # a query with results hides the box again
    page.locator(f'#search-results a[href="/{lang}/pairs/phuket-xiamen/"]').wait_for()
    assert not box.is_visible()


# --- the measurement behind docs/SEARCH.md: Pagefind against this index ---------------------------
#
#   .venv/bin/python tests/test_search.py compare
#
# builds site/ first, then Pagefind 1.5.2 (extended) two ways: 'records' (one small page per search
# record: the same text this index holds) and 'pages' (the built HTML pages, sections as Pagefind's
# sub-results), runs the query set in Chromium through pagefind.js, and the same set through
# search-core.js under node; prints top-3 hit rates, sizes and build times.

def _query_groups() -> list[str]:
    """The query set's section headings ('# Countries' …), one per query, in order."""
    groups, current = [], ""
    for line in (ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and not line.startswith("#  "):
            current = line[2:].split(":")[0].split(",")[0]
        elif line.startswith("- "):
            groups.append(current)
    assert len(groups) == len(QUERIES)
    return groups


def compare_with_pagefind() -> None:  # pragma: no cover - a measurement, not a test
    import asyncio
    import html as _html
    import tempfile
    import threading
    import time

    from portal.serve import make_server
    from portal.site import build, gather

    from browser import ARGS, CHROMIUM

    work = Path(tempfile.mkdtemp(prefix="search-compare-"))
    t0 = time.perf_counter()
    result = build(ROOT, work / "site")
    t_site = time.perf_counter() - t0
    site = work / "site"
    model = gather(ROOT)
    years = {p.id: p.year_be for p in model.registry.pairs}

    # the custom index, timed alone in a fresh process (PyThaiNLP's import and dictionary included)
    t_custom = float(subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c",
         "import time,sys; t=time.perf_counter(); sys.path.insert(0, %r); from pathlib import Path; "
         "from portal.site import gather; from portal import search; m=gather(Path(%r)); t1=time.perf_counter(); "
         "[search.encode(search.build_index(m, l)) for l in ('th', 'en')]; print(time.perf_counter()-t1)" % (str(ROOT), str(ROOT))],
        capture_output=True, text=True, check=True).stdout)

    rec_url: dict[str, str] = {}

    async def pagefind_records() -> float:
        from pagefind.index import PagefindIndex
        folder = work / "records"
        start = time.perf_counter()
        for lang in urls.LANGS:
            for i, rec in enumerate(search.records(model, lang)):
                f = folder / lang / f"r{i}" / "index.html"
                f.parent.mkdir(parents=True, exist_ok=True)
                text = " ".join([t for t, _ in rec.fields] + [rec.body])
                f.write_text(f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{_html.escape(rec.title)}'
                             f'</title></head><body><h1>{_html.escape(rec.title)}</h1><p>{_html.escape(text)}</p></body></html>',
                             encoding="utf-8")
                rec_url[f"/{lang}/r{i}/"] = rec.url
            async with PagefindIndex({"force_language": lang, "output_path": str(site / f"pf-records-{lang}")}) as idx:
                await idx.add_directory(str(folder), glob=f"{lang}/**/*.html")
        return time.perf_counter() - start

    async def pagefind_pages() -> float:
        from pagefind.index import PagefindIndex
        start = time.perf_counter()
        for lang in urls.LANGS:
            async with PagefindIndex({"force_language": lang, "output_path": str(site / f"pf-pages-{lang}")}) as idx:
                await idx.add_directory(str(site), glob=f"{lang}/**/*.html")
        return time.perf_counter() - start

    t_records = asyncio.run(pagefind_records())
    t_pages = asyncio.run(pagefind_pages())

    # the custom engine: node, the real core, the real index
    exe = shutil.which("node")
    payload = {"core": str(CORE), "indexes": {lang: str(site / search.index_path(lang)) for lang in urls.LANGS},
               "calls": [["search", q["lang"], str(q["q"])] for q in QUERIES]}
    start = time.perf_counter()
    custom = json.loads(subprocess.run([exe, "-e", NODE_RUNNER], input=json.dumps(payload, ensure_ascii=False),
                                       capture_output=True, text=True, check=True).stdout)
    t_node = time.perf_counter() - start
    tops = {"custom": [[r["url"] for r in a["results"][:3]] for a in custom]}
    payload["calls"] = [["bench", None, [[q["lang"], str(q["q"])] for q in QUERIES]]]
    ms_custom = json.loads(subprocess.run([exe, "-e", NODE_RUNNER], input=json.dumps(payload, ensure_ascii=False),
                                          capture_output=True, text=True, check=True).stdout)[0]

    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    script = """async ([bundle, queries, pages]) => {
      const pf = await import(bundle + '/pagefind.js');
      await pf.init();
      const out = [], times = [];
      for (const q of queries) {
        const t0 = performance.now();
        const r = await pf.search(q);
        const top = [];
        for (const res of r.results.slice(0, 3)) {
          const d = await res.data();
          top.push(d.url);
          if (pages) for (const s of d.sub_results || []) if (s.url !== d.url) top.push(s.url);
        }
        times.push(performance.now() - t0);
        out.push(top);
      }
      return [out, times];
    }"""
    transfer: dict[tuple[str, str], tuple[int, int, float]] = {}
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for variant in ("records", "pages"):
            got: dict[int, list[str]] = {}
            for lang in urls.LANGS:
                page = browser.new_page()
                sizes: list[int] = []
                page.on("response", lambda resp: sizes.append(len(resp.body())) if "/pf-" in resp.url else None)
                page.goto(f"{base}/{lang}/search/")
                mine = [i for i, q in enumerate(QUERIES) if q["lang"] == lang]
                page.evaluate(script, [f"/pf-{variant}-{lang}", [str(QUERIES[mine[0]]["q"])], False])
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                first = sum(sizes)
                out, times = page.evaluate(script, [f"/pf-{variant}-{lang}", [str(QUERIES[i]["q"]) for i in mine], variant == "pages"])
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                transfer[(variant, lang)] = (first, sum(sizes), sum(times) / len(times))
                page.close()
                for i, top in zip(mine, out):
                    got[i] = [rec_url.get(u, u) for u in top]
            tops[variant] = [got[i] for i in range(len(QUERIES))]
        browser.close()
    server.shutdown()

    def hit(i: int, top: list[str], pages: bool) -> bool:
        q = QUERIES[i]
        if pages and "year" not in q:   # a page counts with its sub-results (sections)
            expect = q["expect"] if isinstance(q["expect"], list) else [q["expect"]]
            return any(u in top for u in expect)
        return top3_ok(q, {"results": [{"url": u} for u in top]}, years)

    groups = _query_groups()
    names = {"custom": "portal index (PyThaiNLP + search-core.js)", "records": "Pagefind, same records",
             "pages": "Pagefind, built pages"}
    print(f"\n{len(QUERIES)} queries ({sum(q['lang'] == 'th' for q in QUERIES)} on Thai pages, "
          f"{sum(q['lang'] == 'en' for q in QUERIES)} on English pages)\n")
    order = list(dict.fromkeys(groups))
    print("| engine | top-3 hits | " + " | ".join(order) + " |")
    print("|---|---|" + "---|" * len(order))
    for variant in ("custom", "records", "pages"):
        ok = [hit(i, top, variant == "pages") for i, top in enumerate(tops[variant])]
        per = [f"{sum(o for o, g in zip(ok, groups) if g == grp)}/{groups.count(grp)}" for grp in order]
        print(f"| {names[variant]} | {sum(ok)}/{len(ok)} ({100 * sum(ok) / len(ok):.0f} %) | " + " | ".join(per) + " |")
    print()
    for variant in ("records", "pages"):
        misses = [f"{QUERIES[i]['lang']}:{QUERIES[i]['q']}" for i, top in enumerate(tops[variant])
                  if not hit(i, top, variant == "pages")]
        print(f"{names[variant]} misses: {', '.join(misses)}\n")
    core = (ROOT / "static" / "js" / "search-core.js").read_bytes()
    core_gz = len(gzip.compress(core, 9))
    for lang in urls.LANGS:
        raw, packed = search.sizes(result.outputs[search.index_path(lang)])
        print(f"{lang}: portal index {raw} B raw, {packed} B gzip (+ search-core.js {core_gz} B gzip), loaded once")
        for variant in ("records", "pages"):
            folder = site / f"pf-{variant}-{lang}"
            bundle = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()
                         and not p.name.startswith(("pagefind-ui", "pagefind-component", "pagefind-modular", "pagefind-highlight")))
            first, total, ms = transfer[(variant, lang)]
            print(f"{lang}: {names[variant]}: bundle {bundle} B; first query downloads {first} B; "
                  f"the whole query set {total} B; {ms:.1f} ms a query")
    print(f"\nbuild: whole site {t_site:.2f} s; portal indexes (both languages) {t_custom:.2f} s; "
          f"Pagefind records {t_records:.2f} s; Pagefind pages {t_pages:.2f} s")
    print(f"custom engine: {ms_custom:.2f} ms a query under node; the whole set in {t_node:.2f} s "
          f"(node start and index parse included)")
    shutil.rmtree(work)


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["compare"]:
        compare_with_pagefind()
    else:
        print("usage: python tests/test_search.py compare")
