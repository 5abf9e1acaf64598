"""Preview server: build, serve site/ on localhost, rebuild when an input changes.

A failed rebuild prints its problems and keeps serving the last good site. Rebuilds are
incremental (see site.Builder). Changes to the generator's own code (portal/) need a restart.
"""
from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from pathlib import Path

from .errors import BuildError
from .site import Builder

WATCHED = ("data", "content", "templates", "static")


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
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".webmanifest": "application/manifest+json", ".woff2": "font/woff2",
                      ".geojson": "application/geo+json", ".js": "text/javascript", ".mjs": "text/javascript",
                      ".pf_meta": "application/octet-stream"}

    def send_error(self, code, message=None, explain=None):
        # Serve the language's own 404 page, as the production server would.
        if code == 404:
            lang = "en" if self.path.startswith("/en/") else "th"
            page = Path(self.directory) / lang / "404.html"
            if page.exists():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().send_error(code, message, explain)

    def log_message(self, fmt, *args):
        pass


def _rebuild(builder: Builder) -> None:
    try:
        result = builder.build()
        w = result.write
        print(f"Built in {result.timings['total'] * 1000:.0f} ms: {len(result.rendered)} pages rendered, "
              f"{len(w.written) if w else 0} files written.", flush=True)
    except BuildError as exc:
        print(exc.report(), flush=True)


def make_server(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(root: Path, site: Path, port: int) -> int:
    builder = Builder(root, site, preview=True)
    _rebuild(builder)
    server = make_server(site, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {site} at http://localhost:{port}/ (Ctrl+C to stop); watching {', '.join(WATCHED)}/", flush=True)
    last = _snapshot(root)
    try:
        while True:
            time.sleep(0.5)
            now = _snapshot(root)
            if now != last:
                last = now
                _rebuild(builder)
    except KeyboardInterrupt:
        server.shutdown()
    return 0
