"""Writing site/ so that it is never half-written.

Each build that changes anything writes a complete new generation under .site-builds/ and
then points the `site` symlink at it in one atomic rename. Unchanged files are hard-linked
from the previous generation (cheap), and a build that changes nothing writes nothing.
An interrupted build leaves `site` pointing at the last complete generation. The preview
server updates the same way, so no reader ever sees a mix of two builds. A file that cannot
be written (a full disk, a read-only folder) is a located error (errors.cannot_write).
"""
from __future__ import annotations

import errno
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import cannot_write

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


def current_generation(site: Path) -> Path | None:
    """The folder `site` shows now."""
    return _current(site.absolute())


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


def write_site(site: Path, outputs: dict[str, bytes], previous: dict[str, bytes] | None = None,
               based_on: Path | None = None) -> WriteResult:
    """Make `site` hold exactly `outputs` (relative path → bytes). `previous`, what this process
    wrote into the generation `based_on`, saves reading the files back when the site is still
    that generation. The caller holds the build lock (portal/lock.py)."""
    site = site.absolute()
    gens = site.parent / GENERATIONS
    current = _current(site)
    if previous is not None and current is not None and based_on == current:
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

    new = _new_generation(gens)
    made_dirs: set[Path] = set()

    def ensure_dir(path: Path) -> None:
        if path not in made_dirs:
            path.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path)

    target = new
    try:
        for rel in unchanged:
            target = new / rel
            ensure_dir(target.parent)
            try:
                os.link(current / rel, target)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EMLINK, errno.EPERM):
                    raise
                shutil.copy2(current / rel, target)   # another file system, or too many links: copy instead
        for rel in written:
            target = new / rel
            ensure_dir(target.parent)
            target.write_bytes(outputs[rel])
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        raise cannot_write(target, exc) from None
    old = _swap(site, new)
    _clean(gens, keep={new, old})
    return WriteResult(sorted(written), removed, len(unchanged), new)


def file_stats(generation: Path) -> dict[str, tuple[int, int]]:
    """Every file of a generation with its size and modification time (ns): what a later process
    compares to know, without reading a byte, that the generation is as it was written."""
    out: dict[str, tuple[int, int]] = {}
    folders = [("", str(generation))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((prefix + entry.name + "/", entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    out[prefix + entry.name] = (st.st_size, st.st_mtime_ns)
    return out


def _new_generation(gens: Path) -> Path:
    new = gens / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    try:
        new.mkdir(parents=True)
    except OSError as exc:
        raise cannot_write(new, exc) from None
    return new


class Fresh:
    """A first generation, written while the build is still making files. With no site yet there
    is nothing to compare with or link to, so each process of the build writes each file as soon
    as it is made (portal/parallel.py), and the writing overlaps the making instead of following
    it. Nothing is visible until commit() swaps the generation in; abandon() removes it."""

    def __init__(self, site: Path):
        self.site = site.absolute()
        self.gens = self.site.parent / GENERATIONS
        self.dir = _new_generation(self.gens)
        self._root = str(self.dir)
        self._dirs: set[str] = {""}
        self.committed = False

    def put(self, rel: str, data: bytes) -> None:
        try:
            self._put(rel, data)
        except OSError as exc:
            raise cannot_write(f"{self._root}/{rel}", exc) from None

    def _put(self, rel: str, data: bytes) -> None:
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
        old = _swap(self.site, self.dir)
        self.committed = True
        _clean(self.gens, keep={self.dir, old})
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


def _swap(site: Path, new: Path) -> Path | None:
    """Point `site` at `new` in one rename; returns the generation it pointed at before."""
    old = _current(site)
    link = site.parent / f".{site.name}.next"
    try:
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.path.relpath(new, site.parent))
        if site.exists() and not site.is_symlink():
            # An old real folder (from before generations): move it aside into the generations folder.
            old = new.parent / f"legacy-{os.getpid()}"
            site.rename(old)
        os.replace(link, site)  # atomic: readers see the old site or the new one, never a mix
    except OSError as exc:
        raise cannot_write(site, exc) from None
    return old


def _clean(gens: Path, keep: set[Path | None]) -> None:
    """Remove generations that are neither in `keep` (the new site, and the one it replaced: a
    reader that was already inside it, such as a web server's request in flight, can finish) nor
    the target of any symlink beside site/ (another site built into the same folder). Only the
    build holding the lock (portal/lock.py) runs this, so no other build is writing a generation:
    anything else is left over from an interrupted build."""
    keep = {p.resolve() for p in keep if p is not None}
    for sibling in gens.parent.iterdir():
        if sibling.is_symlink():
            keep.add(sibling.resolve())
    for child in gens.iterdir():
        if child.resolve() not in keep:
            shutil.rmtree(child, ignore_errors=True)


class Spare:
    """The preview server's writer: two generations, the live one and a spare one build behind.
    An update brings the spare up to date (it replaces only the files that differ, unlinking each
    first: the generations share unchanged files as hard links) and swaps `site` to it, so a reader
    never sees a mix of two builds, and the update costs the changed files, not a link per file of
    the site. The spare's content is known exactly (`files`) or the update falls back to write_site."""

    def __init__(self, site: Path):
        self.site = site.absolute()
        self.dir: Path | None = None
        self.files: dict[str, bytes] | None = None   # exactly what self.dir holds; None while unknown

    def prepare(self, files: dict[str, bytes], based_on: Path | None) -> None:
        """Make the spare now, a hard-linked copy of the live generation `based_on` that holds
        `files` (the preview server does this once it is serving, so that its first rebuild is
        as quick as the next ones)."""
        current = _current(self.site)
        if current is None or current != based_on or self.dir is not None:
            return
        spare = _new_generation(self.site.parent / GENERATIONS)
        target = spare
        try:
            for rel in files:
                target = spare / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(current / rel, target)
        except OSError as exc:
            shutil.rmtree(spare, ignore_errors=True)
            raise cannot_write(target, exc) from None
        self.dir, self.files = spare, files

    def write(self, outputs: dict[str, bytes], previous: dict[str, bytes] | None, based_on: Path | None) -> WriteResult:
        current = _current(self.site)
        spare, spare_files = self.dir, self.files
        self.dir = self.files = None   # unknown until this update has finished
        if (previous is None or current is None or based_on != current or spare is None or spare_files is None
                or spare == current or not spare.is_dir()):
            result = write_site(self.site, outputs, previous, based_on)
            if result.generation is not None and previous is not None and based_on == current:
                self.dir, self.files = current, previous   # the generation it replaced, kept by _clean
            elif result.generation is None:
                self.dir, self.files = spare, spare_files
            return result
        written = sorted(rel for rel, data in outputs.items() if previous.get(rel) != data)
        removed = sorted(set(previous) - set(outputs))
        if not written and not removed:
            self.dir, self.files = spare, spare_files
            return WriteResult([], [], len(outputs), None)
        target = spare
        try:
            for rel, data in outputs.items():
                if spare_files.get(rel) is not data and spare_files.get(rel) != data:
                    target = spare / rel
                    target.unlink(missing_ok=True)   # never write into a file the live generation shares
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            for rel in set(spare_files) - set(outputs):
                target = spare / rel
                target.unlink(missing_ok=True)
                _remove_empty_folders(target.parent, spare)
        except OSError as exc:
            raise cannot_write(target, exc) from None
        old = _swap(self.site, spare)
        self.dir, self.files = old, previous
        return WriteResult(written, removed, len(outputs) - len(written), spare)


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root:
        try:
            folder.rmdir()
        except OSError:   # not empty
            return
        folder = folder.parent
