"""The preview cards: the PNG image (1200 × 630) a chat or social site shows beside a shared link
(og:image), drawn at build time by Pillow, whose libraqm (HarfBuzz, with Debian's libfribidi0)
shapes Thai with Debian's Noto fonts: vowels and tone marks stacked as they should be.

One card per page kind and language (the home page, the provinces, a province, …, the search
page, the 404 page) and one per document (the plan, the handbook, about, …: what officials
share), each with the brand mark and the site's short name, what that kind of page is (large:
og_card_<kind> or og_card_doc_<name> in data/strings, one line of the card per line of the string,
so the translator chooses where a Thai line may break) and the site's full name below. The
bilingual landing page (/) has its own card with the name in both languages. Each section page
(a plan chapter, a handbook section: issue 18) has its own, its number and title large and its
document below (`section_card`), so that a shared link to handbook 2.6 previews as "2.6 Signing".
`path` is the one rule for a card's file; a page finds its card as `page.card` (Renderer,
templates/_base.html).

The cost: the 35 cards of kinds and documents take about 0.2 s of CPU, the section cards about
0.55 s more (about 5 ms a card, Pillow's import included;
resvg took 60 ms a card, which is why there used to be one card for the whole site), paid once
(and shared with the build's helper process, cards.tasks):
a card drawn is kept in the build cache (.cache/, portal/cache.py) under its digest. What makes
them cheap: each card is a palette image
(index 0 the brand colour, then for each colour of text a ramp of 32 shades from the brand colour
to it), so that PNG-encoding it costs about 2 ms instead of 13 ms for RGB; each text is drawn once
into a greyscale mask, mapped to its ramp's indices and pasted where it covers; the parts every
card of a language shares (background, mark, short name, full name) are drawn once per process.
What is left is mostly FreeType drawing the title.
"""
from __future__ import annotations

import hashlib
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import Problem, RuntimeProblem

WIDTH, HEIGHT = 1200, 630
FONT_DIR = Path("/usr/share/fonts/truetype/noto")   # Debian's fonts-noto-core (Makefile BUILD_DEBS)
FONTS = {"th": "NotoSansThai-Bold.ttf", "en": "NotoSans-Bold.ttf"}   # Noto Sans Thai has no Latin letters
BRAND, BRAND_2, ACCENT, SOFT, WHITE = "#123a63", "#1d5a96", "#ffbf47", "#d6e4f3", "#ffffff"   # static/css/site.css

MARGIN = 96                      # left and right
TITLE = (68, 272, 1.3)           # the large title: size, first baseline, line gap (× size)
TITLE_MIN = 40                   # a line still too wide at this size is broken at its spaces
BELOW = (40, 562, 1.35)          # the site's full name, below it (the landing's English name: two lines)
LANDING_BELOW = (46, 504, 1.35)
SHORT = (40, 138)                # the short name beside the mark

TASKS = 4                        # the cards are shared by the build's processes in this many tasks
VERSION = "2"                    # part of every card's digest: change it when the drawing changes


def name(kind: str, doc: str | None = None) -> str:
    """A page's card: its kind's, or a document's own (its name prefixed, never a kind's)."""
    return f"doc-{doc}" if kind == "document" and doc else kind


def path(card: str, lang: str) -> str:
    """The card's file under site/: og/th/map.png, og/en/doc-handbook.png; the landing page's
    (both languages) og/landing.png."""
    return "og/landing.png" if card == "landing" else f"og/{lang}/{card}.png"


@dataclass(frozen=True)
class Card:
    """What one card shows (its text, each part with its language: the drawing needs no more)."""
    name: str
    lang: str
    short: str                   # beside the mark, in the card's language
    title: tuple[str, ...]       # the large lines, in the card's language
    below: tuple[str, ...]       # the small lines under it
    below_lang: str
    alt: str                     # og:image:alt: what the card shows, in the page's language

    @property
    def path(self) -> str:
        return path(self.name, self.lang)

    @property
    def digest(self) -> str:
        """What the card depends on (the preview server draws it again only when this changes)."""
        return hashlib.sha1(repr((VERSION, self.name, self.lang, self.short, self.title, self.below,
                                  self.below_lang)).encode()).hexdigest()


def lines(text: str) -> tuple[str, ...]:
    return tuple(row.strip() for row in text.splitlines() if row.strip())


def joined(rows: tuple[str, ...]) -> str:
    """The lines as running text (for og:image:alt): Thai has no spaces between words, so two
    lines that meet between Thai letters are joined without one."""
    out = ""
    for row in rows:
        thai = out and "\u0e00" <= out[-1] <= "\u0e7f" and "\u0e00" <= row[0] <= "\u0e7f"
        out += row if not out or thai else f" {row}"
    return out


def section_name(doc: str, anchor: str) -> str:
    """A section page's card: og/th/sec-handbook-step-2-6.png."""
    return f"sec-{doc}-{anchor}"


def section_card(doc: str, anchor: str, title: str, lang: str, strings: dict[str, dict]) -> Card:
    """A section page's own card (issue 18): its number and title large, its document below, so a
    shared link to handbook 2.6 previews as "2.6 Signing", not as the whole handbook. About 5 ms
    each: the 120-odd section cards are most of the cards a build draws."""
    t = strings[lang]
    below = (t[f"section_card_below_{doc}"],)
    return Card(section_name(doc, anchor), lang, t["site_short"], (title,), below, lang,
                f"{title} · {below[0]} · {t['site_name']}")


def card_of(page, strings: dict[str, dict]) -> Card:
    """The card of a page (a pages.Page): kind, language and, for a document, its name and title."""
    if page.kind == "section":
        part = page.context["part"]
        return section_card(part.doc, part.anchor, part.section.title, page.lang, strings)
    doc = page.context.get("doc") if page.kind == "document" else None
    return card(name(page.kind, doc.name if doc else None), page.lang, strings, doc.title if doc else None)


def card(card_name: str, lang: str, strings: dict[str, dict], doc_title: str | None = None) -> Card:
    """A card by its name (name()) and language: the one rule for what a card shows."""
    if card_name == "landing":
        th, en = strings["th"], strings["en"]
        return Card("landing", "th", th["site_short"], lines(th["og_card_title"]), lines(en["og_card_title"]), "en",
                    th["og_image_alt"])
    t = strings[lang]
    key = "og_card_" + card_name.replace("doc-", "doc_", 1) if card_name.startswith("doc-") else f"og_card_{card_name}"
    # A kind or document without its own string yet: the document's title, or the site's name.
    title = lines(t[key] if key in t else doc_title or t["og_card_title"])
    return Card(card_name, lang, t["site_short"], title, (t["site_name"],), lang, f"{joined(title)} · {t['site_name']}")


def from_strings(strings: dict[str, dict]) -> list[Card]:
    """Every card whose title the strings give (og_card_<kind>, og_card_doc_<name>), and the landing page's."""
    out = [card("landing", "th", strings)]
    for lang, t in strings.items():
        for key in t:
            if key.startswith("og_card_") and key != "og_card_title":
                rest = key[len("og_card_"):]
                out.append(card("doc-" + rest[len("doc_"):] if rest.startswith("doc_") else rest, lang, strings))
    return out


def cards_of(pages, strings: dict[str, dict]) -> dict[str, Card]:
    """Every card the pages show, by file."""
    out: dict[str, Card] = {}
    for page in pages:
        card = card_of(page, strings)
        out.setdefault(card.path, card)
    return out


def tasks(cards: list[Card], n: int = TASKS) -> list[Callable[[], dict[str, bytes]]]:
    """The cards as about `n` build tasks, a language's together (each process draws the parts a
    language's cards share once)."""
    cards = sorted(cards, key=lambda c: (c.lang, c.name))
    size = -(-len(cards) // n) if cards else 1
    return [lambda chunk=cards[i:i + size]: {c.path: draw(c) for c in chunk} for i in range(0, len(cards), size)]


# Drawing ---------------------------------------------------------------------------------------

LEVELS = 32   # shades of each ramp (antialiasing)
# The palette's ramps, each from a background to a colour: text on the brand colour, and the mark's
# two circles on its own blue disc.
RAMPS = ((BRAND, WHITE), (BRAND, SOFT), (BRAND, ACCENT), (BRAND, BRAND_2), (BRAND_2, WHITE), (BRAND_2, ACCENT))
ON_WHITE, ON_SOFT, ON_ACCENT, ON_BRAND_2, MARK_WHITE, MARK_ACCENT = range(len(RAMPS))


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _palette() -> list[int]:
    out = []
    for start, end in RAMPS:
        a, b = _rgb(start), _rgb(end)
        for k in range(LEVELS):
            out += [round(a[i] + (b[i] - a[i]) * k / (LEVELS - 1)) for i in range(3)]
    return out


_state: dict = {}   # fonts, lookup tables and the shared parts of cards, made once per process


def require() -> None:
    """Pillow can shape Thai, and the fonts are there; otherwise one located line saying what to install."""
    from PIL import features
    if not features.check("raqm"):
        import PIL
        raise RuntimeProblem(Problem(str(Path(PIL.__file__).parent), None,
                                     "Pillow cannot shape Thai text for the preview cards (its libraqm needs FriBiDi): "
                                     "install Debian's libfribidi0 (`make setup` does)"))
    font_files()


def font_files() -> dict[str, str]:
    missing = [f for f in FONTS.values() if not (FONT_DIR / f).is_file()]
    if missing:
        raise RuntimeProblem(Problem(str(FONT_DIR / missing[0]), None,
                                     "the font of the preview cards is missing: install Debian's fonts-noto-core "
                                     "(`make setup` does)"))
    return {lang: str(FONT_DIR / f) for lang, f in FONTS.items()}


def _font(lang: str, size: int):
    key = ("font", lang, size)
    if key not in _state:
        from PIL import ImageFont
        _state[key] = ImageFont.truetype(font_files()[lang], size, layout_engine=ImageFont.Layout.RAQM)
    return _state[key]


def _lut(ramp: int) -> list[int]:
    key = ("lut", ramp)
    if key not in _state:
        _state[key] = [ramp * LEVELS + (v * (LEVELS - 1) + 127) // 255 for v in range(256)]
    return _state[key]


BINARY = [0] + [255] * 255   # any coverage → paste


def runs(text: str) -> list[tuple[str, str]]:
    """The text cut where its script changes, each part with the font's language: Thai letters,
    marks and digits in Noto Sans Thai, the rest (Latin, digits, punctuation) in Noto Sans. A space
    goes with the part it follows."""
    out: list[tuple[str, str]] = []
    for ch in text:
        lang = "th" if "\u0e00" <= ch <= "\u0e7f" else "en"
        if out and (lang == out[-1][1] or ch.isspace()):
            out[-1] = (out[-1][0] + ch, out[-1][1])
        else:
            out.append((ch, lang))
    return out


def _advance(part: str, lang: str, size: int) -> float:
    key = ("advance", part, lang, size)
    if key not in _state:
        _state[key] = _font(lang, size).getlength(part, language=lang)
    return _state[key]


def width(text: str, size: int) -> float:
    return sum(_advance(part, lang, size) for part, lang in runs(text))


def fit(rows: tuple[str, ...], size: int, room: int = WIDTH - 2 * MARGIN) -> tuple[tuple[str, ...], int]:
    """The rows and a size at which each fits in `room`: the size shrunk as much as the widest row
    needs, down to TITLE_MIN; a row still too wide is broken at its spaces (never inside a Thai word),
    and made smaller still if a word alone is too wide."""
    widest = max((width(r, size) for r in rows), default=0)
    if widest <= room:
        return rows, size
    for smaller in range(int(size * room / widest), TITLE_MIN - 1, -1):   # (widths are not quite proportional)
        if all(width(r, smaller) <= room for r in rows):
            return rows, smaller
    smaller = TITLE_MIN
    out: list[str] = []
    for row in rows:
        line = ""
        for word in row.split(" "):
            if line and width(f"{line} {word}", smaller) > room:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    while smaller > 12 and any(width(r, smaller) > room for r in out):   # a word wider than the card
        smaller -= 2
    return tuple(out), smaller


def _paste_text(image, rows: tuple[str, ...], x: int, baseline: int, size: int, gap: float,
                ramp: int) -> tuple[int, int] | None:
    """Draw rows of text (left-aligned, first baseline at `baseline`) in the ramp's colour; the
    first and the last row of pixels it changed (+ 1)."""
    from PIL import Image, ImageDraw
    step = round(size * gap)
    top, bottom = _extent(len(rows), baseline, size, gap)
    right = min(WIDTH, x + int(max(width(r, size) for r in rows)) + size)
    mask = Image.new("L", (right - x, bottom - top), 0)
    draw = ImageDraw.Draw(mask)
    for i, row in enumerate(rows):
        at = 0.0
        for part, lang in runs(row):
            draw.text((at, baseline - top + i * step), part, fill=255, font=_font(lang, size), anchor="ls", language=lang)
            at += _advance(part, lang, size)
    box = mask.getbbox()
    if not box:
        return None
    mask = mask.crop(box)
    image.paste(mask.point(_lut(ramp)), (x + box[0], top + box[1]), mask.point(BINARY))
    return top + box[1], top + box[3]


def _extent(n: int, baseline: int, size: int, gap: float) -> tuple[int, int]:
    """The rows that n lines of text may touch: room for Thai marks stacked above the tallest
    letter, and for the vowels written below."""
    return baseline - round(size * 1.5), baseline + round(size * gap) * (n - 1) + round(size * 0.6)


def _mark(image) -> int:
    """The brand mark (templates' .brand-mark): a blue disc with a white and a yellow circle,
    drawn at 4× into masks and reduced, so that its edges are smooth. Its last row + 1."""
    from PIL import Image, ImageDraw
    cx, cy, r, small, apart, k = 136, 124, 40, 12, 14, 4
    box = (cx - r, cy - r)

    def disc(dx: int, radius: int):
        m = Image.new("L", (2 * r * k, 2 * r * k), 0)
        c = (r + dx) * k
        ImageDraw.Draw(m).ellipse((c - radius * k, r * k - radius * k, c + radius * k, r * k + radius * k), fill=255)
        return m.reduce(k)
    for dx, radius, ramp in ((0, r, ON_BRAND_2), (-apart, small, MARK_WHITE), (apart, small, MARK_ACCENT)):
        m = disc(dx, radius)
        image.paste(m.point(_lut(ramp)), box, m.point(BINARY))
    return cy + r + 1


class _Base:
    """What every card of a language shares (background, accent bar, mark, short name, full name),
    drawn once per process, and between them the rows where a card's own title goes (`band`)."""

    def __init__(self, card: Card):
        from PIL import Image, ImageDraw
        image = Image.new("P", (WIDTH, HEIGHT), 0)
        image.putpalette(_palette())
        ImageDraw.Draw(image).rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), fill=ON_ACCENT * LEVELS + LEVELS - 1)
        header = max(_mark(image), (_paste_text(image, (card.short,), 196, SHORT[1], SHORT[0], 1, ON_ACCENT) or (0, 0))[1])
        below = LANDING_BELOW if card.name == "landing" else BELOW
        rows, size = fit(card.below, below[0])
        footer = (_paste_text(image, rows, MARGIN, below[1], size, below[2], ON_SOFT) or (HEIGHT - 18, 0))[0]
        self.image, self.band = image, (header, footer)


def _base(card: Card) -> _Base:
    below = LANDING_BELOW if card.name == "landing" else BELOW
    key = ("base", card.lang, card.short, card.below, card.below_lang, below)
    if key not in _state:
        _state[key] = _Base(card)
    return _state[key]


def draw(card: Card) -> bytes:
    """The card as PNG: the same bytes every time for the same card."""
    require()
    if len(_state) > 10_000:   # (a preview server that has drawn many versions of the strings)
        _state.clear()
    base = _base(card)
    image = base.image.copy()
    size, baseline, gap = TITLE
    rows, size = fit(card.title, size)
    while size > TITLE_MIN // 2 and _extent(len(rows), baseline, size, gap)[1] > base.band[1]:
        size -= 2   # (only a title without its own og_card_ string can have so many lines)
    _paste_text(image, rows, MARGIN, baseline, size, gap, ON_WHITE)
    out = io.BytesIO()
    # zlib's run-length strategy suits these flat images: a third of the time of its default.
    image.save(out, "PNG", compress_type=zlib.Z_RLE)
    return out.getvalue()
