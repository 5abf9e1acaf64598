"""The Atom feeds (RFC 4287), one per language: /th/feed.xml, /en/feed.xml (issue 20). Every event and
every correction of the portal's data, newest first. Written by hand (a few dozen lines, no dependency):
tests/test_events.py reads them back with feedparser, a well-kept parser, and checks what a reader gets.

Entry ids are stable: a UUID derived from the event's id (which is never reused) and the language, so a
changed base_url or a re-worded summary never makes a feed reader show an entry twice."""
from __future__ import annotations

import uuid
from html import escape

from . import urls
from .events import after_the_list, newest_first

# A fixed namespace for this portal's entry ids (uuid5 of its name): never change it.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:sister-cities-th:events")


def entry_id(event_id: str, lang: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'event/{event_id}/{lang}')}"


def feed_id(lang: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'feed/{lang}')}"


def _stamp(day) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom(model, lang: str) -> bytes:
    r, t, base = model.registry, model.strings[lang], model.site["base_url"]
    pub = model.site["publisher"]
    events = newest_first(r.events)
    updated = max((e.updated for e in events), default=r.as_of)
    author = pub.name(lang) or t["site_name"]
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
           f"  <id>{feed_id(lang)}</id>",
           f"  <title>{escape(t['feed_title'])}</title>",
           f"  <subtitle>{escape(t['feed_subtitle'])}</subtitle>",
           f"  <updated>{_stamp(updated)}</updated>",
           f'  <link rel="self" type="application/atom+xml" href="{escape(base + urls.feed(lang))}"/>',
           f'  <link rel="alternate" type="text/html" href="{escape(base + urls.since(lang))}"/>',
           f"  <author><name>{escape(author)}</name></author>",
           f'  <icon>{escape(base)}/static/favicon.svg</icon>']
    for e in events:
        title = f"{t['event_kind_' + e.kind]}: {e.province.name(lang)} – {e.partner.name(lang)} ({e.date.text(lang)})"
        if not after_the_list(e.date, r.as_of):   # history found for a listed pair, not news since the list
            title = f"{t['feed_earlier']} · {title}"
        src = e.source
        published = f", {t['event_published']} {src.published.text(lang)}" if src.published else ""
        text = f"{e.summary.text(lang)}\n\n{t['event_source']}: {src.title or t['source_no_headline']}, {src.publisher}{published}. {src.url}"
        if e.note:
            text += f"\n\n{t['event_note']}: {e.note.text(lang)}"
        out += ["  <entry>",
                f"    <id>{entry_id(e.id, lang)}</id>",
                f"    <title>{escape(title)}</title>",
                f"    <updated>{_stamp(e.updated)}</updated>",
                f"    <published>{_stamp(e.date.first_day)}</published>",
                f'    <link rel="alternate" type="text/html" href="{escape(base + urls.event_url(lang, e))}"/>',
                f'    <link rel="related" href="{escape(src.url)}" title="{escape(src.title or src.publisher)}"/>',
                f'    <category term="{e.kind}" label="{escape(t["event_kind_" + e.kind])}"/>',
                f"    <summary>{escape(e.summary.text(lang))}</summary>",
                f'    <content type="text">{escape(text)}</content>',
                "  </entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def file_makers(model) -> dict:
    return {urls.feed(lang).lstrip("/"): (lambda lang=lang: atom(model, lang)) for lang in urls.LANGS}


__all__ = ["atom", "entry_id", "file_makers"]
