"""A rebuild re-renders only the pages whose inputs changed, writes only changed files, and
makes exactly what a build from nothing makes."""
from __future__ import annotations

import yaml

from portal import urls
from portal.site import Builder, build


def first_pair_with_notes(project):
    """A pair with a note written on one line of the file, so a test can edit it in place."""
    text = (project / "data" / "pairs.yaml").read_text(encoding="utf-8")
    recs = yaml.safe_load(text)
    return next(r for r in recs if r.get("notes") and text.count(r["notes"][0]["en"]) == 1)


def test_nothing_changed_writes_nothing(project):
    b = Builder(project)
    b.build()
    again = b.build()
    assert again.rendered == [] and again.files_made == [] and not again.write.changed


def test_editing_a_note_rewrites_only_that_pairs_pages(project):
    b = Builder(project)
    b.build()
    r = first_pair_with_notes(project)
    path = project / "data" / "pairs.yaml"
    old = r["notes"][0]["en"]
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, old + " (checked again)"), encoding="utf-8")
    result = b.build()
    # (and the open data page, whose buttons say the downloads' sizes: the notes are in them)
    assert sorted(result.rendered) == ["/en/data/", f"/en/pairs/{r['id']}/", "/th/data/", f"/th/pairs/{r['id']}/"]
    assert sorted(result.files_made) == ["data/pairs.csv", "data/pairs.geojson", "data/pairs.json"]
    html_written = {f for f in result.write.written if f.endswith(".html")}
    assert html_written == {f"en/pairs/{r['id']}/index.html"}  # the Thai page shows the Thai note, unchanged; the sizes in KB too
    assert result.outputs == build(project, write=False).outputs


def test_renaming_a_partner_updates_every_page_that_lists_it(project):
    b = Builder(project)
    b.build()
    r = first_pair_with_notes(project)
    path = project / "data" / "pairs.yaml"
    name = r["partner"]["name_en"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"name_en: {name}\n", f"name_en: {name} Renamed\n", 1), encoding="utf-8")
    result = b.build()
    slug = r["province"].lower().replace(" ", "-")
    assert f"/en/provinces/{slug}/" in result.rendered and "/en/pairs/" in result.rendered
    assert "/en/plan/annex/" in result.rendered and "/en/plan/" in result.rendered   # (the annex lists it)
    # Pages whose generated blocks read neither names nor rows: the counts, the offices (pages.DIRECTIVE_READS)
    assert not any(u.startswith(("/en/handbook/", "/th/handbook/")) for u in result.rendered)
    assert "/en/plan/transmittal/" not in result.rendered and "/th/plan/transmittal/" not in result.rendered
    assert f"{name} Renamed" in result.outputs[f"en/provinces/{slug}/index.html"].decode()
    assert result.outputs == build(project, write=False).outputs


def test_editing_a_handbook_section_rerenders_only_that_document(project):
    b = Builder(project)
    b.build()
    md = project / "content" / "th" / "handbook.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nย่อหน้าที่เพิ่มใหม่\n", encoding="utf-8")
    result = b.build()
    # the whole handbook, and the own page of the section the paragraph went into (its last: 6.3)
    assert result.rendered == ["/th/handbook/", "/th/handbook/sources-3/"]
    assert result.outputs == build(project, write=False).outputs


def test_a_failed_rebuild_keeps_the_last_good_base(project):
    b = Builder(project)
    first = b.build()
    path = project / "data" / "pairs.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("status: signed", "status: signd", 1), encoding="utf-8")
    import pytest
    from portal.errors import BuildError
    with pytest.raises(BuildError):
        b.build()
    path.write_text(good, encoding="utf-8")
    again = b.build()
    assert again.rendered == [] and again.outputs == first.outputs


def test_an_edited_template_is_used_by_the_next_rebuild(project):
    """Templates are compiled once per Builder (no stat per page); an edit makes a new environment."""
    b = Builder(project)
    b.build()
    tpl = project / "templates" / "pair.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}<!-- edited -->", 1),
                   encoding="utf-8")
    result = b.build()
    assert "/en/pairs/chiang-mai-uozu/" in result.rendered
    assert "<!-- edited -->" in result.outputs["en/pairs/chiang-mai-uozu/index.html"].decode()
    assert result.outputs == build(project, write=False).outputs


def test_a_broken_template_is_reported_at_its_file_and_line(project):
    import pytest
    from portal.errors import BuildError
    tpl = project / "templates" / "country.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}{% if x %}", 1),
                   encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(project, write=False)
    [problem] = err.value.problems
    assert problem.file == "templates/country.html" and problem.line and "unknown tag 'endblock'" in problem.message


def test_a_changed_year_redraws_the_statistics_and_a_rename_does_not(project):
    b = Builder(project)
    b.build()
    path = project / "data" / "pairs.yaml"
    text = path.read_text(encoding="utf-8")
    r = first_pair_with_notes(project)
    name = r["partner"]["name_en"]
    path.write_text(text.replace(f"name_en: {name}\n", f"name_en: {name} Renamed\n", 1), encoding="utf-8")
    renamed = b.build()
    assert "/en/map/" in renamed.rendered and "/en/stats/" not in renamed.rendered
    assert "statistics" not in renamed.files_made   # (its CSV files count, they name no partner)
    year = f"year_be: {r['year_be']}\n"
    at = text.index(f"id: {r['id']}\n")
    edited = text[:at] + text[at:].replace(year, f"year_be: {r['year_be'] + 1}\n", 1)
    path.write_text(edited, encoding="utf-8")
    moved = b.build()
    assert "/en/stats/" in moved.rendered and "/th/stats/" in moved.rendered
    assert "statistics" in moved.files_made
    assert moved.outputs == build(project, write=False).outputs


def test_editing_an_event_remakes_the_files_that_list_events_and_no_other(project):
    b = Builder(project)
    b.build()
    path = project / "data" / "events.yaml"
    text = path.read_text(encoding="utf-8")
    summary = "    en: The Governor of Buri Ram received"
    assert text.count(summary) == 1
    path.write_text(text.replace(summary, summary.replace("The Governor", "The governor")), encoding="utf-8")
    edited = b.build()
    assert sorted(edited.files_made) == ["data/events.csv", "data/events.json", "data/later_relations.json",
                                         "en/feed.xml", "statistics", "th/feed.xml"]
    assert edited.outputs == build(project, write=False).outputs


def test_the_pages_whose_buttons_say_a_files_size_are_made_again_with_the_file(project):
    """The open data page and the since page say each download's size: an edit that changes the
    size of the events' files (or of the pairs') shows on them, as in a build from nothing."""
    b = Builder(project)
    b.build()
    events = project / "data" / "events.yaml"
    summary = "    en: The Governor of Buri Ram received"
    text = events.read_text(encoding="utf-8")
    assert text.count(summary) == 1
    events.write_text(text.replace(summary, summary + " the delegation again" * 150), encoding="utf-8")   # +3 KB
    edited = b.build()
    assert {"/en/data/", "/th/data/", urls.since("en"), urls.since("th")} <= set(edited.rendered)
    assert edited.outputs == build(project, write=False).outputs
    r = first_pair_with_notes(project)
    pairs = project / "data" / "pairs.yaml"
    note = r["notes"][0]["en"]
    pairs.write_text(pairs.read_text(encoding="utf-8").replace(note, note + " Checked." * 400), encoding="utf-8")
    edited = b.build()
    assert {"/en/data/", "/th/data/"} <= set(edited.rendered)
    assert edited.outputs == build(project, write=False).outputs


def test_editing_a_printed_row_rerenders_the_plan_whose_annex_note_reads_it(project):
    b = Builder(project)
    b.build()
    path = project / "data" / "pairs.yaml"
    text = path.read_text(encoding="utf-8")
    row = "row: ๕๐/๕๕ จังหวัดสมุทรสาคร"
    assert text.count(row) == 1
    path.write_text(text.replace(row, "row: ๕๐/๔๕ จังหวัดสมุทรสาคร"), encoding="utf-8")   # no longer renumbered
    result = b.build()
    assert "/en/plan/" in result.rendered and "/th/plan/" in result.rendered
    assert "50/55 → 50/45" not in result.outputs["en/plan/index.html"].decode()
    assert result.outputs == build(project, write=False).outputs


def test_a_file_read_again_unchanged_is_not_checked_again_but_a_bad_tag_is_always_reported(project):
    """The preview server keeps what it read (yamlfile.remembering): a whole file read again unchanged
    is not re-parsed nor its language tags re-checked; a tag made invalid is reported, and again on the
    next rebuild while it stays invalid."""
    import pytest

    from portal.errors import BuildError
    b = Builder(project, preview=True)
    b.build()
    path = project / "data" / "countries.yaml"
    good = path.read_text(encoding="utf-8")
    assert "lang: ja" in good
    path.write_text(good.replace("lang: ja", "lang: japanese!", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(BuildError) as err:
            b.build()
        assert any(p.file == "data/countries.yaml" and "japanese!" in p.message for p in err.value.problems)
    path.write_text(good, encoding="utf-8")
    assert b.build().rendered == []


def test_only_a_process_that_rebuilds_keeps_what_a_rebuild_reuses(project):
    """The search index's words, each record's terms, the indexes and each download's rows as
    encoded are kept for the next build by the preview server only (portal/reuse.py). A one-off
    build lets go of them once used: at 10,000 pairs they held about 100 MiB while the pages were
    rendered (BENCHMARKS.md). Either way the site is the same (the tests above)."""
    from portal import opendata, search
    build(project, write=False)
    assert not search._LAST_WORDS and not search._BUILT and search.tokenizer_for.cache_info().currsize == 0
    assert not opendata._lines
    Builder(project, preview=True, cache=False).build()   # (no cache: it would hold the indexes)
    assert len(search._LAST_WORDS) == 2 and set(search._BUILT) == {"th", "en"}
    assert search.tokenizer_for.cache_info().currsize == 2 and opendata._lines


def test_a_preview_rebuild_after_a_province_or_country_edit_shows_it_on_every_pair_page(project):
    """The preview server takes an unchanged pair record's Pair from its last build (load._LAST_PAIRS)
    only while the province, the country and the list's date it was checked against are equal:
    after an edit of a province or a country, its pairs' pages show the edit, and every page is
    what a build from nothing makes."""
    import re
    b = Builder(project, preview=True)
    b.build()
    text = (project / "data" / "pairs.yaml").read_text(encoding="utf-8")
    pair_id = re.search(r"^- id: (\S+)\n(?:  .*\n)*?  province: Chiang Mai$", text, re.M).group(1)
    page = f"en/pairs/{pair_id}/index.html"
    assert "<dd>North</dd>" in b.build().outputs[page].decode()
    provinces = project / "data" / "provinces.yaml"
    provinces.write_text(provinces.read_text(encoding="utf-8").replace(
        "Chiang Mai: {slug: chiang-mai, region: north,", "Chiang Mai: {slug: chiang-mai, region: west,"), encoding="utf-8")
    result = b.build()
    assert f"/en/pairs/{pair_id}/" in result.rendered and "<dd>West</dd>" in result.outputs[page].decode()
    assert result.outputs == build(project, write=False).outputs
    countries = project / "data" / "countries.yaml"
    countries.write_text(countries.read_text(encoding="utf-8").replace(
        "JP: {slug: japan,", "JP: {slug: japan, name_en: Nippon,"), encoding="utf-8")
    result = b.build()
    japanese = re.search(r"^- id: (\S+)\n(?:  .*\n)*?    country: JP$", text, re.M).group(1)
    assert '">Nippon</a></dd>' in result.outputs[f"en/pairs/{japanese}/index.html"].decode()
    assert result.outputs == build(project, write=False).outputs


def test_a_partner_renamed_in_english_reuses_the_search_indexes_thai_words(project, monkeypatch):
    """The Thai words of the search index are made of the texts with Thai letters only: a rebuild
    after a partner is renamed in English does not segment the records' texts again (search._words),
    one renamed in Thai does; both indexes are what a build from nothing makes."""
    from portal import search
    b = Builder(project, preview=True, cache=False)
    b.build()
    made = []
    real = search._bare_thai_names
    monkeypatch.setattr(search, "_bare_thai_names", lambda recs: made.append(1) or real(recs))
    r = first_pair_with_notes(project)
    path = project / "data" / "pairs.yaml"
    text = path.read_text(encoding="utf-8")
    en, th = r["partner"]["name_en"], r["partner"]["name_th"]
    path.write_text(text.replace(f"name_en: {en}\n", f"name_en: {en} Renamed\n", 1), encoding="utf-8")
    renamed = b.build()
    assert "search/en.json" in renamed.write.written and made == []
    path.write_text(text.replace(f"name_th: {th}\n", f"name_th: {th}ใหม่\n", 1), encoding="utf-8")
    renamed = b.build()
    assert made == [1, 1]   # (both languages' indexes hold the Thai name)
    fresh = build(project, write=False).outputs
    assert all(renamed.outputs[f] == fresh[f] for f in ("search/en.json", "search/th.json"))
