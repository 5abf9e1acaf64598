"""One build at a time. Every build that writes site/ (the command line's and the preview
server's) holds an flock lock on a file beside it, `.site-builds.lock`, from reading the
inputs to the symlink swap. A second build waits for it, saying so, and gives up with a clear
error after WAIT_SECONDS.

What is guaranteed: the lock is released when the build that took it ends, however it ends
(finished, failed, Ctrl+C, kill -9, the OOM killer). The kernel drops an flock lock when the
last descriptor of its open file is closed, which a process's death does; the build's forked
helpers (portal/parallel.py) would share that open file, so every forked child closes its copy
at once (os.register_at_fork, below) and never holds the lock, and the helpers also die with
the build (parallel._die_with_parent), so none is left working for a dead build.

The lock also makes clean-up safe: the generations under .site-builds/ are only ever created
and removed by the build that holds it (see write._clean).
"""
from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

from .errors import Problem, RuntimeProblem

# Descriptors of the locks this process holds: a forked child closes its copies (see above).
_HELD: set[int] = set()


def _close_in_child() -> None:
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)

WAIT_SECONDS = 120.0   # a cold build of 10,000 pairs takes about 12 s
POLL_SECONDS = 0.05


def lock_path(site: Path) -> Path:
    from .write import GENERATIONS
    return site.absolute().parent / f"{GENERATIONS}.lock"


class BuildLock:
    """with BuildLock(site): … — this process is the only one writing next to `site`."""

    def __init__(self, site: Path, *, wait: float = WAIT_SECONDS, say=None):
        self.path = lock_path(site)
        self.wait = wait
        self.say = say or (lambda text: print(text, file=sys.stderr, flush=True))
        self.fd: int | None = None

    def __enter__(self) -> BuildLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise RuntimeProblem(Problem(str(self.path.parent), None,
                                         f"cannot create the build lock: {exc.strerror}; make the folder writable "
                                         "or choose another --site")) from None
        try:
            if not _try_lock(fd):
                holder = _holder(fd)
                self.say(f"Another build {holder}is writing {self.path.parent}; waiting for it to finish "
                         f"(up to {self.wait:.0f} s)…")
                deadline = time.monotonic() + self.wait
                while not _try_lock(fd):
                    if time.monotonic() > deadline:
                        raise RuntimeProblem(Problem(str(self.path), None,
                                                     f"another build {holder}still holds the lock after {self.wait:.0f} s: "
                                                     "let it finish (or stop it), then build again"))
                    time.sleep(POLL_SECONDS)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        _HELD.add(fd)
        return self

    def __exit__(self, *exc) -> None:
        fd, self.fd = self.fd, None
        if fd is not None and fd in _HELD:   # (not in a forked child, which has closed it already)
            _HELD.discard(fd)
            os.close(fd)   # closing the only descriptor of this open file releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(fd: int) -> str:
    """'(process 1234) ' from the pid the holder wrote, or '' if it has not written it yet."""
    pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return f"(process {pid}) " if pid.isdigit() else ""
