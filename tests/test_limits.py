"""Every failure a located error (issue 9, item 2): each input that gave a traceback, a crash or a
hang now gives a message naming the file (and line), saying what to do, exit status 1 and
site/ untouched. Each case runs `build.py` in a subprocess with a timeout, since some of them
crashed the interpreter (YAML nested 30,000 deep) or ran for minutes (an alias bomb)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from portal import limits
from portal.errors import BuildError, Problems
from portal.site import build, gather

TIMEOUT = 120   # a generous bound on a build that must fail at once: only a hang reaches it

BOMB = textwrap.dedent("""\
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
    """)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with a good site/ built from it: the site every case must leave alone."""
    project = copy_project(tmp_path_factory.mktemp("limits") / "project")
    build(project, project / "site")
    return project


def snapshot(site: Path) -> tuple[str, dict[str, bytes]]:
    return os.readlink(site), {p.relative_to(site).as_posix(): p.read_bytes()
                               for p in sorted(site.rglob("*")) if p.is_file()}


def edit(rel: str, old: str, new: str):
    def apply(project: Path) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def replace(rel: str, text: str):
    def apply(project: Path) -> None:
        (project / rel).write_text(text, encoding="utf-8")
    return apply


def append(rel: str, text: str):
    def apply(project: Path) -> None:
        with (project / rel).open("a", encoding="utf-8") as f:
            f.write(text)
    return apply


def folder_for(rel: str):
    def apply(project: Path) -> None:
        (project / rel).unlink()
        (project / rel).mkdir()
    return apply


def remove(rel: str):
    def apply(project: Path) -> None:
        path = project / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return apply


def line_in(rel: str, text: str) -> int:
    """The line of the project's file where `text` first starts (so the cases follow edits to the real files)."""
    content = (ROOT / rel).read_text(encoding="utf-8")
    return content[:content.index(text)].count("\n") + 1


ABOUT = len((ROOT / "content/en/about.md").read_text(encoding="utf-8").splitlines())   # lines before an append
LONG_ID = "a" * 300
NOTE = "  notes:\n  - en: The list spells the partner"
CASES = [
    ("unknown world_region (a KeyError that killed serve)",
     edit("data/countries.yaml", "world_region: east_asia", "world_region: atlantis"),
     f"data/countries.yaml:{line_in('data/countries.yaml', 'CN:')}: country 'CN': world_region 'atlantis' must be one of: east_asia, southeast_asia"),
    ("geometry file missing", remove("data/geo/countries.json"),
     "data/geo/countries.json: file not found: regenerate it with `python -m portal.maps`"),
    ("geometry file not JSON", replace("data/geo/countries.json", '{"world": [1, 2,\n'),
     "data/geo/countries.json:2: is not valid JSON"),
    ("pairs.yaml is a folder", folder_for("data/pairs.yaml"),
     "data/pairs.yaml: is a folder (or other special file), not a file: put the file in its place"),
    ("an id of 300 characters (File name too long)", edit("data/pairs.yaml", "id: chiang-mai-uozu", f"id: {LONG_ID}"),
     f"data/pairs.yaml:4: pair '{LONG_ID[:38]}…: id '{LONG_ID[:38]}… is 300 characters long, more than 80"),
    ("a Markdown list nested 1,000 deep (RecursionError)",
     append("content/en/about.md", "\n" + "".join("    " * i + "- x\n" for i in range(1000))),
     f"content/en/about.md:{ABOUT + 14}: lists and block quotes are nested 13 deep here, more than 12: flatten them"),
    ("Markdown lists on one line, 1,000 deep", append("content/en/about.md", "\n" + "- " * 1000 + "x\n"),
     f"content/en/about.md:{ABOUT + 2}: lists and block quotes are nested 1000 deep here"),
    ("HTML elements nested 1,000 deep", append("content/en/about.md", "\n" + '<div markdown="1">\n' * 1000),
     f"content/en/about.md:{ABOUT + 14}: HTML elements are nested more than 12 deep here"),
    ("YAML nested 3,000 deep (RecursionError)",
     edit("data/pairs.yaml", "    alt_names:\n", "    alt_names: " + "[" * 3000 + "]" * 3000 + "\n    alt_x:\n"),
     f"data/pairs.yaml:{line_in('data/pairs.yaml', '    alt_names:')}: lists and mappings are nested more than 32 deep: no data file needs that; flatten it"),
    ("YAML nested 30,000 deep beside a tag, for the node loader (a segfault)",
     replace("data/regions.yaml", "x: !!set {a}\ny: " + "[" * 30000 + "]" * 30000 + "\n"),
     "data/regions.yaml:2: lists and mappings are nested more than 32 deep"),
    ("front matter nested 2,000 deep", edit("content/en/about.md", "title: ", "title: " + "[" * 2000 + "]" * 2000 + " "),
     "content/en/about.md:2: lists and mappings are nested more than 32 deep"),
    ("a YAML alias bomb of 700 bytes", replace("data/regions.yaml", BOMB),
     "data/regions.yaml:5: YAML aliases (here *d) repeat more than 10,000 values: write the values out"),
    ("an alias bomb inside a pair, for the event reader", edit("data/pairs.yaml", NOTE, "  x:\n" + textwrap.indent(BOMB, "    ") + NOTE),
     f"data/pairs.yaml:{line_in('data/pairs.yaml', NOTE) + 5}: YAML aliases (here *d) repeat more than 10,000 values"),
    ("a text of 6,000 characters", edit("data/pairs.yaml", "name_en: Uozu", "name_en: " + "U" * 6000),
     f"data/pairs.yaml:{line_in('data/pairs.yaml', 'name_en: Uozu')}: a text of 6,000 characters is longer than the limit of 5,000: shorten it"),
    ("static/ missing (a site without styles)", remove("static"),
     "static/: folder not found (or not a plain folder): the pages would have no styles"),
    ("static/css/site.css missing", remove("static/css/site.css"), "static/css/site.css: file not found: every page links to it"),
]


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_each_case_is_a_located_error_with_exit_1_and_site_untouched(project, tmp_path, name, change, expected):
    case = copy_project(tmp_path / "case")
    shutil.copytree(ROOT / "data" / "geo", case / "data" / "geo", dirs_exist_ok=True)
    change(case)
    before = snapshot(project / "site")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(case), "--site", str(project / "site")],
                         capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out[-3000:]
    assert "Traceback" not in out, out[-3000:]
    assert "The site was not built" in out and "site/ is unchanged" in out, out[:3000]
    assert expected in out, out[:3000]
    assert len(out) < 30_000, f"{len(out):,} characters of error message"   # no value printed in full
    assert snapshot(project / "site") == before
    assert not list((project / ".site-builds").glob("*.tmp*")) if (project / ".site-builds").exists() else True


def test_all_problems_of_several_files_are_reported_in_one_run(tmp_path):
    case = copy_project(tmp_path / "case")
    edit("data/countries.yaml", "world_region: east_asia", "world_region: atlantis")(case)
    edit("data/pairs.yaml", "id: chiang-mai-uozu", f"id: {LONG_ID}")(case)
    append("content/en/about.md", "\n<script>alert(1)</script>\n")(case)
    (case / "static" / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(BuildError) as err:
        gather(case)
    files = [p.file for p in err.value.problems]
    assert {"data/countries.yaml", "data/pairs.yaml", "content/en/about.md", "static/passwd"} <= set(files), err.value.report()


def test_a_bad_value_is_quoted_short(tmp_path):
    case = copy_project(tmp_path / "case")
    edit("data/pairs.yaml", "status: signed", "status: " + "x" * 4000)(case)
    with pytest.raises(BuildError) as err:
        gather(case)
    (problem,) = [p for p in err.value.problems if "status" in p.message]
    assert len(str(problem)) < 200 and "xxx…" in str(problem), str(problem)


def test_excerpt_never_expands_a_huge_shared_value():
    value = ["lol"] * 9
    for _ in range(9):              # 9**10 strings if written out
        value = [value] * 9
    assert len(limits.excerpt(value)) <= limits.EXCERPT
    assert limits.excerpt("abc") == "'abc'" and limits.excerpt({"a": 1}) == "{'a': 1}"


def test_a_file_too_big_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from portal import yamlfile
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" * 100, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_DATA_FILE_BYTES", 100)
    problems = Problems()
    assert yamlfile.load_as(big, "data/big.yaml", problems, dict, "a mapping") is None
    assert [str(p) for p in problems.items] == [
        "data/big.yaml: is 0.0 MB, more than the 0 MB allowed for a data file: is it the right file? (see docs/DATA.md, Limits)"]
