"""Robustness: corrupted and random input never crashes the build.

Whatever is in data/ and content/, `gather` and `build` either succeed or raise BuildError whose
every problem starts with a file path (and its line where it names one); a failed build leaves the
previous site/ byte-identical; and text from the registry reaches the pages as text, never as markup.
"""
from __future__ import annotations

import copy
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, copy_project, examples
from portal.errors import BuildError
from portal.site import build, gather

FAST = settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A small valid registry: one signed pair with every optional field, one in progress.
SMALL = """\
- id: chiang-mai-uozu
  status: signed
  stage: null
  year_be: 2532
  list_no: 1
  province: Chiang Mai
  signed_date: 1989-08
  partner:
    name_th: เมืองอูโอซุ
    name_en: Uozu
    name_native: 魚津市
    lang: ja
    level: city
    parent_en: Toyama Prefecture
    parent_th: จังหวัดโทยามะ
    country: JP
    lat: 36.82
    lon: 137.41
    alt_names: [ยูโอซู, Uozu City]
  source:
    line: 312
    row: "๓๒/๑ จังหวัดเชียงใหม่ – เมืองยูโอซู จังหวัด โทยามะ ประเทศญี่ปุ่น"
  notes:
  - en: The list spells the partner เมืองยูโอซู.
    th: เอกสารสะกดว่า เมืองยูโอซู
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
"""
SMALL_DATA = yaml.safe_load(SMALL)

PROBLEM_RE = re.compile(r"^(?:data|content|site|static|templates)/[^\s:]*(?::(?P<line>[1-9]\d*))?: \S")


def check_problems(err: BuildError, project: Path, written: dict[str, bytes]) -> None:
    """Every problem names a file of the project (or site/), and a line inside it if any."""
    assert err.problems, "BuildError without a single problem"
    for p in err.problems:
        text = str(p)
        assert PROBLEM_RE.match(text), f"problem does not start with a file path (and line): {text!r}"
        assert p.line is None or (isinstance(p.line, int) and not isinstance(p.line, bool) and p.line >= 1), text
        assert p.file.startswith("site/") or (project / p.file).exists(), f"names no file of the project: {text!r}"
        if p.line and p.file in written:
            lines = written[p.file].count(b"\n") + 1
            assert p.line <= lines + 1, f"line {p.line} is past the end of {p.file} ({lines} lines): {text!r}"


def outcome(project: Path, written: dict[str, bytes], run):
    """(result, None) if `run()` succeeds, (None, BuildError) if it fails properly; anything else fails the test."""
    try:
        return run(), None
    except BuildError as err:
        check_problems(err, project, written)
        return None, err


class Files:
    """Write files into the project for one example and put the originals back afterwards."""

    def __init__(self, project: Path):
        self.project = project

    def __call__(self, written: dict[str, bytes]):
        self.written = written
        return self

    def __enter__(self):
        self.saved = {rel: (self.project / rel).read_bytes() for rel in self.written}
        for rel, data in self.written.items():
            (self.project / rel).write_bytes(data)
        return self.written

    def __exit__(self, *exc):
        for rel, data in self.saved.items():
            (self.project / rel).write_bytes(data)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """One throw-away copy of the project for the module (Hypothesis runs many examples per test)."""
    project = copy_project(tmp_path_factory.mktemp("robust") / "project")
    # The tests here replace pairs.yaml with small registries; data/aliases.yaml names the real records' ids.
    (project / "data" / "aliases.yaml").unlink()
    # (issue 20) so do the events, the later relations and the reports the sources page cites
    for name in ("events", "later_relations", "outside_sources"):
        (project / "data" / f"{name}.yaml").write_text("[]\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def files(project) -> Files:
    return Files(project)


# --- Strategies -----------------------------------------------------------------------------------

WRONG = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(), st.text(max_size=20),
    st.dates(), st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.binary(max_size=6),
)
UNICODE = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)


def paths_in(node, prefix=()):
    """Every (path) to a value inside nested dicts and lists."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from paths_in(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,)
            yield from paths_in(v, prefix + (i,))


def parent_of(data, path):
    for step in path[:-1]:
        data = data[step]
    return data


@st.composite
def mutated_registries(draw):
    """SMALL with one to four random edits: fields deleted, renamed, given wrong types or random
    text; records duplicated, dropped or replaced by something that is not a record."""
    data = copy.deepcopy(SMALL_DATA)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "wrong", "unicode", "rename", "duplicate", "drop", "not-a-record",
                                   "duplicate-id"]))
        paths = list(paths_in(data))
        if op in ("delete", "wrong", "unicode", "rename") and paths:
            path = draw(st.sampled_from(paths))
            parent, key = parent_of(data, path), path[-1]
            if op == "delete":
                del parent[key]
            elif op == "wrong":
                parent[key] = draw(WRONG)
            elif op == "unicode":
                parent[key] = draw(UNICODE)
            elif isinstance(parent, dict):
                parent[draw(st.text(max_size=12))] = parent.pop(key)
        elif op == "duplicate" and data:
            data.append(copy.deepcopy(draw(st.sampled_from(data))))
        elif op == "drop" and data:
            data.pop(draw(st.integers(0, len(data) - 1)))
        elif op == "not-a-record":
            data.insert(draw(st.integers(0, len(data))), draw(WRONG))
        elif op == "duplicate-id" and len(data) > 1 and all(isinstance(r, dict) for r in data[:2]):
            data[1]["id"] = data[0].get("id")
    return data


YAML_NOISE = st.lists(st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\t\n ") + ["\n  ", "- ", ": ", "\ufeff", "\x00",
                                                                            "? ", "!!set ", "<<: "]
                                      + list("aZ09ก๑魚")), min_size=1, max_size=12).map("".join)


@st.composite
def corrupted_text(draw, original: bytes) -> bytes:
    """`original` truncated, spliced with YAML punctuation or random text, cut, or made of random bytes."""
    op = draw(st.sampled_from(["truncate", "insert", "insert-unicode", "cut", "bytes", "splice-bytes",
                               "repeat-line", "dedent"]))
    n = len(original)
    at = draw(st.integers(0, n))
    if op == "truncate":
        return original[:at]
    if op == "insert":
        return original[:at] + draw(YAML_NOISE).encode() + original[at:]
    if op == "insert-unicode":
        return original[:at] + draw(UNICODE).encode("utf-8", "surrogatepass") + original[at:]
    if op == "cut":
        return original[:at] + original[min(n, at + draw(st.integers(1, 200))):]
    if op == "bytes":
        return draw(st.binary(max_size=200))
    if op == "splice-bytes":
        return original[:at] + draw(st.binary(min_size=1, max_size=8)) + original[at:]
    lines = original.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    if op == "repeat-line":
        lines.insert(i, lines[i])
    else:
        lines[i] = lines[i].lstrip()
    return b"\n".join(lines)


def dump(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


# --- The registry ---------------------------------------------------------------------------------

def test_the_small_registry_is_valid(project, files):
    with files({"data/pairs.yaml": SMALL.encode()}):
        model = gather(project)
    assert [p.id for p in model.registry.pairs] == ["chiang-mai-uozu", "tak-myawaddy"]
    with files({"data/pairs.yaml": dump(SMALL_DATA)}):  # and survives a round trip through the YAML writer
        assert len(gather(project).registry.pairs) == 2


@FAST
@given(data=mutated_registries())
def test_a_mutated_registry_loads_or_is_reported_file_and_line(project, files, data):
    with files({"data/pairs.yaml": dump(data)}) as written:
        model, err = outcome(project, written, lambda: gather(project))
    if err is None:  # accepted: only whole, distinct records of the file
        ids = [p.id for p in model.registry.pairs]
        assert len(ids) == len(set(ids)) and len(ids) <= len(data)
        assert set(ids) <= {r.get("id") for r in data if isinstance(r, dict)}
    else:
        assert any(p.file == "data/pairs.yaml" for p in err.problems), err.report()


@FAST
@given(st.data())
def test_a_corrupted_pairs_file_loads_or_is_reported_file_and_line(project, files, data):
    text = data.draw(corrupted_text(SMALL.encode()))
    with files({"data/pairs.yaml": text}) as written:
        _, err = outcome(project, written, lambda: gather(project))
    if err is not None:
        assert all(p.file.startswith(("data/", "content/")) for p in err.problems), err.report()


OTHER_DATA = ("data/registry.yaml", "data/site.yaml", "data/anchors.yaml", "data/regions.yaml",
              "data/countries.yaml")


@FAST
@given(st.data())
def test_other_corrupted_data_files_load_or_are_reported(project, files, data):
    rel = data.draw(st.sampled_from(OTHER_DATA))
    original = (ROOT / rel).read_bytes()
    if data.draw(st.booleans()):
        text = data.draw(corrupted_text(original))
    else:  # valid YAML of the wrong shape
        text = dump(data.draw(st.one_of(WRONG, st.lists(WRONG, max_size=3),
                                        st.dictionaries(st.sampled_from(["as_of", "stated", "sources", "base_url",
                                                                         "plan", "handbook", "north", "JP"]),
                                                        WRONG, max_size=3))))
    with files({rel: text}) as written:
        model, err = outcome(project, written, lambda: gather(project))
        if model is not None and rel == "data/registry.yaml":  # what the templates read: render it all
            outcome(project, written, lambda: build(project, write=False))


# --- Content --------------------------------------------------------------------------------------

DOCS = ("content/en/about.md", "content/th/about.md", "content/en/data.md", "content/th/sources.md")
FRONT_VALUES = st.one_of(WRONG, st.text(max_size=30))


@st.composite
def corrupted_documents(draw) -> tuple[str, bytes]:
    rel = draw(st.sampled_from(DOCS))
    text = (ROOT / rel).read_text(encoding="utf-8")
    _, front_text, body = text.split("---\n", 2)
    front = yaml.safe_load(front_text)
    op = draw(st.sampled_from(["front-delete", "front-wrong", "front-unknown", "front-text", "no-closing",
                               "heading", "directive", "html", "text"]))
    if op == "front-delete":
        del front[draw(st.sampled_from(sorted(front)))]
    elif op == "front-wrong":
        front[draw(st.sampled_from(sorted(front)))] = draw(FRONT_VALUES)
    elif op == "front-unknown":
        front[draw(st.text(min_size=1, max_size=10))] = draw(FRONT_VALUES)
    if op.startswith("front-") and op != "front-text":
        front_text = yaml.safe_dump(front, allow_unicode=True)
    elif op == "front-text":
        at = draw(st.integers(0, len(front_text)))
        front_text = front_text[:at] + draw(YAML_NOISE) + front_text[at:]
    elif op == "no-closing":
        return rel, ("---\n" + front_text + body).encode()
    lines = body.split("\n")
    at = draw(st.integers(0, len(lines)))
    if op == "heading":
        anchor = draw(st.one_of(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), st.text(max_size=8)))
        lines.insert(at, f"\n{'#' * draw(st.integers(2, 4))} {draw(UNICODE)} {{#{anchor}}}\n")
    elif op == "directive":
        lines.insert(at, f"\n[[{draw(st.from_regex(r'[a-z-]{1,8}', fullmatch=True))}]]\n")
    elif op == "html":
        lines.insert(at, draw(st.sampled_from(['<h2 id="what">dup</h2>', "<div>", "</div>", "<script>x</script>",
                                               '<a href="/nowhere/">x</a>', "<!--", "```"])))
    elif op == "text":
        lines.insert(at, draw(UNICODE))
    return rel, ("---\n" + front_text + "---\n" + "\n".join(lines)).encode("utf-8", "surrogatepass")


@FAST
@given(corrupted_documents())
def test_a_corrupted_document_loads_or_is_reported_file_and_line(project, files, doc):
    rel, text = doc
    with files({rel: text}) as written:
        _, err = outcome(project, written, lambda: gather(project))
    if err is not None:
        assert any(p.file == rel for p in err.problems), err.report()


LINK_TARGETS = st.one_of(
    st.sampled_from(["/pairs/", "/handbook/#s5", "/handbook/#no-such-section", "/no-such-page/", "/provinces/chiang-mai/",
                     "/pairs/chiang-mai-uozu/", "/pairs/no-such-pair/", "#what", "#nowhere", "/data/pairs.csv",
                     "/static/nope.css", "/th/plan/#annex", "/en/stats/#stated", "//example.org/x", "/"]),
    st.from_regex(r"/[a-z0-9/#-]{0,20}", fullmatch=True),
)


@pytest.fixture(scope="module")
def good_site(project, tmp_path_factory):
    """A site/ built from the unchanged copy: the previous site every failed build must leave alone."""
    site = tmp_path_factory.mktemp("robust-site") / "site"
    build(project, site)
    return site


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@SLOW
@given(doc=st.sampled_from(DOCS), targets=st.lists(LINK_TARGETS, min_size=1, max_size=3), data=st.data())
def test_a_failed_build_leaves_the_previous_site_byte_identical(project, files, good_site, doc, targets, data):
    """Random links in a document: a build that fails must not touch site/ at all."""
    before = snapshot(good_site)
    text = (ROOT / doc).read_text(encoding="utf-8").rstrip("\n")
    text += "\n\n" + " ".join(f"[link {i}]({t})" for i, t in enumerate(targets)) + "\n"
    if data.draw(st.booleans()):  # sometimes break the registry as well
        pairs = data.draw(corrupted_text((ROOT / "data/pairs.yaml").read_bytes()))
        written = {doc: text.encode(), "data/pairs.yaml": pairs}
    else:
        written = {doc: text.encode()}
    with files(written):
        _, err = outcome(project, written, lambda: build(project, good_site))
    if err is None:  # it built: that site is the previous one of the next example
        return
    assert snapshot(good_site) == before, "a failed build changed site/"
    if "data/pairs.yaml" not in written:  # only links changed: each bad one is reported at its line
        assert all(p.file == doc and p.line for p in err.problems), err.report()


# --- Text from the registry is text ---------------------------------------------------------------

PAYLOAD = "<script>alert(1)</script>"


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1, self.scripts, self._in_h1 = "", [], False

    def handle_starttag(self, tag, attrs):
        self._in_h1 |= tag == "h1"
        if tag == "script":
            self.scripts.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def test_markup_in_a_partner_name_is_shown_as_text(project, files):
    pairs = (ROOT / "data/pairs.yaml").read_text(encoding="utf-8")
    record = pairs.index("- id: chiang-mai-uozu")
    edited = pairs[:record] + pairs[record:].replace("name_en: Uozu\n", f"name_en: '{PAYLOAD} Uozu'\n", 1)
    edited = edited.replace("parent_en: Toyama Prefecture", f"parent_en: '{PAYLOAD}'", 1)
    assert edited.count(PAYLOAD) == 2
    with files({"data/pairs.yaml": edited.encode()}):
        result = build(project, write=False)
    page = result.outputs["en/pairs/chiang-mai-uozu/index.html"].decode()
    assert f"{html.escape(PAYLOAD, quote=False)} Uozu" in page  # escaped, as text
    parsed = _Text()
    parsed.feed(page)
    assert f"{PAYLOAD} Uozu" in " ".join(parsed.h1.split())  # and a reader sees it literally in the heading
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in parsed.scripts), parsed.scripts
    leaked = [path for path, data in result.outputs.items()
              if path.endswith((".html", ".svg", ".xml")) and b"<script>alert" in data]
    assert not leaked, f"the name went out as markup in: {leaked[:10]}"
    assert any(PAYLOAD.encode() in data for path, data in result.outputs.items() if path.endswith(".json")), \
        "the name should still be in the open data, as data"


# --- The crashes found, one exact input each: now located build errors --------------------------------

CRASHES = [
    ("unhashable key in pairs.yaml", "data/pairs.yaml", SMALL + "- {[1, 2]: x}\n"),
    ("unhashable key in provinces.yaml", "data/provinces.yaml", "? [Chiang Mai]\n: {slug: chiang-mai}\n"),
    ("registry.yaml stated is a number", "data/registry.yaml", "as_of: 2019-01-04\nstated: 5\n"),
    ("registry.yaml sources is a list", "data/registry.yaml", "as_of: 2019-01-04\nsources: [plan]\n"),
    ("site.yaml is a list", "data/site.yaml", "- base_url\n"),
    ("anchors.yaml plan is a number", "data/anchors.yaml", "plan: 5\n"),
    ("anchors.yaml anchor is a list", "data/anchors.yaml", "plan: [[s1]]\n"),
    ("front matter is a sentence", "content/en/about.md", "---\njust a sentence\n---\nbody\n"),
    ("front matter is a list", "content/en/about.md", "---\n- [title]\n---\nbody\n"),
    ("front matter is a number", "content/en/about.md", "---\n5\n---\nbody\n"),
    ("registry.yaml is a list: accepted, then the render crashes", "data/registry.yaml", "- as_of\n"),
    ("registry.yaml is empty: accepted, then the render crashes", "data/registry.yaml", ""),
    ("registry.yaml without sources: accepted, then the render crashes", "data/registry.yaml",
     "as_of: 2019-01-04\nstated:\n  signed: {pairs: 89, provinces: 39}\n  in_progress: {pairs: 52, provinces: 23}\n"),
    ("registry.yaml without stated: accepted, then the render crashes", "data/registry.yaml",
     re.sub(r"^stated:\n(?:  .*\n)+", "", (ROOT / "data/registry.yaml").read_text(encoding="utf-8"), flags=re.M)),
]


@pytest.mark.parametrize("name,rel,text", CRASHES, ids=[c[0] for c in CRASHES])
def test_known_crash_is_now_a_build_error(project, files, name, rel, text):
    with files({rel: text.encode()}):
        with pytest.raises(BuildError) as err:
            build(project, write=False)
    assert any(p.file == rel for p in err.value.problems), err.value.report()


# --- Failures the property tests found, pinned (tests that draw with st.data() cannot take an @example) ---

FOUND = [
    # 2026-12-07, test_other_corrupted_data_files_load_or_are_reported on a fresh clone: the key was
    # printed as nothing ("data/site.yaml:1:  is not a known field"), which check_problems refuses.
    ("an empty key in site.yaml", "data/site.yaml", "? ''\n: 0\n",
     "data/site.yaml:1: '' is not a known field (expected base_url, publisher, official, contact, licensor)"),
    ("an empty key in a pair", "data/pairs.yaml", SMALL.replace("  list_no: 1\n", "  list_no: 1\n  '': 0\n", 1),
     "'' is not a known field (expected one of: id, list_no"),
    ("an empty key in front matter", "content/en/about.md",
     (ROOT / "content/en/about.md").read_text(encoding="utf-8").replace("title:", "'': 0\ntitle:", 1),
     "content/en/about.md:2: front matter: '' is not a known field"),
]


@pytest.mark.parametrize("name,rel,text,expected", FOUND, ids=[c[0] for c in FOUND])
def test_found_failure_is_a_located_error(project, files, name, rel, text, expected):
    with files({rel: text.encode()}) as written:
        model, err = outcome(project, written, lambda: gather(project))
    assert err is not None and any(expected in str(p) for p in err.problems), err and err.report()


# --- Markdown that parsers find hard: deep brackets, quotes, emphasis (issue 17, item 12) -------------------

MARKDOWN_PIECES = ["[", "]", "(", ")", "![", "](/)", "*", "_", "**", "`", '"', "'", ">", "> ", "- ", "1. ", "<div>",
                   "</div>", "<", "&", "&#0;", "#", "|", "{#a}", "\\", "x", " ", "\n", "\n\n", "    ", "ก"]


@st.composite
def hard_markdown(draw) -> str:
    """Runs of the characters Markdown's inline and block parsers nest on, some long (up to 3,000)."""
    runs = draw(st.lists(st.tuples(st.sampled_from(MARKDOWN_PIECES),
                                   st.one_of(st.integers(1, 5), st.integers(5, 300), st.integers(300, 3000))),
                         min_size=1, max_size=12))
    return "".join(piece * count for piece, count in runs)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=hard_markdown())
@example(body="[" * 50_000 + "x" + "]" * 50_000)          # the hang of issue 17 (minutes before)
@example(body=">" * 200 + "x")                              # 200 nested quotes before
@example(body="[x" * 4000)                                  # 6 s before
@example(body="|a|b|\n|-|-|\n" + "|xx|yy|\n" * 20_000)      # a big table: within the time budget or refused
def test_hard_markdown_is_converted_or_refused_at_a_line_in_bounded_time(project, files, body):
    import time
    from portal import content, limits
    from portal.errors import Problems
    rel = "content/en/about.md"
    text = (ROOT / rel).read_text(encoding="utf-8") + "\n" + body + "\n"
    with files({rel: text.encode()}) as written:
        problems = Problems()
        started = time.process_time()
        content.load_document(project / rel, project, "en", problems, numbered=False)
        spent = time.process_time() - started
    assert spent < limits.MARKDOWN_SECONDS + 2, f"{spent:.1f} s of CPU"
    for p in problems.items:
        assert p.file == rel and p.line and 1 <= p.line <= written[rel].count(b"\n") + 1, str(p)
