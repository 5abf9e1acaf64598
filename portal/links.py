"""Every internal link and #fragment in the built site must resolve."""
from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit, unquote

from . import urls

HREF_RE = re.compile(r'<(?:a|link)\b[^>]*?\bhref="([^"]*)"', re.S)
SRC_RE = re.compile(r'<(?:script|img|source)\b[^>]*?\bsrc="([^"]*)"', re.S)
# An element's id: the attribute named exactly id (not data-id), after the space before it.
ID_ATTR_RE = re.compile(r'(?<=\s)id="([^"]*)"')
_ID_VALUE_RE = re.compile(r'id="([^"]*)"')   # (a literal first: the regex engine skips to each quickly)
_ID_VALUE_BYTES_RE = re.compile(rb'id="([^"]*)"')


def element_ids(page: str | bytes) -> list[str]:
    """Every element's id in the HTML, in order (what ID_ATTR_RE finds, found about 30 times
    faster on a big page: the plan's page at 10,000 pairs is 9 MB). The page may be its UTF-8
    bytes: a check then never decodes a whole page (at 10,000 pairs, 28 MB of text each)."""
    if isinstance(page, bytes):
        return [m.group(1).decode("utf-8") for m in _ID_VALUE_BYTES_RE.finditer(page) if page[m.start() - 1:m.start()].isspace()]
    return [m.group(1) for m in _ID_VALUE_RE.finditer(page) if page[m.start() - 1:m.start()].isspace()]


@lru_cache(maxsize=16)  # content links point into a few pages; a rebuild passes the same page again
def ids_of(page: str | bytes) -> frozenset[str]:
    return frozenset(element_ids(page))


def broken_links(outputs: dict[str, bytes], base_url: str = "") -> list[tuple[str, str, str]]:
    """(page file, href, why) for each internal link that does not resolve.
    Absolute links to `base_url` (canonical, hreflang) count as internal."""
    pages = {rel: data.decode("utf-8") for rel, data in outputs.items() if rel.endswith(".html")}
    ids: dict[str, set[str]] = {}  # filled only for pages that a #fragment points into
    problems = []
    for rel, text in pages.items():
        hrefs = HREF_RE.findall(text) + SRC_RE.findall(text)
        for raw in hrefs:
            href = html.unescape(raw)
            if base_url and href.startswith(base_url + "/"):
                href = href[len(base_url):]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # external: none are expected, the browser test checks no request leaves
            if not parts.path:  # '#fragment' on this page
                target = rel
            elif parts.path.startswith("/"):
                target = urls.output_path(unquote(parts.path))
            else:
                problems.append((rel, href, "relative links are not used: start it with /"))
                continue
            if target not in outputs:
                problems.append((rel, href, "no such page or file"))
                continue
            if parts.fragment and target.endswith(".html"):
                if target not in ids:
                    ids[target] = ids_of(outputs[target].decode("utf-8"))
                if parts.fragment in ids[target]:
                    continue
                problems.append((rel, href, f"page has no #{parts.fragment}"))
    return problems
