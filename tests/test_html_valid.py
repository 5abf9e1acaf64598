"""Every HTML file of the built site is valid HTML, by the Nu HTML Checker (vnu.jar, run once)."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from browser import ROOT, site_dir

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A page with two known errors, checked in the same run: proof that the checker really looks.
CANARY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head>
<body><main><p>An unclosed <b>paragraph</p><span><div>a block in a span</div></span></main></body></html>
"""


@pytest.fixture(scope="session")
def vnu(built, tmp_path_factory) -> tuple[Path, dict[str, list[dict]]]:
    """(site folder, {file relative to site/ or 'canary.html': [messages]}) from one run of the checker."""
    java = shutil.which("java")
    assert java, "java is needed for the Nu HTML Checker (make setup)"
    assert VNU.exists(), f"{VNU} is missing: run npm ci"
    site = site_dir(built).resolve()
    canary = tmp_path_factory.mktemp("vnu") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    # One short run of the JVM: the quick compiler alone (C1) takes half the CPU of the default two-tier
    # one; C1's larger frames need a bigger stack than vnu's 512k minimum for its schema's recursion.
    jvm = ["-XX:TieredStopAtLevel=1", "-Xss16m"]
    proc = subprocess.run([java, *jvm, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json",
                           str(site), str(canary)], capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stderr or proc.stdout)  # vnu writes its JSON report to stderr
    by_file: dict[str, list[dict]] = {}
    for m in report["messages"]:
        url = m.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else None
        if path and path.resolve() == canary.resolve():
            key = "canary.html"
        elif path and path.resolve().is_relative_to(site):
            key = path.resolve().relative_to(site).as_posix()
        else:
            key = url or "(no file)"
        by_file.setdefault(key, []).append(m)
    return site, by_file


def test_the_checker_finds_errors_when_there_are_some(vnu):
    _, by_file = vnu
    found = by_file.get("canary.html", [])
    assert len([m for m in found if m["type"] == "error"]) >= 2, found


def test_every_page_is_valid_html(vnu):
    site, by_file = vnu
    assert (site / "index.html").exists() and len(list(site.rglob("*.html"))) > 400
    problems = [f"site/{file}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
                + (f"\n      {m['extract'].strip()[:160]}" if m.get("extract") else "")
                for file, messages in sorted(by_file.items()) if file != "canary.html"
                for m in messages if m["type"] in ("error", "non-document-error")]
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems[:60])


TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)


def test_page_titles_are_plain_text(outputs):
    """<title> cannot hold markup: a tag written there shows up literally in the tab and in search results."""
    bad = []
    for path, data in outputs.items():
        if path.endswith(".html"):
            text = data.decode("utf-8")
            titles = TITLE_RE.findall(text[:text.find("</head>")])  # the document's, not an SVG's
            if len(titles) != 1 or "<" in html.unescape(titles[0]) or not titles[0].strip():
                bad.append(f"site/{path}: {titles[:2]}")
    assert not bad, "\n".join(bad[:20])


TABINDEX_RE = re.compile(r"""\stabindex\s*=\s*["']?\s*\+?([0-9]+)""", re.I)


def test_no_page_sets_a_positive_tabindex(outputs):
    """A positive tabindex takes an element out of the reading order for keyboard users (every page, all 500)."""
    bad = [f"site/{path}: tabindex={m.group(1)}" for path, data in outputs.items() if path.endswith(".html")
           for m in TABINDEX_RE.finditer(data.decode("utf-8")) if int(m.group(1)) > 0]
    assert not bad, "\n".join(bad[:20])
