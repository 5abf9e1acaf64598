"""The page plan and what each page shows, on the real registry."""
from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from portal import urls
from conftest import ROOT

PAIRS = yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8"))


def kinds(built, lang):
    return Counter(p.kind for p in built.pages if p.lang == lang and p.url != "/")


def test_every_row_of_the_list_is_a_record():
    status = Counter(r["status"] for r in PAIRS)
    assert status == {"signed": 89, "in_progress": 52}


@pytest.mark.parametrize("lang", ["th", "en"])
def test_one_page_per_province_country_and_pair_in_each_language(built, lang):
    k = kinds(built, lang)
    countries = yaml.safe_load((ROOT / "data" / "countries.yaml").read_text(encoding="utf-8"))
    assert k["province"] == 77
    assert k["pair"] == len(PAIRS) == 141
    assert k["country"] == len(countries)
    for kind in ("home", "provinces", "countries", "pairs", "search", "map", "stats", "404"):
        assert k[kind] == 1


def test_every_pair_is_linked_from_its_province_and_its_country_page(page):
    for lang in ("th", "en"):
        for r in PAIRS:
            href = f'href="/{lang}/pairs/{r["id"]}/"'
            slug = r["province"].lower().replace(" ", "-")
            assert href in page(f"/{lang}/provinces/{slug}/"), (lang, r["id"], "province")
    countries = yaml.safe_load((ROOT / "data" / "countries.yaml").read_text(encoding="utf-8"))
    for lang in ("th", "en"):
        for r in PAIRS:
            slug = countries[r["partner"]["country"]]["slug"]
            assert f'href="/{lang}/pairs/{r["id"]}/"' in page(f"/{lang}/countries/{slug}/")


def test_hreflang_alternates_and_switch_point_at_the_same_page_in_the_other_language(built, outputs):
    for p in built.pages:
        if p.url == "/":
            continue
        html = outputs[urls.output_path(p.url)].decode()
        other = urls.switch(p.url)
        assert urls.output_path(other) in outputs, other
        alts = dict(re.findall(r'<link rel="alternate" hreflang="(th|en)" href="[^"]*?(/(?:th|en)/[^"]*)">', html))
        assert alts == {p.lang: p.url, urls.other(p.lang): other}
        assert re.search(rf'<a class="lang-switch" href="{re.escape(other)}" hreflang="{urls.other(p.lang)}"', html)
        assert f'<html lang="{p.lang}"' in html
        assert '<link rel="canonical"' in html


def test_thai_province_list_uses_thai_collation(page):
    html = page("/th/provinces/")
    north = html[html.index('id="region-north"'):html.index('id="region-northeast"')]
    names = re.findall(r'<a href="/th/provinces/[a-z-]+/">(?:<span class="nw">)?([^<]+)(?:</span>)?</a>', north)
    from portal import thai
    assert names == thai.sort_thai(names, key=str)
    assert names.index("เชียงใหม่") < names.index("น่าน")  # not code-point order (เ > น)


def test_a_province_without_partners_is_a_page_that_says_so(page):
    html = page("/en/provinces/nan/")
    assert "no partner, signed or in progress, in the ministry&#39;s list" in html


def test_pair_page_shows_both_sides_status_years_source_and_notes(page):
    r = next(r for r in PAIRS if r["status"] == "signed" and r.get("notes"))
    html = page(f'/en/pairs/{r["id"]}/')
    text = re.sub(r'<span class="nw">([^<]*)</span>', r"\1", html)   # (no-break spans: portal/typeset.py)
    assert r["source"]["row"].replace('"', "&#34;").replace("'", "&#39;") in text
    assert str(r["year_be"] - 543) in html and f'B.E. {r["year_be"]}' in html
    th = page(f'/th/pairs/{r["id"]}/')
    from portal import thai
    assert f'<span class="nw">{thai.year(r["year_be"], "th")}</span>' in th   # kept on one line (portal/typeset.py)


def test_own_script_names_carry_their_language(page):
    r = next(r for r in PAIRS if r["partner"].get("name_native") and r["partner"]["lang"].startswith("zh"))
    html = page(f'/th/pairs/{r["id"]}/')
    assert f'<span class="native" lang="{r["partner"]["lang"]}">{r["partner"]["name_native"]}</span>' in html


def test_in_progress_pair_links_to_the_stages_section(page):
    r = next(r for r in PAIRS if r["status"] == "in_progress")
    assert 'href="/en/handbook/#s5"' in page(f'/en/pairs/{r["id"]}/')


def test_every_page_has_breadcrumbs_as_of_stamp_and_accessibility_link(built, outputs):
    for p in built.pages:
        if p.url == "/":
            continue
        html = outputs[urls.output_path(p.url)].decode()
        assert 'datetime="2019-01-04"' in html, p.url
        assert f'href="/{p.lang}/accessibility/"' in html, p.url
        if p.kind not in ("home", "404"):
            assert 'class="breadcrumbs"' in html, p.url


def test_landing_offers_both_languages_without_javascript(page):
    html = re.sub(r'<span class="nw">([^<]*)</span>', r"\1", page("/"))   # (no-break spans: portal/typeset.py)
    assert '<a href="/th/" hreflang="th">ภาษาไทย</a>' in html
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in html
    assert html.index("/th/") < html.index("/en/")
    assert "http-equiv=\"refresh\"" not in html and "location" not in html   # no redirect (the CSP is an http-equiv too)


def test_every_internal_link_and_fragment_resolves(outputs):
    from portal.links import broken_links
    assert broken_links(outputs, "http://localhost:8000") == []


def test_404_pages_exist_per_language(outputs):
    assert "th/404.html" in outputs and "en/404.html" in outputs and "404.html" in outputs


def test_map_and_chart_pages_speak_the_page_language(page):
    import re
    th = re.sub(r'</?span( class="nw")?>', "", page("/th/map/"))   # (names kept on one line: portal/typeset.py)
    assert "ข้อมูลแผนที่: Natural Earth" in th and "Map data:" not in th
    assert "Map data: Natural Earth" in page("/en/map/")
    assert "ที่ตั้งของจังหวัดเชียงใหม่ในประเทศไทย" in page("/th/provinces/chiang-mai/")


def test_stats_show_the_letters_totals_beside_the_lists_counts(page):
    html = page("/en/stats/")
    assert "52 pairs, 23 provinces" in html  # stated in the letters
    assert "52 pairs, 29 provinces" in html  # counted in the in-progress list
