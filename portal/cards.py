"""The preview card: the PNG image (1200 × 630) a chat or social site shows beside a shared link
(og:image), drawn at build time from an SVG by resvg with Debian's Noto fonts, which shape Thai
(stacked vowels and tone marks) correctly.

One card for the whole site, with its name in Thai and in English, not one per page kind or
language: resvg takes about 30 ms (idle machine) to draw and encode a card, so a card for each of
the eleven page kinds in two languages would add about a third to a cold build, and even one per
language costs twice this. Each page still has its own og:title and og:description.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from html import escape   # (xml.sax.saxutils imports urllib.request: 30 ms of every build)

from .errors import Problem, RuntimeProblem

WIDTH, HEIGHT = 1200, 630
FONT_DIR = Path("/usr/share/fonts/truetype/noto")   # Debian's fonts-noto-core (Makefile BUILD_DEBS)
FONTS = ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
FAMILIES = {"th": "Noto Sans Thai, Noto Sans", "en": "Noto Sans, Noto Sans Thai"}   # each script its own font
BRAND, BRAND_2, ACCENT, SOFT = "#123a63", "#1d5a96", "#ffbf47", "#d6e4f3"   # static/css/site.css


PATH = "og/card.png"   # the card's file under site/


def svg(strings: dict[str, dict]) -> str:
    """The card: the brand mark, the site's short names, and its full name in Thai and in English
    (og_card_title in data/strings, one line of the card per line of the string: the translator
    chooses where a Thai line may break)."""
    th, en = strings["th"], strings["en"]

    def lines(text, y, size, gap, family, fill, lang):
        rows = [row.strip() for row in text.splitlines() if row.strip()]
        return "".join(f'<text x="96" y="{y + i * gap}" font-size="{size}" font-weight="bold" fill="{fill}" '
                       f'font-family="{family}" xml:lang="{lang}">{escape(row)}</text>' for i, row in enumerate(rows))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{BRAND}"/>'
            f'<rect y="{HEIGHT - 18}" width="{WIDTH}" height="18" fill="{ACCENT}"/>'
            f'<circle cx="136" cy="124" r="40" fill="{BRAND_2}"/>'
            f'<circle cx="122" cy="124" r="12" fill="#fff"/><circle cx="150" cy="124" r="12" fill="{ACCENT}"/>'
            + lines(f'{th["site_short"]}', 138, 40, 0, FAMILIES["th"], ACCENT, "th")
            .replace('x="96"', 'x="196"', 1)
            + lines(th["og_card_title"], 272, 68, 88, FAMILIES["th"], "#fff", "th")
            + lines(en["og_card_title"], 272 + 88 * 2 + 56, 46, 62, FAMILIES["en"], SOFT, "en")
            + "</svg>")


def digest(strings: dict[str, dict]) -> str:
    """What the card depends on (the preview server draws it again only when this changes)."""
    return hashlib.sha1(svg(strings).encode()).hexdigest()


def font_files() -> list[str]:
    missing = [f for f in FONTS if not (FONT_DIR / f).is_file()]
    if missing:
        raise RuntimeProblem(Problem(str(FONT_DIR / missing[0]), None,
                                     "the font of the preview cards is missing: install Debian's fonts-noto-core "
                                     "(`make setup` does)"))
    return [str(FONT_DIR / f) for f in FONTS]


def draw(strings: dict[str, dict]) -> bytes:
    import resvg_py
    return bytes(resvg_py.svg_to_bytes(svg_string=svg(strings), font_files=font_files(), skip_system_fonts=True))
