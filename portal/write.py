"""Writing site/ so that it is never half-written.

Each build that changes anything writes a complete new generation under .site-builds/ and
then points the `site` symlink at it in one atomic rename. Unchanged files are hard-linked
from the previous generation (cheap), and a build that changes nothing writes nothing.
An interrupted build leaves `site` pointing at the last complete generation.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

GENERATIONS = ".site-builds"


@dataclass
class WriteResult:
    written: list[str]     # files whose content is new or changed
    removed: list[str]     # files of the previous site that are gone
    unchanged: int
    generation: Path | None  # None when nothing changed

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def _current(site: Path) -> Path | None:
    if site.is_symlink():
        target = site.resolve()
        return target if target.is_dir() else None
    return site if site.is_dir() else None


def _existing_files(folder: Path) -> set[str]:
    out = set()
    for dirpath, _dirs, files in os.walk(folder):
        rel = os.path.relpath(dirpath, folder)
        for f in files:
            out.add(f if rel == "." else f"{rel}/{f}".replace(os.sep, "/"))
    return out


_last_written: dict[Path, Path] = {}  # site → the generation this process last made it point to


def write_site(site: Path, outputs: dict[str, bytes], previous: dict[str, bytes] | None = None) -> WriteResult:
    """Make `site` hold exactly `outputs` (relative path → bytes). `previous`, what this process
    wrote there last, saves reading the files back when the site is still that generation."""
    site = site.absolute()
    gens = site.parent / GENERATIONS
    current = _current(site)
    if previous is not None and current is not None and _last_written.get(site) == current:
        old_files = set(previous)
        same = lambda rel, data: previous[rel] == data  # noqa: E731
    else:
        old_files = _existing_files(current) if current else set()
        def same(rel, data):
            old = current / rel
            return old.stat().st_size == len(data) and old.read_bytes() == data
    written, unchanged = [], []
    for rel, data in outputs.items():
        if current is not None and rel in old_files and same(rel, data):
            unchanged.append(rel)
        else:
            written.append(rel)
    removed = sorted(old_files - set(outputs))
    if current and not written and not removed:
        return WriteResult([], [], len(unchanged), None)

    gens.mkdir(parents=True, exist_ok=True)
    new = gens / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    new.mkdir()
    made_dirs: set[Path] = set()

    def ensure_dir(path: Path) -> None:
        if path not in made_dirs:
            path.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path)

    for rel in unchanged:
        target = new / rel
        ensure_dir(target.parent)
        try:
            os.link(current / rel, target)
        except OSError:  # another file system: copy instead
            shutil.copy2(current / rel, target)
    for rel in written:
        target = new / rel
        ensure_dir(target.parent)
        target.write_bytes(outputs[rel])

    _swap(site, new)
    _last_written[site] = new
    _clean(gens, keep=new)
    return WriteResult(sorted(written), removed, len(unchanged), new)


class Fresh:
    """A first generation, written while the build is still making files. With no site yet there
    is nothing to compare with or link to, so each process of the build writes each file as soon
    as it is made (portal/parallel.py), and the writing overlaps the making instead of following
    it. Nothing is visible until commit() swaps the generation in; abandon() removes it."""

    def __init__(self, site: Path):
        self.site = site.absolute()
        self.gens = self.site.parent / GENERATIONS
        self.gens.mkdir(parents=True, exist_ok=True)
        self.dir = self.gens / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        self.dir.mkdir()
        self._root = str(self.dir)
        self._dirs: set[str] = {""}
        self.committed = False

    def put(self, rel: str, data: bytes) -> None:
        # Plain system calls: at 10,000 pairs this runs 20,000 times, and Python's open() adds
        # a stat and two objects to each file.
        folder = rel.rpartition("/")[0]
        if folder not in self._dirs:
            os.makedirs(f"{self._root}/{folder}", exist_ok=True)
            self._dirs.add(folder)
        fd = os.open(f"{self._root}/{rel}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def commit(self, outputs: dict[str, bytes], already: set[str]) -> WriteResult:
        """Write what is not written yet, then make `site` point here."""
        for rel, data in outputs.items():
            if rel not in already:
                self.put(rel, data)
        _swap(self.site, self.dir)
        self.committed = True
        _last_written[self.site] = self.dir
        _clean(self.gens, keep=self.dir)
        return WriteResult(sorted(outputs), [], 0, self.dir)

    def abandon(self) -> None:
        """Remove the generation, unless it is already the site (an interruption after commit)."""
        if not self.committed:
            shutil.rmtree(self.dir, ignore_errors=True)


class Outputs(dict):
    """A build's files, relative path → bytes, where a file already written into a generation may
    be held as None and is read back from there when asked for (`outputs[rel]`). Iterating gives
    the Nones as they are: only a one-off command-line build makes one (Builder(keep_outputs=False))."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def __getitem__(self, rel: str) -> bytes:
        data = super().__getitem__(rel)
        return (self.folder / rel).read_bytes() if data is None else data


def fresh(site: Path) -> Fresh | None:
    """A Fresh generation if `site` does not exist yet, else None (write_site compares and links)."""
    return Fresh(site) if _current(site.absolute()) is None else None


def update_in_place(site: Path, outputs: dict[str, bytes], previous: dict[str, bytes]) -> WriteResult | None:
    """The preview server's fast path: replace just the changed files of the generation this
    process wrote last, each atomically (a reader sees the old file or the new one). A whole new
    generation costs a link per file, which on this machine's file system is ~0.3 ms each.
    Returns None when the site is not that generation (then write_site must be used)."""
    site = site.absolute()
    current = _current(site)
    if current is None or _last_written.get(site) != current:
        return None
    written = sorted(rel for rel, data in outputs.items() if previous.get(rel) != data)
    removed = sorted(set(previous) - set(outputs))
    for rel in written:
        target = current / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        tmp.write_bytes(outputs[rel])
        os.replace(tmp, target)
    for rel in removed:
        (current / rel).unlink(missing_ok=True)
    return WriteResult(written, removed, len(outputs) - len(written), None)


def _swap(site: Path, new: Path) -> None:
    link = site.parent / f".{site.name}.next"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(new, site.parent))
    if site.exists() and not site.is_symlink():
        # An old real folder (from before generations): move it aside into the generations folder.
        site.rename(new.parent / f"legacy-{os.getpid()}")
    os.replace(link, site)  # atomic: readers see the old site or the new one, never a mix


def _clean(gens: Path, keep: Path) -> None:
    """Remove earlier generations, and any left half-written by an interrupted build."""
    for child in gens.iterdir():
        if child != keep:
            shutil.rmtree(child, ignore_errors=True)
