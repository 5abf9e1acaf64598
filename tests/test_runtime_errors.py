"""Failures of the machine, not of the input: a full disk, a read-only folder, a port in use, a
hostile request, a bug. Each is one located line, exit 1, and site/ as it was."""
from __future__ import annotations

import errno
import http.client
import os
import socket
import threading
from pathlib import Path

import pytest

import build as cli
from portal import parallel, serve as serve_module, write
from portal.site import Builder

ROOT = Path(__file__).resolve().parents[1]


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def small_site(tmp_path):
    site = tmp_path / "site"
    write.write_site(site, {"index.html": b"<p>home</p>", "th/404.html": b"<p>th 404</p>", "en/404.html": b"<p>en 404</p>",
                            "en/index.html": b"<p>en</p>", "static/css/site.css": b"x" * 5000})
    return site


@pytest.fixture
def one_process(monkeypatch):
    monkeypatch.setattr(parallel, "available", lambda: False)   # no fork inside the test process


def run_cli(capsys, *args) -> tuple[int, str]:
    code = cli.main([*args, "--quiet"])
    err = capsys.readouterr().err
    return code, err


def fail_with(errno_: int, strerror: str):
    def fail(*args, **kwargs):
        raise OSError(errno_, strerror, str(args[0]) if args else None)
    return fail


def test_a_full_disk_on_a_first_build(project, tmp_path, capsys, monkeypatch, one_process):
    site = tmp_path / "out" / "site"
    monkeypatch.setattr(write.Fresh, "_put", fail_with(errno.ENOSPC, "No space left on device"))
    code, err = run_cli(capsys, "--root", str(project), "--site", str(site))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "No space left on device; free some space on the disk, then build again" in err
    assert str(tmp_path / "out" / write.GENERATIONS) in err   # the file it could not write
    assert not site.exists() and list((tmp_path / "out" / write.GENERATIONS).iterdir()) == []


def test_a_full_disk_on_a_rebuild_leaves_the_site(project, tmp_path, capsys, monkeypatch, one_process):
    site = tmp_path / "out" / "site"
    assert run_cli(capsys, "--root", str(project), "--site", str(site))[0] == 0
    before = files(site.resolve())
    about = project / "content" / "en" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    monkeypatch.setattr(Path, "write_bytes", fail_with(errno.ENOSPC, "No space left on device"))
    code, err = run_cli(capsys, "--root", str(project), "--site", str(site))
    assert code == 1 and err.count("\n") == 1 and "No space left on device" in err and "site/ is unchanged" in err
    assert files(site.resolve()) == before


def test_a_read_only_folder(project, tmp_path, capsys, monkeypatch, one_process):
    # (The tests may run as root, whom file modes do not stop: the file system's refusal is simulated.)
    out = tmp_path / "out"
    out.mkdir()
    real_open = os.open

    def read_only_open(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", path)
        return real_open(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", read_only_open)
    code, err = run_cli(capsys, "--root", str(project), "--site", str(out / "site"))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert f"{out}: cannot create the build lock: Read-only file system" in err
    assert not (out / "site").exists()


def test_a_bug_is_one_located_line_not_a_traceback(project, tmp_path, capsys, monkeypatch, one_process):
    def broken(*args, **kwargs):
        raise KeyError("world_region")
    monkeypatch.setattr(Builder, "_build", broken)
    code, err = run_cli(capsys, "--root", str(project), "--site", str(tmp_path / "site"))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "KeyError: 'world_region' (tests/test_runtime_errors.py:" in err


def test_the_preview_server_survives_a_failed_rebuild(project, tmp_path, capsys, monkeypatch):
    builder = Builder(project, tmp_path / "site", preview=True)
    monkeypatch.setattr(Builder, "_build", lambda self, **kw: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    assert serve_module._rebuild(builder) is False   # returns: the serve loop goes on
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "OSError: [Errno 5] I/O error" in out and "keeps serving" in out


def test_serve_on_a_port_in_use_says_so(project, tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = serve_module.serve(project, tmp_path / "site", port)
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert f"port {port} on 127.0.0.1 is already in use" in err and "--port" in err
    assert not (tmp_path / "site").exists()   # nothing built


@pytest.fixture
def preview_server(small_site):
    server = serve_module.make_server(small_site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def get(server, path: str):
    c = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r, body


def test_preview_server_refuses_a_nul_byte_and_lists_no_folder(preview_server, capfd):
    for path in ("/%00", "/en/%00index.html", "/static/%0a"):
        r, _ = get(preview_server, path)
        assert r.status == 400, path
    r, body = get(preview_server, "/static/css/")
    assert r.status == 404 and b"Directory listing" not in body
    r, body = get(preview_server, "/en/static-nowhere/")
    assert r.status == 404 and body == b"<p>en 404</p>"
    r, body = get(preview_server, "/en/")
    assert r.status == 200 and r.getheader("Content-Security-Policy") and r.getheader("Referrer-Policy")
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_preview_server_is_quiet_about_readers_that_leave_and_drops_idle_ones(preview_server, capfd, monkeypatch):
    port = preview_server.server_address[1]
    for _ in range(20):   # ask for a file and hang up at once
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.sendall(b"GET /static/css/site.css HTTP/1.1\r\nHost: x\r\n\r\n")
        s.close()
    r, _ = get(preview_server, "/en/")
    assert r.status == 200   # still serving
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Error" not in captured.err
    assert serve_module._Handler.timeout == serve_module.CONNECTION_TIMEOUT > 0
    # An idle connection is closed by the server once the timeout has passed.
    monkeypatch.setattr(serve_module._Handler, "timeout", 0.3)
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(5)
    assert s.recv(10) == b""   # closed by the server, not by this timeout
    s.close()


# --- Limits of the machine while the helpers work (issue 17, item 10) ------------------------------------

needs_fork = pytest.mark.skipif(not parallel.available(), reason="no fork, or one core")


class FullSpool:
    """A temporary file on a full disk: it opens, and every write fails."""

    def __init__(self, *args, **kwargs):
        pass

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self):
        pass

    def seek(self, *args):
        pass

    def read(self, *args):
        return b""

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


@needs_fork
def test_a_full_tmpdir_is_named_as_the_cause(monkeypatch):
    import tempfile
    import time
    monkeypatch.setattr(tempfile, "TemporaryFile", FullSpool)
    parent = os.getpid()

    def task():
        if os.getpid() != parent:
            return {"page": b"x" * 100}
        time.sleep(0.5)
        return {}
    with pytest.raises(parallel.HelperFailed) as err:
        parallel.run([task, task], helper=True)
    assert f"could not write its results to {tempfile.gettempdir()}: No space left on device; free some space there, " \
           "or set TMPDIR to a folder with room" in str(err.value)


@needs_fork
def test_the_file_size_limit_is_a_clear_error_not_an_unpickling_one(project, tmp_path):
    import resource
    import subprocess
    import sys

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(project),
                          "--site", str(tmp_path / "site")], capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert run.returncode == 1, run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    assert "please report" not in run.stderr and "Unpickling" not in run.stderr, run.stderr
    assert "File too large" in run.stderr and "ulimit -f" in run.stderr, run.stderr
    assert not (tmp_path / "site").exists()


def test_preview_server_takes_a_burst_of_connections_without_waiting(preview_server):
    """A listen backlog of 5 made 23 of 150 burst connections wait a second (issue 17, item 11)."""
    import time
    port = preview_server.server_address[1]
    waits, sockets, start = [], [], threading.Barrier(150)

    def connect():
        start.wait()
        began = time.monotonic()
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        waits.append(time.monotonic() - began)
        sockets.append(s)
    threads = [threading.Thread(target=connect) for _ in range(150)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in sockets:
        s.close()
    assert serve_module.PreviewServer.request_queue_size >= 150
    assert len(waits) == 150 and max(waits) < 0.9, sorted(waits)[-5:]   # a dropped SYN is retried after 1 s


def test_ctrl_c_stops_the_preview_server_with_one_line_and_exit_130(project, tmp_path):
    """Issue 17, item 3, for `build.py serve`: Ctrl+C (SIGINT to its process group) while it serves."""
    import queue
    import signal
    import subprocess
    import sys
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-u", str(ROOT / "build.py"), "serve", "--root", str(project),
                             "--site", str(tmp_path / "site"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    said: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [said.put(line) for line in proc.stdout], daemon=True).start()
    try:
        while "Serving" not in said.get(timeout=300):
            pass
        os.killpg(proc.pid, signal.SIGINT)
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
    assert err == "Stopped the preview server: site/ holds its last good build (whole, never a mix).\n", err


def test_ctrl_c_that_comes_back_wrapped_is_still_an_interruption(project, tmp_path, monkeypatch, capsys):
    """Ctrl+C while Python imports a module can arrive wrapped in another error (a KeyboardInterrupt in a
    dataclass's __set_name__ comes back as a RuntimeError, seen once when the tests ran in two
    processes): it is still one line about site/ and exit 130, not a traceback nor 'please report'."""
    import build

    def wrapped(*_args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance 'context' in 'Page'") from exc
    monkeypatch.setattr(build, "_run", wrapped)
    assert build.main(["build", "--root", str(project), "--site", str(tmp_path / "site")]) == build.INTERRUPTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "please report" not in err, err
    import signal
    signal.signal(signal.SIGINT, signal.default_int_handler)
