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
    assert re.search(r'<h2 id="s5">.*?<a class="permalink" href="/en/handbook/#s5"', html, re.S)


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
    md.write_text(md.read_text(encoding="utf-8").replace("{#s9-3}", "{#s9-4}"), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    messages = [str(p) for p in err.value.problems]
    assert "content/en/handbook.md: section anchor 's9-3' of content/th/handbook.md is missing here: both languages have the same sections" in messages


def test_last_updated_comes_from_the_content(page):
    assert 'Last updated <time datetime="2026-11-23">23 November 2026</time>' in page("/en/plan/")
    assert 'ปรับปรุงล่าสุด <time datetime="2026-11-23"><span class="nw">๒๓ พฤศจิกายน</span> ๒๕๖๙</time>' in page("/th/plan/")


def test_print_stylesheet_hides_navigation_and_prints_section_addresses(outputs):
    css = outputs["static/css/site.css"].decode()
    block = css[css.index("@media print"):]
    assert "@page { size: A4" in block
    assert ".site-header" in block and "display: none" in block
    assert ".permalink::after { content: attr(href); }" in block
