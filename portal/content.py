"""content/{th,en}/*.md → documents: front matter, HTML, numbered sections with stable anchors,
and the internal links they make (checked later against every page of the site)."""
from __future__ import annotations

import datetime as _dt
import hashlib
import html
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

from . import langtags, limits, sanitise, urls, yamlfile
from .errors import Problems
from .links import ID_ATTR_RE, element_ids

FRONT_KEYS = {"title", "description", "updated", "source"}
SOURCES = ("plan", "mfa", "both", "registry", "portal")
HEADING_RE = re.compile(r'<h([2-4])([^>]*)>(.*?)</h\1>', re.S)
ALIAS_ATTR_RE = re.compile(r'\s*data-alias="([^"]*)"')
LANG_ATTR_RE = re.compile(r'\blang="([^"]*)"')
HREF_RE = re.compile(r'\bhref="([^"]*)"')
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"<[^>]+>")
DIRECTIVE_RE = re.compile(r"<p>\[\[([a-z-]+)\]\]</p>")
DIRECTIVES = ("annex", "counts", "publisher", "report", "offices", "outside-sources", "event-downloads")


@dataclass(frozen=True)
class Section:
    anchor: str
    level: int          # 2 = section, 3 = subsection
    title: str          # plain text, number included
    aliases: tuple[str, ...] = ()


@dataclass
class Document:
    name: str
    lang: str
    file: str           # 'content/th/plan.md'
    title: str
    description: str
    updated: _dt.date
    source: str
    html: str
    sections: list[Section]
    links: list[tuple[str, int]] = field(default_factory=list)  # (localized href, line in file)
    digest: str = ""
    id_lines: dict[str, int] = field(default_factory=dict)   # every id of its HTML → the line that writes it
    published_pages: tuple[str, ...] = ()   # its section pages' names (data/section_pages.yaml)

    @cached_property   # (its HTML never changes once converted; a rebuild reuses an unchanged file's Document)
    def anchors(self) -> set[str]:
        out = set()
        for s in self.sections:
            out.add(s.anchor)
            out.update(s.aliases)
        return out | set(element_ids(self.html))


def _split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter, body)."""
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 4)
    if end < 0:
        return "", text
    return text[4:end], text[end + 5:]


def _line_of(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 1


def _line_of_written(text: str, needle: str) -> int:
    """The line of `needle` as a link or attribute is written, (x or ="x, else anywhere."""
    for form in (f"({needle}", f'="{needle}', f"='{needle}", f"<{needle}"):
        if form in text:
            return _line_of(text, form)
    return _line_of(text, needle)


_REFERENCE = re.compile(r"&(?:#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,8}))|([A-Za-z][A-Za-z0-9]{1,31}));?")


def _bad_references(text: str) -> list[tuple[int, str]]:
    """(line, why) of each character reference of `text` (&#0;, &#x202e;, &ZeroWidthSpace;) that
    stands for no character or for one text may not contain (limits.FORBIDDEN_CHAR)."""
    out = []
    for m in _REFERENCE.finditer(text):
        if m.group(3):
            char = html.unescape(m.group(0))
            if len(char) != 1:
                continue   # not a reference (or one to several characters)
            code = ord(char)
        else:
            code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        why = limits.bad_reference(code)
        if why:
            out.append((text.count("\n", 0, m.start()) + 1, why))
    return out


def _plain(fragment: str) -> str:
    return html.unescape(TAG_RE.sub("", fragment)).strip()


# The start of a Markdown line: block quote marks, list markers and the spaces between them.
# A block quote mark needs no space after it (">>>x" is three quotes); a list marker does.
_CONTAINERS = re.compile(r"[ \t]*(?:(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))[ \t]*)*")
_MARKER = re.compile(r">|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def markdown_depth_problem(body: str) -> tuple[int, str] | None:
    """(line in `body`, message) if lists, block quotes or HTML elements nest more than
    MAX_MARKDOWN_DEPTH deep. Python-Markdown recurses once per level (and slows down
    quadratically); checked on the text, before it parses."""
    most = limits.MAX_MARKDOWN_DEPTH
    # Only a line that starts with more than `most` characters that can open a list or quote can
    # be too deep: found in one pass, then counted.
    for candidate in re.finditer(r"^[ \t>*+\-0-9.)]{%d,}" % (most + 1), body, re.M):
        prefix = _CONTAINERS.match(body, candidate.start()).group(0)
        expanded = prefix.expandtabs(limits.MARKDOWN_INDENT)
        indent = len(expanded) - len(expanded.lstrip())
        depth = indent // limits.MARKDOWN_INDENT + len(_MARKER.findall(prefix))
        if depth > most:
            return (body.count("\n", 0, candidate.start()) + 1,
                    f"lists and block quotes are nested {depth} deep here, more than {most}: flatten them")
    if "<" in body:
        depth = 0
        for m in _HTML_TAG.finditer(body):
            if m.group(1):
                depth = max(0, depth - 1)
            elif not m.group(3) and m.group(2).lower() not in _VOID:
                depth += 1
                if depth > most:
                    return (body.count("\n", 0, m.start()) + 1,
                            f"HTML elements are nested more than {most} deep here: flatten them")
    return None


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def markdown_brackets_problem(body: str) -> tuple[int, str] | None:
    """(line in `body`, message) if one paragraph opens more than MAX_LINK_OPENERS brackets: the
    time of Python-Markdown's link parser grows with their square (limits.py). A paragraph never
    spans a blank line, so counting between blank lines is a bound that is never too low."""
    most = limits.MAX_LINK_OPENERS
    if body.count("[") <= most:
        return None
    start = 0
    for end in [m.start() for m in _BLANK_LINE.finditer(body)] + [len(body)]:
        if body.count("[", start, end) > most:
            pos = start
            for _ in range(most + 1):
                pos = body.index("[", pos, end) + 1
            return (body.count("\n", 0, pos - 1) + 1,
                    f"one paragraph opens more than {most} brackets '[' (Markdown would take minutes): "
                    "split it, or write the brackets as &#91;")
        start = end
    return None


def _largest_block_line(body: str) -> tuple[int, int]:
    """(first line, number of lines) of the longest stretch of `body` between blank lines."""
    start, best = 0, (0, 0, 0)
    for end in [m.start() for m in _BLANK_LINE.finditer(body)] + [len(body)]:
        if end - start > best[0]:
            best = (end - start, start, end)
        start = end + 1
    _size, lo, hi = best
    lo += len(body[lo:hi]) - len(body[lo:hi].lstrip("\n"))
    return body.count("\n", 0, lo) + 1, body.count("\n", lo, hi) + 1


def convert_markdown(body: str) -> str:
    """The document's HTML, within limits.MARKDOWN_SECONDS of CPU time (limits.OverBudget otherwise)."""
    import markdown   # (here: a build whose documents all come from the cache never imports it)
    with limits.cpu_budget(limits.MARKDOWN_SECONDS):
        return markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables"], output_format="html")


def load_document(path: Path, root: Path, lang: str, problems: Problems, *, numbered: bool) -> Document | None:
    file = path.relative_to(root).as_posix()
    text = yamlfile.read_text(path, file, problems, limits.MAX_CONTENT_FILE_BYTES, "a content file")
    if text is None:
        return None
    front_text, body = _split_front_matter(text)
    if not front_text:
        problems.add(file, 1, "must start with front matter between '---' lines (title, description, updated, source)")
        return None
    front = yamlfile.parse_text(front_text, file, problems, first_line=2)
    if front is yamlfile.FAILED:
        return None
    front = front or {}
    if not isinstance(front, dict):
        problems.add(file, 2, "front matter must be a mapping (title, description, updated, source)")
        return None
    ok = True
    for key in sorted(set(front) - FRONT_KEYS):
        problems.add(file, _line_of(text, f"{key}:"), f"front matter: {limits.excerpt(key)} is not a known field")
        ok = False
    for key in ("title", "description"):
        if not isinstance(front.get(key), str) or not front[key].strip():
            problems.add(file, _line_of(text, f"{key}:") if key in front else 2, f"front matter: {key} is missing")
            ok = False
    if not isinstance(front.get("updated"), _dt.date):
        problems.add(file, _line_of(text, "updated:") if "updated" in front else 2,
                     "front matter: updated must be a date, YYYY-MM-DD")
        ok = False
    if front.get("source") not in SOURCES:
        problems.add(file, _line_of(text, "source:") if "source" in front else 2,
                     f"front matter: source must be one of: {', '.join(SOURCES)}")
        ok = False
    if not ok:
        return None
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    guarded = markdown_depth_problem(body) or markdown_brackets_problem(body)
    if guarded:
        problems.add(file, body_line + guarded[0] - 1, f"{guarded[1]} (see docs/DATA.md, Limits)")
        return None
    try:
        body_html = convert_markdown(body)
    except limits.OverBudget:
        first, count = _largest_block_line(body)
        problems.add(file, body_line + first - 1,
                     f"converting this document takes Markdown more than {limits.MARKDOWN_SECONDS:g} s (a limit: "
                     f"see docs/DATA.md, Limits); the longest block, which starts here ({count} lines), is the likely "
                     "cause: split or simplify it")
        return None
    # Only allowed HTML reaches a page: the sanitiser removes anything else (once per document; the
    # pages reuse its HTML), and what it removed is reported at its line. (HTML it leaves as it was
    # holds nothing to report: the usual case, and then the slower check is not run.)
    cleaned = sanitise.clean(body_html)
    if cleaned != body_html:
        for needle, message in sanitise.problems(body_html):
            problems.add(file, _line_of_written(text, needle), message)
    body_html = cleaned
    if "&" in text:   # written as a character reference (&#x202e;, &#0;)
        for line, why in _bad_references(text):
            problems.add(file, line, why)
    for written in sorted(set(LANG_ATTR_RE.findall(body_html))):
        tag = html.unescape(written)
        if langtags.problem(tag):
            problems.add(file, _line_of_written(text, written), f"lang {limits.excerpt(tag)} {langtags.problem(tag)}")
    sections: list[Section] = []

    def heading(m: re.Match) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2), m.group(3)
        id_match = ID_ATTR_RE.search(attrs)
        title = _plain(inner)
        aliases = tuple(a for a in (ALIAS_ATTR_RE.search(attrs).group(1).split() if ALIAS_ATTR_RE.search(attrs) else ()))
        attrs = ALIAS_ATTR_RE.sub("", attrs)
        if not id_match:
            if numbered:
                problems.add(file, _line_of(text, title[:30]) if title else None,
                             f"heading {limits.excerpt(title)} has no explicit anchor: add {{#…}} from its number (see docs/CONTENT.md)")
            return m.group(0)
        anchor = html.unescape(id_match.group(1))
        for name in (anchor, *aliases):
            if not ID_RE.match(name) or len(name) > limits.MAX_ID:
                problems.add(file, _line_of(text, "{#" + anchor),
                             f"{'anchor' if name == anchor else 'alias'} {limits.excerpt(name)} must be lower-case ASCII "
                             f"letters, digits and hyphens, at most {limits.MAX_ID} characters")
        sections.append(Section(anchor, level, title, aliases))
        alias_spans = "".join(f'<span id="{html.escape(a)}" class="alias"></span>' for a in aliases)
        # (Its permalink is added with every other page's, by render.add_permalinks.)
        return f'<h{level}{attrs}>{alias_spans}{inner}</h{level}>'

    body_html = HEADING_RE.sub(heading, body_html)
    body_html = _scrolling_tables(body_html, {s.anchor: s.title for s in sections})
    seen: dict[str, int] = {}
    for s in sections:
        for a in (s.anchor, *s.aliases):
            if a in seen:
                problems.add(file, _line_of(text, "{#" + a) if "{#" + a in text else None, f"anchor {limits.excerpt(a)} is used twice")
            seen[a] = 1
    for m in DIRECTIVE_RE.finditer(body_html):
        if m.group(1) not in DIRECTIVES:
            problems.add(file, _line_of(text, f"[[{m.group(1)}]]"),
                         f"[[{m.group(1)}]] is not a generated block (expected one of: {', '.join(DIRECTIVES)})")

    links: list[tuple[str, int]] = []

    def link(m: re.Match) -> str:
        href = html.unescape(m.group(1))
        if href.startswith("/") and not href.startswith("//"):
            local = urls.localize(lang, href)
            links.append((local, _line_of(text, href)))
            return f'href="{html.escape(local, quote=True)}"'
        if href.startswith("#"):
            links.append((urls.document(lang, path.stem) + href, _line_of(text, href)))
        elif "@" in urllib.parse.urlsplit(href).netloc:   # https://user:pass@… (mailto:a@b has no netloc)
            problems.add(file, _line_of(text, href), f"link {limits.excerpt(href)}: an address must not carry a user name "
                                                     "or password (user:pass@…): it can disguise where the link leads")
        return m.group(0)

    body_html = HREF_RE.sub(link, body_html)
    id_lines = {}
    for written in element_ids(body_html):
        name = html.unescape(written)
        if name not in id_lines:   # an element's id="…" first: when it repeats a section's {#…}, it is the newcomer
            form = next((f for f in (f'id="{name}"', f"id='{name}'", f"id={name}", "{#" + name) if f in text), name)
            id_lines[name] = _line_of(text, form)
    return Document(path.stem, lang, file, front["title"].strip(), front["description"].strip(),
                    front["updated"], front["source"], body_html, sections, links,
                    hashlib.sha1(text.encode()).hexdigest()[:16], id_lines)


def repeated_ids(page: str | bytes) -> list[str]:
    """The ids that more than one element of a page (its HTML, or its UTF-8 bytes) has: a link to
    one would find the first."""
    seen, repeated = set(), []
    for name in element_ids(page):
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


def check_unique_ids(doc: Document, repeated: Iterable[str], problems: Problems) -> None:
    """Every id of the document's page is unique, whatever made it (the layout's "main", the skip
    link's target; a section's anchor; an id written in the Markdown). An id of the content that
    repeats another is refused, not renamed: placed first it would capture the links officials
    make to a section (#step-2), and renaming it silently would break the links to it instead."""
    for name in repeated:   # (repeated_ids of the document's page)
        unescaped = html.unescape(name)
        if unescaped in doc.id_lines:
            problems.add(doc.file, doc.id_lines[unescaped],
                         f"the id {limits.excerpt(unescaped)} is already used on this page (by the layout, a section "
                         "anchor or another element): give this element another id")


NUMBERED = ("plan", "handbook")


def load_documents(root: Path, problems: Problems, cache: dict | None = None) -> dict[tuple[str, str], Document]:
    """Every content/{lang}/*.md, keyed by (lang, name); both languages must have the same files.
    `cache` (path → (bytes, Document)) lets a rebuild skip Markdown it has already converted."""
    docs: dict[tuple[str, str], Document] = {}
    names: dict[str, set[str]] = {}
    for lang in urls.LANGS:
        folder = root / "content" / lang
        names[lang] = set()
        for path in sorted(folder.glob("*.md")):
            if not ID_RE.match(path.stem) or len(path.stem) > limits.MAX_ID:
                problems.add(path.relative_to(root).as_posix(), None,
                             f"the file name {limits.excerpt(path.stem)} must be lower-case ASCII letters, digits and "
                             f"hyphens, at most {limits.MAX_ID} characters (it is the page's address): rename the file")
                continue
            names[lang].add(path.stem)
            plain = path.is_file() and not path.is_symlink() and not folder.is_symlink()   # (a link: read_text says so)
            raw = path.read_bytes() if plain and path.stat().st_size <= limits.MAX_CONTENT_FILE_BYTES else None
            if raw is not None and cache is not None and path in cache and cache[path][0] == raw:
                doc = cache[path][1]
            else:
                before = len(problems)
                doc = load_document(path, root, lang, problems, numbered=path.stem in NUMBERED)
                if doc and cache is not None and len(problems) == before:  # never cache a problem away
                    cache[path] = (raw, doc)
            if doc:
                docs[(lang, path.stem)] = doc
    for lang in urls.LANGS:
        for name in sorted(names[urls.other(lang)] - names[lang]):
            problems.add(f"content/{urls.other(lang)}/{name}.md", None,
                         f"has no counterpart content/{lang}/{name}.md: every page exists in both languages")
    for name in sorted(names["th"] & names["en"]):
        th, en = docs.get(("th", name)), docs.get(("en", name))
        if th and en and th.updated != en.updated:
            # One document, one "last updated": a reader comparing the languages must not see two dates.
            problems.add(en.file, None, f"updated {en.updated.isoformat()} differs from {th.file}'s "
                                        f"{th.updated.isoformat()}: give both languages the same date (the later one)")
        if th and en and name in NUMBERED:
            th_ids = {s.anchor for s in th.sections}
            en_ids = {s.anchor for s in en.sections}
            for a in sorted(th_ids - en_ids):
                problems.add(en.file, None, f"section anchor {limits.excerpt(a)} of {th.file} is missing here: both languages have the same sections")
            for a in sorted(en_ids - th_ids):
                problems.add(th.file, None, f"section anchor {limits.excerpt(a)} of {en.file} is missing here: both languages have the same sections")
    return docs


def _scrolling_tables(body_html: str, titles: dict[str, str]) -> str:
    """A Markdown table scrolls inside its own box on a phone instead of widening the page (Thai
    names in it do not break: portal/typeset.py); the box is named after its section, and can be
    focused so that it can be scrolled with the keyboard."""
    def wrap(m: re.Match) -> str:
        before = list(re.finditer(r'<h[1-6] id="([^"]+)"', body_html[:m.start()]))
        name = titles.get(before[-1].group(1), "") if before else ""
        return f'<div class="table-wrap" role="region" tabindex="0" aria-label="{html.escape(name)}">{m.group(0)}</div>'
    return re.sub(r"<table>.*?</table>", wrap, body_html, flags=re.S)


def check_published_anchors(root: Path, docs: dict[tuple[str, str], Document], problems: Problems) -> None:
    """data/anchors.yaml lists every anchor ever published; none may disappear, and a new one
    must be added there on purpose (so that removing it later is caught). The section pages'
    addresses are checked the same way (check_section_pages)."""
    check_section_pages(root, docs, problems)
    file = "data/anchors.yaml"
    published = yamlfile.load_as(root / "data" / "anchors.yaml", file, problems, dict,
                                 "a mapping of plan and handbook to their published anchors")
    if published is None:
        return
    for name in NUMBERED:
        listed = published.get(name)
        if not isinstance(listed, list) or not listed or not all(isinstance(a, str) for a in listed):
            problems.add(file, published.line_of(name), f"{name} must be a list of the anchors published for it")
            continue
        for lang in urls.LANGS:
            doc = docs.get((lang, name))
            if not doc:
                continue
            have = doc.anchors
            for a in listed:
                if a not in have:
                    problems.add(doc.file, None, f"published anchor '#{a}' ({file}, {name}) has disappeared: "
                                 f"keep it, or add it as an alias {{#new data-alias=\"{a}\"}} of the section that replaced it")
            for s in doc.sections:
                if s.anchor not in listed:
                    problems.add(file, published.line_of(name) if hasattr(published, "line_of") else None,
                                 f"{name}: anchor '{s.anchor}' of {doc.file} is not listed: add it to publish it")


# Section pages (GOV.UK's guide pattern) ---------------------------------------------------------
# Each chapter of the plan (h2), and each chapter and numbered section of the handbook (h2, h3),
# is also a short page of its own at /{lang}/{document}/{anchor}/, which officials can share and
# print alone. The whole document stays as it was. data/section_pages.yaml lists every address.
PAGE_LEVELS = {"plan": (2,), "handbook": (2, 3)}
SECTION_HEADING_RE = re.compile(r'<h([2-4])([^>]*)>(.*?)</h\1>', re.S)
HEADING_TAG_RE = re.compile(r"<(/?)h([2-6])(?=[\s>])")


@dataclass(frozen=True)
class SectionPage:
    """One section of a document as a page of its own."""
    doc: str                          # 'handbook'
    section: Section
    heading: str                      # the heading's inner HTML (its alias spans included)
    html: str                         # what follows the heading, up to the next section with a page
    children: tuple[Section, ...]     # the sections inside it that have pages of their own

    @property
    def anchor(self) -> str:
        return self.section.anchor


def section_pages(doc: Document) -> list[SectionPage]:
    """The document's sections that have pages of their own, in reading order. A page holds its
    section up to the next heading that has a page (a handbook chapter's page holds its
    introduction, and lists its sections)."""
    levels = PAGE_LEVELS.get(doc.name, ())
    if not levels:
        return []
    deepest = max(levels)
    by_anchor = {s.anchor: s for s in doc.sections}
    heads = []   # (start, end, level, anchor, inner) of every heading with an anchor
    for m in SECTION_HEADING_RE.finditer(doc.html):
        ident = ID_ATTR_RE.search(m.group(2))
        if ident and html.unescape(ident.group(1)) in by_anchor:
            heads.append((m.start(), m.end(), int(m.group(1)), html.unescape(ident.group(1)), m.group(3)))
    out = []
    for k, (_start, end, level, anchor, inner) in enumerate(heads):
        if level not in levels:
            continue
        stop = next((h[0] for h in heads[k + 1:] if h[2] <= deepest), len(doc.html))
        children = []
        for h in heads[k + 1:]:
            if h[2] <= level:
                break
            if h[2] in levels:
                children.append(by_anchor[h[3]])
        out.append(SectionPage(doc.name, by_anchor[anchor], inner, doc.html[end:stop], tuple(children)))
    return out


def section_addresses(lang: str, parts: list[SectionPage]) -> dict[str, str]:
    """{id in the document: the address of the section page that holds it} ('#id' added unless
    the id is that page's own heading or one of its aliases), for the document whose section pages
    are `parts`. The one place that says where a section of the whole document lives on its own:
    a copied or rewritten link goes there (pages.py), and so does a search result (search.py)."""
    out: dict[str, str] = {}
    for part in parts:
        page = urls.section(lang, part.doc, part.anchor)
        for ident in element_ids(part.html):
            out.setdefault(ident, f"{page}#{ident}")
        for ident in (part.anchor, *part.section.aliases):
            out[ident] = page
    return out


def shift_headings(fragment: str, by: int) -> str:
    """Headings `by` levels higher (h4 → h2 when a section's h3 becomes its page's h1)."""
    if by <= 0:
        return fragment
    return HEADING_TAG_RE.sub(lambda m: f"<{m.group(1)}h{max(2, int(m.group(2)) - by)}", fragment)


def section_description(part: SectionPage, limit: int = 160) -> str:
    """The page's description: the start of its text (or the titles of its sections)."""
    text = " ".join(_plain(DIRECTIVE_RE.sub(" ", re.sub(r"</(p|li|td|th|h[2-6])>", " ", part.html))).split())
    if not text:
        text = " · ".join(c.title for c in part.children)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    cut = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut
    return cut.rstrip(" ,.;:–-(") + "…"


def check_section_pages(root: Path, docs: dict[tuple[str, str], Document], problems: Problems) -> None:
    """data/section_pages.yaml lists the address of every section page ever published, as
    data/anchors.yaml lists the anchors: none may disappear, and a new one is added on purpose. A
    section that moves keeps its address as an alias: the listed name is then one of its
    data-alias names, and its old address leads to its page. The list is kept on each document
    (`published_pages`) for the page plan."""
    file = "data/section_pages.yaml"
    published = yamlfile.load_as(root / "data" / "section_pages.yaml", file, problems, dict,
                                 "a mapping of plan and handbook to the addresses of their section pages")
    if published is None:
        return
    for name in PAGE_LEVELS:
        listed = published.get(name)
        if not isinstance(listed, list) or not listed or not all(isinstance(a, str) for a in listed):
            problems.add(file, published.line_of(name), f"{name} must be a list of the section pages published for it")
            continue
        for lang in urls.LANGS:
            doc = docs.get((lang, name))
            if not doc:
                continue
            parts = section_pages(doc)
            names = {p.anchor for p in parts} | {a for p in parts for a in p.section.aliases}
            for a in listed:
                if a not in names:
                    problems.add(doc.file, None, f"published section page '/{lang}/{name}/{a}/' ({file}) has disappeared: "
                                 f"keep its section's anchor, or add it as an alias {{#new data-alias=\"{a}\"}} of the "
                                 f"section that replaced it")
            for p in parts:
                if p.anchor not in listed:
                    problems.add(file, published.line_of(name),
                                 f"{name}: section '{p.anchor}' of {doc.file} has a page but is not listed: add it to publish it")
            doc.published_pages = tuple(listed)
