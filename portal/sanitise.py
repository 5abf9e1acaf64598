"""What HTML a content/ document may contain, and the allow-list sanitiser its Markdown goes through.

Markdown passes raw HTML through, so a document could carry a script, an inline handler or a
`javascript:` link onto a page. Two lines of defence, both from the lists below:

- `clean(html)`: nh3 (ammonia) rebuilds the HTML keeping only what the lists allow, so nothing
  else can reach a page;
- `problems(html)`: each element, attribute or link outside the lists, as a message the build
  reports at its line in the document (an editor learns what is wrong instead of losing text).
  content.py runs it only when `clean` changed something.

The lists are what content/ uses (collected by building it) plus the plain output of Markdown's
own syntax. To allow more, add it here and say why.
"""
from __future__ import annotations

import html as _html
import re

import nh3

# Markdown's own output (paragraphs, headings of numbered sections, lists, emphasis, code,
# quotes, rules, tables) and the elements content/ writes as HTML (the plan's diagrams, editor's notes).
TAGS = frozenset({
    "p", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "code", "pre", "blockquote", "hr", "br",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
    "aside", "figure", "figcaption", "div", "span", "q",
})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "lang"})
ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"data-alias"}, "h3": {"data-alias"}, "h4": {"data-alias"},   # old anchors kept (docs/CONTENT.md)
    "aside": {"role"}, "figure": {"aria-labelledby"}, "p": {"aria-hidden"},
    "th": {"scope"}, "td": {"data-label"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Elements whose content goes with them (a script's text is not text to show).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript", "textarea", "title"})

_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r"""([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_STRIP = re.compile(r"[\x00-\x20\x7f]+")   # browsers ignore these inside a URL's scheme ("java\tscript:")


def link_problem(href: str) -> str | None:
    """Why a link may not be on a page, or None: http(s), mailto, or an address on this site."""
    url = _STRIP.sub("", _html.unescape(href))
    m = _SCHEME.match(url)
    if m:
        return None if m.group(1).lower() in URL_SCHEMES else f"the scheme '{m.group(1)}:' is not allowed"
    if url.startswith("//") or url.startswith("/\\") or url.startswith("\\"):
        return "an address on another site must start with https://"
    if url.startswith(("/", "#")) or url == "":
        return None
    return "a link to this site must start with / (written without the language: /handbook/#s5)"


def problems(html: str) -> list[tuple[str, str]]:
    """(text to find in the source, message) for each thing outside the lists."""
    out = []
    for m in _TAG.finditer(html):
        tag = m.group(1).lower()
        if tag not in TAGS:
            out.append((f"<{m.group(1)}", f"the HTML element <{tag}> is not allowed in content "
                                          f"(allowed: {', '.join(sorted(TAGS))}; see portal/sanitise.py)"))
            continue
        for a in _ATTR.finditer(m.group(2)):
            name = a.group(1).lower()
            value = next((v for v in a.group(2, 3, 4) if v is not None), "")
            if name not in GENERIC_ATTRIBUTES and name not in ATTRIBUTES.get(tag, ()):
                why = " (an event handler runs script)" if name.startswith("on") else ""
                out.append((a.group(1), f"the attribute {name} is not allowed on <{tag}>{why}"))
            elif name in ("href",) and link_problem(value):
                out.append((value[:20] or "href", f"link '{value[:60]}': {link_problem(value)}"))
    return out


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "href" and link_problem(value):
        return None
    return value


_ATTRIBUTES = {**{tag: set(GENERIC_ATTRIBUTES) for tag in TAGS},
               **{tag: set(GENERIC_ATTRIBUTES) | names for tag, names in ATTRIBUTES.items()}}


_cleaner = None


def clean(html: str) -> str:
    """`html` with only the allowed elements, attributes and links."""
    global _cleaner
    if _cleaner is None:
        _cleaner = nh3.Cleaner(tags=set(TAGS), attributes=_ATTRIBUTES, url_schemes=set(URL_SCHEMES),
                               clean_content_tags=set(DROPPED_WITH_CONTENT), strip_comments=True,
                               link_rel=None, attribute_filter=_attribute_filter)
    return _cleaner.clean(html)
