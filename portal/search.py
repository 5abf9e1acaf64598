"""The search index: one JSON file per language (search/th.json, search/en.json), read in the
browser by static/js/search-core.js — the same file the tests run under node.

What makes Thai work: the query and the index are segmented THE SAME WAY, by construction.

1. At build time PyThaiNLP (newmm, its dictionary plus the names the data gives) segments every
   Thai run of the indexed text; those words, with the data's bare names, are the vocabulary.
2. The vocabulary ships inside the index. Both sides then cut every Thai run by maximal matching
   against it (fewest unknown characters, then fewest words, then the longest first word):
   `segment_thai` here and `segmentThai` in search-core.js are the same algorithm on the same
   dictionary, and tests/test_search.py checks they agree on every Thai run of the index.
3. Normalisation is shared the same way (`normalize` / `normalize` in JS): NFKC, Thai digits to
   Arabic, lower case, Latin/Vietnamese diacritics stripped, a few letters folded (đ → d …).

Other scripts: Latin, Cyrillic and Hangul are split on spaces and punctuation (the browser adds
prefix matching and, for Latin words of five letters or more, one typo); Chinese and Japanese
runs are indexed as character bigrams; Khmer, Lao, Burmese, Tibetan and Indic runs are kept whole
and matched by substring (their names carry unit words such as ខេត្ត "province").
"""
from __future__ import annotations

import gzip
import hashlib
import html as _html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from . import content, reuse, thai, urls
from .cache import NO_CACHE, Cache
from .links import ID_ATTR_RE

FORMAT = 2
INDEX_DIR = "search"            # site/search/th.json, site/search/en.json
KINDS = ("province", "country", "pair", "plan", "handbook", "other", "special_area", "later")   # special_area: Bangkok; later: issue 20
SECTION_DOCS = ("plan", "handbook")

# Field weights (a posting keeps the largest; shorter fields weigh more, see _length_norm).
W_NAME = 10.0        # the record's own name in the page's language
W_NAME_ALT = 9.0     # its name in the other language, own script, other spellings
W_PROVINCE_OF_PAIR = 5.0
W_YEAR = 6.0
W_PARENT = 4.0
W_COUNTRY_OF_PAIR = 3.0
W_STATUS = 3.0
W_REGION = 2.0
W_TITLE = 8.0        # a section's title
W_TITLE_OTHER = 5.0  # the same section's title in the other language
W_BODY = 1.5         # a section's text; words used three times or more weigh W_BODY_FREQ
W_BODY_FREQ = 2.5
W_SYNONYM = 8.0      # a word people use for the thing (data/search_synonyms.yaml): as strong as a title
W_SYNONYM_PART = 2.9 # a word of a synonym of several words ("twin town"): under search-core.js NAME_WEIGHT,
                     # so that "city" alone never makes a section a whole-name match (Ho Chi Minh City)

# Words that name a kind of unit rather than the place: a Thai name that starts with one is not
# added to the vocabulary whole (its bare form usually is, from alt_names).
THAI_UNIT_WORDS = ("อำเภอ", "ตำบล", "เขตปกครองตนเอง", "เขตบริหารพิเศษ", "เขตพิเศษ", "เทศบาลเมือง", "เทศบาล", "จังหวัด", "เมือง",
                   "มณฑล", "มหานคร", "นคร", "แขวง", "มลรัฐ", "รัฐ", "กรุง", "ดินแดน", "เขต", "ประเทศ", "ชนชาติ")

_FOLD = {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "ħ": "h",
         "\u0ebc": "\u0ea5"}  # Lao: the subscript lo (ຫຼ) and the full lo (ຫລ) are written both ways
FOLD_FILE = Path(__file__).with_name("search_fold.json")   # made by scripts/search_fold.py (OpenCC, hanja)
# Korean administrative suffixes: 부산광역시 is also found as 부산 and 부산시 (the query side strips too).
KOREAN_SUFFIXES = ("특별자치도", "특별자치시", "특별시", "광역시", "자치도", "자치시", "도", "시", "군", "구")
_HANGUL = re.compile("^[\uac00-\ud7a3]+$")
_THAI_DIGITS = str.maketrans({chr(0x0E50 + i): str(i) for i in range(10)})
_JOINERS = "'\u2019\u02bc"
_DIGITS = "0123456789"
_COMBINING = re.compile("[\u0300-\u036f]")


# ---------------------------------------------------------------- shared with search-core.js

def _pairs(text: str) -> dict[str, str]:
    chars = list(text)
    return dict(zip(chars[0::2], chars[1::2]))


@lru_cache(maxsize=1)
def fold_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(CJK fold, hanja readings): character → Simplified form (県 縣 → 县, 廣 → 广), folded hanja →
    Korean syllable. The index ships the part of each that can reach its own characters."""
    data = json.loads(FOLD_FILE.read_text(encoding="utf-8"))
    return _pairs(data["cjk"]), _pairs(data["hanja"])


@lru_cache(maxsize=1)
def _char_fold() -> dict[int, str]:
    """The fold as a str.translate table (a tenth of the time of a loop over the characters)."""
    return str.maketrans({**fold_tables()[0], **_FOLD})

@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """The one normalisation for index and query (search-core.js `normalize` is its twin)."""
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("\u0e4d\u0e32", "\u0e33")  # NFKC splits sara am; put it back as PyThaiNLP spells it
    s = s.translate(_THAI_DIGITS).lower()
    s = unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFD", s)))
    return s.translate(_char_fold())


def strip_korean_suffix(word: str) -> str | None:
    """부산광역시 → 부산, 강원도 → 강원; None when the word has no suffix or would keep one syllable."""
    if _HANGUL.match(word):
        for suffix in KOREAN_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                return word[:-len(suffix)]
    return None


# Thai letters (consonants, vowels, tone marks; not digits or signs): char_class "t".
_THAI_LETTER = re.compile("[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]")


@lru_cache(maxsize=None)  # a few hundred distinct characters; called for every character indexed
def char_class(c: str) -> str:
    """t Thai · c Chinese/Japanese (bigrams) · u Khmer, Lao, Burmese, Tibetan, Indic (substring)
    · w other letters and digits · j apostrophe (joins a word) · ' ' anything else."""
    if _THAI_LETTER.match(c):
        return "t"
    o = ord(c)
    if o == 0x3005 or 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF \
            or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF:
        return "c"
    if 0x0900 <= o <= 0x0DFF or 0x0E80 <= o <= 0x0EFF or 0x0F00 <= o <= 0x0FFF or 0x1000 <= o <= 0x109F \
            or 0x1780 <= o <= 0x17FF or 0x19E0 <= o <= 0x19FF:
        return "u"
    if c in _JOINERS:
        return "j"
    if unicodedata.category(c)[0] in "LMN":
        return "w"
    return " "


@lru_cache(maxsize=65536)
def analyse(text: str) -> tuple[tuple[str, str], ...]:
    """runs(normalize(text)), remembered: names, units and notes recur across many records."""
    return tuple(runs(normalize(text)))


def runs(normalized: str) -> list[tuple[str, str]]:
    """Split normalised text into (class, text) runs. An apostrophe inside a word is dropped
    (Xi'an → xian); a dot between digits stays (4.2)."""
    chars = list(normalized)
    out: list[tuple[str, str]] = []
    cur_cls, cur = "", []
    for i, c in enumerate(chars):
        k = char_class(c)
        if k == "j" and cur_cls == "w" and i + 1 < len(chars) and char_class(chars[i + 1]) == "w":
            continue
        if c == "." and cur_cls == "w" and cur and cur[-1] in _DIGITS and i + 1 < len(chars) and chars[i + 1] in _DIGITS:
            cur.append(c)
            continue
        if k in (" ", "j"):
            if cur:
                out.append((cur_cls, "".join(cur)))
            cur_cls, cur = "", []
            continue
        if k != cur_cls and cur:
            out.append((cur_cls, "".join(cur)))
            cur = []
        cur_cls = k
        cur.append(c)
    if cur:
        out.append((cur_cls, "".join(cur)))
    return out


def word_lengths(vocab: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """For each first two characters, the lengths of the words that start with them, longest
    first: segment_thai then tries only those (the same words, in the same order, as trying
    every length down from max_len; about five times faster)."""
    out: dict[str, set[int]] = {}
    for w in vocab:
        out.setdefault(w[:2], set()).add(len(w))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


def segment_thai(run: str, vocab: frozenset[str] | set[str], max_len: int,
                 lengths: dict[str, tuple[int, ...]] | None = None) -> list[str]:
    """Maximal matching of one Thai run against the shipped vocabulary: fewest unknown
    characters, then fewest words, then the longest first word. Unknown characters next to
    each other make one token. search-core.js `segmentThai` is the same code."""
    n = len(run)
    best: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    step = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        cand, choice = None, 0
        if lengths is None:
            ends = range(min(n, i + max_len), i, -1)
        else:
            ends = [i + k for k in lengths.get(run[i:i + 2], ()) if i + k <= n]
            if len(run[i:i + 2]) == 2 and run[i] in vocab:
                ends.append(i + 1)  # a one-letter word (its key is one letter long)
        for j in ends:
            if run[i:j] in vocab:
                u, t = best[j]
                c = (u, t + 1)
                if cand is None or c < cand:
                    cand, choice = c, j
        u, t = best[i + 1]
        c = (u + 1, t + 1)
        if cand is None or c < cand:
            cand, choice = c, -(i + 1)
        best[i], step[i] = cand, choice
    out, unknown, i = [], "", 0
    while i < n:
        j = step[i]
        if j < 0:
            unknown += run[i]
            i = -j
        else:
            if unknown:
                out.append(unknown)
                unknown = ""
            out.append(run[i:j])
            i = j
    if unknown:
        out.append(unknown)
    return out


def bigrams(run: str) -> list[str]:
    chars = list(run)
    if len(chars) < 2:
        return ["".join(chars)]
    return [chars[i] + chars[i + 1] for i in range(len(chars) - 1)]


# ---------------------------------------------------------------- records

@dataclass
class Record:
    kind: str
    url: str
    title: str
    context: str | list   # text, or a list of text and [text, BCP 47 tag] for a part in another language
    fields: list[tuple[str, float]] = field(default_factory=list)   # (text, weight); names
    body: str = ""                                                  # running text (sections)
    # the name in the page's other language: "did you mean" answers a Thai query on the English page
    # with Thai names (and an English query on the Thai page with English ones), as the reader typed
    other_title: str = ""


def _is_bare(name: str) -> bool:
    """False for a Thai name that starts with a unit word (เมืองเซี่ยเหมิน, มณฑลยูนนาน)."""
    return not any(name.startswith(unit) and len(name) > len(unit) + 1 for unit in THAI_UNIT_WORDS)


def _excerpt(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:–-(") + "…"


_HEADING_RE = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")
_DIRECTIVE_RE = re.compile(r"<p>\[\[[a-z-]+\]\]</p>")


@lru_cache(maxsize=16)
def _section_texts(doc_html: str) -> dict[str, str]:
    """anchor → the plain text between that heading and the next h2/h3."""
    out: dict[str, str] = {}
    matches = list(_HEADING_RE.finditer(doc_html))
    for k, m in enumerate(matches):
        ident = ID_ATTR_RE.search(m.group(2))
        if not ident:
            continue
        end = matches[k + 1].start() if k + 1 < len(matches) else len(doc_html)
        body = _DIRECTIVE_RE.sub(" ", doc_html[m.end():end])
        body = re.sub(r"</(p|li|td|th|tr|h4|blockquote)>", " ", body)
        out[ident.group(1)] = " ".join(_html.unescape(_TAG_RE.sub(" ", body)).split())
    return out


def _partner_fields(q, lang: str) -> list[tuple[str, float]]:
    """A partner's names (all languages, own script, other spellings, aliases), its parent unit
    (in Thai, English and its own script) and its country, with their weights."""
    fields = [(q.name(lang), W_NAME), (q.name_en, W_NAME_ALT), (q.name_th, W_NAME_ALT)]
    if q.name_native:
        fields.append((q.name_native, W_NAME_ALT))
    fields += [(a, W_NAME_ALT) for a in q.alt_names]
    fields += [(a.name, W_NAME_ALT) for a in q.aliases]
    fields += [(x, W_PARENT) for x in (q.parent_en, q.parent_th, q.parent_native) if x]
    fields += [(q.country.name_th, W_COUNTRY_OF_PAIR), (q.country.name_en, W_COUNTRY_OF_PAIR)]
    return fields


def _partner_line(q, lang: str, rest: str) -> list:
    """The context line of a pair: the partner's own-script name tagged with its language (the
    page renders [text, tag] as <span lang=tag>), so a screen reader and the fonts read it right."""
    if not q.name_native:
        return [f"{q.name(lang)}, {q.country.name(lang)} · {rest}"]
    return [f"{q.name(lang)} (", [q.name_native, q.lang or "und"], f"), {q.country.name(lang)} · {rest}"]


def records(model, lang: str) -> list[Record]:
    r, t = model.registry, model.strings[lang]
    other = urls.other(lang)
    out: list[Record] = []

    def n_pairs(n: int) -> str:
        return t["search_one_pair"] if n == 1 else t["n_pairs"].replace("{n}", thai.number(n, lang))

    for pv in sorted(r.provinces, key=lambda p: p.slug):
        mine = r.pairs_of_province(pv)
        kind = "province" if pv.is_province else "special_area"   # Bangkok is not called a province
        region = t[f"{kind}_region"].replace("{region}", pv.region.th if lang == "th" else pv.region.en)
        ctx = f"{region} · {n_pairs(len(mine)) if pv.is_province else t['special_area_in_list']}"
        unit_names = [("จังหวัด" + pv.name_th, W_NAME_ALT), (pv.name_en + " Province", W_NAME_ALT)] if pv.is_province else []
        out.append(Record(kind, urls.province(lang, pv.slug), pv.name(lang), ctx, [
            (pv.name(lang), W_NAME), (pv.name(other), W_NAME_ALT), *unit_names,
            (pv.capital_en, W_PARENT), (pv.capital_th, W_PARENT),
            (pv.region.th, W_REGION), (pv.region.en, W_REGION)] + [(a.name, W_NAME_ALT) for a in pv.aliases],
            other_title=pv.name(other)))
    for c in sorted(r.countries, key=lambda c: c.slug):
        mine = r.pairs_of_country(c)
        formal = c.formal_th if lang == "th" else c.formal_en
        ctx = f"{formal} · {n_pairs(len(mine))}" if formal != c.name(lang) else n_pairs(len(mine))
        fields = [(c.name(lang), W_NAME), (c.name(other), W_NAME_ALT), (c.formal_th, W_NAME_ALT),
                  (c.formal_en, W_NAME_ALT), ("ประเทศ" + c.name_th, W_NAME_ALT)]
        if c.name_native:
            fields.append((c.name_native, W_NAME_ALT))
        fields += [(a.name, W_NAME_ALT) for a in c.aliases]
        out.append(Record("country", urls.country(lang, c.slug), c.name(lang), ctx, fields, other_title=c.name(other)))
    for p in sorted(r.pairs, key=lambda p: (p.status != "signed", p.list_no)):
        q = p.partner
        fields = _partner_fields(q, lang) + [
            (p.province.name_th, W_PROVINCE_OF_PAIR), (p.province.name_en, W_PROVINCE_OF_PAIR),
            (str(p.year_be), W_YEAR), (str(p.year_ce), W_YEAR)]
        for lg in urls.LANGS:
            s = model.strings[lg]
            fields.append((s[f"status_{p.status}"], W_STATUS))
            if p.stage:
                fields.append((s[f"stage_{p.stage}"], W_STATUS))
        status = t[f"status_{p.status}"]
        if p.stage:
            status += f" ({t[f'stage_{p.stage}']})"
        year = thai.year(p.year_be, lang, both=True)   # in progress: the list's year group, not a date (issue 18)
        ctx = _partner_line(q, lang, f"{status} · {year if p.signed else t['row_year_group'].replace('{year}', year)}")
        out.append(Record("pair", urls.pair(lang, p.id), f"{p.province.name(lang)} – {q.name(lang)}", ctx, fields,
                          other_title=f"{p.province.name(other)} – {q.name(other)}"))
    # Relations another source names outside the list: found like pairs, said to be from elsewhere.
    for o in sorted(r.other_relations, key=lambda o: o.id):
        q = o.partner
        fields = _partner_fields(q, lang) + [
            (o.party_th, W_PROVINCE_OF_PAIR), (o.party_en, W_PROVINCE_OF_PAIR),
            (o.province.name_th, W_PROVINCE_OF_PAIR), (o.province.name_en, W_PROVINCE_OF_PAIR)]
        if o.year_be:
            fields += [(str(o.year_be), W_YEAR), (str(thai.be_to_ce(o.year_be)), W_YEAR)]
        status = t[f"other_status_{o.status}"]
        fields += [(model.strings[lg][f"other_status_{o.status}"], W_STATUS) for lg in urls.LANGS]
        year = f" · {thai.year(o.year_be, lang, both=True)}" if o.year_be else ""
        named_by = next((d.short(lang) for d in r.sources.values() if d.file == o.source.file), o.source.file)
        ctx = _partner_line(q, lang, f"{status}{year} · {t['search_other_note'].replace('{source}', named_by)}")
        out.append(Record("other", urls.other_relation_url(lang, o), f"{o.party(lang)} – {q.name(lang)}", ctx, fields,
                          other_title=f"{o.party(other)} – {q.name(other)}"))
    # Relations reported since the list (issue 20): found like pairs, labelled "reported since the list".
    for rel in sorted(r.later_relations, key=lambda x: x.id):
        q = rel.partner
        fields = _partner_fields(q, lang) + [
            (rel.party_th, W_PROVINCE_OF_PAIR), (rel.party_en, W_PROVINCE_OF_PAIR),
            (rel.province.name_th, W_PROVINCE_OF_PAIR), (rel.province.name_en, W_PROVINCE_OF_PAIR)]
        fields += [(model.strings[lg][f"later_status_{rel.status}"], W_STATUS) for lg in urls.LANGS]
        when = f" · {rel.signed_date.text(lang)}" if rel.signed_date else ""
        ctx = _partner_line(q, lang, f"{t[f'later_status_{rel.status}']}{when} · {t['later_relations_title']}")
        out.append(Record("later", urls.later_relation_url(lang, rel), f"{rel.province.name(lang)} – {q.name(lang)}",
                          ctx, fields, other_title=f"{rel.province.name(other)} – {q.name(other)}"))  # titled like pairs
    where: dict[str, str] = {}   # 'handbook#step-2-6' → the address a result opens: the section's own page
    for name in SECTION_DOCS:
        doc, twin = model.docs.get((lang, name)), model.docs.get((other, name))
        if not doc:
            continue
        addresses = content.section_addresses(lang, content.section_pages(doc))
        texts = _section_texts(doc.html)
        twin_titles = {s.anchor: s.title for s in (twin.sections if twin else [])}
        for i, s in enumerate(doc.sections):
            body = texts.get(s.anchor, "")
            children = []
            for later in doc.sections[i + 1:]:
                if later.level <= s.level:
                    break
                children.append(later.title)
            ctx = f"{t['nav_' + name]} · {_excerpt(body or ' · '.join(children))}"
            fields = [(s.title, W_TITLE)]
            if s.anchor in twin_titles:
                fields.append((twin_titles[s.anchor], W_TITLE_OTHER))
            where[f"{name}#{s.anchor}"] = addresses.get(s.anchor) or urls.document(lang, name) + "#" + s.anchor
            out.append(Record(name, where[f"{name}#{s.anchor}"], s.title, ctx, fields, body))
    add_synonyms(out, getattr(model, "synonyms", ()), lang, where)
    return out


# ---------------------------------------------------------------- synonyms (issue 18)

SYNONYMS_FILE = "data/search_synonyms.yaml"


@dataclass(frozen=True)
class Synonyms:
    words: tuple[str, ...]
    targets: tuple[str, ...]     # 'handbook#step-2-6' or '/provinces/chiang-mai/' (no language)


def synonym_target_url(lang: str, target: str, sections: dict[str, str]) -> str:
    """A synonym's target as the URL of its search record in `lang`'s index: a page, or a section
    ('handbook#step-2-6') at the address `records` gave it."""
    if target.startswith("/"):
        return urls.localize(lang, target)
    return sections.get(target, "")


def load_synonyms(root: Path, docs: dict, registry, problems) -> tuple[Synonyms, ...]:
    """data/search_synonyms.yaml, every problem located (file, line, field); () after any."""
    from . import yamlfile
    data = yamlfile.load_as(root / SYNONYMS_FILE, SYNONYMS_FILE, problems, list,
                            "a list of {words: [...], targets: [...], why: ...} (docs/SEARCH.md)")
    if data is None:
        return ()
    known: dict[str, str] = {}   # a target as written → as its search record is addressed (an alias → its section)
    for (lang, name), doc in docs.items():
        if name in SECTION_DOCS:
            for s in doc.sections:
                known.update({f"{name}#{a}": f"{name}#{s.anchor}" for a in (s.anchor, *s.aliases)})
    if registry is not None:
        for path in ([urls.province("x", p.slug) for p in registry.provinces] + [urls.country("x", c.slug) for c in registry.countries]
                     + [urls.pair("x", p.id) for p in registry.pairs]):
            known[path[2:]] = path[2:]
    out, before = [], len(problems)
    for i, entry in enumerate(data):
        line = getattr(entry, "line", None) or getattr(data, "line", None)
        where = f"entry {i + 1}"
        if not isinstance(entry, dict):
            problems.add(SYNONYMS_FILE, line, f"{where} must be a mapping with words, targets and why")
            continue
        for key in sorted(set(entry) - {"words", "targets", "why"}):
            problems.add(SYNONYMS_FILE, line, f"{where}: {key!r} is not a known field (words, targets, why)")
        fields = {}
        for key in ("words", "targets"):
            value = entry.get(key)
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                problems.add(SYNONYMS_FILE, line, f"{where}: {key} must be a list of words")
                value = []
            fields[key] = tuple(str(v).strip() for v in value)
        if not isinstance(entry.get("why"), str) or not entry["why"].strip():
            problems.add(SYNONYMS_FILE, line, f"{where}: why is missing (say where the link comes from)")
        for target in fields["targets"]:
            if docs and target not in known:
                problems.add(SYNONYMS_FILE, line, f"{where}: target {target!r} is not a section (plan#…, handbook#…) "
                                                  f"or a page (/provinces/…/, /countries/…/, /pairs/…/) of the portal")
        out.append(Synonyms(fields["words"], tuple(known.get(t, t) for t in fields["targets"])))
    return tuple(out) if len(problems) == before else ()


def add_synonyms(recs: list[Record], synonyms, lang: str, sections: dict[str, str]) -> None:
    """Index each synonym on its targets' records, as strongly as a title (`sections`: a section
    target's record address, 'handbook#step-2-6' → '/th/handbook/step-2-6/')."""
    if not synonyms:
        return
    by_url = {rec.url: rec for rec in recs}
    for entry in synonyms:
        # (a Thai word that starts with a unit word, เมืองคู่มิตร, is several words: เมือง is in many names)
        weighed = [(word, W_SYNONYM if len(word.split()) == 1 and _is_bare(word) else W_SYNONYM_PART)
                   for word in entry.words]
        for target in entry.targets:
            rec = by_url.get(synonym_target_url(lang, target, sections))
            if rec is not None:
                rec.fields = rec.fields + weighed


# ---------------------------------------------------------------- the index

def _bare_thai_names(recs: list[Record]) -> set[str]:
    """Thai names the data gives whole (alt names, provinces, countries), without a unit word:
    PyThaiNLP does not know most partners' names, and would cut เซี่ยเหมิน into เซี่ย|เห|มิ|น."""
    names = set()
    places = ("province", "special_area", "country")
    for bare_only, texts in ((False, {t for rec in recs if rec.kind in places for t, _ in rec.fields}),
                             (True, {t for rec in recs if rec.kind in ("pair", "other", "later") for t, _ in rec.fields})):
        for text in texts:
            for k, run in analyse(text):
                if k == "t" and len(run) >= 3 and (not bare_only or _is_bare(run)):
                    names.add(run)
    return names


def _words(recs: list[Record]) -> frozenset[str]:
    """The Thai words of the records' texts: the names the data gives whole, and the dictionary's
    cut of the rest. The same texts give the same words: a rebuild after an edit that changed no
    Thai text (a partner renamed in English, most notes) takes them from the last build: the key
    holds only the texts with Thai letters, which are all the words are made of."""
    thai_in = _THAI_LETTER.search
    key = frozenset({(rec.kind, text) for rec in recs for text, _ in rec.fields if thai_in(text)}
                    | {("", rec.body) for rec in recs if thai_in(rec.body)})
    hit = _LAST_WORDS.get(key)
    if hit is None:
        texts = {text for _kind, text in key}
        names = frozenset(_bare_thai_names(recs))   # (which texts are names: by their record's kind)
        segment = thai.word_segmenter(names)
        words = set(names)
        for run in {run for text in texts for k, run in analyse(text) if k == "t"}:
            for w in segment(run):
                w = normalize(w)
                if w and _is_thai(w):
                    words.add(w)
        if len(_LAST_WORDS) >= 4:   # (both languages' of the last build and of the one before)
            _LAST_WORDS.clear()
        hit = _LAST_WORDS[key] = frozenset(words)
    return hit


_LAST_WORDS: dict[frozenset[tuple[str, str]], frozenset[str]] = {}   # (record kind, text) → words


def _length_norm(n: int) -> float:
    return 1.0 / (1.0 + 0.15 * max(0, n - 1))


class Tokenizer:
    """Text → index tokens with a fixed Thai vocabulary (the same cut the browser makes)."""

    def __init__(self, vocab: set[str]):
        self.vocab = frozenset(vocab)
        self.max_len = max((len(w) for w in vocab), default=1)
        self.lengths = word_lengths(self.vocab)
        self._seen: dict[str, list[str]] = {}
        self._cuts: dict[str, list[str]] = {}
        self._records: dict[tuple, tuple[tuple[str, float], ...]] = {}

    def tokens(self, text: str) -> list[str]:
        if text not in self._seen:
            self._seen[text] = self._tokens(text)
        return self._seen[text]

    def _tokens(self, text: str) -> list[str]:
        out = []
        for k, run in analyse(text):
            if k == "t":
                cut = self._cuts.get(run)
                if cut is None:   # (a run recurs in many texts: จังหวัด, ความสัมพันธ์)
                    cut = self._cuts[run] = segment_thai(run, self.vocab, self.max_len, self.lengths)
                out += cut
            elif k == "c":
                out += bigrams(run)
            else:
                out.append(run)
                bare = strip_korean_suffix(run)
                if bare:
                    out.append(bare)
        return out

    def record_terms(self, fields: tuple[tuple[str, float], ...], body: str) -> tuple[tuple[str, float], ...]:
        """A record's terms with their weights (the largest of the fields each is in). Remembered
        with the vocabulary: a rebuild after one edit re-tokenizes only the records that changed."""
        key = (fields, body)
        hit = self._records.get(key)
        if hit is None:
            weights: dict[str, float] = {}
            for text, weight in fields:
                toks, joined = self.name_tokens(text)
                w = weight * _length_norm(len(toks))
                for term in toks + ([joined] if joined else []):
                    if w > weights.get(term, 0.0):
                        weights[term] = w
            if body:
                counts: dict[str, int] = {}
                for term in self.tokens(body):
                    counts[term] = counts.get(term, 0) + 1
                for term, n in counts.items():
                    w = W_BODY_FREQ if n >= 3 else W_BODY
                    if w > weights.get(term, 0.0):
                        weights[term] = w
            hit = tuple(weights.items())
            if reuse.kept():   # (a one-off build tokenizes each record once: nothing to remember)
                self._records[key] = hit
        return hit

    def name_tokens(self, text: str) -> tuple[list[str], str | None]:
        """Tokens of a name, and its Latin words joined (Chiang Mai → chiangmai, Jeollanam-do →
        jeollanamdo) for people who type it without the space or hyphen."""
        words = [run for k, run in analyse(text) if k == "w"]
        joined = len(words) in (2, 3, 4) and not any(c.isdigit() for w in words for c in w)
        return self.tokens(text), ("".join(words) if joined else None)


@lru_cache(maxsize=4)
def tokenizer_for(vocab: frozenset[str]) -> "Tokenizer":
    """One Tokenizer per vocabulary, so a rebuild with the same vocabulary reuses its memory."""
    return Tokenizer(vocab)


@lru_cache(maxsize=65536)
def _is_thai(term: str) -> bool:
    return all(char_class(c) == "t" for c in term)


def _postings(recs: list[Record], tok: Tokenizer) -> dict[str, dict[int, float]]:
    """term → {record number: weight}: the largest weight of the fields it is in."""
    postings: dict[str, dict[int, float]] = {}
    for d, rec in enumerate(recs):
        for term, w in tok.record_terms(tuple(rec.fields), rec.body):
            row = postings.get(term)
            if row is None:
                postings[term] = {d: w}
            else:
                row[d] = w
    return postings


def _posting_row(row: dict[int, float]) -> list[int]:
    """A term's postings as shipped: each record's number as the gap from the one before (they are
    in rising order: _postings adds them so), then its weight in tenths, at least 1."""
    out, prev = [], 0
    for d, w in row.items():
        out += (d - prev, _tenths(w))
        prev = d
    return out


@lru_cache(maxsize=64)
def _tenths(weight: float) -> int:
    return max(1, round(weight * 10))


def build_index(model, lang: str) -> dict:
    recs = records(model, lang)
    vocab = set(_words(recs))
    # Unknown runs left at indexing (rare) become words too, so that the shipped vocabulary is
    # exactly the index's Thai terms and the browser's cut is the same as this one.
    for _ in range(5):
        postings = _postings(recs, tokenizer_for(frozenset(vocab)))
        missing = {t for t in postings if t not in vocab and _is_thai(t)}
        if not missing:
            break
        vocab |= missing
    else:  # pragma: no cover
        raise RuntimeError(f"search: the Thai vocabulary does not settle ({sorted(missing)[:5]} …)")
    terms = sorted(set(postings) | vocab)
    post_rows = [_posting_row(postings.get(term, {})) for term in terms]
    cjk, hanja = fold_tables()
    cjk_chars = {c for term in terms if not (term.isascii() or _is_thai(term)) for c in term if char_class(c) == "c"}
    syllables = {c for term in terms if _HANGUL.match(term) for c in term}
    fold = {c: f for c, f in cjk.items() if f in cjk_chars}
    # A hanja whose fold is not shipped reaches the browser unfolded (羅, folded 罗, when no name of
    # the index has 罗): its reading is shipped under both forms.
    readings = {k: r for k, r in hanja.items() if r in syllables}
    readings.update({c: readings[f] for c, f in cjk.items() if f in readings and c not in fold and c not in readings})
    return {
        "format": FORMAT,
        "lang": lang,
        # the fold for every character that folds onto one of the index's (廣 → 广), and the reading
        # of every hanja that reads as a syllable of the index's Korean words (釜 → 부)
        "fold": "".join(c + f for c, f in fold.items()),
        "hanja": "".join(c + r for c, r in sorted(readings.items())),
        "kinds": list(KINDS),
        "docs": [[KINDS.index(rec.kind), rec.url, rec.title, rec.context] + ([rec.other_title] if rec.other_title else [])
                 for rec in recs],
        "terms": terms,
        "post": post_rows,
    }


def encode(index: dict) -> bytes:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def index_path(lang: str) -> str:
    return f"{INDEX_DIR}/{lang}.json"


# ---------------------------------------------------------------- hooks for portal/extras.py

_BUILT: dict[str, tuple[str, bytes]] = {}   # lang → (inputs digest, encoded index)


def inputs_digest(model, lang: str) -> str:
    """What one language's index is made of: the registry, the strings, that language's plan and
    handbook, and the other language's section titles (indexed as W_TITLE_OTHER)."""
    docs = [(k, d.digest or d.html) for k, d in sorted(model.docs.items()) if k == (lang, k[1]) and k[1] in SECTION_DOCS]
    twins = [(k, [(s.anchor, s.title) for s in d.sections])
             for k, d in sorted(model.docs.items()) if k[0] != lang and k[1] in SECTION_DOCS]
    return hashlib.sha1(repr((_shared_digest(model), lang, docs, twins)).encode()).hexdigest()


def _shared_digest(model) -> str:
    """Both languages' part of inputs_digest, worked out once per model: the registry, the strings
    and the synonyms."""
    if _shared[0] is not model:
        r = model.registry
        h = hashlib.sha1(str(FORMAT).encode())
        # Of a pair, only what is indexed: its listing, other names and parent unit (not its notes).
        indexed = [(p.listing, p.partner.alt_names, p.partner.parent_en, p.partner.parent_th, p.partner.parent_native,
                    p.partner.aliases) for p in r.pairs]
        h.update(repr(getattr(model, "synonyms", ())).encode())   # data/search_synonyms.yaml
        for part in (indexed, repr(r.provinces), repr(r.countries), repr(r.regions), repr(r.other_relations),
                     repr(r.later_relations), repr(r.sources), sorted(model.strings["th"].items()),
                     sorted(model.strings["en"].items())):
            h.update(repr(part).encode())
        _shared[:] = [model, h.hexdigest()]
    return _shared[1]


_shared: list = [None, ""]   # [the model, its digest]


def files(model, langs: tuple[str, ...] = urls.LANGS, cache: Cache = NO_CACHE) -> dict[str, bytes]:
    """Output files search/<lang>.json. A rebuild (the preview server) rebuilds only a language
    whose inputs changed; a new process finds an index of the same inputs in the build's cache
    on disk (portal/cache.py)."""
    out = {}
    for lang in langs:
        key = inputs_digest(model, lang)
        if _BUILT.get(lang, ("",))[0] != key:
            index = cache.get("search", key)
            if index is None:
                index = encode(build_index(model, lang))
                cache.put("search", key, index)
            _BUILT[lang] = (key, index)
        out[index_path(lang)] = _BUILT[lang][1]
        if not reuse.kept():
            _forget()   # (before the next language's: at 10,000 pairs, 60 MiB less at the peak)
    if not reuse.kept():   # and the texts' runs, which both languages' records share
        analyse.cache_clear()
        normalize.cache_clear()
    return out


def _forget() -> None:
    """Drop what files() remembers for the next build (portal/reuse.py): the words, each record's
    terms, the indexes."""
    _LAST_WORDS.clear()
    tokenizer_for.cache_clear()
    _BUILT.clear()


STRING_KEYS = ("search_status_none", "search_status_one", "search_status_many", "search_status_partial",
               "search_status_loading", "search_status_error", "search_status_empty",
               "search_kind_province", "search_kind_country", "search_kind_pair", "search_kind_plan",
               "search_kind_handbook", "search_kind_other", "search_kind_special_area", "search_kind_later", "search_corrected",
               "search_not_in_list")


def context(model) -> dict[str, dict]:
    """Template values for each search page: {'search_config': …}. The page names the index without
    a content hash (search.js fetches it with cache 'no-cache'), so the page depends on the strings
    only and an edited section does not have to re-render it."""
    out = {}
    for lang in urls.LANGS:
        t = model.strings[lang]
        out[urls.search(lang)] = {"search_config": {
            "lang": lang, "index": "/" + index_path(lang), "thaiDigits": lang == "th",
            "strings": {k: t[k].replace("{date}", thai.date(model.registry.as_of, lang)) for k in STRING_KEYS}}}
    return out


def sizes(index_bytes: bytes) -> tuple[int, int]:
    """(raw bytes, gzip -9 bytes) of one encoded index."""
    return len(index_bytes), len(gzip.compress(index_bytes, 9, mtime=0))


__all__ = ["normalize", "runs", "segment_thai", "bigrams", "records", "build_index", "files", "context",
           "sizes", "Tokenizer"]
