"""Relations a source names outside the ministry's list (data/other_relations.yaml): each row is the
source's row, verbatim at its line; each is shown on its province's and its country's page under a
heading that names the source and its date; none is ever counted as a pair of the list."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT
from portal import thai, urls
from portal.site import build


NO_BREAK = re.compile(r'<span class="nw">([^<]*)</span>')


@pytest.fixture
def page(page):
    """The page's HTML without the no-break spans (portal/typeset.py), which these tests are not about."""
    return lambda url: NO_BREAK.sub(r"\1", page(url))

# The seed documents beside the checkout (/work/main → /work/shared), or one level up from a worktree.
SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds") if p.exists()),
             ROOT.parent / "shared" / "seeds")
RELATIONS = yaml.safe_load((ROOT / "data" / "other_relations.yaml").read_text(encoding="utf-8"))
COUNTRIES = yaml.safe_load((ROOT / "data" / "countries.yaml").read_text(encoding="utf-8"))
PROVINCES = yaml.safe_load((ROOT / "data" / "provinces.yaml").read_text(encoding="utf-8"))


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents (shared/seeds) are not beside this checkout")
def test_every_source_row_is_verbatim_at_its_line():
    for r in RELATIONS:
        lines = (SEEDS / r["source"]["file"]).read_text(encoding="utf-8").split("\n")
        assert lines[r["source"]["line"] - 1].strip() == r["source"]["row"], r["id"]


def test_the_relations_the_issue_names_are_there_with_their_level_and_status():
    got = {r["id"]: (r["province"], r["level"], r["status"], r["partner"]["name_en"]) for r in RELATIONS}
    assert got["mae-sai-yuki"] == ("Chiang Rai", "district", "signed", "Yuki")
    assert got["bangkok-tokyo"] == ("Bangkok", "bma", "signed", "Tokyo")
    assert got["bangkok-yachiyo"] == ("Bangkok", "bma", "signed", "Yachiyo")
    assert got["phra-nakhon-si-ayutthaya-shizuoka"] == ("Phra Nakhon Si Ayutthaya", "province", "in_progress", "Shizuoka")
    assert got["phra-nakhon-si-ayutthaya-kyoto"] == ("Phra Nakhon Si Ayutthaya", "province", "wished", "Kyoto")


def test_no_relation_repeats_a_pair_of_the_list():
    pairs = yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8"))
    listed = {(p["province"], p["partner"]["name_en"]) for p in pairs}
    for r in RELATIONS:
        assert (r["province"], r["partner"]["name_en"]) not in listed, r["id"]


def _section(html: str) -> str:
    m = re.search(r'<section class="other-relations".*?</section>', html, re.S)
    assert m, "no section of relations named in another source"
    return m.group(0)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_each_relation_is_on_its_province_and_country_page_with_its_anchor_and_source(page, lang):
    date = "๒๗ สิงหาคม ๒๕๖๑" if lang == "th" else "27 August 2018"
    for r in RELATIONS:
        slug = PROVINCES[r["province"]]["slug"]
        country = COUNTRIES[r["partner"]["country"]]["slug"]
        for url in (urls.province(lang, slug), urls.country(lang, country)):
            section = _section(page(url))
            heading = re.search(r'<h2 id="other-relations">(.*?)</h2>', section).group(1)
            assert date in heading, url     # the heading names the source's date (BE on Thai pages)
            items = {chunk.split('"', 1)[0]: chunk for chunk in section.split('<li class="counterpart" id="other-')[1:]}
            item = items.get(r["id"])
            assert item, (url, r["id"])
            cells = r["source"]["row"].split("\t")
            shown = re.sub(r"<[^>]+>", "", item)   # (the language-of-parts spans split a cell's text)
            assert all(c in shown for c in cells), (url, r["id"])   # the row, cell by cell, verbatim
            line = thai.number(r["source"]["line"], lang)
            assert line in section


def test_the_country_page_links_the_thai_party_and_the_province_page_the_country(page):
    japan = _section(page("/en/countries/japan/"))
    assert '<a href="/en/provinces/chiang-rai/">Mae Sai District, Chiang Rai</a>' in japan
    bangkok = _section(page("/th/provinces/bangkok/"))
    assert '<a href="/th/countries/japan/">ญี่ปุ่น</a>' in bangkok
    assert "ความสัมพันธ์ของกรุงเทพมหานคร" in bangkok   # one label for every status (issue 16, item 31)


def test_the_relation_url_resolves_to_its_anchor(page):
    from portal.site import gather
    for rel in gather(ROOT).registry.other_relations:
        for lang in urls.LANGS:
            url, anchor = urls.other_relation_url(lang, rel).split("#")
            assert f'id="{anchor}"' in page(url)


def test_a_page_without_relations_shows_no_section(page):
    assert 'class="other-relations"' not in page("/en/provinces/chiang-mai/")
    assert 'class="other-relations"' not in page("/th/countries/china/")


# Everything that counts pairs: lists, totals, statistics, downloads.
COUNTING = ["/{lang}/", "/{lang}/stats/", "/{lang}/countries/", "/{lang}/provinces/", "/{lang}/pairs/", "/{lang}/plan/"]
DOWNLOADS = ["data/pairs.csv", "data/pairs.json", "data/pairs.geojson"]


def test_relations_outside_the_list_are_never_counted(project, outputs):
    """The same project without data/other_relations.yaml yields the same totals, statistics and
    downloads, byte for byte; and the pages that show them count only the list's pairs."""
    others = {r["id"] for r in yaml.safe_load((project / "data" / "other_relations.yaml").read_text(encoding="utf-8"))}
    (project / "data" / "other_relations.yaml").unlink()
    events = project / "data" / "events.yaml"   # (issue 20) their events go with them
    if events.exists():
        kept = [e for e in yaml.safe_load(events.read_text(encoding="utf-8")) if e["relation"] not in others]
        events.write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")
        gone = others | {e["id"] for e in yaml.safe_load((ROOT / "data" / "events.yaml").read_text(encoding="utf-8"))
                         if e["relation"] in others}
        cited = project / "data" / "outside_sources.yaml"   # (the sources page) reports cited only by them go too
        reports = [{**r, "used_by": [u for u in r["used_by"] if u not in gone]}
                   for r in yaml.safe_load(cited.read_text(encoding="utf-8"))]
        cited.write_text(yaml.safe_dump([r for r in reports if r["used_by"]], allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    without = build(project, None, write=False).outputs
    for lang in urls.LANGS:
        for u in COUNTING:
            path = urls.output_path(u.format(lang=lang))
            if u == "/{lang}/provinces/":
                # Bangkok, listed apart from the provinces, says how many relations the other source
                # names (issue 16 item 2); every count of the list's pairs is the same without them
                # (and the map draws Bangkok in the fill of "relations outside the list", with its key)
                def apart(html: bytes) -> str:
                    html = re.sub(r'<section aria-labelledby="special-areas">.*?</section>', "", html.decode(), flags=re.S)
                    return re.sub(r'<svg .*?</svg>|<ul class="map-legend".*?</ul>', "", html, flags=re.S)
                assert apart(outputs[path]) == apart(without[path]), path
                continue
            assert outputs[path] == without[path], path
    for path in DOWNLOADS:
        if path in outputs:
            assert outputs[path] == without[path], path
    # The province and country pages that show them keep their counts of pairs.
    for path in ("en/provinces/phra-nakhon-si-ayutthaya/index.html", "en/countries/japan/index.html",
                 "th/provinces/bangkok/index.html"):
        a, b = outputs[path].decode(), without[path].decode()
        cut = lambda html: re.sub(r'<section class="(?:other-relations|latest-events)".*?</section>\n?'
                                  r'|<svg .*?</svg>|<ul class="map-legend".*?</ul>', "", html, flags=re.S)   # (Bangkok's fill)
        assert cut(a) == cut(b), path


def test_a_note_naming_another_relation_links_to_it(page):
    html = page("/en/provinces/phra-nakhon-si-ayutthaya/")
    item = html.split('id="other-phra-nakhon-si-ayutthaya-kyoto"', 1)[1]
    assert ('<a href="/en/provinces/phra-nakhon-si-ayutthaya/#other-phra-nakhon-si-ayutthaya-shizuoka">'
            "Phra Nakhon Si Ayutthaya Province – Shizuoka</a>") in item    # by its name, never its id (review item 3)


def test_a_pair_page_shows_the_partners_other_names_with_their_kind_and_language(page):
    html = page("/en/pairs/trang-guangzhou/")
    assert '<span lang="en">Canton</span> (former name)' in html
    assert '<span lang="th">กวางตุ้ง</span> (ชื่อที่เรียกกันทั่วไป)' in page("/th/pairs/trang-guangzhou/")


def test_an_alias_edited_in_the_preview_rerenders_the_pair_page(project):
    """Pair pages show the aliases: a change to data/aliases.yaml alone must rebuild them."""
    from portal.site import Builder
    builder = Builder(project, project / "site", preview=True)
    builder.build()
    path = project / "data" / "aliases.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Canton,", "name: Kanton,"), encoding="utf-8")
    result = builder.build()
    assert "/en/pairs/trang-guangzhou/" in result.rendered
    assert b"Kanton" in (project / "site" / "en" / "pairs" / "trang-guangzhou" / "index.html").read_bytes()
