"""Hostile content (issue 9, item 3): what content/ may put on a page is an allow-list, each thing
outside it is a located error, and the sanitiser removes it in any case; control and
bidi-override characters, bad language tags, bad site addresses and odd files in static/ and
content/ are located errors."""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from portal import content, langtags, limits, sanitise
from portal.errors import BuildError
from portal.site import base_url_problem, build, gather


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("hostile") / "project")


@pytest.fixture
def restore(project):
    """Files a test changes in the shared project, put back afterwards."""
    saved: dict[Path, bytes | None] = {}

    def change(rel: str, text: str | None = None, *, old: str | None = None, new: str = "") -> Path:
        path = project / rel
        if path not in saved:
            saved[path] = path.read_bytes() if path.exists() or path.is_symlink() else None
        if old is not None:
            current = path.read_text(encoding="utf-8")
            assert old in current, (rel, old)
            text = current.replace(old, new, 1)
        if text is not None:
            path.write_text(text, encoding="utf-8")
        return path
    yield change
    for path, data in saved.items():
        if path.is_symlink() or path.exists():
            path.unlink()
        if data is not None:
            path.write_bytes(data)


def problems(project) -> list[str]:
    with pytest.raises(BuildError) as err:
        gather(project)
    return [str(p) for p in err.value.problems]


ABOUT = "content/en/about.md"


def add_to_about(restore, text: str) -> int:
    """Append `text` to the about page; the line it starts on."""
    current = (ROOT / ABOUT).read_text(encoding="utf-8")
    restore(ABOUT, current + "\n" + text + "\n")
    return current.count("\n") + 2


# --- Markdown: an allow-list -------------------------------------------------------------------------

HOSTILE_MARKDOWN = [
    ("script", "<script>alert(1)</script>", "the HTML element <script> is not allowed in content"),
    ("iframe", '<iframe src="https://evil.example/"></iframe>', "the HTML element <iframe> is not allowed in content"),
    ("onerror", '<span onerror="alert(1)">x</span>', "the attribute onerror is not allowed on <span> (an event handler runs script)"),
    ("img onerror", "<img src=x onerror=alert(1)>", "the HTML element <img> is not allowed in content"),
    ("javascript link", "[click](javascript:alert(1))", "link 'javascript:alert(1)': the scheme 'javascript:' is not allowed"),
    ("javascript link, obfuscated", '<a href="java&#x09;script:alert(1)">click</a>', "the scheme 'javascript:' is not allowed"),
    ("data link", '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', "the scheme 'data:' is not allowed"),
    ("another site without https", "[click](//evil.example/)", "an address on another site must start with https://"),
    ("relative link", "[click](handbook/)", "a link to this site must start with /"),
    ("style", "<style>body{display:none}</style>", "the HTML element <style> is not allowed"),
    ("heading attribute trick", '## Trick {#s1 data-alias="x\\" onmouseover=alert(1) y"}',
     "the attribute onmouseover is not allowed on <h2> (an event handler runs script)"),
    ("heading alias not an anchor", '## Alias {#trick data-alias="Not An Anchor"}', "alias 'Not' must be lower-case ASCII"),
]


@pytest.mark.parametrize("name,markdown,expected", HOSTILE_MARKDOWN, ids=[c[0] for c in HOSTILE_MARKDOWN])
def test_hostile_markdown_is_a_located_error(project, restore, name, markdown, expected):
    line = add_to_about(restore, markdown)
    found = problems(project)
    assert any(p.startswith(f"{ABOUT}:{line}: ") and expected in p for p in found), found


def test_the_heading_trick_cannot_reach_a_page_even_unreported():
    """The sanitiser alone (as if the check had missed it): no handler, no script, no bad link."""
    import markdown
    for _, text, _ in HOSTILE_MARKDOWN:
        out = sanitise.clean(markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables"]))
        lowered = html.unescape(out).lower()
        assert not re.search(r"<(script|iframe|img|style)\b|\son\w+\s*=|javascript:|data:|//evil", lowered), (text, out)


@pytest.mark.parametrize("payload", [
    "<ScRiPt>alert(1)</ScRiPt>", "<svg><script>alert(1)</script></svg>", "<scr<script>ipt>alert(1)</script>",
    '<a href=" javascript:alert(1)">x</a>', '<a href="JAVASCRIPT:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', '<div onclick="alert(1)">x</div>',
    "<!--><script>alert(1)</script>-->", '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<form action="https://evil.example/"><button>x</button></form>', '<object data="x"></object>',
    '<a href="/ok/" style="position:fixed">x</a>', '<p id="x" onmouseover="alert(1)">x</p>',
])
def test_the_sanitiser_removes_what_a_browser_would_run(payload):
    out = sanitise.clean(payload)
    lowered = html.unescape(out).lower()
    assert not re.search(r"<(script|svg|math|img|style|form|object|iframe)\b|\son\w+\s*=|\sstyle=|javascript:|data:", lowered), out
    assert sanitise.problems(payload), f"{payload!r} is not reported"


def test_the_sanitiser_keeps_the_real_content_as_it_is():
    """The allow-list is what content/ uses: sanitising changes none of its HTML."""
    import markdown
    for path in sorted(ROOT.glob("content/*/*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        made = markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables"], output_format="html")
        assert sanitise.problems(made) == [], path
        assert sanitise.clean(made) == made, path


def test_no_page_of_the_real_site_carries_a_handler_or_inline_script(outputs):
    for rel, data in outputs.items():
        if rel.endswith(".html"):
            text = data.decode()
            assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text), rel
            assert "javascript:" not in text.lower(), rel
            scripts = re.findall(r"<script\b[^>]*>", text)
            assert all("src=" in s or re.search(r'type="application/(ld\+)?json"', s) for s in scripts), (rel, scripts)


# --- Control and bidi-override characters ---------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85", "\u202a", "\u202e", "\u2066", "\u2069"])
def test_a_control_or_bidi_character_in_data_is_a_located_error(project, restore, char):
    escaped = f'name_en: "Uo\\u{ord(char):04x}zu"'
    restore("data/pairs.yaml", old="name_en: Uozu", new=escaped)
    found = problems(project)
    assert any(p.startswith("data/pairs.yaml:13: a text contains U+") and f"U+{ord(char):04X}" in p
               and "control and bidirectional-override characters are not allowed" in p for p in found), found


def test_a_raw_right_to_left_override_is_found_on_its_line(project, restore):
    restore("data/pairs.yaml", old="name_en: Uozu", new="name_en: Uo\u202ezu")
    restore(ABOUT, old="title: ", new="title: \u2067")
    found = problems(project)
    assert f"data/pairs.yaml:13: contains U+202E (RIGHT-TO-LEFT OVERRIDE): {limits.FORBIDDEN_HINT}" in found, found
    assert any(p.startswith(f"{ABOUT}:2: contains U+2067 (RIGHT-TO-LEFT ISOLATE)") for p in found), found


def test_a_bidi_override_written_as_a_character_reference_is_found(project, restore):
    line = add_to_about(restore, "Names: &#x202E;ozuU and &#8238;x")
    assert f"{ABOUT}:{line}: a character reference stands for U+202E (RIGHT-TO-LEFT OVERRIDE): {limits.FORBIDDEN_HINT}" \
        in problems(project)


@pytest.mark.parametrize("written,said", [
    ("&#0;", "&#0; stands for no character a page may show"), ("&#xD800;", "&#55296; stands for no character"),
    ("&#x110000;", "stands for no character"), ("&#xFFFE;", "stands for U+FFFE (a noncharacter)"),
    ("&#8203;", "stands for U+200B (ZERO WIDTH SPACE)"), ("&ZeroWidthSpace;", "stands for U+200B (ZERO WIDTH SPACE)"),
    ("&NoBreak;", "stands for U+2060 (WORD JOINER)"), ("&#xfeff;", "stands for U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
])
def test_a_reference_to_no_character_or_an_invisible_one_is_found(project, restore, written, said):
    """&#0;, U+FFFE/U+FFFF and zero-width characters were accepted silently (issue 17, item 11)."""
    line = add_to_about(restore, f"Name{written}s")
    assert any(p.startswith(f"{ABOUT}:{line}: ") and said in p for p in problems(project)), problems(project)


@pytest.mark.parametrize("char", ["\u200b", "\u2060", "\ufeff", "\ufffe", "\uffff", "\ufdd0", "\u180e"])
def test_an_invisible_character_or_a_noncharacter_inside_a_name_is_a_located_error(project, restore, char):
    restore("data/pairs.yaml", old="name_en: Uozu", new=f'name_en: "Uo\\u{ord(char):04x}zu"')
    found = problems(project)
    assert any(p.startswith("data/pairs.yaml:13: a text contains U+") and f"U+{ord(char):04X}" in p for p in found), found
    restore("data/pairs.yaml", old=f'name_en: "Uo\\u{ord(char):04x}zu"', new=f"name_en: Uo{char}zu")
    assert any(p.startswith("data/pairs.yaml:13: contains U+") and f"U+{ord(char):04X}" in p for p in problems(project))


def test_joiners_that_scripts_need_are_allowed(project, restore):
    restore("data/pairs.yaml", old="name_en: Uozu", new='name_en: "Uo\\u200czu\\u200d"')
    assert gather(project).registry.pairs[0].partner.name_en == "Uo\u200czu\u200d"


def test_marks_tabs_and_line_breaks_are_allowed(project, restore):
    restore("data/pairs.yaml", old="name_en: Uozu", new='name_en: "Uozu\\u200e"')
    assert gather(project).registry.pairs[0].partner.name_en == "Uozu\u200e"


# --- BCP 47 language tags -------------------------------------------------------------------------------

@pytest.mark.parametrize("tag,valid", [
    ("ja", True), ("zh-Hans", True), ("zh-Hant-TW", True), ("sr-Latn", True), ("tl", True), ("yue-HK", True),
    ("en-US-x-twain", True), ("jp", False), ("english", False), ("zh-Hans-", False), ("x", False), ("ja_JP", False),
    ("qqqqqqqqq", False), ("xx", False), ("de-1996", True), ("<script>", False),
])
def test_language_tags_are_checked_with_langcodes(tag, valid):
    assert (langtags.problem(tag) is None) == valid, tag


def test_a_bad_lang_in_data_or_content_is_a_located_error(project, restore):
    restore("data/pairs.yaml", old="lang: ja", new="lang: jp")
    restore("data/countries.yaml", old="lang: zh-Hans", new="lang: chinese")
    line = add_to_about(restore, '<span lang="klingon-x">Qapla</span>')
    found = problems(project)
    assert "data/pairs.yaml:15: lang 'jp' is not a valid BCP 47 language tag " \
           "(such as ja, zh-Hans, vi; see the IANA language subtag registry)" in found, found
    assert any(p.startswith("data/countries.yaml:7: lang 'chinese' is not a valid BCP 47") for p in found), found
    assert any(p.startswith(f"{ABOUT}:{line}: lang 'klingon-x' is not a valid BCP 47") for p in found), found


def test_any_lang_field_of_any_data_file_is_checked(project, restore):
    """A file or field added later (a parent_lang, a new data file) is checked without new code."""
    from portal import yamlfile
    from portal.errors import Problems
    path = restore("data/extra.yaml", "items:\n- name: x\n  parent_lang: zh_CN\n- name: y\n  lang: vi\n")
    problems = Problems()
    yamlfile.load_as(path, "data/extra.yaml", problems, dict, "a mapping")
    assert [str(p) for p in problems.items] == [
        "data/extra.yaml:3: parent_lang 'zh_CN' is not a valid BCP 47 language tag (such as ja, zh-Hans, vi; "
        "see the IANA language subtag registry)"]


# --- base_url and PORTAL_BASE_URL -----------------------------------------------------------------------

@pytest.mark.parametrize("url,why", [
    ("https://example.org", None), ("http://localhost:8000", None), ("https://example.org/portal", None),
    ("https://example.org\nSitemap: https://evil.example/", "must not contain spaces, line breaks"),
    ("https://exa mple.org", "must not contain spaces"), ("javascript:alert(1)", "must start with https://"),
    ("https://", "must name a host"), ("https://user:secret@example.org", "must not contain a user name or password"),
    ("ftp://example.org", "must start with https://"), ("https://example.org/?q=1", "must not have a query"),
    ("https://example.org:port", "is not a URL"), ("//example.org", "must start with https://"),
    # issue 17, item 4: nothing that means something in HTML, XML or robots.txt
    ('https://example.org/"><x', "may contain only ASCII letters"), ("https://example.org/a<b>", "may contain only"),
    ('https://ex"ample.org', "may contain only"), ("https://example.org/a'b", "may contain only"),
    ("https://example.org/a&b", "may contain only"), ("https://example.org/a%2", "may contain only"),
    ("https://example.org/%E0%B8%81", None), ("https://sub.example.org:8443/portal/th-en_1~x", None),
])
def test_site_addresses_are_plain_absolute_http_urls(url, why):
    got = base_url_problem(url)
    assert (got is None) if why is None else (got is not None and why in got), got


def test_a_bad_base_url_is_a_located_error_and_a_bad_environment_variable_a_clear_one(project, restore, monkeypatch):
    site = (ROOT / "data/site.yaml").read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(site.splitlines(), 1) if ln.startswith("base_url:"))
    restore("data/site.yaml", re.sub(r"(?m)^base_url:.*$", 'base_url: "https://example.org\\nDisallow: /"', site))
    monkeypatch.setenv("PORTAL_BASE_URL", "javascript:alert(document.domain)")
    found = problems(project)
    assert any(p.startswith(f"data/site.yaml:{line}: base_url must not contain spaces, line breaks") for p in found), found
    assert ("environment variable PORTAL_BASE_URL: must start with https:// (or http://), such as https://example.org, "
            "not 'javascript:alert(document.domain)': set it right, or unset it to use base_url of data/site.yaml") in found


# --- static/ and content/ file names --------------------------------------------------------------------

def test_a_symlink_or_an_odd_name_in_static_is_a_located_error(project, restore):
    link = restore("static/passwd")
    link.symlink_to("/etc/passwd")
    odd = restore("static/css/my style.css", "x")
    hidden = restore("static/.hidden", "x")     # skipped, as before
    folder_link = project / "static" / "etc"
    folder_link.symlink_to("/etc")
    try:
        found = problems(project)
    finally:
        folder_link.unlink()
    assert "static/passwd: is a symbolic link: put the file itself there (a link would publish whatever it points to)" in found
    assert "static/etc: is a symbolic link: put the file itself there (a link would publish whatever it points to)" in found
    assert any(p.startswith("static/css/my style.css: the name must be ASCII letters") for p in found), found
    assert not any(".hidden" in p for p in found)
    assert hidden.exists() and odd.exists()


def test_a_content_file_with_a_space_in_its_name_is_refused(project, restore):
    for lang in ("en", "th"):
        restore(f"content/{lang}/a b.md", (ROOT / f"content/{lang}/about.md").read_text(encoding="utf-8"))
    found = problems(project)
    assert "content/en/a b.md: the file name 'a b' must be lower-case ASCII letters, digits and hyphens, at most 80 " \
           "characters (it is the page's address): rename the file" in found, found


def test_a_failed_hostile_build_leaves_site_untouched(project, restore, tmp_path):
    site = tmp_path / "site"
    build(project, site)
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    add_to_about(restore, "<script>alert(1)</script>")
    with pytest.raises(BuildError):
        build(project, site)
    assert {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert os.path.islink(site)


# --- Markdown that would take minutes (issue 17, item 1) -----------------------------------------------

def test_a_line_of_nested_brackets_is_a_located_limit_error_at_once(project, restore):
    """100,001 characters of [[[…x…]]] took Markdown more than a minute; now refused before it parses."""
    line = add_to_about(restore, "Intro [a link](/handbook/).\n\n" + "[" * 50_000 + "x" + "]" * 50_000)
    started = time.monotonic()
    found = problems(project)
    assert time.monotonic() - started < 5
    assert (f"{ABOUT}:{line + 2}: one paragraph opens more than 200 brackets '[' (Markdown would take minutes): "
            "split it, or write the brackets as &#91; (see docs/DATA.md, Limits)") in found, found


def test_brackets_spread_over_paragraphs_are_allowed(project, restore):
    add_to_about(restore, "\n\n".join(f"See [{i}](/handbook/) and [x] [y]." for i in range(120)))
    gather(project)   # 360 brackets, but never more than three in one paragraph


def test_markdown_that_outlasts_its_time_budget_is_a_located_error(project, restore, monkeypatch):
    """Whatever the checks on the text miss (here: many headings, slow to parse but within every
    other limit), converting one document has a CPU budget; what exceeds it is reported at its
    longest block."""
    monkeypatch.setattr(limits, "MARKDOWN_SECONDS", 0.2)
    line = add_to_about(restore, "Short.\n\n" + "## x\n" * 30_000)
    started = time.monotonic()
    found = problems(project)
    assert time.monotonic() - started < 20
    assert any(p.startswith(f"{ABOUT}:{line + 2}: converting this document takes Markdown more than 0.2 s (a limit: "
                            "see docs/DATA.md, Limits); the longest block, which starts here (30000 lines)")
               for p in found), found


def test_the_time_budget_holds_in_the_command_lines_build(project, tmp_path):
    """The command line's build (with its build cache, .cache/; in whichever process converts the
    Markdown): a 1.7 MB table (an 800 kB one took 10–16 s before; this one about 20–30 s of CPU)
    stops there too, after 3 s, with its file and line. Measured in CPU time (the build and its
    helpers): on a busy machine the wall clock says little."""
    import resource
    about = project / ABOUT
    original = about.read_text(encoding="utf-8")
    line = original.count("\n") + 2
    about.write_text(original + "\n" + "|a|b|c|d|\n|-|-|-|-|\n" + "|xx|yy|zz|ww|\n" * 120_000, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(project),
                              "--site", str(tmp_path / "site")], capture_output=True, text=True, timeout=300)
    finally:
        about.write_text(original, encoding="utf-8")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"{ABOUT}:{line}: converting this document takes Markdown more than 3 s" in run.stderr, run.stderr
    assert cpu < 15, f"{cpu:.1f} s of CPU"
    assert not (tmp_path / "site").exists()


def test_the_preview_servers_rebuild_loop_survives_a_markdown_bomb(project, restore, tmp_path):
    """`build.py serve` reports the bomb and picks up the next save."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-u", str(ROOT / "build.py"), "serve", "--root", str(project),
                             "--site", str(tmp_path / "site"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    import queue
    import threading
    said: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [said.put(line) for line in proc.stdout], daemon=True).start()
    lines: list[str] = []

    def wait_for(text: str, seconds: float) -> float:
        started = time.monotonic()
        while (left := seconds - (time.monotonic() - started)) > 0:
            try:
                line = said.get(timeout=left)
            except queue.Empty:
                break
            lines.append(line)
            if text in line:
                return time.monotonic() - started
        raise AssertionError(f"{text!r} not seen in {seconds} s: {''.join(lines)[-3000:]}")
    try:
        wait_for("Serving", 120)
        add_to_about(restore, "[" * 50_000 + "x" + "]" * 50_000)
        assert wait_for("one paragraph opens more than 200 brackets", 30) < 30
        restore(ABOUT, (ROOT / ABOUT).read_text(encoding="utf-8") + "\nA later save.\n")
        wait_for("Built in", 60)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_sitemap_is_well_formed_xml_whatever_it_quotes():
    """Every value the sitemap writes is escaped for XML text and attributes alike (issue 17, item 4)."""
    import xml.etree.ElementTree as ET
    from types import SimpleNamespace
    from portal import extras
    base = 'https://example.org/a&b"c<d>\'e'   # refused as base_url; escaped even so
    pages = [SimpleNamespace(kind="pair", url="/en/pairs/x/", alternates=[{"lang": 'th"', "url": "/th/pairs/x/"}])]
    xml = extras.sitemap(SimpleNamespace(site={"base_url": base}), pages)
    root = ET.fromstring(xml)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    assert root.find("s:url/s:loc", ns).text == base + "/en/pairs/x/"
    link = root.find("s:url/x:link", ns)
    assert link.get("href") == base + "/th/pairs/x/" and link.get("hreflang") == 'th"'


def test_the_real_sitemap_parses(outputs):
    import xml.etree.ElementTree as ET
    assert len(ET.fromstring(outputs["sitemap.xml"])) > 400


def test_symbolic_links_in_content_data_and_templates_are_refused(project, restore, tmp_path):
    """A link to a Markdown file outside the project was published at /en/leak/ (issue 17, item 5)."""
    secret = tmp_path / "secret.md"
    secret.write_text((ROOT / ABOUT).read_text(encoding="utf-8").replace("About", "Secret"), encoding="utf-8")
    outside = tmp_path / "regions.yaml"
    outside.write_text((ROOT / "data/regions.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    made = []
    try:
        for rel, target in (("content/en/leak.md", secret), ("content/th/leak.md", secret),
                            ("templates/_leak.html", secret), ("data/geo/leak.json", outside)):
            (project / rel).symlink_to(target)
            made.append(project / rel)
        regions = restore("data/regions.yaml")
        regions.unlink()
        regions.symlink_to(outside)
        found = problems(project)
    finally:
        for path in made:
            path.unlink()
    said = ("is a symbolic link: put the file or folder itself there (data/, content/, templates/ and static/ hold no "
            "links: a link would read whatever it points to into the site)")
    for rel in ("content/en/leak.md", "content/th/leak.md", "templates/_leak.html", "data/geo/leak.json", "data/regions.yaml"):
        assert f"{rel}: {said}" in found, (rel, found)
    assert not any("Secret" in p for p in found)


def test_a_linked_content_folder_is_refused_once(project, tmp_path):
    import shutil
    elsewhere = tmp_path / "en"
    shutil.copytree(project / "content" / "en", elsewhere)
    folder = project / "content" / "en"
    shutil.rmtree(folder)
    folder.symlink_to(elsewhere)
    try:
        found = problems(project)
    finally:
        folder.unlink()
        shutil.copytree(elsewhere, folder)
    assert [p for p in found if "symbolic link" in p] == [
        "content/en: is a symbolic link: put the file or folder itself there (data/, content/, templates/ and static/ "
        "hold no links: a link would read whatever it points to into the site)"]


@pytest.mark.parametrize("marks", [">" * 200, ">" * 13, "> >>" * 5, ">>- " * 7, " >\t>>>>>>>>>>>>"])
def test_block_quote_marks_without_spaces_count_toward_the_nesting_limit(project, restore, marks):
    """'>' × 200 made 200 nested <blockquote> (issue 17, item 6)."""
    line = add_to_about(restore, marks + "x")
    found = problems(project)
    assert any(p.startswith(f"{ABOUT}:{line}: lists and block quotes are nested ") and "more than 12: flatten them" in p
               for p in found), found


def test_twelve_quote_marks_are_allowed(project, restore):
    add_to_about(restore, ">" * 12 + "x")
    doc = gather(project).docs[("en", "about")]
    assert doc.html.count("<blockquote>") == 12


def test_an_id_of_the_content_that_repeats_one_of_its_page_is_refused(project, restore):
    """id="main" (the skip link's target) or id="step-2" (a section officials link to) inside a
    document was published beside the original (issue 17, item 9): refused at its line, never
    renamed (a renamed id would break links to it; a repeated one captures the section's)."""
    line = add_to_about(restore, '<span id="main">x</span>\n\n<span id="twice">a</span> <span id="twice">b</span>')
    handbook = "content/en/handbook.md"
    text = (ROOT / handbook).read_text(encoding="utf-8")
    restore(handbook, text.replace("\n## ", '\n<p id="step-2">Early</p>\n\n## ', 1))
    step_line = text[:text.index("\n## ") + 1].count("\n") + 1
    with pytest.raises(BuildError) as err:
        build(project, write=False)
    found = [str(p) for p in err.value.problems]
    said = "is already used on this page (by the layout, a section anchor or another element): give this element another id"
    assert f"{ABOUT}:{line}: the id 'main' {said}" in found, found
    assert f"{ABOUT}:{line + 2}: the id 'twice' {said}" in found, found
    assert f"{handbook}:{step_line}: the id 'step-2' {said}" in found, found


def test_no_page_of_the_real_site_repeats_an_id(outputs):
    for rel, data in outputs.items():
        if rel.endswith(".html"):
            assert content.repeated_ids(data.decode()) == [], rel


@pytest.mark.parametrize("href", ["https://user:pass@example.org/", "https://gov.example@evil.example/",
                                  "http://a@b.example/x"])
def test_a_link_with_a_user_name_or_password_is_refused(project, restore, href):
    line = add_to_about(restore, f"See [the site]({href}).")
    assert (f"{ABOUT}:{line}: link {limits.excerpt(href)}: an address must not carry a user name or password "
            "(user:pass@…): it can disguise where the link leads") in problems(project)


def test_a_mail_link_is_not_a_user_name(project, restore):
    add_to_about(restore, "Write to <a href=\"mailto:info@example.org\">us</a>.")
    gather(project)
