"""The public reports this portal cites beyond the two source documents, gathered for the sources
page (`[[outside-sources]]` in content/*/sources.md): those the notes of records cite
(data/outside_sources.yaml, each with the records that use it) and those the events and the
relations reported since the list cite (data/events.yaml, data/later_relations.yaml). One entry per
address, so a report cited twice is listed once. Issue 16 item 26: every outside source a note
leans on is named here as well as in the note."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import limits, urls, yamlfile
from .errors import Problems
from .events import URL_RE, When, parse_when

FILE = "data/outside_sources.yaml"
FIELDS = ("id", "title", "about", "publisher", "published", "url", "used_by")


@dataclass(frozen=True)
class Report:
    title: str | None                # None: the stored copy shows no headline (pages say so; see events.Citation)
    publisher: str
    published: When | None
    url: str
    used_by: tuple[str, ...] = ()    # the records (and events) that cite it
    about: str | None = None         # with title None: the curator's description, never shown as a title


def load(root: Path, registry, problems: Problems) -> tuple[Report, ...]:
    """data/outside_sources.yaml, each problem at its line; `used_by` must name real records or events."""
    raw = yamlfile.load_as(root / "data" / "outside_sources.yaml", FILE, problems, list, "a list of reports")
    known = set()
    if registry is not None:
        known = ({p.id for p in registry.pairs} | {r.id for r in registry.other_relations}
                 | {r.id for r in registry.later_relations} | {e.id for e in registry.events})
    out, seen = [], set()
    for item in raw or []:
        line = getattr(item, "line", None)
        if not isinstance(item, dict):
            problems.add(FILE, line, "each report must be a mapping (id, title, publisher, published, url, used_by)")
            continue
        where = f"report {limits.excerpt(item.get('id'))}"

        def at(key: str) -> int | None:
            return item.line_of(key) if hasattr(item, "line_of") and key in item else line

        ok = True
        for key in item:
            if key not in FIELDS:
                problems.add(FILE, at(key), f"{where}: {limits.excerpt(key)} is not a known field (expected {', '.join(FIELDS)})")
                ok = False
        for key in ("id", "publisher", "url"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                problems.add(FILE, at(key), f"{where}: {key} must be text")
                ok = False
        title, about = item.get("title"), item.get("about")
        if title is None and "title" in item:
            if not isinstance(about, str) or not about.strip():
                problems.add(FILE, at("title"), f"{where}: about is required when title is null: describe the page "
                                                "in a few English words (pages show 'no headline in the stored copy')")
                ok = False
        elif not isinstance(title, str) or not title.strip():
            problems.add(FILE, at("title"), f"{where}: title must be text (or null, with about, for a page that shows no headline)")
            ok = False
        elif title.startswith("[") and title.endswith("]"):
            problems.add(FILE, at("title"), f"{where}: title is a description in [square brackets], not the page's "
                                            "headline: write title: null and the description as about: …")
            ok = False
        elif "about" in item:
            problems.add(FILE, at("about"), f"{where}: about is only for a page whose stored copy shows no headline (title: null)")
            ok = False
        if ok and item["id"] in seen:
            problems.add(FILE, at("id"), f"{where}: the id is used twice")
        seen.add(item.get("id"))
        if ok and not URL_RE.match(item["url"]):
            problems.add(FILE, at("url"), f"{where}: url {limits.excerpt(item['url'])} must be the http(s) address that was read")
            ok = False
        published = item.get("published")
        when = parse_when(published) if published is not None else None
        if published is not None and when is None:
            problems.add(FILE, at("published"), f"{where}: published must be a date (YYYY, YYYY-MM or YYYY-MM-DD) or null")
            ok = False
        used = item.get("used_by")
        if not isinstance(used, list) or not used or not all(isinstance(u, str) for u in used):
            problems.add(FILE, at("used_by"), f"{where}: used_by must list the ids of the records or events that cite it")
            ok = False
        elif known:
            for u in used:
                if u not in known:
                    problems.add(FILE, at("used_by"), f"{where}: used_by {limits.excerpt(u)} is not a record or event id")
                    ok = False
        if ok:
            out.append(Report(title, item["publisher"], when, item["url"], tuple(used), about))
    return tuple(out)


def cited_by_notes(reports: tuple[Report, ...], registry) -> list[tuple[Report, list[tuple[dict, dict]]]]:
    """The reports that the notes of records cite, each with those records (pairs, other relations,
    later relations) as ({lang: its name}, {lang: page address}), in the order of the file: readers see
    a record's name ("Phuket – Suining"), never its id."""
    def named(name, where):
        return {lang: name(lang) for lang in urls.LANGS}, {lang: where(lang) for lang in urls.LANGS}
    records = {p.id: named(lambda lang, p=p: f"{p.province.name(lang)} – {p.partner.name(lang)}",
                           lambda lang, p=p: urls.pair(lang, p.id)) for p in registry.pairs}
    for r in registry.other_relations:      # (a municipality's or a district's: named by its party)
        records[r.id] = named(lambda lang, r=r: f"{r.party(lang)} – {r.partner.name(lang)}",
                              lambda lang, r=r: urls.other_relation_url(lang, r))
    for r in registry.later_relations:      # (always a province's: named like the list's pairs)
        records[r.id] = named(lambda lang, r=r: f"{r.province.name(lang)} – {r.partner.name(lang)}",
                              lambda lang, r=r: urls.later_relation_url(lang, r))
    out = []
    for rep in reports:
        mine = [records[u] for u in rep.used_by if u in records]
        if mine:
            out.append((rep, mine))
    return out


def cited_by_events(registry) -> list[tuple[Report, int]]:
    """Every report that an event or a relation reported since the list cites, once per address,
    with how many of them cite it; by publisher, then title."""
    by_url: dict[str, list] = {}
    for s in [e.source for e in registry.events] + [r.source for r in registry.later_relations]:
        by_url.setdefault(s.url, []).append(s)
    out = [(Report(ss[0].title, ss[0].publisher, ss[0].published, url, about=ss[0].about), len(ss))
           for url, ss in by_url.items()]
    return sorted(out, key=lambda x: (x[0].publisher.casefold(), (x[0].title or "").casefold()))
