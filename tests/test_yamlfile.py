"""portal/yamlfile.py reads YAML two ways: straight from the parser's events (fast, the data
files' usual YAML) and, for anything else, through PyYAML's node tree. Both must give the same
values, the same lines and the same repeated keys; the fast way must give up, never guess."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from portal import limits, yamlfile
from portal.errors import Problems


def by_nodes(text: str):
    loader = yamlfile._Loader(text)
    loader.duplicates, loader.bad_keys = [], []
    try:
        node = loader.get_single_node()
        return (yamlfile._Builder(loader).value(node) if node is not None else None), loader.duplicates
    finally:
        loader.dispose()


def lines(value) -> list:
    """Every mapping's line and key lines, in document order."""
    if isinstance(value, dict):
        return [(value.line, sorted(value.key_lines.items(), key=repr))] + [x for v in value.values() for x in lines(v)]
    if isinstance(value, list):
        return [x for v in value for x in lines(v)]
    return []


def assert_same(text: str) -> None:
    fast = yamlfile._from_events(text)
    if fast is yamlfile._UNUSUAL:
        return
    data, duplicates = fast
    ref, ref_duplicates = by_nodes(text)
    assert data == ref
    assert [type(x) for x in walk(data)] == [type(x) for x in walk(ref)]
    assert lines(data) == lines(ref)
    assert duplicates == ref_duplicates


def walk(value):
    yield value
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*.yaml")))
def test_every_data_file_is_read_the_fast_way_with_the_same_result(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert yamlfile._from_events(text) is not yamlfile._UNUSUAL
    assert_same(text)


SCALARS = ["1", "-3", "012", "0x1F", "1_000", "1.5", "-0.25", ".5", "1e3", "1.0e+3", "6.02e-23", "+7", "3.",
           "1:30", ".inf", "-.Inf", ".nan", "00", "yes", "No", "~", "null", "", "2019-01-04", "2019-01-04 10:00:00",
           "'quoted 1'", '"1"', "plain text", "ไทย", "!!str 5", "!!int '7'"]


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_get_the_types_pyyaml_gives_them(scalar):
    text = f"a: {scalar}\n"
    fast = yamlfile._from_events(text)
    if fast is yamlfile._UNUSUAL:
        assert scalar.startswith("!!")  # explicit tags go to the node loader
        return
    got, want = fast[0]["a"], yaml.safe_load(text)["a"]
    if want != want:  # nan
        assert got != got
    else:
        assert (got, type(got)) == (want, type(want))


def test_repeated_keys_anchors_and_aliases_are_read_as_pyyaml_reads_them():
    text = "a:\n  x: 1\n  x: 2\nb: &n\n  k: v\nc: *n\nd: &s word\ne: *s\n"
    assert_same(text)
    (data, duplicates) = yamlfile._from_events(text)
    assert duplicates == [("x", 3)]
    assert data["c"] is data["b"] and data["e"] == "word"


@pytest.mark.parametrize("text", [
    "a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n",      # a merge key
    "? [1, 2]\n: v\n",                           # a list as a key
    "a: 1\n---\nb: 2\n",                         # two documents
    "a: !custom 1\n",                            # an unknown tag
    "a: *nowhere\n",                             # an alias to nothing
    "a: [1, 2\n",                                # a syntax error
    "a: b: c\n",                                 # a syntax error
])
def test_anything_unusual_goes_to_the_node_loader_which_reports_it(text, tmp_path):
    assert yamlfile._from_events(text) is yamlfile._UNUSUAL
    f = tmp_path / "x.yaml"
    f.write_text(text, encoding="utf-8")
    problems = Problems()
    data = yamlfile.load_as(f, "x.yaml", problems, dict, "a mapping")
    assert data is not None or problems.items  # either read by the node loader or reported with its line
    for item in problems.items:
        assert item.file == "x.yaml"


def test_a_merge_key_still_works_through_the_node_loader(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n", encoding="utf-8")
    data = yamlfile.load_as(f, "x.yaml", Problems(), dict, "a mapping")
    assert dict(data["b"]) == {"k": 1, "j": 2}


# Random documents: values PyYAML can write, written in block and flow styles (without the
# control and bidi-override characters the reader refuses: tests/test_limits.py).
allowed_text = st.text(st.characters(exclude_characters=[chr(c) for c in range(0x10000) if limits.FORBIDDEN_CHAR.match(chr(c))]),
                       max_size=20)
keys = st.one_of(allowed_text.filter(bool).map(lambda s: s[:8]), st.integers(-5, 5), st.booleans())
leaves = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                   st.floats(allow_nan=False, width=32), allowed_text,
                   st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 1, 1)))
documents = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents, flow=st.sampled_from([False, True, None]))
def test_random_documents_are_read_the_same_both_ways(doc, flow):
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    assert_same(text)


@settings(max_examples=200, deadline=None)
@given(doc=documents, cut=st.integers(0, 400), junk=st.sampled_from(["", ":", "- ", "&a ", "*a", "{", "]", "'", "\t", "!!x "]))
def test_damaged_documents_are_read_the_same_both_ways_or_handed_over(doc, cut, junk):
    text = yaml.safe_dump(doc, allow_unicode=True)
    text = text[:cut] + junk + text[cut:]
    try:
        by_nodes(text)
    except yaml.YAMLError:
        assert yamlfile._from_events(text) is yamlfile._UNUSUAL  # errors are always the node loader's to report
        return
    assert_same(text)


@pytest.fixture(autouse=True)
def remembering():
    with yamlfile.remembering({}):
        yield


def test_a_list_read_item_by_item_is_the_list_read_whole_before_and_after_an_edit():
    text = (ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8")
    first = yamlfile._from_items(text, "test-items")
    assert first is not yamlfile._UNUSUAL
    assert (first[0], lines(first[0]), first[1]) == (lambda d: (d[0], lines(d[0]), d[1]))(by_nodes(text))
    # An edit that adds a line in the middle: the records after it are read again, at their new lines.
    at = text.index("\n- id:", len(text) // 2)
    edited = text[:at] + "\n# a comment added by an editor" + text[at:]
    second = yamlfile._from_items(edited, "test-items")
    ref = by_nodes(edited)
    assert (second[0], lines(second[0]), second[1]) == (ref[0], lines(ref[0]), ref[1])
    assert second[0][0] is first[0][0]  # an unchanged record at the same lines is not read again


def test_a_repeated_key_in_one_item_is_reported_at_its_line_when_read_item_by_item():
    text = "# pairs\n- id: a\n  name: x\n- id: b\n  name: y\n  name: z\n"
    assert yamlfile._from_items(text, "test-dup")[1] == [("name", 6)] == by_nodes(text)[1]


@pytest.mark.parametrize("text", [
    "- a: &x {k: 1}\n- b: *x\n",          # an alias to another item: read whole
    "key: 1\n- a\n",                        # not a list at the top: read whole (and reported)
    "---\n- a: 1\n",                        # a document marker
    "  indented: 1\n- a: 1\n",              # content before the first item
])
def test_files_that_are_not_a_plain_list_of_items_are_read_whole(text):
    got = yamlfile._from_items(text, "test-whole")
    whole = yamlfile._from_events(text)
    assert (got is yamlfile._UNUSUAL) == (whole is yamlfile._UNUSUAL)
    if got is not yamlfile._UNUSUAL:
        assert got[0] == whole[0] and lines(got[0]) == lines(whole[0])


def test_a_file_read_leaves_no_parser_behind_and_tags_resolve_as_pyyaml_does():
    """Plain scalars' tags are remembered across files (yamlfile._resolve_scalar), not per
    parser: a parser holds the whole text it read, and at 10,000 pairs the 56 parsers a build
    kept alive held 17 MB. The answers are PyYAML's own, as _Loader adds no resolver."""
    import gc
    assert yamlfile._Loader.yaml_implicit_resolvers is yaml.resolver.Resolver.yaml_implicit_resolvers
    text = "- a: 1\n  b: 2.5\n  c: yes\n  d: null\n  e: 2019-01-04\n  f: '7'\n  g: 0x1F\n"
    problems = Problems()
    assert yamlfile.parse_text(text, "x.yaml", problems) == yaml.safe_load(text) and not problems
    yamlfile.load_as(ROOT / "data" / "pairs.yaml", "data/pairs.yaml", Problems(), list, "a list")
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, yamlfile._Loader)]
