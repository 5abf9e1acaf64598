"""One build at a time. Every build that writes site/ (the command line's and the preview
server's) holds an fcntl lock on a file beside it, `.site-builds.lock`, from reading the
inputs to the symlink swap. A second build waits for it, saying so, and gives up with a clear
error after WAIT_SECONDS. The kernel drops the lock when its process dies, so a killed build
never leaves a stale lock behind.

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
        return self

    def __exit__(self, *exc) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
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
