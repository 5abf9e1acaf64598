"""Bar and column charts as inline SVG, drawn at build time.

Designed for a 360 px phone first (a viewBox 360 units wide, so a unit is about a CSS pixel
there): horizontal bars have their labels in a column on the left, wrapped when long, so a row
is one line; the column chart puts a continuous time axis (every year, zeros included) in
about 180 px. The SVG scales with its container (svg.chart { width: 100%; height: auto;
max-width: ... } in CSS, so text does not grow without bound on a wide screen).

Each bar is one list item whose accessible name is "label: value unit" (or the Bar's own
`name`, for a correct singular); a bar with an href is a link (label, bar and value are all
inside the <a>, so the whole row is the target).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

from .maps import esc, id_prefix, svg_open

INK, LINK, BAR, AXIS = "#1a1a1a", "#0b4f8a", "#2b6ca3", "#555555"
SHARE_COLOURS = ("#08519c", "#6baed6", "#e6e6e6", "#fd8d3c", "#756bb1", "#74c476")
FONT, SMALL = 14, 13          # font sizes in viewBox units (= CSS px at 360 px wide)
# The smallest text a chart draws: 11 CSS px on a 360 px phone, where a 360-unit viewBox is drawn
# about 328 px wide (0.91 px a unit): ๔, ๕ and ๘ must stay apart (issue 18).
MIN_FONT = 12.5
PAD = 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None
    lang: str | None = None   # BCP 47 tag of the label, if not the page's language
    name: str | None = None   # the accessible name, if not "label: value unit" ("1990: 1 pair")


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
          link: bool = False, anchor: str | None = None) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{size}" fill="{LINK if link else INK}"'
    if anchor:
        attrs += f' text-anchor="{anchor}"'
    if link:
        attrs += ' text-decoration="underline"'
    if lang:
        attrs += f' lang="{esc(lang)}"'
    spans = "".join(f'<tspan x="{_n(x)}" dy="{0 if i == 0 else round(size * 1.25, 1):g}">{esc(line)}</tspan>'
                    for i, line in enumerate(lines)) if len(lines) > 1 else esc(lines[0])
    return f"<text {attrs}>{spans}</text>"


def bar_chart(bars: Sequence[Bar], *, title: str, desc: str, unit: str = "",
              number: Callable[[int], str] = str, width: int = 360) -> str:
    """Horizontal bars, longest value = full width, each label right-aligned in a column on its
    left (at most 42 % of the width; longer labels wrap). `number` formats the values (the Thai
    pages pass a Thai-digit formatter); `unit` follows the value in the accessible name."""
    if any(b.value < 0 for b in bars):
        raise ValueError("bar values must not be negative")
    shown = [number(b.value) for b in bars]
    label_room = min(max((_width(b.label, FONT) for b in bars), default=0), 0.42 * width)
    x_bar = PAD + label_room + 6
    # Leave room right of the longest bar for its value.
    room = max((_width(v, SMALL) for v in shown), default=0) + 8
    top = max((b.value for b in bars), default=0)
    scale = (width - x_bar - PAD - room) / top if top else 0
    prefix = id_prefix("chart", bars, title, desc, unit, shown, width)
    y, items = PAD, []
    for bar, value in zip(bars, shown):
        lines = _wrap(bar.label, FONT, label_room)
        row = max(FONT * 1.25 * len(lines), 20)
        bar_y = y + (row - 14) / 2
        length = bar.value * scale
        # A linked row is tapped anywhere across it: an invisible rect 28 units tall (26 px on
        # a 328-px-wide phone column, over WCAG 2.2's 24).
        hit = (f'<rect x="0" y="{_n(y - 4)}" width="{width}" height="{_n(row + 8)}" fill="#ffffff" fill-opacity="0"/>'
               if bar.href else "")
        body = hit + (_text(x_bar - 6, y + FONT, lines, size=FONT, lang=bar.lang, link=bool(bar.href), anchor="end")
                + f'<rect x="{_n(x_bar)}" y="{_n(bar_y)}" width="{_n(length)}" height="14" fill="{BAR}"/>'
                + _text(x_bar + length + 5, bar_y + 11.5, [value], size=SMALL))
        items.append(_item(bar.name or _name(bar.label, value, unit), bar.href, body))
        y += row + 8
    height = max(y, 2 * PAD)
    return (svg_open(prefix, "chart chart-bars", width, height, title, desc)
            + f'<line x1="{_n(x_bar)}" y1="{PAD}" x2="{_n(x_bar)}" y2="{_n(height - PAD)}" stroke="{AXIS}" aria-hidden="true"/>'
            + f'<g role="list">{"".join(items)}</g></svg>')


def _nice_step(top: int) -> int:
    """Gridline step: 1, 2, 5, 10, 20, 50 ... giving at most five lines."""
    step = 1
    while top / step > 5:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def column_chart(columns: Sequence[Bar], *, title: str, desc: str, axis_label: str = "",
                 ticks: Sequence[bool] | None = None, number: Callable[[int], str] = str,
                 width: int = 360, height: int = 170) -> str:
    """Columns on a continuous axis, one per Bar in order (every year, zeros included: the
    caller fills the gaps). A column's label is written under it where `ticks` says so (every
    fifth year); its value above it unless it is 0. `axis_label` names the horizontal axis."""
    if any(c.value < 0 for c in columns):
        raise ValueError("column values must not be negative")
    ticks = list(ticks) if ticks is not None else [True] * len(columns)
    top = max((c.value for c in columns), default=0)
    step = _nice_step(top) if top else 1
    ceiling = max(step, -(-top // step) * step)
    left, right, above, below = 28, PAD + 6, 18, 21 + (20 if axis_label else 0)
    plot_w, plot_h = width - left - right, height - above - below
    pitch = plot_w / max(len(columns), 1)
    base_y = above + plot_h
    prefix = id_prefix("columns", columns, title, desc, axis_label, ticks, width, height)
    grid = []
    for v in range(0, ceiling + 1, step):
        gy = base_y - plot_h * v / ceiling
        grid.append(f'<line x1="{left}" y1="{_n(gy)}" x2="{_n(width - right)}" y2="{_n(gy)}" '
                    f'stroke="{"#555555" if v == 0 else "#d0d4d8"}"/>'
                    f'<text x="{left - 4}" y="{_n(gy + 4)}" font-size="{MIN_FONT}" fill="{INK}" text-anchor="end">{esc(number(v))}</text>')
    items = []
    for i, (col, tick) in enumerate(zip(columns, ticks)):
        x = left + i * pitch
        h = plot_h * col.value / ceiling
        body = f'<rect x="{_n(x + pitch * 0.14)}" y="{_n(base_y - h)}" width="{_n(pitch * 0.72)}" height="{_n(h)}" fill="{BAR}"/>'
        if col.value:
            body += (f'<text x="{_n(x + pitch / 2)}" y="{_n(base_y - h - 3)}" font-size="{MIN_FONT}" fill="{INK}" '
                     f'text-anchor="middle">{esc(number(col.value))}</text>')
        if tick:
            body += (f'<line x1="{_n(x + pitch / 2)}" y1="{_n(base_y)}" x2="{_n(x + pitch / 2)}" y2="{_n(base_y + 4)}" stroke="{AXIS}"/>'
                     f'<text x="{_n(x + pitch / 2)}" y="{_n(base_y + 17)}" font-size="{MIN_FONT}" fill="{INK}" '
                     f'text-anchor="middle">{esc(col.label)}</text>')
        items.append(_item(col.name or _name(col.label, number(col.value), ""), None, body))
    axis = (f'<text x="{_n(left + plot_w / 2)}" y="{_n(height - 4)}" font-size="13" fill="{INK}" '
            f'text-anchor="middle" aria-hidden="true">{esc(axis_label)}</text>') if axis_label else ""
    return (svg_open(prefix, "chart chart-columns", width, height, title, desc)
            + f'<g aria-hidden="true">{"".join(grid)}</g>{axis}'
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
