"""Issue 16 item 26: every public report a record's note, an event or a later relation cites is
named on the sources page too (portal/citations.py, data/outside_sources.yaml)."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT
from portal.errors import BuildError
from portal.site import build

URL_RE = re.compile(r"https?://[^\s)'\"]+")


def _records() -> list[dict]:
    out = []
    for name in ("pairs", "other_relations", "later_relations"):
        out += yaml.safe_load((ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8")) or []
    return out


def _note_urls() -> set[str]:
    found = set()
    for record in _records():
        for note in record.get("notes") or []:
            for lang in ("en", "th"):
                found |= {u.rstrip(".,;") for u in URL_RE.findall(note.get(lang) or "")}
    return found


def _hrefs(html_text: str) -> set[str]:
    import html
    return {html.unescape(h) for h in re.findall(r'href="([^"]+)"', html_text)}


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_report_a_note_cites_is_linked_from_the_sources_page(page, lang):
    urls_in_notes = _note_urls()
    assert len(urls_in_notes) >= 8    # the eight notes of item 26 at least
    linked = _hrefs(page(f"/{lang}/sources/"))
    missing = sorted(u for u in urls_in_notes if u not in linked)
    assert not missing, f"cited in a note but not on /{lang}/sources/: {missing}"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_report_an_event_cites_is_linked_from_the_sources_page(page, lang):
    events = yaml.safe_load((ROOT / "data" / "events.yaml").read_text(encoding="utf-8"))
    linked = _hrefs(page(f"/{lang}/sources/"))
    missing = sorted({e["source"]["url"] for e in events} - linked)
    assert not missing, missing


def test_a_report_cited_by_an_unknown_record_is_refused_at_its_line(project):
    path = project / "data" / "outside_sources.yaml"
    text = path.read_text(encoding="utf-8") + (
        "- id: nowhere\n  title: A report\n  publisher: Someone\n  published: '2024-13'\n"
        "  url: https://example.org/r\n  used_by: [no-such-pair]\n")
    path.write_text(text, encoding="utf-8")
    last = text.count("\n")
    with pytest.raises(BuildError) as err:
        build(project, write=False)
    found = [str(p) for p in err.value.problems]
    assert f"data/outside_sources.yaml:{last - 2}: report 'nowhere': published must be a date (YYYY, YYYY-MM or YYYY-MM-DD) or null" in found
    assert f"data/outside_sources.yaml:{last}: report 'nowhere': used_by 'no-such-pair' is not a record or event id" in found
