"""Preview cards: the PNG image (1200 × 630) a chat or social site shows beside a shared link
(og:image), one per language, drawn at build time from an SVG by resvg with Debian's Noto fonts,
which shape Thai (stacked vowels and tone marks) correctly.

One card per language, not one per page kind: on this machine resvg takes about 30 ms (idle)
to draw and encode one card, and a card for each of the eleven page kinds would add about a
third to a cold build. Each page still has its own og:title and og:description.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from xml.sax.saxutils import escape

from .errors import Problem, RuntimeProblem

WIDTH, HEIGHT = 1200, 630
FONT_DIR = Path("/usr/share/fonts/truetype/noto")   # Debian's fonts-noto-core (Makefile BUILD_DEBS)
FONTS = ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
FAMILIES = {"th": "Noto Sans Thai, Noto Sans", "en": "Noto Sans, Noto Sans Thai"}   # each script its own font
BRAND, BRAND_2, ACCENT, SOFT = "#123a63", "#1d5a96", "#ffbf47", "#d6e4f3"   # static/css/site.css


def path(lang: str) -> str:
    """The card's file under site/."""
    return f"og/card-{lang}.png"


def svg(lang: str, t: dict) -> str:
    """The card of one language: the brand mark, the site's short name, its full name and a lead
    (og_card_title and og_card_lead in data/strings, one line of the card per line of the string:
    the translator chooses where a Thai line may break)."""
    title = [line for line in t["og_card_title"].splitlines() if line.strip()]
    lead = [line for line in t["og_card_lead"].splitlines() if line.strip()]

    def lines(rows, y, size, gap, weight, fill):
        return "".join(f'<text x="96" y="{y + i * gap}" font-size="{size}" font-weight="{weight}" fill="{fill}">'
                       f"{escape(row.strip())}</text>" for i, row in enumerate(rows))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'font-family="{FAMILIES[lang]}">'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{BRAND}"/>'
            f'<rect y="{HEIGHT - 18}" width="{WIDTH}" height="18" fill="{ACCENT}"/>'
            f'<circle cx="136" cy="128" r="40" fill="{BRAND_2}"/>'
            f'<circle cx="122" cy="128" r="12" fill="#fff"/><circle cx="150" cy="128" r="12" fill="{ACCENT}"/>'
            f'<text x="196" y="142" font-size="40" font-weight="bold" fill="{ACCENT}">{escape(t["site_short"])}</text>'
            + lines(title, 286, 70, 92, "bold", "#fff")
            + lines(lead, 286 + 92 * len(title) + 24, 34, 50, "normal", SOFT)
            + "</svg>")


def digest(lang: str, t: dict) -> str:
    """What the card depends on (the preview server draws it again only when this changes)."""
    return hashlib.sha1(svg(lang, t).encode()).hexdigest()


def font_files() -> list[str]:
    missing = [f for f in FONTS if not (FONT_DIR / f).is_file()]
    if missing:
        raise RuntimeProblem(Problem(str(FONT_DIR / missing[0]), None,
                                     "the font of the preview cards is missing: install Debian's fonts-noto-core "
                                     "(`make setup` does)"))
    return [str(FONT_DIR / f) for f in FONTS]


def draw(lang: str, t: dict) -> bytes:
    import resvg_py
    return bytes(resvg_py.svg_to_bytes(svg_string=svg(lang, t), font_files=font_files(), skip_system_fonts=True))
