"""Bad input gets a clear error naming file, line, record and field — all of them in one run —
and the last good site/ is left untouched."""
from __future__ import annotations

import textwrap

import pytest

from portal.errors import BuildError
from portal.site import build, gather

GOOD = textwrap.dedent("""\
    - id: chiang-mai-uozu
      status: signed
      stage: null
      year_be: 2532
      list_no: 1
      province: Chiang Mai
      partner:
        name_th: เมืองอูโอซุ
        name_en: Uozu
        name_native: 魚津市
        lang: ja
        level: city
        country: JP
        lat: 36.82
        lon: 137.41
      source:
        line: 312
        row: "๓๒/๑ จังหวัดเชียงใหม่ – เมืองยูโอซู จังหวัด โทยามะ ประเทศญี่ปุ่น"
    - id: tak-myawaddy
      status: in_progress
      stage: awaiting_signature
      year_be: 2560
      list_no: 90
      province: ตาก
      partner:
        name_th: เมืองเมียวดี
        name_en: Myawaddy
        level: city
        country: MM
        lat: 16.69
        lon: 98.51
      source:
        line: 440
        row: "๖๐/๙๐ (OP) จังหวัดตาก - เมืองเมียวดี สาธารณรัฐแห่งสหภาพเมียนมา (รอลงนาม)"
    """)


def write_pairs(project, pairs_text: str) -> None:
    """Replace the registry; what names the real records' ids (aliases, events, cited reports) goes with it."""
    (project / "data" / "pairs.yaml").write_text(pairs_text, encoding="utf-8")
    (project / "data" / "aliases.yaml").unlink(missing_ok=True)
    # (issue 20) the events, later relations and cited reports name the real records too
    for name in ("events", "later_relations", "outside_sources"):
        (project / "data" / f"{name}.yaml").write_text("[]\n", encoding="utf-8")


def problems_for(project, pairs_text: str) -> list[str]:
    write_pairs(project, pairs_text)
    with pytest.raises(BuildError) as err:
        gather(project)
    return [str(p) for p in err.value.problems]


def test_the_good_fixture_is_valid(project):
    write_pairs(project, GOOD)
    model = gather(project)
    assert [p.id for p in model.registry.pairs] == ["chiang-mai-uozu", "tak-myawaddy"]
    assert model.registry.pairs[1].province.name_en == "Tak"  # Thai names resolve too


CASES = [
    ("country not ISO", ("country: JP", "country: JPN"),
     "data/pairs.yaml:13: pair 'chiang-mai-uozu': partner.country 'JPN' is not an ISO 3166-1 alpha-2 code"),
    ("country unknown", ("country: MM", "country: ZZ"),
     "data/pairs.yaml:29: pair 'tak-myawaddy': partner.country 'ZZ' is not in data/countries.yaml"),
    ("province unknown", ("province: Chiang Mai", "province: Chiang May"),
     "data/pairs.yaml:6: pair 'chiang-mai-uozu': province 'Chiang May' is not one of the 77 provinces of PyThaiNLP's corpus"),
    ("id not URL-safe", ("id: chiang-mai-uozu", "id: Chiang Mai/Uozu"),
     "data/pairs.yaml:1: pair 'Chiang Mai/Uozu': id 'Chiang Mai/Uozu' must be lower-case ASCII letters, digits and hyphens (it is used in URLs)"),
    ("stage on a signed pair", ("status: signed\n  stage: null", "status: signed\n  stage: awaiting_signature"),
     "data/pairs.yaml:3: pair 'chiang-mai-uozu': stage 'awaiting_signature' is set on a signed pair (stages belong to in_progress pairs)"),
    ("unknown stage", ("stage: awaiting_signature", "stage: waiting"),
     "data/pairs.yaml:21: pair 'tak-myawaddy': stage 'waiting' must be one of: minister_approved, awaiting_signature (or null)"),
    ("missing field", ("    name_en: Myawaddy\n", ""),
     "data/pairs.yaml:26: pair 'tak-myawaddy': partner.name_en is missing"),
    ("status misspelt", ("status: in_progress", "status: in-progress"),
     "data/pairs.yaml:20: pair 'tak-myawaddy': status 'in-progress' must be one of: signed, in_progress"),
    ("unknown field", ("  list_no: 90\n", "  list_no: 90\n  lsit_no: 90\n"),
     "data/pairs.yaml:24: pair 'tak-myawaddy': 'lsit_no' is not a known field (expected one of: id, list_no, notes, partner, province, signed_date, source, stage, status, year_be)"),
    ("native name without its language", ("    lang: ja\n", ""),
     "data/pairs.yaml:10: pair 'chiang-mai-uozu': partner.lang is required with name_native (a BCP 47 tag such as zh-Hans, ja, vi)"),
    ("latitude out of range", ("lat: 36.82", "lat: 136.82"),
     "data/pairs.yaml:14: pair 'chiang-mai-uozu': partner.lat must be a number from -90 to 90, not 136.82"),
    ("year not a number", ("year_be: 2560", "year_be: ๒๕๖๐"),
     "data/pairs.yaml:22: pair 'tak-myawaddy': year_be must be a whole number from 2500 to 2600, not '๒๕๖๐'"),
]


@pytest.mark.parametrize("name,edit,expected", CASES, ids=[c[0] for c in CASES])
def test_each_error_names_file_line_record_and_field(project, name, edit, expected):
    old, new = edit
    assert old in GOOD
    assert problems_for(project, GOOD.replace(old, new, 1)) == [expected]


def test_duplicate_ids_name_both_lines(project):
    text = GOOD.replace("id: tak-myawaddy", "id: chiang-mai-uozu")
    assert problems_for(project, text) == [
        "data/pairs.yaml:19: pair 'chiang-mai-uozu': id is already used by the record at line 1"]


def test_duplicate_list_numbers(project):
    text = GOOD.replace("list_no: 90", "list_no: 1")
    assert problems_for(project, text) == [
        "data/pairs.yaml:23: pair 'tak-myawaddy': list_no 1 is already used by pair 'chiang-mai-uozu'"]


def test_all_errors_are_reported_in_one_run(project):
    text = (GOOD.replace("country: JP", "country: JPN").replace("province: ตาก", "province: Atlantis")
                .replace("status: in_progress", "status: maybe"))
    found = problems_for(project, text)
    assert len(found) == 3
    assert any("partner.country 'JPN'" in p for p in found)
    assert any("province 'Atlantis'" in p for p in found)
    assert any("status 'maybe'" in p for p in found)


def test_malformed_yaml_names_the_line(project):
    text = GOOD.replace("  list_no: 90", "  list_no: [90")
    found = problems_for(project, text)
    assert len(found) == 1 and found[0].startswith("data/pairs.yaml:2")
    assert "is not valid YAML" in found[0]


def test_a_key_given_twice_is_an_error_not_a_silent_overwrite(project):
    text = GOOD.replace("  list_no: 90\n", "  list_no: 90\n  list_no: 91\n")
    assert "data/pairs.yaml:24: key 'list_no' appears twice in one mapping" in problems_for(project, text)


def test_a_failed_build_leaves_the_last_good_site_untouched(project, tmp_path):
    site = tmp_path / "site"
    build(project, site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    write_pairs(project, GOOD.replace("country: JP", "country: JPN"))
    with pytest.raises(BuildError):
        build(project, site)
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before


def test_the_command_line_prints_every_problem_and_exits_1(project, capsys):
    import build as cli
    write_pairs(project, GOOD.replace("country: JP", "country: JPN"))
    assert cli.main(["check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "The site was not built: 1 problem found. site/ is unchanged." in err
    assert "data/pairs.yaml:13: pair 'chiang-mai-uozu': partner.country 'JPN'" in err


def test_an_emptied_registry_is_an_error_not_an_empty_site(project):
    assert problems_for(project, "") == [
        "data/pairs.yaml:1: must be a list of pair records (each starting with '- id:') (the file is empty)"]
    assert problems_for(project, "[]\n") == ["data/pairs.yaml:1: holds no pair records"]


OTHER_FILES = [
    ("data/site.yaml", "base_url: ftp://example.org\n",
     "data/site.yaml:1: base_url must start with https:// (or http://), such as https://example.org, not 'ftp://example.org'"),
    ("data/anchors.yaml", "plan: []\nhandbook: [s1]\n",
     "data/anchors.yaml:1: plan must be a list of the anchors published for it"),
    ("data/registry.yaml", "as_of: 2019-01-04\n",
     "data/registry.yaml:1: registry: stated must give the totals the letters state for each of: signed, in_progress"),
    ("content/en/about.md", "---\njust a sentence\n---\nbody\n",
     "content/en/about.md:2: front matter must be a mapping (title, description, updated, source)"),
]


@pytest.mark.parametrize("rel,text,expected", OTHER_FILES, ids=[c[0] for c in OTHER_FILES])
def test_other_files_report_file_line_and_field(project, rel, text, expected):
    (project / rel).write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    assert expected in [str(p) for p in err.value.problems]


def test_a_string_key_templates_cannot_use_is_reported_at_its_line(project):
    """Templates read strings as t.key: a key that is a number, has capitals, or is the name of a
    dict method (t.items) would not be the string, so it is an error, not a surprise on a page."""
    path = project / "data" / "strings" / "en.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "123: a number\nitems: Items\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(BuildError) as err:
        gather(project)
    got = [str(p) for p in err.value.problems]
    must = "must be lower-case letters, digits and _ (and not a name such as 'items' or 'keys')"
    assert f"data/strings/en.yaml:{len(lines) - 1}: string key 123 {must}" in got
    assert f"data/strings/en.yaml:{len(lines)}: string key 'items' {must}" in got


# --- Dates that cannot be (issue 17, items 7 and 8) ------------------------------------------------------

DATES = [
    ("year 0 in pairs", "data/pairs.yaml", ("signed_date: 1989-08", "signed_date: 0000-01"),
     "data/pairs.yaml:10: pair 'chiang-mai-uozu': signed_date '0000-01': the year 0 is before 1900: is it a typo?"),
    ("year 0 in other relations", "data/other_relations.yaml", ("signed_date: 2012-11", "signed_date: 0000-01"),
     "data/other_relations.yaml:13: relation 'mae-sai-yuki': signed_date '0000-01': the year 0 is before 1900: is it a typo?"),
    ("year 1", "data/pairs.yaml", ("signed_date: 1989-08", "signed_date: 0001-01"),
     "data/pairs.yaml:10: pair 'chiang-mai-uozu': signed_date '0001-01': the year 1 is before 1900: is it a typo?"),
    ("signed after the list's date", "data/pairs.yaml", ("signed_date: 1989-08", "signed_date: 2019-02"),
     "data/pairs.yaml:10: pair 'chiang-mai-uozu': signed_date '2019-02' is after 2019-01-04, the date of the ministry's "
     "list (data/registry.yaml, as_of), which lists it as signed: is it a typo?"),
    ("signed after the briefing that names it", "data/other_relations.yaml", ("signed_date: 2012-11", "signed_date: 2018-09"),
     "data/other_relations.yaml:13: relation 'mae-sai-yuki': signed_date '2018-09' is after 2018-08-27, the date of the "
     "Ministry of Foreign Affairs briefing (data/registry.yaml, sources: mfa), which lists it as signed: is it a typo?"),
    ("signing date of an in-progress pair", "data/pairs.yaml",
     ("status: signed\n  stage: null", "status: in_progress\n  stage: null"),
     "data/pairs.yaml:10: pair 'chiang-mai-uozu': signed_date '1989-08' is set on a record whose status is in_progress: "
     "only a signed relation has a signing date (remove it, or correct the status)"),
    ("signing year not the list's year", "data/pairs.yaml", ("signed_date: 1989-08", "signed_date: 1990-08"),
     "data/pairs.yaml:10: pair 'chiang-mai-uozu': signed_date '1990-08' is in 2533 BE, but year_be is 2532: one of them is wrong"),
    ("a day that does not exist in front matter", "content/en/about.md", ("updated: ", "updated: 2026-13-45 #"),
     "content/en/about.md:4: 'updated': '2026-13-45' is not a date that exists (month must be in 1..12): write YYYY-MM-DD"),
    ("a day that does not exist in data", "data/registry.yaml", ("as_of: 2019-01-04", "as_of: 2019-02-30"),
     "data/registry.yaml:2: 'as_of': '2019-02-30' is not a date that exists (day is out of range for month): write YYYY-MM-DD"),
]


@pytest.mark.parametrize("rel,edit,expected", [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_a_date_that_cannot_be_is_a_located_error(project, rel, edit, expected):
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    assert expected in [str(p) for p in err.value.problems], [str(p) for p in err.value.problems]


# --- A template that fails while it renders (issue 17, item 7) -------------------------------------------

@pytest.mark.parametrize("template,old,new,expected", [
    ("pair.html", "{% block content %}", "{% block content %}\n{{ 1/0 }}",
     "templates/pair.html:3: ZeroDivisionError: division by zero (making /"),
    ("_footer.html", "<", "{% include '_footer.html' %}<",
     "templates/_footer.html:2: templates include each other without end (_base.html, _footer.html, "),
])
def test_a_template_that_fails_while_rendering_is_a_located_error(project, template, old, new, expected):
    path = project / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(project, write=False)
    assert any(str(p).startswith(expected) for p in err.value.problems), [str(p) for p in err.value.problems]


def problems_after_editing(project, rel: str, old: str, new: str) -> list:
    """The problems gather reports once `old` (which must be there) is replaced by `new` in `rel`."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    return err.value.problems


@pytest.mark.parametrize("rel, old, new", [
    ("data/provinces.yaml", "Chiang Mai: {", "Chiang Mai: {["),
    ("data/countries.yaml", "JP: {", "JP: {["),
    ("data/regions.yaml", "north: {", "north: {["),
    ("data/pairs.yaml", "name_en: Uozu", "name_en: [Uozu"),
])
def test_a_file_that_cannot_be_read_is_reported_once_not_by_every_record_naming_it(project, rel, old, new):
    """A syntax error in a file the others refer to (the provinces, countries, regions, the pairs
    the aliases name) is one problem, at its line: the records that name what it holds are not
    each reported as naming something unknown ("Bangkok is not one of the 77 provinces")."""
    problems = problems_after_editing(project, rel, old, new)
    assert [p.file for p in problems] == [rel] and "is not valid YAML" in problems[0].message, \
        [f"{p.file}:{p.line}: {p.message}" for p in problems][:5]


@pytest.mark.parametrize("rel, old, new, expected", [
    ("data/provinces.yaml", "Chiang Mai: {slug: chiang-mai, region: north,", "Chiang Mai: {slug: chiang-mai, region: norht,",
     "province 'Chiang Mai': region 'norht' is not a region"),
    ("data/countries.yaml", "world_region: east_asia, name_native: 日本", "world_region: far_east, name_native: 日本",
     "country 'JP': world_region 'far_east' must be one of"),
    ("data/regions.yaml", "north: {en: North, th: ภาคเหนือ}", "north: {en: North}", "region 'north': th"),
])
def test_an_invalid_entry_is_reported_once_not_by_every_record_naming_it(project, rel, old, new, expected):
    """A province, country or region whose own entry is invalid is reported at its entry; the
    records naming it are not each reported as naming something the file does not hold."""
    found = [f"{p.file}:{p.line}: {p.message}" for p in problems_after_editing(project, rel, old, new)]
    assert len(found) == 1 and expected in found[0], found[:5]
