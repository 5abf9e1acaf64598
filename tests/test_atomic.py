"""One build at a time, and site/ always whole: concurrent command-line builds, and a preview
update interrupted (Ctrl+C) at every line of the code that writes site/."""
from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project
from portal import lock, site as site_module, write
from portal.errors import RuntimeProblem
from portal.site import Builder, build

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3   # three builds at once, this many times (each round a few seconds on two cores)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_whole(site: Path, *expected: dict[str, bytes]) -> None:
    """site/ is a symlink to one generation that holds exactly one complete build's files."""
    assert site.is_symlink(), "site/ is not a symlink to a generation"
    target = site.resolve()
    assert target.parent.name == write.GENERATIONS
    have = files(target)
    assert any(have == e for e in expected), (
        f"site/ is a mix or incomplete: {len(have)} files; "
        f"missing {sorted(set(expected[0]) - set(have))[:5]}, extra {sorted(set(have) - set(expected[0]))[:5]}")


def edit_a_note(project: Path, suffix: str) -> None:
    path = project / "data" / "pairs.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "note_en_marker"
    if marker not in text:   # first call: find a note on one line and mark the place
        import yaml
        rec = next(r for r in yaml.safe_load(text) if r.get("notes") and text.count(r["notes"][0]["en"]) == 1)
        old = rec["notes"][0]["en"]
        text = text.replace(old, f"{old} ({marker} 0)")
    import re
    text = re.sub(rf"\({marker} [^)]*\)", f"({marker} {suffix})", text)
    path.write_text(text, encoding="utf-8")


def test_three_builds_at_once_always_leave_one_whole_generation(project, tmp_path):
    site = tmp_path / "out" / "site"
    for round_ in range(ROUNDS):
        edit_a_note(project, f"round {round_}")
        procs = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "--site", str(site),
                                   "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
        outs = [p.communicate(timeout=300) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode == 0, err   # round 0 had no site yet: FileNotFoundError before the lock
            assert "Traceback" not in err
        assert any("waiting for it to finish" in err for _out, err in outs), "no build waited for another"
        expected = build(project, write=False).outputs
        assert_whole(site, dict(expected))
        # Only the live generation and the one it replaced (readers in flight may still be in it).
        assert len(list((tmp_path / "out" / write.GENERATIONS).iterdir())) <= 2


def test_a_build_that_waits_too_long_gives_up_with_a_clear_error(tmp_path, monkeypatch):
    site = tmp_path / "site"
    said = []
    with lock.BuildLock(site):
        # flock locks belong to an open file: a second open of the file in this process conflicts too.
        with pytest.raises(RuntimeProblem) as err:
            with lock.BuildLock(site, wait=0.2, say=said.append):
                pass
    assert said and "waiting" in said[0] and f"process {__import__('os').getpid()}" in said[0]
    report = err.value.report()
    assert report.count("\n") == 0 and ".site-builds.lock" in report and "still holds the lock" in report
    with lock.BuildLock(site, wait=0.2):   # released: taken at once
        pass


def test_clean_up_keeps_the_generation_another_site_shows(tmp_path):
    """Two sites built into one folder share .site-builds/: neither build removes the other's."""
    write.write_site(tmp_path / "site", {"a.html": b"1"})
    write.write_site(tmp_path / "preview", {"b.html": b"2"})
    write.write_site(tmp_path / "site", {"a.html": b"3"})
    write.write_site(tmp_path / "site", {"a.html": b"4"})
    assert files((tmp_path / "preview").resolve()) == {"b.html": b"2"}
    assert files((tmp_path / "site").resolve()) == {"a.html": b"4"}


class Interrupt:
    """Raises KeyboardInterrupt (as Ctrl+C does) at one line (`at`) of the code that writes site/,
    and records every such line it passes (`seen`). Tracing starts when the build calls the writer
    (write.Spare.write or write.write_site) and covers the writer (portal/write.py) and, of
    portal/site.py, the rest of Builder._build with the steps it calls from there on (Builder._write
    and Builder._remember); tracing the whole build would make each trial many times slower."""

    def __init__(self, monkeypatch, at: tuple[str, int] | None, *, files=("write.py", "site.py")):
        self.at, self.seen, self.fired = at, [], False
        build_src, first = inspect.getsourcelines(site_module.Builder._build)
        start = first + next(i for i, line in enumerate(build_src) if "result = None" in line)
        after = [(start, first + len(build_src))]
        for step in (site_module.Builder._write, site_module.Builder._remember):
            src, line = inspect.getsourcelines(step)
            after.append((line, line + len(src)))
        watched = {write.__file__: [(0, 10**6)], site_module.__file__: after}
        self.watched = {k: v for k, v in watched.items() if Path(k).name in files}
        for owner, name in ((write.Spare, "write"), (site_module, "write_site"), (write, "write_site")):
            monkeypatch.setattr(owner, name, self._tracing(getattr(owner, name)))

    def _tracing(self, writer):
        def traced(*args, **kwargs):
            caller = sys._getframe(1)          # the build (or the test) that called the writer, and its callers
            while caller is not None:
                if caller.f_code.co_filename in self.watched:
                    caller.f_trace_lines = True
                    caller.f_trace = self._local(caller.f_code.co_filename)
                caller = caller.f_back
            sys.settrace(self)
            return writer(*args, **kwargs)
        return traced

    def _local(self, code):
        if code not in self.watched:
            return None
        ranges = self.watched[code]

        def local(frame, event, arg):
            if event == "line" and any(lo <= frame.f_lineno <= hi for lo, hi in ranges):
                key = (Path(code).name, frame.f_lineno)
                if key not in self.seen:
                    self.seen.append(key)
                if key == self.at and not self.fired:
                    self.fired = True
                    raise KeyboardInterrupt(f"Ctrl+C at {key}")
            return local
        return local

    def __call__(self, frame, event, arg):
        return self._local(frame.f_code.co_filename)

    def run(self, fn):
        handled = sys.exc_info()[1]
        try:
            return fn()
        except KeyboardInterrupt:
            if not self.fired:
                raise
        finally:
            sys.settrace(None)
            if handled is None and sys.exc_info()[1] is not None:
                _forget_handled_exception()


def _forget_handled_exception() -> None:
    """CPython 3.11 leaks an exception when a trace function raises at a `return` inside an
    `except` block (write._remove_empty_folders's `except OSError: return`): that block's OSError
    stays "being handled" for the rest of the process, and every later failure in this pytest
    worker printed it above its own error. Minimal case: a function `try: raise OSError` /
    `except OSError: return`, traced, the trace raising KeyboardInterrupt at the `return` line;
    afterwards sys.exc_info() is the OSError. Nothing in Python's own API clears it."""
    import ctypes
    clear = ctypes.pythonapi.PyErr_SetExcInfo
    clear.argtypes, clear.restype = [ctypes.c_void_p] * 3, None
    clear(None, None, None)


class PreviewWriter:
    """What the Builder does around write.Spare, on small made-up sites (cheap enough to try
    every line): the base of the next update changes only once an update has finished."""

    def __init__(self, site: Path, first: dict[str, bytes]):
        self.site, self.spare = site, write.Spare(site)
        write.write_site(site, first)
        self.previous, self.generation = first, write.current_generation(site)
        self.spare.prepare(first, self.generation)

    def update(self, outputs: dict[str, bytes]) -> None:
        self.spare.write(outputs, self.previous, self.generation)
        self.generation = None
        self.previous = outputs
        self.generation = write.current_generation(self.site)


def made_up_site(version: int) -> dict[str, bytes]:
    # (few folders: on this machine's file system a mkdir or rmdir costs a millisecond or more)
    out = {f"{lang}/p{i}.html": f"<p>{lang} {i} v{version if i % 7 == 0 else 0}</p>".encode()
           for lang in ("th", "en") for i in range(40)}
    out[f"en/only-in-{version % 2}/index.html"] = b"<p>a page that comes and goes</p>"
    return out


def test_a_preview_update_interrupted_at_every_line_of_the_writer_leaves_a_whole_site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    n = 0
    writer = PreviewWriter(site, made_up_site(n))
    # Every line the writer runs: an update through the spare, and the fallback after an interruption.
    with monkeypatch.context() as patch:
        dry = Interrupt(patch, None, files=("write.py",))
        dry.run(lambda: writer.update(made_up_site(1)))
        writer.spare.dir = None
        dry.run(lambda: writer.update(made_up_site(2)))
    stages, last, n = dry.seen, made_up_site(2), 2
    assert len(stages) > 30
    for stage in stages:
        for attempt in range(4):
            if attempt >= 2:   # the line may be on the other path: the fallback, after an interruption
                writer.spare.dir = None
            n += 1
            new = made_up_site(n)
            with monkeypatch.context() as patch:
                trial = Interrupt(patch, stage, files=("write.py",))
                trial.run(lambda: writer.update(new))
            assert_whole(site, last, new)
            if trial.fired:
                break
            last = new
        assert trial.fired, f"no update ran {stage}"
        # The writer is still right afterwards: the next update makes exactly the site asked for.
        n += 1
        last = made_up_site(n)
        writer.update(last)
        assert files(site.resolve()) == last


def test_a_preview_build_interrupted_after_writing_stays_right(project, tmp_path, monkeypatch):
    """Ctrl+C at each line of the end of Builder._build (after the swap, before the builder has
    taken the new site as its base): the site is whole, and the next rebuild is right."""
    site = tmp_path / "out" / "site"
    versions = {}
    for name in ("a", "b"):
        edit_a_note(project, name)
        versions[name] = dict(build(project, write=False).outputs)
    builder = Builder(project, site, preview=True)
    builder.build()
    builder.prepare_spare()
    edit_a_note(project, "a")
    with monkeypatch.context() as patch:
        dry = Interrupt(patch, None, files=("site.py",))
        dry.run(builder.build)
    assert len(dry.seen) > 5
    for i, stage in enumerate(dry.seen):
        name = "ab"[i % 2]
        edit_a_note(project, name)
        with monkeypatch.context() as patch:
            trial = Interrupt(patch, stage, files=("site.py",))
            trial.run(builder.build)
        assert trial.fired
        assert_whole(site, versions["a"], versions["b"])
        other = "ba"[i % 2]
        edit_a_note(project, other)
        builder.build()
        assert files(site.resolve()) == versions[other]
    assert len(list((tmp_path / "out" / write.GENERATIONS).iterdir())) <= 3   # live, previous, spare


def test_preview_updates_are_quick_swaps_of_a_spare_generation(project, tmp_path):
    """After the first build the preview server writes only the changed files, into the spare
    generation, and swaps: the live generation is never written into."""
    site = tmp_path / "site"
    builder = Builder(project, site, preview=True)
    builder.build()
    builder.prepare_spare()
    live = site.resolve()
    before = files(live)
    edit_a_note(project, "x")
    result = builder.build()
    assert 0 < len(result.write.written) < 20
    assert site.resolve() != live and files(live) == before   # the old generation was not touched
    assert files(site.resolve()) == dict(build(project, write=False).outputs)


# --- kill -9 of the build while its helpers work (issue 17, item 2) ------------------------------------

def children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    """Running, not a zombie (a zombie holds no file, and so no lock)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir() or not __import__("portal.parallel").parallel.available(),
                    reason="needs Linux's /proc, fork and two cores")
@pytest.mark.parametrize("after", [0.05, 0.3, 0.6])   # (the helper works for about a second on a quiet machine)
def test_a_build_killed_while_its_helpers_work_leaves_no_helper_and_no_lock(project, tmp_path, after):
    import os
    import signal
    import time
    site = tmp_path / "site"
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "--site", str(site),
                             "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def helpers_at_work() -> list[int]:
            # (the first child compiles the templates while the data is read; the render helper
            # comes after it: whichever is at work, `after` seconds into the build's forked work)
            deadline = time.monotonic() + 60
            while not (found := children_of(proc.pid)):
                assert proc.poll() is None, "the helpers finished before the kill: try an earlier moment"
                assert time.monotonic() < deadline, "the build made no helper"
                time.sleep(0.01)
            return found
        helpers_at_work()
        time.sleep(after)
        helpers = helpers_at_work()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    # The kernel kills them as the build dies: a moment, not the rest of their work.
    deadline = time.monotonic() + 0.5
    while any(alive(h) for h in helpers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(alive(h) for h in helpers), "a helper outlived the build"
    with lock.BuildLock(site, wait=0, say=lambda text: pytest.fail(f"the next build had to wait: {text}")):
        pass


def test_a_forked_child_never_holds_the_lock(tmp_path):
    """Even one that lives on (here: stopped, as a helper might be before the kernel kills it)."""
    import os
    import signal
    import time
    site = tmp_path / "site"
    with lock.BuildLock(site):
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
    try:
        with lock.BuildLock(site, wait=0.5):
            pass
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


# --- Ctrl+C at any moment of a command-line build (issue 17, item 3) ---------------------------------

def cli_build(project: Path, site: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--root", str(project), "--site", str(site), "--quiet"]


@pytest.fixture(scope="module")
def built_by_the_command_line(tmp_path_factory) -> Path:
    """project/ and the out/site/ the command line built from it, once for the module: where every
    Ctrl+C test starts, each from its own copy (the same first build seven times cost ~2 s each)."""
    work = tmp_path_factory.mktemp("ctrl-c")
    project = copy_project(work / "project")
    subprocess.run(cli_build(project, work / "out" / "site"), check=True, capture_output=True)
    return work


@pytest.mark.parametrize("after", [0.15, 0.4, 1.0, 1.8, 2.6, 3.5, 5.0])
def test_ctrl_c_at_any_moment_prints_one_line_about_site_and_exits_130(built_by_the_command_line, tmp_path, after):
    """SIGINT sent to the build's process group, as a terminal sends Ctrl+C, at a moment of the
    build (imports, reading, the helpers' work, writing, the swap, or after it ended): one line
    that says what site/ is, exit 130, no traceback, and site/ is what the line says. (From the
    script's first line on: the first ~60 ms, while Python itself starts, are Python's own.)"""
    import os
    import signal
    import time
    shutil.copytree(built_by_the_command_line, tmp_path, symlinks=True, dirs_exist_ok=True)
    project, site = tmp_path / "project", tmp_path / "out" / "site"
    command = cli_build(project, site)
    old_target, old_files = os.readlink(site), files(site.resolve())
    edit_a_note(project, f"ctrl-c {after}")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(after)
    try:
        os.killpg(proc.pid, signal.SIGINT)
    except ProcessLookupError:
        pass   # the build had already ended
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err and "Exception" not in err, err
    if proc.returncode == 0:   # finished before the signal: the new site is published
        assert err == "" and os.readlink(site) != old_target
        return
    assert proc.returncode == 130, (proc.returncode, err)
    assert err.count("\n") == 1, err
    if "is unchanged" in err:
        assert os.readlink(site) == old_target and files(site.resolve()) == old_files
    else:
        assert "the new site was published" in err, err
        assert_whole(site, dict(build(project, write=False).outputs))
    assert len(list((tmp_path / "out" / write.GENERATIONS).iterdir())) <= 3
