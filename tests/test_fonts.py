"""The self-hosted Sarabun (scripts/fonts.py) draws every Thai and Latin letter the pages show.

The fonts are subset to the characters the portal uses; a record added later with a character the
subset lacks (a Thai tone mark, a Vietnamese vowel) would be drawn by another font, mid-word. For
every character of every page's text that Sarabun itself has, some @font-face of static/css/fonts.css,
in both weights, must list it in its unicode-range and hold it: otherwise rerun scripts/fonts.py."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import ROOT

FONTS_CSS = ROOT / "static" / "css" / "fonts.css"
SOURCE = ROOT / "node_modules" / "@fontsource" / "sarabun" / "files"
FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}")


def _ranges(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.split(","):
        a, _, b = part.strip().removeprefix("U+").partition("-")
        out.append((int(a, 16), int(b or a, 16)))
    return out


def faces() -> dict[int, list[tuple[list[tuple[int, int]], set[int]]]]:
    """weight → [(unicode-range, the characters its file holds)] of every @font-face."""
    out: dict[int, list] = {}
    for body in FACE_RE.findall(FONTS_CSS.read_text(encoding="utf-8")):
        weight = int(re.search(r"font-weight:\s*(\d+)", body).group(1))
        src = re.search(r'url\("/(static/fonts/[^"]+)"\)', body).group(1)
        ranges = _ranges(re.search(r"unicode-range:\s*([^;]+);", body).group(1))
        out.setdefault(weight, []).append((ranges, set(TTFont(ROOT / src).getBestCmap())))
    return out


def page_text(page: str) -> str:
    """What a reader sees of a page: its text, without scripts, styles and the maps' drawings."""
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def sarabun_has() -> set[int]:
    if not SOURCE.is_dir():
        pytest.skip("node_modules/@fontsource/sarabun is not installed (make test installs it)")
    return set().union(*(TTFont(path).getBestCmap() for path in SOURCE.glob("sarabun-*-400-normal.woff2")))


def test_every_character_the_pages_show_that_sarabun_has_is_in_the_self_hosted_fonts(outputs):
    wanted = sarabun_has()
    shown: dict[int, str] = {}
    for rel, data in outputs.items():
        if rel.endswith(".html"):
            for ch in set(page_text(data.decode("utf-8"))):
                if ord(ch) in wanted and ord(ch) > 0x20:
                    shown.setdefault(ord(ch), rel)
    assert len(shown) > 150   # (Thai, Latin, digits, punctuation)
    for weight, declared in faces().items():
        missing = {cp: rel for cp, rel in shown.items()
                   if not any(cp in held and any(a <= cp <= b for a, b in ranges) for ranges, held in declared)}
        report = ", ".join(f"U+{cp:04X} {chr(cp)} (site/{rel})" for cp, rel in sorted(missing.items())[:12])
        assert not missing, f"weight {weight}: {len(missing)} characters drawn by another font: {report}; " \
                            "run scripts/fonts.py"


def test_the_check_finds_a_character_the_fonts_lack():
    declared = faces()[400]
    assert any(ord("ก") in held and any(a <= ord("ก") <= b for a, b in r) for r, held in declared)
    assert not any(ord("Ж") in held for _r, held in declared)   # (Cyrillic: the reader's system font)
    assert page_text('<p>ก<b>๊</b></p><script>"ж"</script><svg><text>ๆ</text></svg>').split() == ["ก", "๊"]
