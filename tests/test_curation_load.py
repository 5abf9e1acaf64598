"""Located errors for the curated data beside the list: parents' own-script names, aliases
(data/aliases.yaml) and relations named outside the list (data/other_relations.yaml)."""
from __future__ import annotations

import pytest

from portal.errors import BuildError
from portal.site import gather


def line_of(text: str, needle: str) -> int:
    """The 1-based line where `needle` first occurs in `text`."""
    assert needle in text, needle
    return text[:text.index(needle)].count("\n") + 1


def problems_after(project, rel: str, old: str, new: str) -> tuple[list[str], str]:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    edited = text.replace(old, new, 1)
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    return [str(p) for p in err.value.problems], edited


def test_the_real_data_loads_with_its_curated_parts(project):
    r = gather(project).registry
    assert {o.id for o in r.other_relations} >= {"mae-sai-yuki", "bangkok-tokyo", "bangkok-yachiyo",
                                                  "phra-nakhon-si-ayutthaya-shizuoka", "phra-nakhon-si-ayutthaya-kyoto"}
    korat = next(p for p in r.provinces if p.name_en == "Nakhon Ratchasima")
    assert "โคราช" in {a.name for a in korat.aliases}
    uozu = next(p for p in r.pairs if p.id == "chiang-mai-uozu").partner
    assert (uozu.parent_native, uozu.parent_native_lang) == ("富山県", "ja")


PARTNER_CASES = [
    ("parent_native without parent_en",
     ("    parent_en: Toyama Prefecture\n", ""), "parent_native: 富山県",
     "partner.parent_native is given without parent_en (the parent's English name)"),
    ("parent_lang without parent_native", ("    parent_native: 富山県\n", "    parent_lang: ja-Jpan\n"),
     "parent_lang: ja-Jpan", "partner.parent_lang is given without parent_native"),
    ("parent_lang same as lang", ("    parent_native: 富山県\n", "    parent_native: 富山県\n    parent_lang: ja\n"),
     "parent_lang: ja", "partner.parent_lang 'ja' is the same as lang: give it only where the parent's language differs"),
]


@pytest.mark.parametrize("name,edit,at,message", PARTNER_CASES, ids=[c[0] for c in PARTNER_CASES])
def test_parent_native_errors_name_file_line_record_and_field(project, name, edit, at, message):
    text = (project / "data" / "pairs.yaml").read_text(encoding="utf-8")
    start = text.index("- id: chiang-mai-uozu")
    old = text[start:text.index("- id: phuket-nice")]
    assert edit[0] in old
    got, edited = problems_after(project, "data/pairs.yaml", old, old.replace(*edit))
    assert got == [f"data/pairs.yaml:{line_of(edited, at)}: pair 'chiang-mai-uozu': {message}"]


BAD_TAG = "is not a valid BCP 47 language tag (such as ja, zh-Hans, vi; see the IANA language subtag registry)"


def test_parent_lang_and_alias_lang_are_checked_as_bcp47_tags(project):
    """Every *lang field of every data file goes through portal/langtags.py (one rule, one message)."""
    text = (project / "data" / "pairs.yaml").read_text(encoding="utf-8")
    start = text.index("- id: chiang-mai-uozu")
    old = text[start:text.index("- id: phuket-nice")]
    new = old.replace("    parent_native: 富山県\n", "    parent_native: 富山県\n    parent_lang: Japanese!\n")
    got, edited = problems_after(project, "data/pairs.yaml", old, new)
    assert got == [f"data/pairs.yaml:{line_of(edited, 'parent_lang: Japanese!')}: parent_lang 'Japanese!' {BAD_TAG}"]


def test_alias_lang_is_checked_as_a_bcp47_tag(project):
    got, edited = problems_after(project, "data/aliases.yaml", "{name: Korat, lang: en,", "{name: Korat, lang: English,")
    assert got == [f"data/aliases.yaml:{line_of(edited, 'lang: English')}: lang 'English' {BAD_TAG}"]


def test_parent_native_without_any_language(project):
    text = (project / "data" / "pairs.yaml").read_text(encoding="utf-8")
    start = text.index("- id: phuket-nice")
    old = text[start:text.index("- id: chiang-mai-san-rafael")]
    new = old.replace("    parent_th: จังหวัดอาลป์-มารีตีม\n", "    parent_th: จังหวัดอาลป์-มารีตีม\n    parent_native: Alpes-Maritimes\n")
    got, edited = problems_after(project, "data/pairs.yaml", old, new)
    assert got == [f"data/pairs.yaml:{line_of(edited, 'parent_native: Alpes')}: pair 'phuket-nice': partner.parent_lang "
                   "is required with parent_native when the partner has no lang (a BCP 47 tag such as ja, zh-Hans)"]


ALIAS_CASES = [
    ("unknown kind", ("{name: โคราช, lang: th, kind: short,", "{name: โคราช, lang: th, kind: nickname,"), "kind: nickname",
     "aliases of province 'Nakhon Ratchasima': [1].kind 'nickname' must be one of: short, former, colloquial, spelling"),
    ("no source", ('{name: Korat, lang: en, kind: short, source: "the everyday name in English"}',
                   "{name: Korat, lang: en, kind: short}"), "{name: Korat,",
     "aliases of province 'Nakhon Ratchasima': [2].source is missing"),
    ("unknown field", ("{name: Korat, lang: en,", "{name: Korat, why: x, lang: en,"), "why: x",
     "aliases of province 'Nakhon Ratchasima': '[2].why' is not a known field (expected one of: kind, lang, name, source)"),
    ("unknown province", ("  Nakhon Ratchasima:\n", "  Nakhon Ratchasema:\n"), "Nakhon Ratchasema:",
     "province 'Nakhon Ratchasema' has aliases but is not the English name of a province in data/provinces.yaml"),
    ("unknown pair id", ("  surin-dalian:\n", "  surin-dalien:\n"), "surin-dalien:",
     "pair 'surin-dalien' has aliases but is not the id of a record of data/pairs.yaml"),
    ("unknown country", ("  MM:\n", "  BU:\n"), "BU:",
     "country 'BU' has aliases but is not a country of data/countries.yaml"),
    ("unknown section", ("partners:", "partner:"), "partner:",
     "'partner' is not a section of aliases (expected one of: provinces, partners, countries)"),
    ("aliases not a list", ("  Nakhon Ratchasima:\n", "  Nakhon Ratchasima: โคราช\n  Chiang Rai:\n"), "Nakhon Ratchasima: โคราช",
     "aliases of province 'Nakhon Ratchasima' must be a list of {name, lang, kind, source}"),
    ("an alias not a mapping", ("  Nakhon Ratchasima:\n", "  Nakhon Ratchasima:\n  - โคราช\n"), "  Nakhon Ratchasima:\n",
     "aliases of province 'Nakhon Ratchasima': item 1 must be a mapping with name, lang, kind and source"),
    ("a name twice", ("{name: Korat, lang: en,", "{name: โคราช, lang: en,"), "{name: โคราช, lang: en,",
     "aliases of province 'Nakhon Ratchasima': [2].name 'โคราช' is given twice"),
]


@pytest.mark.parametrize("name,edit,at,message", ALIAS_CASES, ids=[c[0] for c in ALIAS_CASES])
def test_alias_errors_name_file_line_key_and_field(project, name, edit, at, message):
    got, edited = problems_after(project, "data/aliases.yaml", *edit)
    assert got == [f"data/aliases.yaml:{line_of(edited, at)}: {message}"]


OTHER_CASES = [
    ("unknown level", ("level: district", "level: amphoe"), "level: amphoe",
     "relation 'mae-sai-yuki': level 'amphoe' must be one of: district, bma, province"),
    ("bma outside Bangkok", ("province: Chiang Rai\n  party_th: อำเภอแม่สาย จังหวัดเชียงราย\n  party_en: Mae Sai District, Chiang Rai\n  level: district",
                             "province: Chiang Rai\n  party_th: อำเภอแม่สาย จังหวัดเชียงราย\n  party_en: Mae Sai District, Chiang Rai\n  level: bma"),
     "level: bma", "relation 'mae-sai-yuki': level is bma (the Bangkok Metropolitan Administration) but province is 'Chiang Rai', not Bangkok"),
    ("unknown status", ("status: wished", "status: hoped"), "status: hoped",
     "relation 'phra-nakhon-si-ayutthaya-kyoto': status 'hoped' must be one of: signed, in_progress, wished"),
    ("unknown province", ("province: Chiang Rai", "province: Chiang Ray"), "province: Chiang Ray",
     "relation 'mae-sai-yuki': province 'Chiang Ray' is not one of the 77 provinces of PyThaiNLP's corpus"),
    ("source file not a seed", ("file: 003_570947d7c7ff27bd.txt", "file: briefing.pdf"), "file: briefing.pdf",
     "relation 'mae-sai-yuki': source.file 'briefing.pdf' must name a source file of shared/seeds/, such as 003_570947d7c7ff27bd.txt"),
    ("source row missing", ("    row: \"คตล.บ้านพี่เมืองน้อง (มูลนิธิ", "    rwo: \"คตล.บ้านพี่เมืองน้อง (มูลนิธิ"), "rwo:",
     "relation 'mae-sai-yuki': 'source.rwo' is not a known field (expected one of: file, line, row)"),
    ("partner country unknown", ("    country: JP\n    lat: 36.31", "    country: JA\n    lat: 36.31"), "country: JA",
     "relation 'mae-sai-yuki': partner.country 'JA' is not in data/countries.yaml"),
    ("id twice", ("- id: bangkok-tokyo", "- id: bangkok-yachiyo"), "- id: bangkok-yachiyo\n  province: Bangkok\n  party_th: กรุงเทพมหานคร\n  party_en: Bangkok Metropolitan Administration\n  level: bma\n  status: signed\n  partner",
     None),
    ("id not a slug", ("- id: mae-sai-yuki", "- id: Mae Sai/Yuki"), "- id: Mae Sai/Yuki",
     "relation 'Mae Sai/Yuki': id 'Mae Sai/Yuki' must be lower-case ASCII letters, digits and hyphens (it is used in anchors)"),
    ("year out of range", ("year_be: 2555", "year_be: 1555"), "year_be: 1555",
     "relation 'mae-sai-yuki': year_be must be a whole number from 2400 to 2700, not 1555"),
    ("signed date", ("signed_date: 2012-11", "signed_date: 2012-13"), "signed_date: 2012-13",
     "relation 'mae-sai-yuki': signed_date '2012-13' must be a year and month, YYYY-MM"),
]


@pytest.mark.parametrize("name,edit,at,message", OTHER_CASES, ids=[c[0] for c in OTHER_CASES])
def test_other_relation_errors_name_file_line_record_and_field(project, name, edit, at, message):
    got, edited = problems_after(project, "data/other_relations.yaml", *edit)
    if message is None:  # the id given twice: reported at the second, naming the first
        first = line_of(edited, "- id: bangkok-yachiyo")
        second = line_of(edited, at)
        assert got == [f"data/other_relations.yaml:{second}: relation 'bangkok-yachiyo': id is already used by the record at line {first}"]
        return
    expected = f"data/other_relations.yaml:{line_of(edited, at)}: {message}"
    if name == "source row missing":  # the misspelt key, and the key it should have been
        assert got == [expected, f"data/other_relations.yaml:{line_of(edited, '    file: 003')}: relation 'mae-sai-yuki': source.row is missing"]
        return
    assert got == [expected]


def test_a_malformed_other_relations_file_is_one_located_error(project):
    (project / "data" / "other_relations.yaml").write_text("mae-sai-yuki: {}\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    assert [str(p) for p in err.value.problems] == [
        "data/other_relations.yaml:1: must be a list of relation records (each starting with '- id:')"]


def test_a_malformed_aliases_file_is_one_located_error(project):
    (project / "data" / "aliases.yaml").write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    assert [str(p) for p in err.value.problems] == [
        "data/aliases.yaml:1: must be a mapping with the sections provinces, partners, countries"]
    (project / "data" / "aliases.yaml").write_text("partners: {}\nprovinces: [Korat]\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        gather(project)
    assert [str(p) for p in err.value.problems] == [
        "data/aliases.yaml:2: provinces must be a mapping of names to lists of aliases"]


def test_the_two_curated_files_are_optional(project):
    (project / "data" / "aliases.yaml").unlink()
    (project / "data" / "other_relations.yaml").unlink()
    # (issue 20) the events and later relations are optional too; the reports cited name their records
    (project / "data" / "events.yaml").unlink()
    (project / "data" / "later_relations.yaml").unlink()
    (project / "data" / "outside_sources.yaml").write_text("[]\n", encoding="utf-8")
    r = gather(project).registry
    assert r.other_relations == [] and all(not p.aliases for p in r.provinces)


def test_a_relations_source_must_be_a_document_of_the_registry(project):
    got, edited = problems_after(project, "data/other_relations.yaml",
                                 "file: 003_570947d7c7ff27bd.txt\n    line: 171", "file: 009_abc.txt\n    line: 171")
    assert got == [f"data/other_relations.yaml:{line_of(edited, '- id: bangkok-tokyo')}: relation 'bangkok-tokyo': source.file "
                   "'009_abc.txt' is not the file of a source in data/registry.yaml (sources: file); known: "
                   "000_0460de8bb3f1298f.txt, 003_570947d7c7ff27bd.txt"]


def test_a_registry_source_file_must_be_a_seed_file_name(project):
    got, edited = problems_after(project, "data/registry.yaml", "file: 000_0460de8bb3f1298f.txt", "file: ../../etc/passwd")
    assert f"data/registry.yaml:{line_of(edited, 'file: ../../etc/passwd')}: source 'plan': file '../../etc/passwd' must name a source file of shared/seeds/, such as 003_570947d7c7ff27bd.txt" in got


def test_aliases_are_the_same_for_every_record_of_a_partner_and_never_its_own_name(project):
    r = gather(project).registry
    by_partner: dict = {}
    for p in r.pairs:
        by_partner.setdefault((p.partner.country.code, p.partner.name_en), set()).add(p.partner.aliases)
        own = {p.partner.name_th, p.partner.name_en, p.partner.name_native}
        assert not own & {a.name for a in p.partner.aliases}, p.id
        # nor a part of it (กว่างโจว of เมืองกว่างโจว): a partner's alias is a name of its own
        assert not [a.name for a in p.partner.aliases if a.name in p.partner.name_th or a.name in p.partner.name_en], p.id
    assert {k: v for k, v in by_partner.items() if len(v) > 1} == {}
    for pv in r.provinces:
        assert not {pv.name_th, pv.name_en} & {a.name for a in pv.aliases}, pv.name_en
    for c in r.countries:
        assert not {c.name_th, c.name_en, c.name_native} & {a.name for a in c.aliases}, c.code
