"""Sharing a full build's work with one helper process.

The work is a list of tasks, each returning output files ({name: bytes}). This process and a
forked child take them in order from a shared counter, so both finish at about the same time
whatever each task costs (the build lists the biggest first).

Some tasks may also run apart, in order, in a forked process of their own that ends with them (the
search index and the downloads: what they need is then never held by the processes that render
the pages).

The child inherits the parsed model by fork (nothing is pickled on the way in) and writes its
results to a temporary file, read here when it is done. Where fork is missing (Windows) or the
machine has one core, the same tasks simply run here, in order.
"""
from __future__ import annotations

import os
import pickle
import signal
import struct
import tempfile
import traceback
from typing import Callable, Sequence

Task = Callable[[], dict[str, bytes | None]]

_HEADER = struct.Struct("<II")   # length of the name, length of the data
_END = 0xFFFFFFFF                # a name length that marks the end (data: a pickled exception, or empty)
_NONE = 0xFFFFFFFF               # a data length that stands for None (a file the task wrote and let go of)


class HelperFailed(RuntimeError):
    """The helper process died without a word (killed, out of memory) or could not write its
    results (a full TMPDIR, the file size limit): not the input's fault. Says why, when it can."""


# A child that cannot write its results (an OSError while writing its spool) exits with this plus
# the error's number, so that the parent can say why (a full disk, `ulimit -f`) instead of guessing.
_WRITE_FAILED = 100


def _failure(status: int, what: str = "stopped unexpectedly") -> HelperFailed:
    """Why a child that left no complete result stopped, from its wait status."""
    import errno as errno_
    where = tempfile.gettempdir()
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXFSZ:
        return HelperFailed(f"the build's helper process reached the file size limit (ulimit -f) writing its results "
                            f"to {where}: raise the limit")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    if code is not None and code > _WRITE_FAILED:
        number = code - _WRITE_FAILED
        advice = {errno_.ENOSPC: "free some space there, or set TMPDIR to a folder with room",
                  errno_.EDQUOT: "free some space there, or set TMPDIR to a folder with room",
                  errno_.EFBIG: "raise the file size limit (ulimit -f)"}.get(number, "check that folder, or set TMPDIR")
        return HelperFailed(f"the build's helper process could not write its results to {where}: "
                            f"{os.strerror(number)}; {advice}")
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return HelperFailed(f"the build's helper process was stopped by {name}"
                            f"{' (killed: out of memory?)' if name == 'SIGKILL' else ''}")
    return HelperFailed(f"the build's helper process {what} (exit status {code})")


def available() -> bool:
    """fork exists and this process may run on two cores or more (its affinity, not the host's count)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return hasattr(os, "fork") and cores >= 2


def run(tasks: list[Task], *, helper: bool, apart: Sequence[Task] = ()) -> dict[str, bytes]:
    """Every task's files. With `helper`, the tasks are shared with a forked child as described above,
    and the tasks of `apart` run, in order, in a forked process of their own, which ends with them:
    what they need (the search index's dictionary and words, the downloads' rows: 180 MiB at 10,000
    pairs) is then never held by the processes that render the pages. Without a helper, they run
    here first."""
    out: dict[str, bytes] = {}
    if not helper:
        for task in [*apart, *tasks]:
            out.update(task())
        return out
    import multiprocessing   # (here: most builds, a rebuild or a warm one, share nothing)
    counter = multiprocessing.get_context("fork").Value("i", 0)

    def take() -> Task | None:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        return tasks[i] if i < len(tasks) else None

    children = [_Child(_in_order(apart))] if apart else []
    try:
        children.append(_Child(take))
        while (task := take()) is not None:
            out.update(task())
    except BaseException:
        for child in children:
            child.stop()
        raise
    for i, child in enumerate(children):
        try:
            out.update(child.join())
        except BaseException:
            for other in children[i + 1:]:
                other.stop()
            raise
    return out


def _in_order(tasks: Sequence[Task]) -> Callable[[], Task | None]:
    left = list(reversed(tasks))
    return lambda: left.pop() if left else None


class _Child:
    """A forked process that runs take()'s tasks until there are none. It writes their files to
    an unnamed temporary file, read here once it has finished: through a pipe it would wait on
    this process's thread for the GIL (a pipe holds 64 KiB), and idle."""

    def __init__(self, take: Callable[[], Task | None]):
        self.spool = tempfile.TemporaryFile()
        self.pid = fork(lambda: _child_main(take, self.spool))

    def stop(self) -> None:
        """This process failed: end the child too (its work is of no use now)."""
        kill(self.pid)
        self.spool.close()

    def join(self) -> dict[str, bytes]:
        _pid, status = os.waitpid(self.pid, 0)
        results: dict[str, bytes] = {}
        error, ended = None, False
        with self.spool as src:
            src.seek(0)
            try:
                while len(head := src.read(_HEADER.size)) == _HEADER.size:
                    n, size = _HEADER.unpack(head)
                    if n == _END:
                        tail = src.read(size)
                        error, ended = (pickle.loads(tail) if tail else None), True
                        break
                    name = src.read(n).decode("utf-8")   # (read before the data: in d[k] = v, v comes first)
                    results[name] = None if size == _NONE else src.read(size)
            except (pickle.UnpicklingError, EOFError, UnicodeDecodeError, ValueError, AttributeError, ImportError):
                raise _failure(status, "left incomplete results") from None   # cut short: the child says why
        if status != 0 and (error is None or os.WIFSIGNALED(status) or os.WEXITSTATUS(status) > _WRITE_FAILED):
            raise _failure(status)
        if error is not None:
            raise error
        if not ended:
            raise _failure(status)
        return results


def _child_main(take: Callable[[], Task | None], spool) -> int:
    status = 0
    out = spool
    try:
        while (task := take()) is not None:
            for name, data in task().items():
                key = name.encode("utf-8")
                out.write(_HEADER.pack(len(key), _NONE if data is None else len(data)))
                out.write(key)
                if data is not None:
                    out.write(data)
        tail = b""
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        status, tail = 1, _pickled_error(exc)
    out.write(_HEADER.pack(_END, len(tail)))
    out.write(tail)
    out.flush()
    return status


# Forking, ending and reporting a child ----------------------------------------------------------

def fork(body: Callable[[], int]) -> int:
    """Fork; the child runs `body` and exits with its status. The child must never return into
    the parent's code, whatever happens (even a full disk while it reports an error): it leaves
    here, without the parent's exit hooks.

    The child dies with its parent (a kill -9, the OOM killer, a supervisor's timeout): an orphan
    would go on working for nothing. It ignores Ctrl+C, which the terminal sends to both: the parent
    decides, and ends it (stop()) or waits for it. It never holds the build lock: portal/lock.py
    closes its descriptor in every forked child."""
    parent = os.getpid()
    # Ctrl+C is held back while forking: a child must not see it before it ignores it.
    masked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, masked)
        raise
    if pid == 0:
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, masked)
            _die_with_parent(parent)
            status = body()
        except OSError as exc:   # writing its results failed: the parent says why (_failure)
            status = _WRITE_FAILED + exc.errno if exc.errno and exc.errno < 256 - _WRITE_FAILED else 1
        finally:
            os._exit(status)
    signal.pthread_sigmask(signal.SIG_SETMASK, masked)
    return pid


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when the parent dies (prctl PR_SET_PDEATHSIG); if the parent
    died before the request was made, leave now. Elsewhere the child runs to its end (it holds no lock)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):   # not Linux
        return
    PR_SET_PDEATHSIG = 1
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - an exception that does not pickle
        return pickle.dumps(RuntimeError(traceback.format_exc()))
