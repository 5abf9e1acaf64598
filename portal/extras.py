"""Producers beyond the core registry pages: search, map and statistics pages, and the files
around the site (sitemap, robots, manifest, open data). Each reads the model; none reads YAML."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import urls
from .pages import Page


def pages(model) -> list[Page]:
    out = []
    for lang in urls.LANGS:
        t = model.strings[lang]
        home = {"label": t["nav_home"], "url": urls.home(lang)}
        for kind, url, title, desc, deps in (
            ("search", urls.search(lang), t["nav_search"], t["search_lead"], ()),  # the index is a file of its own
            ("map", urls.map_page(lang), t["nav_map"], t["map_lead"], ("pairs:listing", "provinces", "countries")),
            ("stats", urls.stats(lang), t["nav_stats"], t["stats_lead"], ("pairs:counts", "provinces", "countries", "events")),
        ):
            out.append(Page(url, lang, kind, f"{kind}.html", title, desc, {},
                            [home, {"label": title, "url": url}], deps))
    return out


def context(root: Path, model, pages: list[Page]) -> dict[str, dict]:
    """Extra template values per URL (maps, charts): a dict, or a function drawn when the page renders."""
    from . import opendata, search, stats
    return {**stats.context(model, pages), **search.context(model), **opendata.context(model)}


def xml_escape(text: str) -> str:
    """&, <, >, " and ' as XML entities: right in text and in attributes (every XML output uses it)."""
    return html.escape(text, quote=True)


def sitemap(model, pages: list[Page]) -> bytes:
    base = model.site["base_url"]
    rows = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for page in pages:
        if page.kind in ("404", "section-moved"):   # (a moved section's old address leads on: not a page to index)
            continue
        rows.append(f"  <url><loc>{xml_escape(base + page.url)}</loc>")
        if page.kind != "landing":
            for alt in page.alternates:
                rows.append(f'    <xhtml:link rel="alternate" hreflang="{xml_escape(alt["lang"])}" href="{xml_escape(base + alt["url"])}"/>')
        rows.append("  </url>")
    rows.append("</urlset>")
    return ("\n".join(rows) + "\n").encode()


@dataclass(frozen=True)
class FileTask:
    """A task making files beside the pages, with the inputs it reads: names of
    site.dependency_digests, as a Page's deps ("pages": the list of pages and their addresses).
    A rebuild (the preview server) makes it again only when one of them changed."""
    name: str
    deps: tuple[str, ...]
    make: Callable[[], dict[str, bytes]]


def file_tasks(model, pages: list[Page]) -> list[FileTask]:
    """The files beside the pages, except the search index (search.files), as separate tasks:
    at 10,000 pairs each download takes a few tenths of a second."""
    from . import feeds, opendata
    from . import stats
    out = [FileTask("site files", ("strings", "pages"), lambda: site_files(model, pages)),
           FileTask("statistics", ("pairs:counts", "provinces", "countries", "events", "strings"),
                    lambda: stats.csv_files(model))]
    for name, make in opendata.file_makers(model).items():
        out.append(FileTask(name, opendata.FILE_DEPS[name], lambda name=name, make=make: {name: make()}))
    for name, make in feeds.file_makers(model).items():   # feeds: issue 20
        out.append(FileTask(name, ("events", "pairs:listing", "strings"), lambda name=name, make=make: {name: make()}))
    return out


def site_files(model, pages: list[Page]) -> dict[str, bytes]:
    base = model.site["base_url"]
    th, en = model.strings["th"], model.strings["en"]
    manifest = {"name": th["site_name"], "short_name": th["site_short"], "lang": "th", "start_url": "/th/",
                "display": "browser", "background_color": "#ffffff", "theme_color": "#123a63",
                "icons": [{"src": "/static/favicon.svg", "sizes": "any", "type": "image/svg+xml"}],
                "description": th["site_description"] + " / " + en["site_description"]}
    return {
        "sitemap.xml": sitemap(model, pages),
        "robots.txt": f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode(),
        "manifest.webmanifest": json.dumps(manifest, ensure_ascii=False, indent=1).encode(),
        urls.print_base_css().lstrip("/"): print_base_css(base),
    }


def print_base_css(base: str) -> bytes:
    """The site's address for print (issue 18): a printed link shows its full address, which the
    static stylesheet cannot know. Every page links this file with media="print"; site.css prints
    `var(--print-base) attr(href)` after each link of a document."""
    quoted = base.replace("\\", "\\\\").replace('"', '\\"')
    return (f'/* made by the build from base_url (data/site.yaml): static/css/site.css prints it before a link\'s path */\n'
            f':root {{ --print-base: "{quoted}"; }}\n').encode()
