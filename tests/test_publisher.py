"""Who publishes the portal, whether it is official, how to report a mistake (all from data/site.yaml),
and Bangkok's statement: on the real build (the honest default) and on copies with other settings."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import ROOT, STRINGS
from portal import urls
from portal.errors import BuildError, Problems
from portal.publisher import Publisher
from portal.site import build, gather

SITE_YAML = (ROOT / "data" / "site.yaml").read_text(encoding="utf-8")


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def section(page_html: str, anchor: str) -> str:
    """The text of a section of a document page, after its heading, up to the next."""
    return text_of(page_html.split(f'id="{anchor}"', 1)[1].split("</h2>", 1)[1].split("<h2", 1)[0])


def footer(page_html: str) -> str:
    return text_of(page_html.split('<footer class="site-footer">', 1)[1])


# ---------------------------------------------------------------- the real build: no publisher, no contact

def test_every_page_footer_says_whose_list_and_that_the_site_is_not_official(outputs):
    pages = {rel: body.decode() for rel, body in outputs.items() if rel.endswith(".html") and rel.startswith(("th/", "en/"))}
    assert len(pages) > 400
    for rel, body in pages.items():
        t = STRINGS[rel[:2]]
        said = footer(body)
        assert t["footer_whose_list"] in said and t["footer_unofficial"] in said, f"site/{rel}: {said[:300]}"
        assert f'href="/{rel[:2]}/about/#publisher"' in body.split('<footer class="site-footer">', 1)[1], rel


@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_about_page_says_there_is_no_publisher_or_contact_and_whom_to_ask(page, lang):
    t = STRINGS[lang]
    about = page(f"/{lang}/about/")
    publisher = section(about, "publisher")
    assert t["publisher_unnamed"] in publisher and t["contact_none"] in publisher
    assert t["publisher_unofficial"] in publisher
    assert ("MOI 0204.1/W 14133" if lang == "en" else "มท ๐๒๐๔.๑/ว ๑๔๑๓๓") in publisher   # whom to ask: the ministry that sent the list
    report = section(about, "report")
    assert report == f'{t["report_how_none"]} {t["report_page_title"]}'   # and a link to the report page
    assert "@" not in publisher + report                                                # no invented address


@pytest.mark.parametrize("lang", ("th", "en"))
def test_every_pair_page_has_a_report_link_to_how_to_report(built, page, lang):
    pairs = [p for p in built.pages if p.kind == "pair" and p.lang == lang]
    assert len(pairs) == 141
    for p in pairs:
        body = page(p.url)
        link = re.search(r'<p class="report-link"><a href="([^"]+)">(.*?)</a>', body)
        assert link, p.url
        assert text_of(link.group(2)) == STRINGS[lang]["report_mistake"]   # (Thai words may be kept whole in spans)
        # the report page (issue 20) with the record in its address (review item 12), the record named beside it
        assert link.group(1) == f"/{lang}/report/?record={p.context['pair'].id}"
        assert STRINGS[lang]["report_link_record"].replace("{id}", p.context["pair"].id) in text_of(body)


@pytest.mark.parametrize("lang", ("th", "en"))
def test_bangkok_says_it_is_not_a_province_of_the_list(built, page, lang):
    bangkok = next(p for p in built.pages if p.kind == "province" and p.context["province"].slug == "bangkok")
    body = text_of(page(urls.province(lang, "bangkok")).split("<main", 1)[1])
    note = bangkok.context["province"].list_note(lang)
    assert note and " ".join(note.split()) in body
    assert STRINGS[lang]["summary_none"] not in body       # not "no partner in the list"
    nan = text_of(page(urls.province(lang, "nan")).split("<main", 1)[1])
    assert STRINGS[lang]["summary_none"] in nan            # a province with none still says so


# ---------------------------------------------------------------- other settings in data/site.yaml

def with_site(project, extra: str) -> None:
    (project / "data" / "site.yaml").write_text(
        SITE_YAML.split("\npublisher:")[0] + "\n" + extra, encoding="utf-8")


def test_a_named_official_publisher_with_an_address(project, tmp_path):
    with_site(project, "publisher:\n  en: Example Office\n  th: สำนักงานตัวอย่าง\nofficial: true\n"
                       "contact: mailto:records@example.org\n")
    result = build(project, tmp_path / "site")
    out = {rel: body.decode() for rel, body in result.outputs.items() if rel.endswith(".html")}
    for lang in ("th", "en"):
        t = STRINGS[lang]
        home = footer(out[f"{lang}/index.html"])
        assert t["footer_official"].replace("{publisher}", "สำนักงานตัวอย่าง" if lang == "th" else "Example Office") in home
        assert t["footer_unofficial"] not in home
        about = out[f"{lang}/about/index.html"]
        assert 'href="mailto:records@example.org">records@example.org</a>' in about
        assert section(about, "report") == f'{t["report_how_mail"]} {t["report_page_title"]}'   # and the report page
        pair = out[f"{lang}/pairs/chiang-mai-uozu/index.html"]
        href = html.unescape(re.search(r'<p class="report-link"><a href="([^"]+)"', pair).group(1))
        parts = urlsplit(href)
        assert parts.scheme == "mailto" and parts.path == "records@example.org"
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert "chiang-mai-uozu" in query["subject"]
        body = query["body"]
        assert "chiang-mai-uozu" in body
        assert f"http://localhost:8000/{lang}/pairs/chiang-mai-uozu/" in body
        assert "๓๒/๑ จังหวัดเชียงใหม่ – เมืองยูโอซู" in body     # the list's row, as printed


def test_a_form_address_is_filled_in_with_the_record():
    pub = Publisher("X", "X", False, "https://forms.example.org/report?record={id}&page={url}&row={row}")
    href = pub.report_href("en", STRINGS["en"], "tak-myawaddy", "https://example.org/en/pairs/tak-myawaddy/",
                           "๖๐/๙๐ (OP) จังหวัดตาก - เมืองเมียวดี")
    query = parse_qs(urlsplit(href).query)
    assert query == {"record": ["tak-myawaddy"], "page": ["https://example.org/en/pairs/tak-myawaddy/"],
                     "row": ["๖๐/๙๐ (OP) จังหวัดตาก - เมืองเมียวดี"]}
    assert pub.contact_kind == "form" and pub.contact_address() == "forms.example.org"
    assert unquote(Publisher().report_href("th", STRINGS["th"], "a-b", "u", "r")) == "/th/report/?record=a-b"   # (issue 20; the record carried: review item 12)


def test_bad_settings_are_reported_at_their_lines_all_at_once(project):
    with_site(project, "publisher:\n  en: Example Office\n  fr: Bureau\nofficial: yes please\n"
                       "contact: records at example.org\nwebmaster: me\n")
    with pytest.raises(BuildError) as err:
        gather(project)
    found = [str(p) for p in err.value.problems]
    first = SITE_YAML.split("\npublisher:")[0].count("\n") + 2     # the line of "publisher:"
    assert found == [
        f"data/site.yaml:{first + 5}: 'webmaster' is not a known field (expected base_url, publisher, official, contact, licensor)",
        f"data/site.yaml:{first + 2}: 'publisher.fr' is not a known field (expected en, th)",
        f"data/site.yaml:{first}: publisher.th must be the publisher's name in Thai (it is missing)",
        f"data/site.yaml:{first + 3}: official must be true or false, not 'yes please'",
        f"data/site.yaml:{first + 4}: contact must be a mailto:name@example.org address or an https:// form address "
        "(which may contain {id}, {url}, {row}), or null; not 'records at example.org'",
    ]


@pytest.mark.parametrize("extra, message", [
    ("official: true\n", "official: true needs a publisher"),
    ("contact: mailto:someone@\n", "contact must be a mailto:"),
    ("contact: http://example.org/form\n", "contact must be a mailto:"),
    ("contact: https://example.org/form?x={name}\n", "contact must be a mailto:"),
])
def test_an_official_site_needs_a_publisher_and_a_contact_must_be_an_address(project, extra, message):
    with_site(project, extra)
    with pytest.raises(BuildError) as err:
        gather(project)
    assert any(message in str(p) and str(p).startswith("data/site.yaml:") for p in err.value.problems), err.value.problems


def test_a_list_note_needs_both_languages(project):
    path = project / "data" / "provinces.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  list_note_th:")
    end = text.index("\n", text.index("(รายการที่")) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    assert any("province 'Bangkok': list_note_th is missing" in str(p) for p in err.value.problems), err.value.problems


# ---------------------------------------------------------------- in a browser, at both widths

from browser import SCREENSHOTS, chromium, open_page, served, shared_page  # noqa: E402,F401

SHOTS = [("pair", "/{lang}/pairs/chiang-mai-kunming/", ".report-link a"),
         ("about", "/{lang}/about/#publisher", "#publisher"),
         ("bangkok", "/{lang}/provinces/bangkok/", ".outside-list"),
         ("handbook-quotes", "/{lang}/handbook/#s5-2", "#step-2-4")]


@pytest.mark.parametrize("width", (360, 1280))
@pytest.mark.parametrize("lang", ("th", "en"))
@pytest.mark.parametrize("name, url, shown", SHOTS, ids=[s[0] for s in SHOTS])
def test_the_statements_and_the_report_link_are_on_screen(served, shared_page, lang, width, name, url, shown):
    base, _samples = served
    page = shared_page(width, 800)
    open_page(page, base, url.format(lang=lang))
    element = page.locator(shown).first
    element.scroll_into_view_if_needed()
    assert element.is_visible()
    box = element.bounding_box()
    assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    if name == "bangkok":   # the statement is the answer: above the fold, not below a map
        page.evaluate("window.scrollTo(0, 0)")
        assert page.locator(shown).bounding_box()["y"] < 800
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"trust-{name}-{lang}-{width}.png"), full_page=name != "handbook-quotes")
