"""Preview server: build, serve site/ on localhost, rebuild when an input changes.

A failed rebuild prints its problems and keeps serving the last good site; so does any other
failure (a bug, a full disk), in one line. Rebuilds are incremental (see site.Builder) and
atomic (write.Spare), and take the same build lock as the command line (portal/lock.py).
Changes to the generator's own code (portal/) need a restart.

The server lists no folders, drops a connection idle for CONNECTION_TIMEOUT seconds, refuses a
request path with a NUL or other control character, and says nothing when a reader goes away
mid-response (a broken pipe is not news).
"""
from __future__ import annotations

import errno
import functools
import http.server
import os
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from .errors import BuildError, where
from .security import HEADERS
from .site import Builder

WATCHED = ("data", "content", "templates", "static")
CONNECTION_TIMEOUT = 15   # seconds a connection may stay idle (or half-sent) before it is closed


def _snapshot(root: Path) -> dict[str, float]:
    state = {}
    for folder in WATCHED:
        for dirpath, _dirs, files in os.walk(root / folder):
            for f in files:
                p = os.path.join(dirpath, f)
                try:
                    state[p] = os.stat(p).st_mtime
                except FileNotFoundError:
                    pass
    return state


class _Handler(http.server.SimpleHTTPRequestHandler):
    timeout = CONNECTION_TIMEOUT
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".webmanifest": "application/manifest+json", ".woff2": "font/woff2",
                      ".geojson": "application/geo+json", ".js": "text/javascript", ".mjs": "text/javascript",
                      ".pf_meta": "application/octet-stream"}

    def send_head(self):
        path = urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0])
        if any(ord(c) < 32 or ord(c) == 127 for c in path):
            self.send_error(400, "Bad request: the address contains a control character")
            return None
        try:
            return super().send_head()
        except (ValueError, OSError):   # a name the file system refuses (too long, invalid)
            self.send_error(404)
            return None

    def list_directory(self, path):
        self.send_error(404)   # a folder without index.html is not a page: no listings
        return None

    def end_headers(self):
        for name, value in HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        # Serve the language's own 404 page, as the production server would.
        if code == 404:
            lang = "en" if self.path.startswith("/en/") else "th"
            page = Path(self.directory) / lang / "404.html"
            try:
                body = page.read_bytes()
            except OSError:
                body = None
            if body is not None:
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)

    def log_message(self, fmt, *args):
        pass


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Connections waiting to be accepted: the default, 5, made a burst of a page's requests (a
    # browser opens several at once; a reload of the map page asks for dozens) wait a second each
    # for the kernel to retry them.
    request_queue_size = 512   # (above a burst's size: it holds even while the accepting thread waits for a core)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return   # the reader went away or fell silent: nothing to report
        print(f"Preview server: a request failed: {where(exc)}", file=sys.stderr, flush=True)


def _rebuild(builder: Builder) -> bool:
    """Build once; report the outcome in the console. Never raises (except Ctrl+C)."""
    try:
        result = builder.build()
    except BuildError as exc:
        print(exc.report(), flush=True)
        return False
    except Exception as exc:  # noqa: BLE001 - the server keeps serving the last good site
        print(f"The site was not built: {where(exc)}. site/ is unchanged; the server keeps serving it.", flush=True)
        return False
    w = result.write
    print(f"Built in {result.timings['total'] * 1000:.0f} ms: {len(result.rendered)} pages rendered, "
          f"{len(w.written) if w else 0} files written.", flush=True)
    return True


def make_server(site: Path, port: int) -> PreviewServer:
    handler = functools.partial(_Handler, directory=str(site))
    return PreviewServer(("127.0.0.1", port), handler)


def serve(root: Path, site: Path, port: int, *, cache: bool = True) -> int:
    # The port first: a server that cannot listen should say so before it builds anything.
    try:
        server = make_server(site, port)
    except OSError as exc:
        why = ("is already in use (another server is running): stop it, or choose another port with --port"
               if exc.errno == errno.EADDRINUSE else f"cannot be used: {exc.strerror}; choose another port with --port")
        print(f"The preview server did not start: port {port} on 127.0.0.1 {why}.", file=sys.stderr, flush=True)
        return 1
    builder = Builder(root, site, preview=True, cache=cache)
    last = _snapshot(root)   # before the first build: a file saved during it is rebuilt at once after
    if _rebuild(builder):
        try:
            builder.prepare_spare()
        except Exception:  # noqa: BLE001 - only makes the first rebuild quicker
            pass
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {site} at http://localhost:{server.server_address[1]}/ (Ctrl+C to stop); "
          f"watching {', '.join(WATCHED)}/", flush=True)
    try:
        while True:
            time.sleep(0.5)
            now = _snapshot(root)
            if now != last:
                last = now
                _rebuild(builder)
    finally:   # (Ctrl+C goes on to the command line, which says what state site/ is in)
        server.shutdown()
        server.server_close()
