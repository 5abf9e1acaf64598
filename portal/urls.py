"""The one place that knows where a page lives. Every language has the same path after its prefix,
so switching language is swapping the prefix."""
from __future__ import annotations

LANGS = ("th", "en")  # Thai first: the landing page and every list of languages use this order
DOCUMENTS = ("plan", "handbook", "about", "accessibility", "data", "sources")


def other(lang: str) -> str:
    return "en" if lang == "th" else "th"


def home(lang: str) -> str:
    return f"/{lang}/"


def provinces(lang: str) -> str:
    return f"/{lang}/provinces/"


def province(lang: str, slug: str) -> str:
    return f"/{lang}/provinces/{slug}/"


def other_relation_anchor(rel_id: str) -> str:
    """The HTML id of a relation named outside the list, on its province's and country's pages."""
    return f"other-{rel_id}"


def other_relation_url(lang: str, rel) -> str:
    """A relation named outside the list lives on its Thai province's page."""
    return f"{province(lang, rel.province.slug)}#{other_relation_anchor(rel.id)}"


def countries(lang: str) -> str:
    return f"/{lang}/countries/"


def country(lang: str, slug: str) -> str:
    return f"/{lang}/countries/{slug}/"


def pairs(lang: str) -> str:
    return f"/{lang}/pairs/"


def pair(lang: str, pair_id: str) -> str:
    return f"/{lang}/pairs/{pair_id}/"


def document(lang: str, name: str) -> str:
    return f"/{lang}/{name}/"


def section(lang: str, name: str, anchor: str) -> str:
    """A section of the plan or the handbook as a page of its own (its name is its anchor,
    data/section_pages.yaml): /th/handbook/step-2-6/."""
    return f"/{lang}/{name}/{anchor}/"


def search(lang: str) -> str:
    return f"/{lang}/search/"


def map_page(lang: str) -> str:
    return f"/{lang}/map/"


def stats(lang: str) -> str:
    return f"/{lang}/stats/"


def stats_csv(lang: str, chart_id: str) -> str:
    """The numbers behind one chart of the statistics page, in that page's language."""
    return f"/{lang}/stats/{chart_id}.csv"


def print_base_css() -> str:
    """The small stylesheet, made by each build, that gives print the site's address (extras.py)."""
    return "/print-base.css"


def not_found(lang: str) -> str:
    return f"/{lang}/404.html"


def switch(url: str) -> str:
    """The same page in the other language."""
    for lang in LANGS:
        if url.startswith(f"/{lang}/"):
            return f"/{other(lang)}/" + url[len(lang) + 2:]
    return url


def localize(lang: str, path: str) -> str:
    """A content link written without a language ('/handbook/#s5') → this language's page."""
    if path.startswith(("/th/", "/en/", "/data/", "/static/")) or path in ("/", "/sitemap.xml"):
        return path
    return f"/{lang}{path}"


def output_path(url: str) -> str:
    """The file under site/ that serves `url`."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


# After the list (issue 20): the "since the list" pages, the report page, the feeds, and anchors of events.
def since(lang: str) -> str:
    return f"/{lang}/since-the-list/"


def report(lang: str) -> str:
    return f"/{lang}/report/"


def feed(lang: str) -> str:
    return f"/{lang}/feed.xml"


def event_anchor(event_id: str) -> str:
    return f"event-{event_id}"


def later_relation_anchor(rel_id: str) -> str:
    """The HTML id of a relation reported since the list, on its province's, its country's and the since page."""
    return f"later-{rel_id}"


def later_relation_url(lang: str, rel) -> str:
    return f"{province(lang, rel.province.slug)}#{later_relation_anchor(rel.id)}"


def event_url(lang: str, event) -> str:
    """An event lives on its pair's page (in its timeline); any other on the since page."""
    if event.relation_kind == "pair":
        return f"{pair(lang, event.relation_id)}#{event_anchor(event.id)}"
    return f"{since(lang)}#{event_anchor(event.id)}"


def relation_url(lang: str, event) -> str:
    """Where an event's relation is shown: its pair's page, or its place on its province's page."""
    if event.relation_kind == "pair":
        return pair(lang, event.relation_id)
    prefix = "other" if event.relation_kind == "other" else "later"
    return f"{province(lang, event.province.slug)}#{prefix}-{event.relation_id}"
