"""Horizontal bar charts as inline SVG, drawn at build time.

Designed for a 360 px phone first: each label sits on its own line above its bar, so no label
column has to be measured and long names never squeeze the bars. The SVG is viewBox-based and
scales with its container (svg.chart { width: 100%; height: auto; max-width: ... } in CSS, so
text does not grow without bound on a wide screen). Dark fills and black text print well.

Each bar is one list item whose accessible name is "label: value unit"; a bar with an href is
a link (label, bar and value are all inside the <a>, so the whole row is the target).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

from .maps import esc, id_prefix, svg_open

INK, LINK, BAR, AXIS = "#1a1a1a", "#0b4f8a", "#2b6ca3", "#555555"
SHARE_COLOURS = ("#08519c", "#6baed6", "#e6e6e6", "#fd8d3c", "#756bb1", "#74c476")
FONT, SMALL = 14, 13          # font sizes in viewBox units (= CSS px at 360 px wide)
PAD = 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None
    lang: str | None = None   # BCP 47 tag of the label, if not the page's language


def _width(text: str, size: float) -> float:
    """Rough rendered width: about 0.6 em a character; Thai vowel and tone marks (category
    Mn) stack on their consonant and take no width of their own."""
    return sum(unicodedata.category(c) != "Mn" for c in text) * 0.6 * size


def _wrap(text: str, size: float, room: float) -> list[str]:
    """Greedy wrap at spaces (text without spaces, such as Thai, stays on one line)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _width(lines[-1] + " " + word, size) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _n(v: float) -> str:
    return f"{round(v, 1):g}"


def _name(label: str, value: str, unit: str) -> str:
    return f"{label}: {value} {unit}".rstrip()


def _item(name: str, href: str | None, body: str) -> str:
    """One list item: a link if it has somewhere to go, otherwise a named image."""
    inner = f"<title>{esc(name)}</title>{body}"
    if href:
        inner = f'<a href="{esc(href)}">{inner}</a>'  # named by its <title>: no aria-label to contradict the visible text
    else:
        inner = f'<g role="img" aria-label="{esc(name)}">{inner}</g>'
    return f'<g role="listitem">{inner}</g>'


def _text(x: float, y: float, lines: list[str], *, size: int, lang: str | None = None,
          link: bool = False) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{size}" fill="{LINK if link else INK}"'
    if link:
        attrs += ' text-decoration="underline"'
    if lang:
        attrs += f' lang="{esc(lang)}"'
    spans = "".join(f'<tspan x="{_n(x)}" dy="{0 if i == 0 else round(size * 1.25, 1):g}">{esc(line)}</tspan>'
                    for i, line in enumerate(lines)) if len(lines) > 1 else esc(lines[0])
    return f"<text {attrs}>{spans}</text>"


def bar_chart(bars: Sequence[Bar], *, title: str, desc: str, unit: str = "",
              number: Callable[[int], str] = str, width: int = 360) -> str:
    """Horizontal bars, longest value = full width. `number` formats the values (the Thai
    pages pass a Thai-digit formatter); `unit` follows the value in the accessible name."""
    if any(b.value < 0 for b in bars):
        raise ValueError("bar values must not be negative")
    shown = [number(b.value) for b in bars]
    # Leave room right of the longest bar for its value.
    room = max((_width(s, SMALL) for s in shown), default=0) + 8
    scale = (width - 2 * PAD - room) / max((b.value for b in bars), default=0) if any(b.value for b in bars) else 0
    prefix = id_prefix("chart", bars, title, desc, unit, shown, width)
    y, items = PAD, []
    for bar, value in zip(bars, shown):
        lines = _wrap(bar.label, FONT, width - 2 * PAD)
        label_y = y + FONT
        bar_y = y + FONT * 1.25 * len(lines) + 2
        length = bar.value * scale
        body = (_text(PAD, label_y, lines, size=FONT, lang=bar.lang, link=bool(bar.href))
                + f'<rect x="{PAD}" y="{_n(bar_y)}" width="{_n(length)}" height="14" fill="{BAR}"/>'
                + _text(PAD + length + 5, bar_y + 11.5, [value], size=SMALL))
        items.append(_item(_name(bar.label, value, unit), bar.href, body))
        y = bar_y + 14 + 10
    height = max(y, 2 * PAD)
    return (svg_open(prefix, "chart chart-bars", width, height, title, desc)
            + f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{_n(height - PAD)}" stroke="{AXIS}" aria-hidden="true"/>'
            + f'<g role="list">{"".join(items)}</g></svg>')


def share_bar(parts: Sequence[Bar], *, title: str, desc: str, unit: str = "",
              number: Callable[[int], str] = str, width: int = 360) -> str:
    """One bar split into parts of a whole (e.g. provinces with and without partners out of
    77), with a legend below that names each part, its value and its share in per cent.
    A part, its legend swatch and its legend text are one item (one link if it has an href)."""
    if any(p.value < 0 for p in parts):
        raise ValueError("part values must not be negative")
    total = sum(p.value for p in parts)
    prefix = id_prefix("share", parts, title, desc, unit, [number(p.value) for p in parts], width)
    inner = width - 2 * PAD
    x, y, items = float(PAD), PAD + 28 + 12, []
    for i, part in enumerate(parts):
        colour = SHARE_COLOURS[i % len(SHARE_COLOURS)]
        length = inner * part.value / total if total else 0
        pct = round(100 * part.value / total) if total else 0
        text = f"{part.label}: {number(part.value)} {unit}".rstrip() + f" ({number(pct)}%)"
        lines = _wrap(text, FONT, inner - 20)
        body = ""
        if length:
            body += (f'<rect x="{_n(x)}" y="{PAD}" width="{_n(length)}" height="28" fill="{colour}" '
                     f'stroke="#ffffff" stroke-width="1"/>')
        body += (f'<rect x="{PAD}" y="{_n(y)}" width="12" height="12" fill="{colour}" stroke="{AXIS}"/>'
                 + _text(PAD + 20, y + 11, lines, size=FONT, lang=None, link=bool(part.href)))
        items.append(_item(text, part.href, body))
        x += length
        y += FONT * 1.25 * len(lines) + 8
    height = y + PAD
    outline = (f'<rect x="{PAD}" y="{PAD}" width="{_n(inner)}" height="28" fill="none" stroke="{AXIS}" '
               f'aria-hidden="true"/>')
    return (svg_open(prefix, "chart chart-share", width, height, title, desc)
            + f'<g role="list">{"".join(items)}</g>{outline}</svg>')
