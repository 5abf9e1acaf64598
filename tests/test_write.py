"""site/ is never half-written; a rebuild with nothing changed writes nothing."""
from __future__ import annotations

import pytest

from portal import write
from portal.write import write_site


def files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_first_write_then_nothing_changed_writes_nothing(tmp_path):
    site = tmp_path / "site"
    out = {"index.html": b"a", "en/index.html": b"b"}
    first = write_site(site, out)
    assert sorted(first.written) == ["en/index.html", "index.html"]
    again = write_site(site, out)
    assert not again.changed and again.generation is None
    assert files(site) == out


def test_only_changed_files_are_written_and_removed_ones_go(tmp_path):
    site = tmp_path / "site"
    write_site(site, {"a.html": b"1", "b.html": b"2", "c.html": b"3"})
    result = write_site(site, {"a.html": b"1", "b.html": b"two"})
    assert result.written == ["b.html"] and result.removed == ["c.html"] and result.unchanged == 1
    assert files(site) == {"a.html": b"1", "b.html": b"two"}


def test_an_interrupted_write_leaves_the_previous_site_intact(tmp_path, monkeypatch):
    site = tmp_path / "site"
    write_site(site, {"a.html": b"old", "b.html": b"old"})

    real_swap = write._swap

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut before the swap")

    monkeypatch.setattr(write, "_swap", crash)
    with pytest.raises(KeyboardInterrupt):
        write_site(site, {"a.html": b"new", "b.html": b"new"})
    assert files(site) == {"a.html": b"old", "b.html": b"old"}

    monkeypatch.setattr(write, "_swap", real_swap)
    write_site(site, {"a.html": b"new", "b.html": b"new"})
    assert files(site) == {"a.html": b"new", "b.html": b"new"}
    # the half-written generation was cleaned away; the one replaced stays for readers in flight
    gens = sorted((tmp_path / write.GENERATIONS).iterdir())
    assert len(gens) == 2 and site.resolve() in gens


def test_a_plain_folder_left_by_an_older_build_is_replaced_atomically(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_bytes(b"x")
    write_site(site, {"a.html": b"1"})
    assert site.is_symlink() and files(site) == {"a.html": b"1"}


def test_a_first_build_that_fails_its_checks_leaves_nothing_behind(tmp_path):
    """A first build writes files as it makes them (write.Fresh); when a check fails after that,
    the half-made generation is removed and no site/ appears."""
    from conftest import copy_project
    from portal.errors import BuildError
    from portal.site import build
    project = copy_project(tmp_path / "project")
    md = project / "content" / "en" / "about.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nSee [the handbook](/en/handbook/#no-such-section).\n", encoding="utf-8")
    site = tmp_path / "out" / "site"
    with pytest.raises(BuildError, match="no-such-section"):
        build(project, site)
    assert not site.exists() and not site.is_symlink()
    assert list((tmp_path / "out" / ".site-builds").iterdir()) == []


def test_a_fresh_generation_once_committed_is_never_removed(tmp_path):
    """An interruption between the swap and the end of the build must not delete the live site."""
    gen = write.Fresh(tmp_path / "site")
    gen.put("index.html", b"<p>hello</p>")
    gen.commit({"index.html": b"<p>hello</p>", "robots.txt": b"User-agent: *\n"}, already={"index.html"})
    gen.abandon()
    assert files((tmp_path / "site").resolve()) == {"index.html": b"<p>hello</p>", "robots.txt": b"User-agent: *\n"}
