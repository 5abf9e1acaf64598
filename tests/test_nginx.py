"""deploy/nginx.conf, run by Debian's nginx on a loopback port: every page, the headers, the
precompressed files, the 404 pages of each language, and generations swapped under load."""
from __future__ import annotations

import gzip
import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from portal import security, urls, write
from portal.compress import gzipped

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_conf(prefix: Path, site: Path, port: int) -> Path:
    """The shipped server block with this test's port and site, inside a minimal main config."""
    server = CONF.read_text(encoding="utf-8")
    assert "listen 80;" in server and "root /srv/sister-cities/site;" in server
    server = (server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("listen [::]:80;", "")
              .replace("root /srv/sister-cities/site;", f"root {site};"))
    temp = "\n".join(f"{name}_temp_path {prefix}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = f"""daemon off;
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    {temp}
{server}
}}
"""
    conf = prefix / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


class Nginx:
    def __init__(self, prefix: Path, site: Path):
        assert Path(NGINX).exists(), "Debian's nginx is missing: run `make setup` (Makefile DEBS)"
        prefix.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.prefix = prefix
        conf = render_conf(prefix, site, self.port)
        self.proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    log = (prefix / "error.log").read_text() if (prefix / "error.log").exists() else ""
                    raise AssertionError(f"nginx did not start: {self.proc.stdout.read().decode()} {log}")
                time.sleep(0.05)

    def get(self, path: str, headers: dict | None = None, conn=None):
        c = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        if conn is None:
            c.close()
        return r, body

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def nginx(built, tmp_path_factory):
    from browser import site_dir
    server = Nginx(tmp_path_factory.mktemp("nginx"), site_dir(built))
    yield server
    server.stop()


def test_config_sends_the_same_policies_as_the_pages(nginx):
    r, _ = nginx.get("/en/")
    for name, value in security.HEADERS.items():
        assert r.getheader(name) == value, name


def test_every_page_is_served_with_its_headers_and_precompressed(nginx, built):
    conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=10)
    pages = [p for p in built.pages if p.kind != "404"]
    assert len(pages) > 400
    for page in pages:
        r, body = nginx.get(page.url, {"Accept-Encoding": "gzip"}, conn)
        assert r.status == 200, page.url
        assert r.getheader("Content-Type") == "text/html; charset=utf-8"
        assert r.getheader("Content-Encoding") == "gzip" and r.getheader("Vary") == "Accept-Encoding", page.url
        file = urls.output_path(page.url)
        assert gzip.decompress(body) == built.outputs[file], page.url
        assert r.getheader("Cache-Control") == "public, max-age=300"
        assert r.getheader("Content-Security-Policy") == security.CSP_HEADER
    # Without Accept-Encoding: the plain file.
    r, body = nginx.get("/th/", conn=conn)
    assert r.getheader("Content-Encoding") is None and body == built.outputs["th/index.html"]
    conn.close()


def test_static_files_cache_and_types(nginx, built):
    html = built.outputs["en/index.html"].decode()
    import re
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', html).group(1)
    r, _ = nginx.get(css)
    assert r.status == 200 and r.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert r.getheader("Content-Type") == "text/css; charset=utf-8"
    r, _ = nginx.get("/static/css/site.css")
    assert r.getheader("Cache-Control") == "public, max-age=86400"
    for path, ctype in (("/manifest.webmanifest", "application/manifest+json; charset=utf-8"),
                        ("/data/pairs.geojson", "application/geo+json; charset=utf-8"),
                        ("/data/pairs.csv", "text/csv; charset=utf-8"),
                        ("/static/fonts/sarabun-thai-400.woff2", "font/woff2")):
        r, body = nginx.get(path)
        assert r.status == 200 and r.getheader("Content-Type") == ctype, path
        assert r.getheader("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("path, lang", [("/en/no-such-page/", "en"), ("/th/no-such-page/", "th"),
                                        ("/no-such-page", "th"), ("/en/pairs/no-such-pair/", "en"),
                                        # files, not pages (issue 17, item 11): their language's page too
                                        ("/en/x.csv", "en"), ("/en/x.geojson", "en"), ("/en/x.webmanifest", "en"),
                                        ("/th/x.csv", "th"), ("/data/x.geojson", "th"), ("/en/static/x.css", "en")])
def test_missing_pages_get_the_404_page_of_their_language(nginx, built, path, lang):
    r, body = nginx.get(path)
    assert r.status == 404
    assert body == built.outputs[f"{lang}/404.html"]
    assert r.getheader("Content-Security-Policy") == security.CSP_HEADER   # headers on errors too


@pytest.mark.parametrize("path", ["/static/", "/data/", "/static/css/", "/static/fonts/"])
def test_no_folder_is_listed(nginx, path):
    r, body = nginx.get(path)
    assert r.status in (400, 404) and b"Index of" not in body


def test_a_folder_without_slash_redirects_relatively(nginx):
    r, _ = nginx.get("/en/pairs")
    assert r.status == 301 and r.getheader("Location") == "/en/pairs/"


def test_only_reading_is_allowed(nginx):
    c = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=10)
    c.request("POST", "/en/", body=b"x")
    assert c.getresponse().status == 405
    c.close()


def test_swapping_generations_under_load_gives_only_complete_responses(built, tmp_path):
    """Two different builds swapped back and forth (write.write_site, as `python build.py` does)
    while clients keep asking: every response is 200 and exactly one build's file."""
    a = dict(built.outputs)
    b = {rel: data.replace(b"</body>", b"<!-- build b --></body>") if rel.endswith(".html") else data
         for rel, data in a.items() if not rel.endswith(".gz")}
    b.update(gzipped(b))
    site = tmp_path / "site"
    write.write_site(site, a)
    server = Nginx(tmp_path / "nginx", site)
    paths = ["/en/", "/th/", "/en/pairs/", "/th/plan/", "/en/handbook/", "/th/stats/", "/en/map/"]
    failures, counts = [], {"a": 0, "b": 0}
    stop = threading.Event()

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        i = offset
        while not stop.is_set() and i < offset + 20_000:   # bounded
            path = paths[i % len(paths)]
            gz = i % 2 == 0
            try:
                r, body = server.get(path, {"Accept-Encoding": "gzip"} if gz else {}, conn)
                data = gzip.decompress(body) if r.getheader("Content-Encoding") == "gzip" else body
            except Exception as exc:  # noqa: BLE001 - a broken response is a finding
                failures.append(f"{path}: {exc!r}")
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                i += 1
                continue
            rel = urls.output_path(path)
            if r.status != 200 or data not in (a[rel], b[rel]):
                failures.append(f"{path}: HTTP {r.status}, {len(data)} bytes, not one build's file")
            else:
                counts["a" if data == a[rel] else "b"] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(k * 100_000,)) for k in range(4)]
    try:
        for t in threads:
            t.start()
        for swap in range(4):
            write.write_site(site, b if swap % 2 == 0 else a)
        stop.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        stop.set()
        server.stop()
    assert not failures, failures[:5]
    assert counts["a"] and counts["b"], counts   # the swaps happened while clients were asking


def test_no_dotfile_is_served(tmp_path):
    """Even one that is there (the build publishes none): .git, .env, a hidden file in static/."""
    from portal import write
    site = tmp_path / "site"
    write.write_site(site, {"index.html": b"<p>home</p>", "th/404.html": b"<p>th 404</p>", "en/404.html": b"<p>en 404</p>",
                            ".env": b"SECRET=1", ".git/config": b"[core]", "static/.hidden.css": b"x",
                            "en/.htpasswd": b"user:pw", ".well-known/acme-challenge/t": b"token"})
    server = Nginx(tmp_path / "nginx", site)
    try:
        for path in ("/.env", "/.git/config", "/.git/", "/static/.hidden.css", "/%2Eenv"):
            r, body = server.get(path)
            assert r.status == 404 and body == b"<p>th 404</p>", path
        r, body = server.get("/en/.htpasswd")
        assert r.status == 404 and body == b"<p>en 404</p>"
        r, body = server.get("/.well-known/acme-challenge/t")
        assert r.status == 200 and body == b"token"
    finally:
        server.stop()
