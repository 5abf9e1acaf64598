"""Knowing, before reading a single input, that site/ already holds what a build would make.

Every build that writes site/ records, in .cache/site (one entry per site folder): the generation
site/ then shows, the size and modification time of each of its files, and of each input file
(data/, content/, templates/, static/), with the year and the build's options. A new process
whose inputs and site/ still stat exactly the same has nothing to do, as `make` decides: the
command line then reports it without importing the generator (about 0.1 s instead of 0.3 s).
On any difference the build runs as usual, and its own check (site.Builder._site_holds) compares
the inputs' digests rather than their times.

What makes this safe: the inputs are stated before the build reads them (an edit during the build
is a difference next time), an input modified less than RACY_SECONDS before the build started is
not trusted at all (a file system's clock is coarse: an edit in the same tick as the last could
keep its time and size, as git's index knows), and the code's version names the cache's folder.
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from .cache import Cache, digest
from .lock import BuildLock
from .write import current_generation, file_stats

INPUT_FOLDERS = ("data", "content", "templates", "static")
RACY_SECONDS = 2.0


def input_stats(root: Path) -> dict[str, tuple[int, int]]:
    """Each input file and folder, with its size and modification time (ns); a symbolic link as
    itself (the build refuses one: a link that appears is a difference)."""
    out: dict[str, tuple[int, int]] = {}
    for name in INPUT_FOLDERS:
        folder = root / name
        try:
            st = os.lstat(folder)
        except OSError:
            continue
        out[name] = (st.st_size, st.st_mtime_ns)
        if os.path.isdir(folder) and not os.path.islink(folder):
            out.update({f"{name}/{rel}": stat for rel, stat in file_stats(folder).items()})
    return out


def trusted(inputs: dict[str, tuple[int, int]], started: float) -> bool:
    """Whether every input's time says when it last changed: none modified within RACY_SECONDS
    of `started` (time.time() when the inputs were stated)."""
    racy = (started - RACY_SECONDS) * 1e9
    return all(mtime < racy for _size, mtime in inputs.values())


def entry_key(site: Path) -> str:
    return digest(str(site.absolute()))


def options(root: Path, precompress: bool, publish: bool) -> list:
    """What besides the inputs decides the build's files: the project, the options, the year."""
    return [str(root.absolute()), precompress, publish, datetime.date.today().year]


def site_holds(root: Path, site: Path, *, precompress: bool, publish: bool) -> int | None:
    """The number of pages of site/ if it holds what a build of these inputs would make, as recorded
    by the build that wrote it; else None (then build as usual)."""
    cache = Cache(root)
    entry = cache.load("site", entry_key(site))
    if not isinstance(entry, dict) or not entry.get("inputs") or entry.get("options") != options(root, precompress, publish):
        return None
    try:
        with BuildLock(site, wait=0, say=lambda _text: None):   # (another build writing: build as usual, waiting for it)
            current = current_generation(site)
            if current is None or str(current) != entry.get("generation"):
                return None
            if input_stats(root) != entry["inputs"] or file_stats(current) != entry.get("files"):
                return None
    except Exception:   # noqa: BLE001 - a lock or a folder it cannot read: the usual build says what is wrong
        return None
    return entry.get("pages")
