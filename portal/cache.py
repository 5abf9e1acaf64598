"""The build's cache on disk, under .cache/ beside data/ (ignored by git).

It keeps only results that depend on nothing but files' content: the registry read from data/,
compiled templates (Jinja's own bytecode cache), converted Markdown, the search indexes, the
preview cards, the maps' projected geometry, and the pages of the last build that rendered them
all (keyed by the pages' fingerprints, site.Builder._plan). Each entry's name is a digest of its
inputs; every entry lives in a folder named by the code version (a digest of the portal's own
source files, Python's version and the versions of the libraries whose output we keep), so a
change of code never meets an old result.

Safe under two builds at once and an interruption: an entry is written to a temporary file in
its folder and renamed into place (readers see the whole file or none), and carries a digest of
its bytes that a reader checks. A cache that cannot be read or written is just not used: it
never fails a build. `build.py build --no-cache`, or no .cache/, gives a true cold build.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
FOLDER = ".cache"
PORTAL = Path(__file__).resolve().parent
# Libraries whose output the cache keeps (a new version may cut, convert or draw differently).
LIBRARIES = ("Jinja2", "Markdown", "nh3", "pythainlp", "nlpo3", "Pillow", "PyYAML", "Babel", "langcodes")
# A folder that every build of this process uses as its cache unless it asks for its own (.cache/)
# or for none: the test suite's (tests/conftest.py), whose builds of many copies of the project
# make mostly the same cards, maps, indexes and templates. Each entry is keyed by its inputs'
# content, so a copy meets only what it would have made itself (tests/test_cache.py).
SHARED_ENV = "PORTAL_SHARED_CACHE"
_CHECK = hashlib.sha1().digest_size


def digest(*parts: object) -> str:
    """A digest of bytes, strings or any values with a stable repr."""
    h = hashlib.sha1()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The portal's source files (and its tables, search_fold.json), Python's version and the
    libraries' versions, as one digest."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    sources = [(p.name, p.read_bytes()) for p in sorted(PORTAL.iterdir()) if p.suffix in (".py", ".json")]
    return digest(sys.version, versions, *sources)[:16]


class Cache:
    """Entries of one code version under `root`/.cache/<version>/<kind>/. Cache(None) keeps nothing."""

    def __init__(self, root: Path | None, *, folder: Path | None = None):
        base = folder if folder is not None else root / FOLDER if root is not None else None
        self.folder = base / code_version() if base is not None else None
        if self.folder is not None:
            _prune_other_versions(self.folder)

    @classmethod
    def of_build(cls, root: Path, wanted: bool | None) -> "Cache":
        """The cache of a build of `root`: its own .cache/ when `wanted`, none when False, and when
        None (a build that did not say) the shared folder of SHARED_ENV if it is set, else none."""
        if wanted:
            return cls(root)
        shared = os.environ.get(SHARED_ENV) if wanted is None else None
        return cls(None, folder=Path(shared)) if shared else NO_CACHE

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def path(self, kind: str) -> Path | None:
        """The folder of one kind of entry (made if missing), or None without a cache."""
        if self.folder is None:
            return None
        folder = self.folder / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return folder

    def get(self, kind: str, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            data = (self.folder / kind / key).read_bytes()
        except OSError:
            return None
        body = data[_CHECK:]
        return body if hashlib.sha1(body).digest() == data[:_CHECK] else None

    def put(self, kind: str, key: str, data: bytes) -> None:
        self._write(kind, key, lambda out: out.write(data))

    def _write(self, kind: str, key: str, write: Callable[["_Checked"], object]) -> None:
        """An entry written by write(out), atomically: the digest of what it wrote, then that."""
        folder = self.path(kind)
        if folder is None:
            return
        try:
            with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=f".{key}.", delete=False) as tmp:
                tmp.write(bytes(_CHECK))   # (its place: the digest is known once the rest is written)
                out = _Checked(tmp)
                write(out)
                tmp.seek(0)
                tmp.write(out.digest.digest())
            os.replace(tmp.name, folder / key)
        except OSError:   # a full disk, a folder removed by another build: no cache, same site
            try:
                os.unlink(tmp.name)
            except (OSError, NameError):
                pass

    def keep_only(self, kind: str, keys: set[str]) -> None:
        """Remove the entries of one kind other than `keys` (best effort, like every write here)."""
        folder = self.path(kind)
        try:
            names = set(os.listdir(folder)) if folder is not None else set()
        except OSError:
            return
        for name in names - keys:
            if not name.startswith("."):   # (another build's entry being written)
                try:
                    os.unlink(folder / name)
                except OSError:
                    pass

    def load(self, kind: str, key: str) -> object | None:
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - an entry that no longer unpickles is a miss
            return None

    def store(self, kind: str, key: str, value: object) -> None:
        """`value` pickled straight into its entry (never whole in memory as well: a chunk of pages
        holding the plan's is 28 MB at 10,000 pairs)."""
        if self.folder is not None:
            self._write(kind, key, lambda out: pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL))

    def remember(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """make()'s result, from the cache when it holds one for `key`."""
        value = self.load(kind, key)
        if value is None:
            value = make()
            self.store(kind, key, value)
        return value


NO_CACHE = Cache(None)


class _Checked:
    """A file that keeps the digest of what is written to it."""

    def __init__(self, file):
        self.file, self.digest = file, hashlib.sha1()

    def write(self, data) -> int:
        self.digest.update(data)
        return self.file.write(data)


def _prune_other_versions(current: Path) -> None:
    """Entries of other code versions are of no use any more: remove them (best effort; another
    build of an older checkout that still uses them simply finds nothing)."""
    try:
        others = [p for p in current.parent.iterdir() if p.name != current.name and p.is_dir()]
    except OSError:
        return
    for other in others:
        shutil.rmtree(other, ignore_errors=True)


class Documents(dict):
    """content.load_documents's cache of converted Markdown (path → (its bytes, Document)),
    backed by the disk: a path not yet seen by this process is looked up by a digest of its
    name (content/<lang>/<name>.md) and its current bytes."""

    def __init__(self, cache: Cache):
        super().__init__()
        self.cache = cache

    def __contains__(self, path: object) -> bool:
        if super().__contains__(path):
            return True
        if not self.cache.enabled or not isinstance(path, Path):
            return False
        try:
            raw = path.read_bytes()
        except OSError:
            return False
        doc = self.cache.load("markdown", _document_key(path, raw))
        if doc is None:
            return False
        super().__setitem__(path, (raw, doc))
        return True

    def __setitem__(self, path: Path, value: tuple[bytes, object]) -> None:
        super().__setitem__(path, value)
        self.cache.store("markdown", _document_key(path, value[0]), value[1])


def _document_key(path: Path, raw: bytes) -> str:
    # content/<lang>/<name>.md, as the Document names its file: the same in any copy of the project
    return digest("/".join(path.parts[-3:]), raw)
