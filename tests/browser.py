"""Shared pieces of the browser tests: the real site served on localhost, one Chromium for the
whole session, and one sample page of every page kind in each language.

Test modules import the fixtures they use: `from browser import served, chromium, new_page`.
The site itself comes from conftest's session fixture `built` (the real project, built once).
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from conftest import ROOT, STRINGS  # noqa: F401  (STRINGS: for the browser tests)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
LANGS = ("th", "en")
TIMEOUT_MS = 10_000  # everything is local: a wait this long means it is not going to happen
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "screenshots"

# Every page kind the site has. The 404 page is reached the way a reader reaches it: a missing URL.
KINDS = ("landing", "home", "provinces", "province", "province-empty", "countries", "country", "pairs",
         "pair-signed", "pair-in-progress", "plan", "handbook", "about", "accessibility", "data", "sources",
         "map", "stats", "search", "since", "report", "404", "section")
DOCUMENTS = ("plan", "handbook", "about", "accessibility", "data", "sources")


def site_dir(built) -> Path:
    """The site/ folder (a symlink to the written generation) of conftest's `built` result."""
    return built.write.generation.parent.parent / "site"


def sample_urls(built, lang: str) -> dict[str, str]:
    """kind → the URL of one page of that kind in `lang`, chosen from the real build."""
    pages = [p for p in built.pages if p.lang == lang]

    def first(kind, test=lambda p: True, prefer=None):
        candidates = [p for p in pages if p.kind == kind and test(p)]
        assert candidates, f"the site has no {kind} page in {lang} to test"
        preferred = [p for p in candidates if prefer and p.url.rstrip("/").endswith(prefer)]
        return (preferred or candidates)[0].url

    out = {
        "landing": "/",
        "home": f"/{lang}/",
        "provinces": f"/{lang}/provinces/",
        "province": first("province", lambda p: p.context["signed"] and p.context["in_progress"], "chiang-mai"),
        "province-empty": first("province", lambda p: not p.context["signed"] and not p.context["in_progress"]),
        "countries": f"/{lang}/countries/",
        "country": first("country", lambda p: len(p.context["pairs"]) > 1, "japan"),
        "pairs": f"/{lang}/pairs/",
        "pair-signed": first("pair", lambda p: p.context["pair"].signed, "chiang-mai-uozu"),
        "pair-in-progress": first("pair", lambda p: not p.context["pair"].signed, "tak-myawaddy"),
        **{name: f"/{lang}/{name}/" for name in DOCUMENTS},
        "map": f"/{lang}/map/",
        "stats": f"/{lang}/stats/",
        "search": f"/{lang}/search/",
        "since": f"/{lang}/since-the-list/",   # issue 20
        "report": f"/{lang}/report/",
        "404": f"/{lang}/no-such-page/",
        "section": first("section", prefer="step-2-6"),   # a handbook section's own page (issue 18)
    }
    assert tuple(out) == KINDS
    return out


def params(kinds=KINDS, langs=LANGS):
    """pytest parameters (lang, kind); the landing page exists once, in no particular language."""
    return [pytest.param(lang, kind, id=f"{lang}-{kind}") for lang in langs for kind in kinds
            if not (kind == "landing" and lang != langs[0])]


# One server and one Chromium per test run, however many modules import these fixtures (each module
# that imports a fixture gets its own copy of it, and two Playwright instances cannot share a thread).
_RUN: dict = {}


def _stop_all() -> None:
    for context in _RUN.pop("contexts", {}).values():
        context.close()
    if "browser" in _RUN:
        _RUN.pop("browser").close()
        _RUN.pop("playwright").stop()
    if "server" in _RUN:
        server = _RUN.pop("server")
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served(built):
    """(base URL, samples) — the built site on a free port of 127.0.0.1, and sample_urls per language."""
    from portal.serve import make_server
    if "server" not in _RUN:
        server = make_server(site_dir(built), 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _RUN["server"] = server
        _RUN["base"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield _RUN["base"], {lang: sample_urls(built, lang) for lang in LANGS}


@pytest.fixture(scope="session")
def chromium(request):
    if "browser" not in _RUN:
        from playwright.sync_api import sync_playwright
        _RUN["playwright"] = sync_playwright().start()
        _RUN["browser"] = _RUN["playwright"].chromium.launch(executable_path=CHROMIUM, args=ARGS)
        request.session.config.add_cleanup(_stop_all)
    return _RUN["browser"]


def _context(store: str, chromium, width: int, height: int, options: dict):
    """The browser context for `store` ("pages" or "shared"), this size and these options: one a run.

    The site keeps nothing in the browser (no cookie, no storage: static/js), so a context of its own
    per test isolated only the HTTP cache, at about 0.6 s of CPU each (styles and fonts fetched and
    decoded again), in a suite whose time is mostly Chromium's CPU."""
    # The pages' Content-Security-Policy refuses the scripts tests inject (axe-core): bypassed
    # unless a test asks for it (tests/test_csp.py, bypass_csp=False).
    options = {"bypass_csp": True, **options}
    contexts = _RUN.setdefault("contexts", {})
    key = (store, width, height, repr(sorted(options.items())))
    if key not in contexts:
        contexts[key] = chromium.new_context(viewport={"width": width, "height": height}, **options)
        contexts[key].set_default_timeout(TIMEOUT_MS)
    return contexts[key]


@pytest.fixture
def new_page(chromium):
    """new_page(width=1280, height=900, **context options) → a page of the test's own, closed after it:
    for tests that listen to the page or add scripts to it (these would stay on a shared page), and
    for those whose first address has a #fragment (on a page already there, that is only a scroll)."""
    pages = []

    def make(width: int = 1280, height: int = 900, **options):
        pages.append(_context("pages", chromium, width, height, options).new_page())
        return pages[-1]

    yield make
    for page in pages:
        page.close()


@pytest.fixture
def shared_page(chromium):
    """shared_page(width=1280, height=900, **context options) → one page per size and options for the
    whole run, for every other test: each opens its first address (a new document), then looks and
    acts as a reader would. A page kept from test to test keeps its renderer process warm (scripts
    compiled, fonts decoded): a new page took about twice the CPU for the same work."""

    def get(width: int = 1280, height: int = 900, **options):
        context = _context("shared", chromium, width, height, options)
        page = context.pages[0] if context.pages else context.new_page()
        page.emulate_media(media="screen")
        return page
    return get


def open_page(page, base: str, url: str, *, status: int = 200):
    """Go to `url`, check the HTTP status, and wait until the web fonts are in."""
    response = page.goto(base + url, wait_until="load")
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"
    page.evaluate("document.fonts.ready.then(() => true)")
    return response


def expected_status(kind: str) -> int:
    return 404 if kind == "404" else 200
