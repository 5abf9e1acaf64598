"""The Content-Security-Policy in a real browser: no page kind, in either language, breaks it
(Chromium reports no violation and no console error), and it is in force (an injected inline
script is refused)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser import KINDS, LANGS, chromium, expected_status, new_page, open_page, served  # noqa: F401
from portal import security

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_kind_violates_the_policy(served, new_page, lang):
    base, samples = served
    page = new_page(bypass_csp=False)
    page.add_init_script(LISTEN)
    console = []
    # (The 404 page's own status is the one console error expected.)
    page.on("console", lambda m: m.type in ("error", "warning") and "status of 404" not in m.text
            and console.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"{page.url}: {e}"))
    for kind in KINDS:
        url = samples[lang][kind]
        open_page(page, base, url, status=expected_status(kind))
        content = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert content == security.CSP_META, url
        assert page.locator('meta[name="referrer"]').get_attribute("content") == security.REFERRER_POLICY
        assert page.evaluate("window.__violations") == [], url
    # The search page's script fetches its index and runs a query under the policy too.
    open_page(page, base, f"/{lang}/search/?q=Chiang")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert not console, "\n".join(console)


def test_the_policy_is_in_force(served, new_page):
    base, samples = served
    page = new_page(bypass_csp=False)
    page.add_init_script(LISTEN)
    open_page(page, base, samples["en"]["pair-signed"])
    page.evaluate("""() => {
      const s = document.createElement("script");
      s.textContent = "window.__ran = true";
      document.body.appendChild(s);
      const img = document.createElement("img");
      img.src = "https://example.org/pixel.png";
      document.body.appendChild(img);
    }""")
    expect(page.locator("body")).to_be_visible()
    for _ in range(50):   # (wait_for_function evaluates a string: the policy refuses that too)
        if len(page.evaluate("window.__violations")) >= 2:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.__ran === undefined")
    violated = " ".join(page.evaluate("window.__violations"))
    assert "script-src" in violated and "img-src" in violated
