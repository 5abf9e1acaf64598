"""The command line's build shares its work with a helper process (portal/parallel.py): it must
make exactly what a build in one process makes, and a failure in the helper must stop the build
with the helper's own error and leave site/ as it was."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from portal import parallel
from portal.site import PARALLEL_MIN

needs_fork = pytest.mark.skipif(not parallel.available(), reason="no fork, or one core")


def files_under(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@needs_fork
def test_the_command_lines_shared_build_makes_exactly_what_one_process_makes(tmp_path, outputs):
    # The session's build (one process, with the .gz copies of --precompress, left out here).
    serial = {rel: data for rel, data in outputs.items() if not rel.endswith(".gz")}
    assert len([f for f in serial if f.endswith(".html")]) > PARALLEL_MIN  # so the helper is used
    site = tmp_path / "site"
    # (without the build cache: every task of a cold build runs; tests/test_cache.py builds with it)
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--quiet", "--no-cache", "--site", str(site)],
                   check=True)
    assert files_under(site.resolve()) == serial


@needs_fork
def test_every_task_runs_once_here_or_in_the_helper():
    tasks = [lambda i=i: {f"t{i}": bytes([i % 256]) * (i * 997)} for i in range(60)]
    out = parallel.run(tasks, helper=True)
    assert out == {f"t{i}": bytes([i % 256]) * (i * 997) for i in range(60)}


@needs_fork
def test_a_task_apart_runs_in_a_process_of_its_own_and_its_error_is_raised_here():
    """parallel.run(apart=…): the search index's task runs in a process that ends with it, so that
    neither the build nor its helper holds its memory; its files come back, and so does its error."""
    def where(name):
        def task():
            time.sleep(0.05)   # (long enough for both this process and the helper to take some)
            return {name: str(os.getpid()).encode()}
        return task
    out = parallel.run([where(f"t{i}") for i in range(20)], helper=True, apart=[where("apart")])
    assert set(out) == {"apart", *(f"t{i}" for i in range(20))}
    shared = {out[f"t{i}"] for i in range(20)}
    assert len(shared) == 2 and str(os.getpid()).encode() in shared   # this process and its helper
    assert out["apart"] not in shared
    def fail():
        raise ValueError("the index failed")
    with pytest.raises(ValueError, match="the index failed"):
        parallel.run([where("t")], helper=True, apart=[fail])


def in_helper_only(action):
    """A task that does `action` in the helper process and, here, waits for the helper to take the other."""
    parent = os.getpid()

    def task():
        if os.getpid() != parent:
            action()
        time.sleep(0.5)
        return {}
    return task


@needs_fork
def test_an_error_in_the_helper_is_raised_here():
    def fail():
        raise ValueError("drawing failed")
    with pytest.raises(ValueError, match="drawing failed"):
        parallel.run([in_helper_only(fail), in_helper_only(fail)], helper=True)


@needs_fork
def test_a_helper_that_dies_is_reported():
    with pytest.raises(parallel.HelperFailed, match="stopped unexpectedly"):
        parallel.run([in_helper_only(lambda: os._exit(3)), in_helper_only(lambda: os._exit(3))], helper=True)


@needs_fork
def test_a_failed_shared_build_leaves_the_site_as_it_was(tmp_path):
    from conftest import copy_project
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--quiet", "--root", str(project),
                    "--site", str(site)], check=True)
    before = files_under(site.resolve())
    # A template error on English pages only: the helper renders most of them.
    tpl = project / "templates" / "pair.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("{% block content %}",
                   "{% block content %}{% if lang == 'en' %}{{ no_such_value }}{% endif %}", 1), encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(project), "--site", str(site)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "templates/pair.html:2: 'no_such_value' is undefined (making /en/pairs/" in run.stderr
    assert "Traceback" not in run.stderr
    assert files_under(site.resolve()) == before


@needs_fork
def test_the_command_line_checks_content_links_against_the_pages_it_has_written(tmp_path):
    """The command line lets go of each page once written (Builder(keep_outputs=False)); a link to
    a section is still checked, against the page read back from the new generation."""
    from conftest import copy_project
    project = copy_project(tmp_path / "project")
    md = project / "content" / "en" / "about.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nSee [the stages](/handbook/#no-such-section).\n", encoding="utf-8")
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(project), "--site", str(site)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "content/en/about.md" in run.stderr and "the page has no section #no-such-section" in run.stderr
    assert not site.exists() and list((tmp_path / ".site-builds").iterdir()) == []


@needs_fork
def test_a_cold_build_reports_template_content_and_data_errors_together(tmp_path):
    """The command line's cold build compiles the templates in a forked process while it reads data/
    and content/ (render.CompilingElsewhere): a problem in each is still reported, located, in one
    run, the templates' after the input's."""
    from conftest import copy_project
    project = copy_project(tmp_path / "project")
    tpl = project / "templates" / "country.html"
    tpl.write_text(tpl.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    md = project / "content" / "en" / "about.md"
    md.write_text(md.read_text(encoding="utf-8") + '\n<script>alert("x")</script>\n', encoding="utf-8")
    pairs = project / "data" / "pairs.yaml"
    pairs.write_text(pairs.read_text(encoding="utf-8").replace("status: signed", "status: sealed", 1), encoding="utf-8")
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(project), "--site", str(site)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "data/pairs.yaml:" in run.stderr and "sealed" in run.stderr
    assert "content/en/about.md:" in run.stderr
    assert f"templates/country.html:{len(tpl.read_text(encoding='utf-8').splitlines())}:" in run.stderr
    assert not site.exists()
    assert run.stderr.index("templates/country.html") > run.stderr.index("content/en/about.md")


@needs_fork
def test_templates_compiled_by_a_forked_process_are_loaded_here_not_compiled_again(monkeypatch):
    """What the child of render.CompilingElsewhere compiled reaches this process as bytecode; a
    child that died leaves the compiling to this process."""
    from portal import render
    for child_dies in (False, True):
        if child_dies:
            monkeypatch.setattr(render, "make_environment", lambda *_a: os._exit(9))
        elsewhere = render.CompilingElsewhere(ROOT, None)
        monkeypatch.undo()
        env = render.make_environment(ROOT)
        compiled = []
        real = env.compile
        monkeypatch.setattr(env, "compile", lambda *a, **k: compiled.append(a[1]) or real(*a, **k))
        elsewhere.join(env)
        names = env.list_templates(extensions=["html"])
        assert len(env.cache) == len(names) > 20
        assert sorted(compiled) == (sorted(names) if child_dies else [])
