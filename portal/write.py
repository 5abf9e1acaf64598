"""Writing site/ so that it is never half-written.

Each build that changes anything writes a complete new generation under .site-builds/ and
then points the `site` symlink at it in one atomic rename. Unchanged files are hard-linked
from the previous generation (cheap), and a build that changes nothing writes nothing.
An interrupted build leaves `site` pointing at the last complete generation.
"""
from __future__ import annotations

import os
import shutil
import threading
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


def write_site(site: Path, outputs: dict[str, bytes], previous: dict[str, bytes] | None = None,
               *, background_clean: bool = False) -> WriteResult:
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

    gens.mkdir(exist_ok=True)
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
    if background_clean:
        threading.Thread(target=_clean, args=(gens, new), daemon=True).start()
    else:
        _clean(gens, keep=new)
    return WriteResult(sorted(written), removed, len(unchanged), new)


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
