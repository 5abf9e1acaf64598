"""portal.charts: horizontal bar charts and the share bar as inline SVG."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from portal import charts
from portal.thai import thai_digits

SVG = "{http://www.w3.org/2000/svg}"



def accessible_name(el) -> str:
    """A chart item's accessible name: its aria-label, or (for a link) its <title> child."""
    title = el.find(f"{SVG}title")
    return el.get("aria-label") or (title.text if title is not None else None)

def items(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("role") == "listitem"]


def named(item: ET.Element) -> ET.Element:
    """The element carrying an item's name: its <a>, or its role="img" group."""
    (child,) = list(item)
    return child


def texts(el: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in el.iter(f"{SVG}text")]


def bars(el: ET.Element) -> list[float]:
    """Widths of the visible rects (not the invisible tap targets of linked rows)."""
    return [float(r.get("width")) for r in el.iter(f"{SVG}rect") if r.get("fill-opacity") != "0"]


def label_text(el: ET.Element) -> str:
    """A label as read: its wrapped lines (tspans) joined by spaces."""
    text = el.find(f"{SVG}text")
    spans = [s.text for s in text.iter(f"{SVG}tspan")]
    return " ".join(spans) if spans else text.text


BARS = [charts.Bar("Japan", 34, "/en/countries/japan/"),
        charts.Bar("China", 17, "/en/countries/china/"),
        charts.Bar("Republic of Korea", 5),
        charts.Bar("Bhutan", 0, "/en/countries/bhutan/")]


def test_bar_chart_structure_and_values():
    root = ET.fromstring(charts.bar_chart(BARS, title="Pairs by country", desc="Most are in Asia.", unit="pairs"))
    assert root.get("role") is None and root.get("class") == "chart chart-bars"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and root.find(f"{SVG}desc").get("id") == desc_id
    rows = items(root)
    assert len(rows) == 4
    assert [texts(named(r)) for r in rows] == [["Japan", "34"], ["China", "17"], ["Republic of Korea", "5"],
                                              ["Bhutan", "0"]]
    widths = [bars(named(r))[0] for r in rows]
    assert widths[0] > widths[1] > widths[2] > widths[3] == 0
    assert widths[1] / widths[0] == pytest.approx(17 / 34, abs=0.01)
    _, _, w, _ = (float(v) for v in root.get("viewBox").split())
    assert w == 360 and widths[0] < w  # room is left for the value


def test_bar_links_and_names():
    root = ET.fromstring(charts.bar_chart(BARS, title="t", desc="d", unit="pairs"))
    japan, china, korea, bhutan = (named(r) for r in items(root))
    assert japan.tag == f"{SVG}a" and japan.get("href") == "/en/countries/japan/"
    assert japan.get("aria-label") is None and accessible_name(japan) == "Japan: 34 pairs"
    assert korea.tag == f"{SVG}g" and korea.get("role") == "img" and korea.get("aria-label") == "Republic of Korea: 5 pairs"
    assert bhutan.get("href") == "/en/countries/bhutan/"
    # Without a unit the name ends with the value.
    root = ET.fromstring(charts.bar_chart(BARS[:1], title="t", desc="d"))
    assert accessible_name(named(items(root)[0])) == "Japan: 34"


def test_thai_number_formatter_and_label_language():
    data = [charts.Bar("ญี่ปุ่น", 34), charts.Bar("日本", 12, lang="ja")]
    root = ET.fromstring(charts.bar_chart(data, title="คู่ตามประเทศ", desc="d", unit="คู่", number=thai_digits))
    first, second = (named(r) for r in items(root))
    assert texts(first) == ["ญี่ปุ่น", "๓๔"] and accessible_name(first) == "ญี่ปุ่น: ๓๔ คู่"
    label = second.find(f"{SVG}text")
    assert label.get("lang") == "ja" and label.text == "日本"
    assert texts(second)[1] == "๑๒" and accessible_name(second) == "日本: ๑๒ คู่"


def test_text_is_escaped():
    evil = "<script>alert(1)</script> & co"
    svg = charts.bar_chart([charts.Bar(evil, 1, '/x?a=1&b=<2>')], title=evil, desc=evil, unit=evil)
    assert "<script" not in svg
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    a = named(items(root)[0])
    assert a.get("href") == "/x?a=1&b=<2>" and label_text(a) == evil


def test_long_label_wraps_instead_of_overflowing():
    long = "United Kingdom of Great Britain and Northern Ireland"
    root = ET.fromstring(charts.bar_chart([charts.Bar(long, 3)], title="t", desc="d"))
    label = next(root.iter(f"{SVG}text"))
    lines = [s.text for s in label.iter(f"{SVG}tspan")]
    assert len(lines) >= 2 and " ".join(lines) == long


def test_negative_values_are_refused():
    with pytest.raises(ValueError):
        charts.bar_chart([charts.Bar("x", -1)], title="t", desc="d")
    with pytest.raises(ValueError):
        charts.share_bar([charts.Bar("x", -1)], title="t", desc="d")


def test_empty_and_all_zero_charts_are_well_formed():
    ET.fromstring(charts.bar_chart([], title="t", desc="d"))
    root = ET.fromstring(charts.bar_chart([charts.Bar("a", 0), charts.Bar("b", 0)], title="t", desc="d"))
    assert bars(root) == [0, 0]
    ET.fromstring(charts.share_bar([charts.Bar("a", 0)], title="t", desc="d"))


def test_share_bar():
    parts = [charts.Bar("With signed partners", 40, "/en/provinces/"),
             charts.Bar("In progress only", 12),
             charts.Bar("None yet", 25)]
    root = ET.fromstring(charts.share_bar(parts, title="Provinces", desc="Out of 77", unit="provinces"))
    rows = [named(r) for r in items(root)]
    assert len(rows) == 3
    assert rows[0].tag == f"{SVG}a" and rows[0].get("href") == "/en/provinces/"
    assert accessible_name(rows[0]) == "With signed partners: 40 provinces (52%)"
    assert accessible_name(rows[2]) == "None yet: 25 provinces (32%)"
    # Each item has its segment and its legend swatch; the segments fill the bar exactly.
    segments = [bars(r)[0] for r in rows]
    outline = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none"][0]
    assert sum(segments) == pytest.approx(float(outline.get("width")), abs=0.2)
    assert segments[0] / segments[2] == pytest.approx(40 / 25, rel=0.01)
    thai = ET.fromstring(charts.share_bar(parts, title="t", desc="d", number=thai_digits))
    assert texts(named(items(thai)[0])) == ["With signed partners: ๔๐ (๕๒%)"]


def test_two_charts_on_one_page_have_distinct_ids():
    page = "<div>" + charts.bar_chart(BARS, title="Same", desc="Same") \
        + charts.bar_chart(BARS, title="Same", desc="Same") \
        + charts.share_bar(BARS, title="Same", desc="Same") + "</div>"
    root = ET.fromstring(page)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == 6 and len(set(ids)) == 6
    for svg in root:
        assert set(svg.get("aria-labelledby").split()) == {e.get("id") for e in svg.iter() if e.get("id")}


def test_linked_rows_are_tap_targets_of_at_least_24_px():
    root = ET.fromstring(charts.bar_chart(BARS, title="t", desc="d"))
    japan, _, korea, _ = (named(r) for r in items(root))
    (hit,) = [r for r in japan.iter(f"{SVG}rect") if r.get("fill-opacity") == "0"]
    assert float(hit.get("height")) >= 28 and float(hit.get("width")) == 360  # 26 px at 328 px wide
    assert not [r for r in korea.iter(f"{SVG}rect") if r.get("fill-opacity") == "0"]  # not a link
    # Rows are spaced so that the targets do not overlap.
    ys = [float(r.get("y")) for item in items(root) for r in item.iter(f"{SVG}rect") if r.get("fill-opacity") == "0"]
    assert all(b - a >= 28 for a, b in zip(ys, ys[1:]))


def test_bar_name_override_gives_a_correct_singular():
    root = ET.fromstring(charts.bar_chart([charts.Bar("France", 1, name="France: 1 pair")], title="t", desc="d",
                                          unit="pairs"))
    assert accessible_name(named(items(root)[0])) == "France: 1 pair"


def years(first=1989, last=2018, values=None):
    values = values or {1989: 2, 1990: 1, 2005: 9, 2018: 1}
    return [charts.Bar(str(y), values.get(y, 0), name=f"{y}: {values.get(y, 0)}") for y in range(first, last + 1)]


def test_column_chart_has_a_column_for_every_year_zeros_included():
    cols = years()
    root = ET.fromstring(charts.column_chart(cols, title="Per year", desc="d", axis_label="Year",
                                             ticks=[int(c.label) % 5 == 0 for c in cols]))
    assert root.get("class") == "chart chart-columns"
    rows = items(root)
    assert len(rows) == 30
    assert [accessible_name(named(r)) for r in rows][:3] == ["1989: 2", "1990: 1", "1991: 0"]
    heights = [float(next(named(r).iter(f"{SVG}rect")).get("height")) for r in rows]
    xs = [float(next(named(r).iter(f"{SVG}rect")).get("x")) for r in rows]
    assert heights[2] == 0 and heights[16] > heights[0] > heights[1] > 0  # 2005 is the tallest
    steps = [b - a for a, b in zip(xs, xs[1:])]
    assert max(steps) - min(steps) < 0.2  # an even axis: every year the same width
    # Tick labels every fifth year, values above the non-zero columns only.
    ticks = [t for r in rows for t in texts(named(r)) if len(t) == 4]
    assert ticks == ["1990", "1995", "2000", "2005", "2010", "2015"]
    assert [t for t in texts(named(rows[2])) if t] == []
    _, _, w, h = (float(v) for v in root.get("viewBox").split())
    assert w == 360 and h <= 200  # compact


def test_column_chart_in_thai_digits():
    cols = [charts.Bar(thai_digits(str(y)), v) for y, v in ((2532, 2), (2533, 0), (2534, 12))]
    root = ET.fromstring(charts.column_chart(cols, title="t", desc="d", number=thai_digits))
    assert texts(named(items(root)[2])) == ["๑๒", "๒๕๓๔"]
    assert "12" not in "".join(root.itertext())


def test_no_chart_text_is_smaller_than_11_px_on_a_phone():
    """Issue 18: every text of a chart is at least 11 CSS px where a 360-unit viewBox is drawn 328 px
    wide (a 360 px phone less the page's margins)."""
    import re
    svgs = [charts.bar_chart(BARS, title="t", desc="d", unit="pairs"),
            charts.column_chart([charts.Bar(str(1990 + i), i % 13) for i in range(30)], title="t", desc="d",
                                axis_label="Year"),
            charts.share_bar(BARS, title="t", desc="d")]
    for svg in svgs:
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
        sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)]
        assert sizes and min(sizes) * 328 / width >= 11, (min(sizes), width)
