"""What happened after the ministry's list (issue 20): dated, sourced events (data/events.yaml) and
relations a public report says were made after the list (data/later_relations.yaml). The format is
in docs/DATA.md. Both files are optional; every problem is located (file, line, record, field).

Later relations are never pairs: they are not counted in the list's totals (Registry.counted)."""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import limits, thai, yamlfile
from .errors import Problems
from .load import _Checker, _item_line, _notes, _partner, _province_index, _province_of, id_problem
from .model import Note, Partner, Province

EVENTS_FILE = "data/events.yaml"
LATER_FILE = "data/later_relations.yaml"
# The kinds of event, in the order a relation passes them (their labels: data/strings, event_kind_<kind>)
EVENT_KINDS = ("proposed", "approved_committee", "approved_minister", "signed", "renewed", "activity", "visit",
               "ended", "correction")
LATER_STATUSES = ("proposed", "approved_committee", "approved_minister", "signed")
EVENT_KEYS = {"id", "relation", "kind", "date", "summary", "source", "note"}
SOURCE_KEYS = {"title", "about", "publisher", "published", "url", "quote", "quote_lang"}
LATER_KEYS = {"id", "province", "party_th", "party_en", "level", "status", "signed_date", "partner", "source", "notes"}
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$")
UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")   # Thai, kana, CJK, hangul


@dataclass(frozen=True, order=True)
class When:
    """A date as precise as its source: a year, a month or a day (CE)."""
    year: int
    month: int = 0   # 0: not given
    day: int = 0

    @property
    def iso(self) -> str:
        return f"{self.year:04d}" + (f"-{self.month:02d}" if self.month else "") + (f"-{self.day:02d}" if self.day else "")

    @property
    def first_day(self) -> _dt.date:
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def text(self, lang: str) -> str:
        """'๑๔ กันยายน ๒๕๖๒' / '14 September 2019', 'กันยายน ๒๕๖๒', 'พ.ศ. ๒๕๖๒' / '2019'."""
        if self.day:
            return thai.date(self.first_day, lang)
        if self.month:
            return thai.month(self.year, self.month, lang)
        return thai.year(thai.ce_to_be(self.year), lang)

    def after(self, other: "When") -> bool:
        """Later than `other` at the precision both give (2019-09-14 is not after 2019-09)."""
        n = min(3 if self.day else 2 if self.month else 1, 3 if other.day else 2 if other.month else 1)
        return (self.year, self.month, self.day)[:n] > (other.year, other.month, other.day)[:n]


@dataclass(frozen=True)
class Citation:
    """A public report: its own title, who published it, when, where; and perhaps a short quotation.
    `title` is None when the stored copy shows no headline: pages then say so in their language, and
    `about` (the curator's description, in English) stays in the data, never shown as a title."""
    title: str | None
    publisher: str
    published: When | None
    url: str
    quote: str | None = None
    quote_lang: str | None = None
    about: str | None = None


@dataclass(frozen=True)
class LaterRelation:
    """A relation a public report says was proposed, approved or signed after the list, and that the list
    does not have. Shown on its province's and country's pages and on the "since the list" pages."""
    id: str
    province: Province
    party_th: str
    party_en: str
    level: str
    status: str             # one of LATER_STATUSES
    signed_date: When | None
    partner: Partner
    source: Citation
    notes: tuple[Note, ...] = ()
    file_line: int = 0

    def party(self, lang: str) -> str:
        return self.party_th if lang == "th" else self.party_en


@dataclass(frozen=True)
class Event:
    id: str
    relation_id: str
    relation_kind: str      # 'pair' (the list), 'other' (other_relations.yaml) or 'later' (later_relations.yaml)
    province: Province      # the Thai side's province
    partner: Partner
    kind: str               # one of EVENT_KINDS
    date: When
    summary: Note
    source: Citation
    note: Note | None = None
    file_line: int = 0

    @property
    def updated(self) -> _dt.date:
        """When the record last changed as far as the data says: the later of the event and its report."""
        dates = [self.date.first_day] + ([self.source.published.first_day] if self.source.published else [])
        return max(dates)


def parse_when(value) -> When | None:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (or a YAML date) → When; None if it is not a real date."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return When(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    m = DATE_RE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    try:
        _dt.date(y, mo or 1, d or 1)
    except ValueError:
        return None
    if m.group(2) and mo == 0 or m.group(3) and d == 0:
        return None
    return When(y, mo, d)


def quote_problem(quote: str) -> str | None:
    """Why a quotation is too long to be a citation, or None."""
    if UNSPACED.search(quote):
        n = len("".join(quote.split()))
        if n > limits.QUOTE_MAX_CHARS_UNSPACED:
            return (f"is {n} characters long, more than {limits.QUOTE_MAX_CHARS_UNSPACED} (a quotation in Thai, Chinese "
                    f"or Japanese is at most {limits.QUOTE_MAX_CHARS_UNSPACED} characters): quote less")
        return None
    n = len(quote.split())
    if n > limits.QUOTE_MAX_WORDS:
        return f"is {n} words long, more than {limits.QUOTE_MAX_WORDS}: quote less"
    return None


def _when(c, key: str, *, today: _dt.date, required: bool = True) -> When | None:
    value = c.m.get(key)
    if value is None:
        if required:
            c.fail(key, "is missing" if key not in c.m else "is empty")
        return None
    when = parse_when(value)
    if when is None:
        c.fail(key, f"{limits.excerpt(value)} is not a real date: write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (CE)")
        return None
    if when.year < limits.EARLIEST_EVENT_YEAR:
        c.fail(key, f"'{when.iso}' is before {limits.EARLIEST_EVENT_YEAR}: write the year in CE (not BE)")
        return None
    if when.first_day > today:
        c.fail(key, f"'{when.iso}' is in the future" + (" (a year in BE? write CE)" if when.year > today.year + 400 else ""))
        return None
    return when


def _bilingual(c, key: str, problems: Problems, file: str, *, required: bool = True) -> Note | None:
    m = c.m.get(key)
    if m is None:
        if required:
            c.fail(key, "is missing: give it in Thai and English, {th: …, en: …}")
        return None
    if not isinstance(m, dict):
        c.fail(key, f"must be a mapping {{th: …, en: …}}, not {limits.excerpt(m)}")
        return None
    nc = _Checker(problems, file, c.what, m, f"{key}.")
    nc.unknown({"th", "en"})
    th, en = nc.text("th"), nc.text("en")
    for lang, text in (("th", th), ("en", en)):
        if text and "\n" in text.strip() and key == "summary":
            nc.fail(lang, "must be one line")
    c.ok &= nc.ok
    return Note(en, th) if nc.ok else None


def headline(s, src: dict) -> tuple[str | None, str | None]:
    """(title, about) of a citation. A page whose stored copy shows no headline has `title: null` and
    an `about` describing it; a description is never passed off as a title (no [bracketed] titles)."""
    if "title" in src and src["title"] is None:
        about = s.text("about", required=False)
        if not about:
            s.fail("about", "is required when title is null: describe the page in a few English words "
                            "(pages show 'no headline in the stored copy', never this description)", at="title")
        return None, about
    title = s.text("title")
    if title and title.startswith("[") and title.endswith("]"):
        s.fail("title", "is a description in [square brackets], not the page's headline: write title: null "
                        "and the description as about: …")
    if "about" in src:
        s.fail("about", "is only for a page whose stored copy shows no headline (title: null)")
    return title, None


def _citation(c, problems: Problems, file: str, today: _dt.date) -> Citation | None:
    src = c.m.get("source")
    if src is None:
        c.fail("source", "is missing: every record needs the public report it comes from "
                         "(title, publisher, published, url)")
        return None
    if not isinstance(src, dict):
        c.fail("source", f"must be a mapping with title, publisher, published and url, not {limits.excerpt(src)}")
        return None
    s = _Checker(problems, file, c.what, src, "source.")
    s.unknown(SOURCE_KEYS)
    title, about = headline(s, src)
    publisher, url = s.text("publisher"), s.text("url")
    if "published" not in src:
        s.fail("published", "is missing (write null if the page gives no date)", at=None)
    published = _when(s, "published", today=today, required=False)
    if url and not URL_RE.match(url):
        s.fail("url", f"{limits.excerpt(url)} must be the http(s) address of the report that was read")
    quote, quote_lang = s.text("quote", required=False), s.text("quote_lang", required=False)
    if quote:
        why = quote_problem(quote)
        if why:
            s.fail("quote", why)
        if not quote_lang:
            s.fail("quote_lang", "is required with quote (the BCP 47 tag of the source's language: th, en, ja …)", at="quote")
    elif quote_lang:
        s.fail("quote_lang", "is given without quote")
    c.ok &= s.ok
    return Citation(title, publisher, published, url, quote, quote_lang, about) if s.ok else None


def load_later_relations(data: Path, provinces: list[Province], countries: dict, taken: dict[str, str],
                         problems: Problems, today: _dt.date) -> list[LaterRelation]:
    """data/later_relations.yaml. `taken`: ids already used (→ the file using them), which a later
    relation may not reuse."""
    file = LATER_FILE
    if not (data / "later_relations.yaml").exists():
        return []
    raw = yamlfile.load_as(data / "later_relations.yaml", file, problems, list,
                           "a list of relation records (each starting with '- id:')")
    if raw is None:
        return []
    by_name = _province_index(provinces)
    out, seen = [], {}
    for index, rec in enumerate(raw):
        if not isinstance(rec, dict):
            problems.add(file, _item_line(raw, index), f"record {index + 1} must be a mapping, not {limits.excerpt(rec)}")
            continue
        rid = rec.get("id")
        c = _Checker(problems, file, f"later relation {limits.excerpt(rid)}" if isinstance(rid, str)
                     else f"record at line {rec.line}", rec)
        c.unknown(LATER_KEYS)
        rid = c.text("id")
        if rid and id_problem(rid, "it is used in anchors"):
            c.fail("id", id_problem(rid, "it is used in anchors"))
        elif rid in seen:
            c.fail("id", f"is already used by the record at line {seen[rid]}")
        elif rid in taken:
            c.fail("id", f"is already the id of a record of {taken[rid]}")
        elif rid:
            seen[rid] = rec.line_of("id")
        province = _province_of(c, by_name)
        party_th, party_en = c.text("party_th"), c.text("party_en")
        level = c.text("level")
        if level and level != "province":
            c.fail("level", f"{limits.excerpt(level)} must be province: only a province's relations belong here "
                            "(a municipality's or a PAO's agreement is not the province's)")
        status = c.text("status")
        if status and status not in LATER_STATUSES:
            c.fail("status", f"{limits.excerpt(status)} must be one of: {', '.join(LATER_STATUSES)}")
        signed = _when(c, "signed_date", today=today, required=False)
        if signed and status and status != "signed":
            c.fail("signed_date", f"is given but status is {status} (a signing date belongs to a signed relation)")
        partner = _partner(c.mapping("partner"), c, countries, problems, file)
        source = _citation(c, problems, file, today)
        notes = _notes(rec, c, problems, file)
        if c.ok and province and partner and source:
            out.append(LaterRelation(rid, province, party_th, party_en, level, status, signed, partner, source,
                                     tuple(notes), rec.line))
    return out


def load_events(data: Path, relations: dict[str, tuple[str, Province, Partner]], problems: Problems,
                today: _dt.date) -> list[Event]:
    """data/events.yaml. `relations`: every relation id → (its kind, province, partner)."""
    file = EVENTS_FILE
    if not (data / "events.yaml").exists():
        return []
    raw = yamlfile.load_as(data / "events.yaml", file, problems, list, "a list of events (each starting with '- id:')")
    if raw is None:
        return []
    out, seen = [], {}
    for index, rec in enumerate(raw):
        if not isinstance(rec, dict):
            problems.add(file, _item_line(raw, index), f"record {index + 1} must be a mapping, not {limits.excerpt(rec)}")
            continue
        rid = rec.get("id")
        c = _Checker(problems, file, f"event {limits.excerpt(rid)}" if isinstance(rid, str) else f"event at line {rec.line}", rec)
        c.unknown(EVENT_KEYS)
        rid = c.text("id")
        if rid and id_problem(rid, "it is the event's anchor and its feed entry's id"):
            c.fail("id", id_problem(rid, "it is the event's anchor and its feed entry's id"))
        elif rid in seen:
            c.fail("id", f"is already used by the event at line {seen[rid]} (an event's id is never reused)")
        elif rid:
            seen[rid] = rec.line_of("id")
        rel = c.text("relation")
        if rel and rel not in relations:
            c.fail("relation", f"{limits.excerpt(rel)} is not the id of a record of data/pairs.yaml, "
                               "data/other_relations.yaml or data/later_relations.yaml")
        kind = c.text("kind")
        if kind and kind not in EVENT_KINDS:
            c.fail("kind", f"{limits.excerpt(kind)} must be one of: {', '.join(EVENT_KINDS)}")
        when = _when(c, "date", today=today)
        summary = _bilingual(c, "summary", problems, file)
        source = _citation(c, problems, file, today)
        if when and source and source.published and when.after(source.published):
            c.fail("date", f"'{when.iso}' is after the report's date '{source.published.iso}' (source.published): "
                           "a report cannot tell of a later event")
        note = _bilingual(c, "note", problems, file, required=False)
        if c.ok and rel in relations and when and summary and source:
            rkind, province, partner = relations[rel]
            out.append(Event(rid, rel, rkind, province, partner, kind, when, summary, source, note, rec.line))
    return out


def check_later_have_events(later: list[LaterRelation], events: list[Event], problems: Problems) -> None:
    """Each later relation is told by at least one event (its signing, approval or proposal)."""
    told = {e.relation_id for e in events}
    for rel in later:
        if rel.id not in told:
            problems.add(LATER_FILE, rel.file_line, f"later relation '{rel.id}' has no event in {EVENTS_FILE}: "
                                                    "add its signing, approval or proposal there")


def after_the_list(when: When, as_of: _dt.date) -> bool:
    """Dated after the list's date at the precision the date gives: '2019-01' is not (it may be 1-3 January),
    '2019-02' is. What the since page, the home and the feed present as having happened since the list."""
    return when.after(When(as_of.year, as_of.month, as_of.day))


def newest_first(events) -> list[Event]:
    """Newest first; events of one date in the file's order."""
    return sorted(events, key=lambda e: (e.date, -e.file_line), reverse=True)


def load(data: Path, registry, problems: Problems, today: _dt.date | None = None) -> tuple[list, list]:
    """Later relations and events, checked against the registry's records. `today` bounds dates."""
    today = today or _dt.date.today()
    countries = {c.code: c for c in registry.countries}
    taken = {p.id: "data/pairs.yaml" for p in registry.pairs}
    taken.update({o.id: "data/other_relations.yaml" for o in registry.other_relations})
    later = load_later_relations(data, registry.provinces, countries, taken, problems, today)
    relations = {p.id: ("pair", p.province, p.partner) for p in registry.pairs}
    relations.update({o.id: ("other", o.province, o.partner) for o in registry.other_relations})
    relations.update({r.id: ("later", r.province, r.partner) for r in later})
    before = len(problems)
    events = load_events(data, relations, problems, today)
    if len(problems) == before:   # (a broken events file would make every later relation look untold)
        check_later_have_events(later, events, problems)
    return later, events


FIRST_ACTIVITY_YEAR = 2019   # the plan's first year (2019–2023), and the list's


def activity_rows(registry, today: _dt.date | None = None) -> list[dict]:
    """For each year since the list: the pairs of the list with a joint activity recorded here, beside
    the signed pairs the plan's indicator asks one a year of. Recorded here only (see the page)."""
    last = (today or _dt.date.today()).year
    signed = sum(p.signed for p in registry.pairs)
    rows = []
    for year in range(FIRST_ACTIVITY_YEAR, last + 1):
        pairs = {e.relation_id for e in registry.events
                 if e.kind == "activity" and e.relation_kind == "pair" and e.date.year == year}
        rows.append({"year": year, "pairs": len(pairs), "signed": signed})
    return rows


def signed_since_list(registry) -> list[Event]:
    """The signings this portal records after the list's date, of an in-progress pair of the list or of
    a relation reported since: the activity table's "signed pairs" column (the list's own count) leaves
    them out, and its note names them. Oldest first."""
    as_of = When(registry.as_of.year, registry.as_of.month, registry.as_of.day)
    signed_in_list = {p.id for p in registry.pairs if p.signed}
    return sorted((e for e in registry.events if e.kind == "signed" and e.date.after(as_of)
                   and e.relation_kind in ("pair", "later") and e.relation_id not in signed_in_list),
                  key=lambda e: (e.date, e.file_line))
