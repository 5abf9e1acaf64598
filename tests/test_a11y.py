"""axe-core (WCAG 2.0/2.1 A and AA rules) finds nothing on one page of every kind, in both languages."""
from __future__ import annotations

import pytest

from browser import (AXE, chromium, expected_status, new_page, open_page,  # noqa: F401
                     params, served, shared_page)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1].strip()}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("lang,kind", params())
def test_axe_finds_no_wcag_a_or_aa_violations(served, shared_page, lang, kind):
    base, samples = served
    url = samples[lang][kind]
    page = shared_page()
    open_page(page, base, url, status=expected_status(kind))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(RUN, TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    assert result["passes"] or result["violations"], "axe ran no rules"
    assert not result["violations"], f"{url}:\n{describe(result['violations'])}"


def test_axe_catches_a_real_violation(served, shared_page):
    """The check itself works: an image without alternative text on a real page is reported."""
    base, samples = served
    page = shared_page()
    open_page(page, base, samples["en"]["home"])
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\">')")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    assert [v["id"] for v in result["violations"]] == ["image-alt"]
