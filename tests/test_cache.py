"""The build cache on disk (.cache/, portal/cache.py): a build that uses it makes exactly the site
a build without it makes; two builds at once, a damaged entry or an interrupted write never
change a byte of the site; --no-cache neither reads nor writes it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from test_incremental import first_pair_with_notes
from portal import cache as cache_module
from portal.cache import Cache

KINDS = {"registry", "jinja", "markdown", "search", "cards", "maps", "pages", "site"}


def cli_build(project: Path, site: Path, *flags: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--quiet", "--root", str(project),
                             "--site", str(site), *flags], stderr=subprocess.PIPE, text=True)


def finished(proc: subprocess.Popen) -> None:
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def published(outputs: dict[str, bytes]) -> dict[str, bytes]:
    """The session's build without its .gz copies (the command line writes them only with --precompress)."""
    return {rel: data for rel, data in outputs.items() if not rel.endswith(".gz")}


def entries(project: Path) -> dict[str, list[Path]]:
    [version] = list((project / ".cache").iterdir())
    return {kind.name: sorted(kind.iterdir()) for kind in version.iterdir()}


def test_two_cold_builds_at_once_then_a_warm_one_make_the_same_site(project, tmp_path, outputs):
    """Two command-line builds share one empty cache at the same time (each writes every entry);
    a third finds them all. All three sites are the site built without a cache, byte for byte."""
    first, second = cli_build(project, tmp_path / "a" / "site"), cli_build(project, tmp_path / "b" / "site")
    finished(first)
    finished(second)
    found = entries(project)
    assert KINDS <= set(found) and all(found[k] for k in KINDS)
    assert not [p for files in found.values() for p in files if p.name.startswith(".")]   # no temporary file left
    finished(cli_build(project, tmp_path / "c" / "site"))
    expected = published(outputs)
    for name in "abc":
        assert files_under((tmp_path / name / "site").resolve()) == expected, name


def test_a_damaged_or_half_written_entry_is_not_used(project, tmp_path, outputs):
    finished(cli_build(project, tmp_path / "a" / "site"))
    for files in entries(project).values():
        for path in files:
            data = bytearray(path.read_bytes())
            data[-1] ^= 0xFF                      # one bit of rot in every entry
            path.write_bytes(bytes(data))
            (path.parent / f".{path.name}.tmp123").write_bytes(bytes(data[:10]))   # an interrupted write
    finished(cli_build(project, tmp_path / "b" / "site"))
    assert files_under((tmp_path / "b" / "site").resolve()) == published(outputs)


def test_a_new_process_renders_only_the_pages_whose_inputs_changed(project, tmp_path):
    """.cache/pages: a new process with nothing changed renders no page; after a note's edit it
    renders that pair's pages (and the others of their chunks); after an edit of what the renderer
    reads itself (a word list), every page. Each site is the one a build without the cache makes,
    and the cache keeps only the last build's pages."""
    from portal.site import Builder

    def build(name: str, cache: bool = True, precompress: bool = False):
        return Builder(project, tmp_path / name / "site", cache=cache, precompress=precompress).build()

    first = build("first")
    assert len(first.rendered) == len(first.pages)
    chunks = len(entries(project)["pages"])
    again = build("again")
    assert again.rendered == [] and again.outputs == first.outputs
    published = build("published", precompress=True)   # (the pages' .gz copies made from the entries)
    assert published.rendered == [] and published.outputs == build("published-cold", False, True).outputs
    pair = first_pair_with_notes(project)
    pairs = project / "data" / "pairs.yaml"
    note = pair["notes"][0]["en"]
    pairs.write_text(pairs.read_text(encoding="utf-8").replace(note, note + " (checked again)"), encoding="utf-8")
    edited = build("edited")
    assert f"/en/pairs/{pair['id']}/" in edited.rendered and len(edited.rendered) < len(edited.pages) / 4
    assert edited.outputs == build("edited-cold", cache=False).outputs != first.outputs
    with (project / "data" / "keep_together.txt").open("a", encoding="utf-8") as f:
        f.write("\nพี่เมืองน้อง\n")
    listed = build("listed")
    assert len(listed.rendered) == len(listed.pages)
    assert listed.outputs == build("listed-cold", cache=False).outputs
    assert len(entries(project)["pages"]) == chunks   # the last build's pages only: the older ones removed


def test_a_new_process_with_nothing_changed_finds_site_as_it_left_it(project, tmp_path, outputs):
    """.cache/site: a command-line build after one of the same inputs into the same site/ finds the
    generation that build wrote, every file of it the size and age it was written with: it renders,
    reads and writes nothing. A file of site/ changed by hand, an edited note, or a site/ that another
    build has replaced since, send it the usual way, and the site is then the full build's."""
    from portal.site import Builder

    site = tmp_path / "s" / "site"

    def build():   # as build.py builds (a new Builder: a new process)
        return Builder(project, site, cache=True, keep_outputs=False, parallel=False).build()

    finished(cli_build(project, site))
    held = build()
    assert "make" not in held.timings and not held.write.changed and held.rendered == []
    assert held.outputs["th/index.html"] == published(outputs)["th/index.html"]   # (read from site/ when asked)
    assert files_under(site.resolve()) == published(outputs)

    page = site.resolve() / "en" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>changed by hand</p></body>"))
    restored = build()
    assert "make" in restored.timings and restored.write.written == ["en/index.html"]
    assert files_under(site.resolve()) == published(outputs)

    pair = first_pair_with_notes(project)
    pairs = project / "data" / "pairs.yaml"
    original, note = pairs.read_text(encoding="utf-8"), pair["notes"][0]["en"]
    pairs.write_text(original.replace(note, note + " (checked again)"), encoding="utf-8")
    edited = build()
    assert "make" in edited.timings and f"en/pairs/{pair['id']}/index.html" in edited.write.written
    assert "make" not in build().timings   # (and the next one finds it again)

    pairs.write_text(original, encoding="utf-8")
    finished(cli_build(project, site, "--no-cache"))   # another build (which keeps no record) replaced it
    compared = build()
    assert "make" in compared.timings and not compared.write.changed
    assert files_under(site.resolve()) == published(outputs)
    assert "make" not in build().timings


def test_a_command_line_build_knows_nothing_changed_from_the_files_times(project, tmp_path, outputs):
    """portal/uptodate.py: with the inputs and site/'s files as the last build recorded them (sizes,
    times), `build.py build` says so and imports nothing else. An edited input, a file of site/
    changed by hand, or an input modified too recently for its time to say anything (racy), and the
    build runs as usual; the site is then the full build's."""
    import os
    import time
    from portal import uptodate

    def age(path: Path, seconds_ago: float = 600) -> None:
        when = time.time() - seconds_ago
        os.utime(path, (when, when))

    for folder in uptodate.INPUT_FOLDERS:
        for path in [*(project / folder).rglob("*"), project / folder]:
            age(path)
    site = tmp_path / "s" / "site"

    def build() -> str:
        run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--timings", "--root", str(project),
                              "--site", str(site)], capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        return run.stdout

    assert "up to date" not in build()   # (the first: everything made)
    again = build()
    assert "up to date" in again and "gather" not in again
    assert files_under(site.resolve()) == published(outputs)

    page = site.resolve() / "th" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>changed by hand</p></main>"))
    restored = build()
    assert "up to date" not in restored and "1 files written" in restored
    assert files_under(site.resolve()) == published(outputs)
    assert "up to date" in build()

    pair = first_pair_with_notes(project)
    pairs = project / "data" / "pairs.yaml"
    note = pair["notes"][0]["en"]
    pairs.write_text(pairs.read_text(encoding="utf-8").replace(note, note + " (checked again)"), encoding="utf-8")
    age(pairs, 300)
    edited = build()
    assert "up to date" not in edited and "files written" in edited
    assert "up to date" in build()

    pairs.touch()   # the same bytes, modified just now: the plan compares digests, and the time is not trusted
    for _ in range(2):
        touched = build()
        assert "up to date" not in touched and "nothing changed, nothing written" in touched


def test_no_cache_neither_reads_nor_writes_it(project, tmp_path):
    finished(cli_build(project, tmp_path / "site", "--no-cache"))
    assert not (project / ".cache").exists()


def test_an_entry_is_whole_or_missing(tmp_path):
    cache = Cache(tmp_path)
    assert cache.get("kind", "key") is None
    cache.put("kind", "key", b"value")
    assert cache.get("kind", "key") == b"value"
    path = cache.folder / "kind" / "key"
    path.write_bytes(path.read_bytes()[:-1])   # truncated
    assert cache.get("kind", "key") is None
    assert cache.remember("kind", "other", lambda: {"a": 1}) == {"a": 1}
    assert cache.remember("kind", "other", lambda: {"b": 2}) == {"a": 1}   # made once, then read


def test_a_new_code_version_starts_an_empty_cache_and_removes_the_old(tmp_path, monkeypatch):
    old = Cache(tmp_path)
    old.put("kind", "key", b"old")
    monkeypatch.setattr(cache_module, "code_version", lambda: "another-version")
    new = Cache(tmp_path)
    assert new.get("kind", "key") is None
    assert not old.folder.exists()


def test_a_build_that_does_not_choose_uses_the_shared_cache_and_one_that_does_does_not(project, tmp_path, monkeypatch):
    """SHARED_ENV (the test suite's shared cache) is used only by builds that did not say: the command
    line always says (its own .cache/, or none with --no-cache)."""
    from portal.cache import SHARED_ENV, Cache
    monkeypatch.setenv(SHARED_ENV, str(tmp_path / "shared"))
    assert Cache.of_build(project, None).folder.parent == tmp_path / "shared"
    assert Cache.of_build(project, True).folder.parent == project / ".cache"
    assert not Cache.of_build(project, False).enabled
    monkeypatch.delenv(SHARED_ENV)
    assert not Cache.of_build(project, None).enabled
