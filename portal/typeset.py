"""Language of parts and line breaking: one pass over every page's HTML after it is rendered.

1. Text in a script the page's language is not written in (Thai quoted on an English page, a
   partner's own-script name in a note) gets its own `lang` (WCAG 3.1.2). The language comes
   from what the data knows: a partner's or country's own-script name has its record's `lang`;
   otherwise the script decides (Kana → ja, Han → zh, Hangul → ko, …). Vietnamese, written in
   Latin letters, is found by the letters only it writes (Quảng Bình). A text inside an element
   that gives its language (<blockquote lang="th"><p>…) is in that language.
2. Thai names, a year with its era (พ.ศ. ๒๕๓๒) and a count with its unit (๓ คู่) are kept on one
   line with <span class="nw"> (white-space: nowrap). Chromium breaks Thai at its own dictionary's
   word boundaries and ignores <wbr> and `word-break: keep-all` in Thai (measured, Chromium 156),
   so a no-break span around the units that must not break is what works. CJK names keep together
   by CSS (`word-break: keep-all` on their lang), Tibetan and Dzongkha names by CSS too (nowrap: the
   tsheg ་ after each syllable is a break opportunity).
3. Thai words that PyThaiNLP's dictionary knows as one word but Chromium's smaller ICU dictionary
   cuts (พื้น|ฐาน, ดำเนิน|การ), or two words it cuts between wrongly (กา|รบูรณาการ), get the same
   no-break span: only those, listed in data/thai_breaks.txt (written by scripts/thai_breaks.py),
   so a page pays only for the words that need it. Phrases that must not break for another reason
   ("(Sister City)" in Thai text) are listed by hand in data/keep_together.txt.

Only the <body> is touched, and neither attribute values nor what cannot hold a <span>
(<script>, <style>, <svg>, <textarea>, <option>). Each distinct text is worked out once per
build: pages repeat most of their text. (Measured: the pass is about a tenth of the pages'
render time; what it costs is finding the texts, a regular-expression scan of every page.)
"""
from __future__ import annotations

import bisect
import re
from functools import cached_property, lru_cache
from pathlib import Path

from . import thai
from .model import Registry

# script → (characters, the language when the data does not say, languages written in it)
SCRIPTS = {
    "thai": ("\u0e00-\u0e7f", "th", {"th"}),
    "cjk": ("\u3005\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f", "zh",
            {"zh", "ja", "ko"}),
    "hangul": ("\u1100-\u11ff\u3130-\u318f\uac00-\ud7af", "ko", {"ko"}),
    "khmer": ("\u1780-\u17ff\u19e0-\u19ff", "km", {"km"}),
    "lao": ("\u0e80-\u0eff", "lo", {"lo"}),
    "myanmar": ("\u1000-\u109f\uaa60-\uaa7f", "my", {"my", "shn", "ksw"}),
    "tibetan": ("\u0f00-\u0fff", "bo", {"bo", "dz"}),
    "cyrillic": ("\u0400-\u04ff", "ru", {"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg"}),
    "devanagari": ("\u0900-\u097f", "hi", {"hi", "ne", "mr", "sa"}),
    "bengali": ("\u0980-\u09ff", "bn", {"bn", "as"}),
}
DIGIT_RE = re.compile("[0-9\u0e50-\u0e59]")
THAI_RE = re.compile("[\u0e00-\u0e7f]")
KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
# Inside a run: what may stand between two letters of the same script (Thai writes digits,
# abbreviation dots and dashes inside a phrase; the others only spaces and their own punctuation).
JOINERS = {"thai": r"[\s0-9.,:;\-–/]", "": r"[\s·、。「」・]"}
RUN_RE = re.compile("|".join(
    rf"(?P<{name}>[{chars}](?:{JOINERS.get(name, JOINERS[''])}*[{chars}])*" + (r"\.?" if name == "thai" else "") + ")"
    for name, (chars, _default, _langs) in SCRIPTS.items()))
ALL_SCRIPTS = "".join(chars for chars, _d, _l in SCRIPTS.values())
OTHER_THAN_THAI = "".join(chars for name, (chars, _d, _l) in SCRIPTS.items() if name != "thai")
# Vietnamese, in Latin letters (a partner's own name in a note, a Vietnamese office as a report's
# publisher): found by the letters that, of the site's languages, only Vietnamese writes (ă đ ơ ư and
# the tone-marked vowels of Latin Extended Additional), as whole words of a Vietnamese syllable's
# shape (Quảng Nam, Hồ Chí Minh). Tagged vi so that a screen reader does not read it as English or Thai.
VI_MARKS = "\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9"
VI_MARK_RE = re.compile(f"[{VI_MARKS}]")
_VI_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_VI_SYLLABLE = f"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[{_VI_VOWELS}]{{1,3}}(?:ch|ng|nh|[cmnpt])?"
_VI_WORD_RE = re.compile(r"[^\W\d_]+")   # a word of letters (for a text made only of Vietnamese words)
_VI_WORDS_RE = re.compile(f"(?<![\\w\\-'\u2019]){_VI_SYLLABLE}(?: {_VI_SYLLABLE})*(?![\\w\\-'\u2019])", re.IGNORECASE)

# A text (between two tags) with a letter of some script. Starting at ">" lets the regular expression
# engine skip to candidates quickly, and the possessive first part never backtracks over a text
# without one; it is all pages' text in about 25 ms.
TEXT_RE = re.compile(f">[^<{ALL_SCRIPTS}{VI_MARKS}]*+[{ALL_SCRIPTS}{VI_MARKS}][^<]*")
# Elements whose text is never shown as page text, or cannot hold a <span>.
SKIPPED_RE = re.compile(r"<(script|style|svg|textarea|option)\b")   # (<title> is only in <head> and <svg>)
OTHER_THAN_THAI_RE = re.compile(f"[{OTHER_THAN_THAI}]")
# Which texts need the language of the element they are in (to leave an already tagged name alone).
NEEDS_CONTEXT = {"th": re.compile(f"[{OTHER_THAN_THAI}{VI_MARKS}]"), "": re.compile(f"[{ALL_SCRIPTS}{VI_MARKS}]")}
LANG_ATTR_RE = re.compile(r'\slang="([^"]*)"')
TAG_NAME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9]*")
HTML_LANG_RE = re.compile(r'<html\b[^>]*\blang="([^"]*)"')


def _nowrap(m: re.Match) -> str:
    return f'<span class="nw">{m.group(0)}</span>'


def _elements(html: str, start: int):
    """(start, end) of every skipped element from `start` on."""
    for m in SKIPPED_RE.finditer(html, start):
        end = html.find(f"</{m.group(1)}>", m.end())
        yield m.start(), len(html) if end < 0 else end


def _between(regions, start: int, end: int):
    """The stretches of [start, end) outside the (possibly nested) regions."""
    pos = start
    for a, b in sorted(regions):
        if a > pos:
            yield pos, a
        pos = max(pos, b)
    if pos < end:
        yield pos, end


def primary(tag: str | None) -> str:
    return (tag or "").split("-")[0].lower()


def _trie_pattern(words: set[str]) -> str:
    return _trie_pattern_of(frozenset(words))


@lru_cache(maxsize=8)   # the preview server's rebuilds mostly have the same names
def _trie_pattern_of(words: frozenset[str]) -> str:
    """One regular expression for many words, as a trie: it tries each first letter once
    instead of every word at every position."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body
    return pattern(trie)


# The longest word or name kept on one line: a longer one than a phone's line holds (about twenty
# Thai letters in a heading) is left to the browser, or cut into the words it is made of.
LONGEST_KEPT = 20


# A Latin name inside Thai text ("Kota Kinabalu", "(Port Blair)", "The Phnom Penh Post", "WCAG 3.1.2"):
# two to four words, each capitalised or (after the first) a number, "of"/"de" allowed between them,
# with its brackets, not next to another Latin word. Kept on one line as Thai names are, if it is at
# most LONGEST_KEPT letters (a longer run of capitalised words is a title: it may break between words).
_WORD = "A-Za-z\u00c0-\u024f\u1e00-\u1eff0-9"
_LATIN = _WORD + ".\u2019'\\-"
_CAP = "[A-Z\u00c0-\u00de\u0110][" + _LATIN + "]*"
_NEXT = "[ \u00a0](?:(?:of|de|da|del) )?(?:" + _CAP + "|[0-9][0-9.\\-]*)"
LATIN_NAME_RE = re.compile(f"\\(?(?<![{_WORD}][ \u00a0])(?<![{_LATIN}]){_CAP}(?:{_NEXT}){{1,3}}\\)?(?![{_LATIN}]|{_NEXT})")


# A quick test before the costly one: a name starts with a capital (most Thai text has none).
_CAPITAL_RE = re.compile("[A-Z\u00c0-\u00de\u0110]")


def _latin_name_spans(text: str) -> list[tuple[int, int]]:
    """Where LATIN_NAME_RE's names short enough to keep together are in `text`."""
    if not _CAPITAL_RE.search(text):
        return []
    return [m.span() for m in LATIN_NAME_RE.finditer(text) if len(m.group(0).strip("()")) <= LONGEST_KEPT]


def _latin_names(text: str, langs: dict[str, str] | None = None) -> str:
    """Latin text between runs of other scripts in Thai text, its names (LATIN_NAME_RE) kept on one line."""
    out, pos = [], 0
    for a, b in _latin_name_spans(text):
        out += [text[pos:a], _no_break(text[a:b], langs)]
        pos = b
    return "".join(out) + text[pos:] if out else text


def _no_break(piece: str, langs: dict[str, str] | None = None) -> str:
    """A no-break span. A name in Latin letters that the data gives as a place's own name says its
    language too (Cần Thơ, vi), so that a screen reader does not read it as Thai or English."""
    lang = langs.get(piece.strip("() ")) if langs and not THAI_RE.search(piece) else None
    return f'<span class="nw" lang="{lang}">{piece}</span>' if lang else f'<span class="nw">{piece}</span>'


# English words of a Vietnamese syllable's shape that may open a sentence before a Vietnamese name.
_EN_BEFORE_A_NAME = frozenset("A An As At By He In It My No On So The Then To".split())


def _vietnamese_spans(text: str) -> list[tuple[int, int]]:
    """Where Vietnamese phrases are in `text`: runs of words of a syllable's shape (_VI_WORDS_RE), cut
    at a lowercase word in plain ASCII letters (English "to", "the"), without a leading English word
    ("In Quảng Trị"), each holding a Vietnamese letter. Tam Kỳ and Quảng Nam stay whole; Kiên Giang,
    with no such letter, is not found here (the data's own names are: _no_break). A text that is all
    Vietnamese-shaped words, most with marks, none an English word of that shape (a Vietnamese
    report's title), is one phrase, punctuation and all."""
    words = _VI_WORD_RE.findall(text)
    if (len(words) >= 4 and sum(not w.isascii() for w in words) >= 0.6 * len(words)
            and not any(w.capitalize() in _EN_BEFORE_A_NAME for w in words)
            and all(_VI_WORDS_RE.fullmatch(w) for w in words)):
        stripped = text.strip()
        start = text.index(stripped)
        return [(start, start + len(stripped))]
    spans = []
    for m in _VI_WORDS_RE.finditer(text):
        run, pos = [], m.start()   # each word of the run: (start, end, a lowercase plain-ASCII word?)
        for word in m.group(0).split(" "):
            run.append((pos, pos + len(word), word.isascii() and word.islower()))
            pos += len(word) + 1
        run.append((pos, pos, True))   # (the end of the run ends the last phrase)
        phrase: list[tuple[int, int, bool]] = []
        for word in run:
            if not word[2]:
                phrase.append(word)
                continue
            while phrase and text[phrase[0][0]:phrase[0][1]] in _EN_BEFORE_A_NAME:
                phrase.pop(0)
            if phrase and VI_MARK_RE.search(text, phrase[0][0], phrase[-1][1]):
                spans.append((phrase[0][0], phrase[-1][1]))
            phrase = []
    return spans


class _LangRegions:
    """The elements of one stretch of a page that have a lang attribute: the content of each as
    (start, end), in the order they open, with the innermost one around it (its parent), so
    that the element around any text is found in a few steps (a since page has hundreds)."""

    def __init__(self, segment: str):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.langs: list[str] = []
        self.parents: list[int] = []
        open_: list[int] = []
        pos = 0
        while (at := segment.find(' lang="', pos)) >= 0:
            pos = at + 7
            opening, close = segment.rfind("<", 0, at), segment.find(">", at)
            name = TAG_NAME_RE.match(segment, opening + 1) if opening >= 0 else None
            if name is None or close < 0 or segment.find(">", opening, at) >= 0:
                continue   # (not in a tag)
            start = close + 1
            while open_ and self.ends[open_[-1]] <= start:
                open_.pop()
            self.parents.append(open_[-1] if open_ else -1)
            open_.append(len(self.starts))
            self.starts.append(start)
            self.ends.append(_closing_tag(segment, name.group(0), start))
            self.langs.append(primary(segment[pos:segment.find('"', pos)]))

    def around(self, pos: int, default: str) -> str:
        """The language of the innermost of these elements around `pos`, else `default`."""
        i = bisect.bisect_right(self.starts, pos) - 1
        while i >= 0 and self.ends[i] <= pos:
            i = self.parents[i]   # (that one ended before pos: the one around it may not have)
        return self.langs[i] if i >= 0 else default


def _closing_tag(segment: str, name: str, start: int) -> int:
    """Where the element named `name` whose content starts at `start` ends (its closing tag)."""
    depth = 1
    for m in _tag_re(name).finditer(segment, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return len(segment)


@lru_cache(maxsize=64)
def _tag_re(name: str) -> re.Pattern:
    return re.compile(f"<(/?){name}[\\s>/]")


# An English date as thai.date and thai.month write it ("4 January 2019", "August 1989"), or with the
# month short as the strings and content/ also write it ("4 Jan 2019"): a phone's line must not end
# between its parts (a no-break span, as Thai dates have). Found by the month and year, then the day
# before it: a pattern that starts with a set of letters is scanned for quickly (an optional day
# first would make the scan of every English page ten times slower).
_EN_MONTH_WORDS = frozenset(thai.EN_MONTHS + thai.EN_MONTHS_SHORT)
_EN_MONTH_YEAR_RE = re.compile(f"[{''.join(sorted({m[0] for m in _EN_MONTH_WORDS}))}]"
                               f"(?:{'|'.join(sorted({m[1:] for m in _EN_MONTH_WORDS}, key=lambda m: (-len(m), m)))})"
                               "[ \u00a0][0-9]{4}(?![0-9A-Za-z])")
_EN_DAY_RE = re.compile("(?<![0-9])[0-9]{1,2}[ \u00a0]$")


def _latin_text(text: str, context: str, langs: dict[str, str]) -> str:
    """Text in Latin script (or none) between runs of other scripts: in Thai text, its names kept
    on one line."""
    return _latin_names(text, langs) if context == "th" else text


def _english_dates(html: str) -> str:
    """English dates in the text of `html` (not in an attribute's value) in no-break spans."""
    out, pos = [], 0
    for m in _EN_MONTH_YEAR_RE.finditer(html):
        start = m.start()
        if (m.group(0)[:-5] not in _EN_MONTH_WORDS or (start and html[start - 1].isalnum())
                or html.rfind("<", 0, start) > html.rfind(">", 0, start)):
            continue   # not a month ("Day 2019"), a longer word, or inside a tag
        day = _EN_DAY_RE.search(html, max(pos, start - 3), start)
        start = day.start() if day else start
        out += [html[pos:start], f'<span class="nw">{html[start:m.end()]}</span>']
        pos = m.end()
    return "".join(out) + html[pos:] if out else html


def listed_lines(path: Path) -> list[str]:
    """The non-empty, non-comment lines of a word list in data/ (none when the file is absent)."""
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def words_chromium_splits(root: Path) -> tuple[str, ...]:
    """Dictionary words Chromium would break inside, and pairs of words it breaks between wrongly
    ('การ บูรณาการ'), from data/thai_breaks.txt (scripts/thai_breaks.py)."""
    return tuple(listed_lines(root / "data" / "thai_breaks.txt"))


def phrases_kept_together(root: Path) -> tuple[str, ...]:
    """Phrases kept on one line for another reason (data/keep_together.txt, by hand)."""
    return tuple(listed_lines(root / "data" / "keep_together.txt"))


@lru_cache(maxsize=1)
def short_words() -> frozenset[str]:
    """PyThaiNLP's dictionary less its words longer than LONGEST_KEPT: a long compound
    (สำนักงานคณะกรรมการพัฒนาการเศรษฐกิจและสังคมแห่งชาติ) is then cut into the words it is made of,
    and a line may break between those, never inside one."""
    return frozenset(w for w in thai._dictionary() if len(w) <= LONGEST_KEPT)


# Thai letters (no digits, spaces or punctuation): each run of them is segmented on its own, so that
# what stands around a word never changes how it is cut (and nlpO3 cuts exactly as PyThaiNLP does).
THAI_LETTERS_RE = re.compile("[\u0e01-\u0e4e]+")


def thai_words_at(text: str) -> list[tuple[str, int, int]]:
    """Each Thai word of `text` with where it starts and ends, as typesetting cuts them: newmm with
    short_words, each run of Thai letters on its own."""
    segment = thai.segmenter(short_words())
    out = []
    for m in THAI_LETTERS_RE.finditer(text):
        at = m.start()
        for w in segment(m.group(0)):
            out.append((w, at, at + len(w)))
            at += len(w)
    return out


def thai_words_of(text: str) -> tuple[str, ...]:
    """The Thai words of `text` as typesetting cuts them (scripts/thai_breaks.py and
    tests/test_line_breaking.py use it too)."""
    return tuple(w for w, _a, _b in thai_words_at(text))


def typesetter_for(registry: Registry, words: tuple[str, ...] = (), phrases: tuple[str, ...] = ()) -> "Typesetter":
    """The Typesetter of the registry's names and these word lists: the last build's, with what it
    worked out per text, when they are the same (a preview rebuild after most edits), else a new one."""
    names, native_langs = names_and_languages(registry)
    return _typesetter(names, tuple(native_langs.items()), words, phrases)


@lru_cache(maxsize=1)
def _typesetter(names: frozenset[str], native_langs: tuple[tuple[str, str], ...], words: tuple[str, ...],
                phrases: tuple[str, ...]) -> "Typesetter":
    return Typesetter.of_names(names, dict(native_langs), words, phrases)


def names_and_languages(registry: Registry, extra_names: tuple[str, ...] = ()) -> tuple[frozenset[str], dict[str, str]]:
    """The Thai names kept on one line, and each own-script name with its language, that the data holds."""
    native_langs: dict[str, str] = {}
    thai_names: set[str] = set(thai.NAMED_TERMS)
    for country in registry.countries:
        if country.name_native and country.lang:
            native_langs[country.name_native] = country.lang
        thai_names.update(thai.names_in(country.name_th) + thai.names_in(country.formal_th))
    for province in registry.provinces:
        thai_names.update(thai.names_in(province.name_th))
    for pair in registry.pairs:
        p = pair.partner
        if p.name_native and p.lang:
            native_langs.setdefault(p.name_native, p.lang)
            for alt in p.alt_names:
                if not alt.isascii() and not THAI_RE.search(alt):
                    native_langs.setdefault(alt, p.lang)
        thai_names.update(thai.names_in(p.name_th) + thai.names_in(p.parent_th or ""))
    # The partners of relations outside the list (other sources', and those reported since it): their
    # names are in event and relation titles and notes as much as the list's are (review item 6).
    for rel in (*getattr(registry, "other_relations", ()), *getattr(registry, "later_relations", ())):
        p = rel.partner
        if p.name_native and p.lang:
            native_langs.setdefault(p.name_native, p.lang)
        thai_names.update(thai.names_in(p.name_th) + thai.names_in(p.parent_th or ""))
    for name in extra_names:
        thai_names.update(thai.names_in(name))
    # Short names are single syllables a browser never cuts; longer ones than a phone's heading
    # holds on one line (about 20 letters) are left to the browser.
    return frozenset(n for n in thai_names if 3 < len(n) <= LONGEST_KEPT), native_langs


class Typesetter:
    """The pass for one build: the data's own-script names and Thai names, and a cache per text."""

    def __init__(self, registry: Registry, extra_names: tuple[str, ...] = (), words: tuple[str, ...] = (),
                 phrases: tuple[str, ...] = ()):
        names, native_langs = names_and_languages(registry, extra_names)
        self._setup(names, native_langs, words, phrases)

    @classmethod
    def of_names(cls, thai_names: frozenset[str], native_langs: dict[str, str], words: tuple[str, ...] = (),
                 phrases: tuple[str, ...] = ()) -> "Typesetter":
        self = cls.__new__(cls)
        self._setup(thai_names, native_langs, words, phrases)
        return self

    def _setup(self, thai_names: frozenset[str], native_langs: dict[str, str], words: tuple[str, ...],
               phrases: tuple[str, ...]) -> None:
        self.native_langs = native_langs
        self._thai_names, self._phrases = thai_names, phrases
        # An entry is a word, or two words Chromium cuts between wrongly ("กา|รบูรณาการ" in การบูรณาการ).
        self.split_words = frozenset(w for w in words if " " not in w and len(w) <= LONGEST_KEPT)
        self.split_pairs = frozenset(tuple(w.split(" ", 1)) for w in words if " " in w)
        # A quick test before segmenting: does a text hold any of them at all?
        candidates = set(self.split_words) | {a + b for a, b in self.split_pairs}
        self._candidates = candidates
        self._text = lru_cache(maxsize=None)(self._typeset_text)
        self._plain: dict[str, dict[str, str]] = {}

    # The patterns are made and compiled when first used (0.1 s): a build whose pages all come from
    # the build cache typesets nothing.
    @cached_property
    def _names(self) -> str:
        names = _trie_pattern(set(self._thai_names))
        if self._phrases:
            names = "|".join([re.escape(p) for p in sorted(self._phrases, key=len, reverse=True)] + [names])
        return names

    @cached_property
    def maybe_split_word(self) -> re.Pattern | None:
        return re.compile(_trie_pattern(self._candidates)) if self._candidates else None

    @cached_property
    def unbreakable(self) -> re.Pattern:
        return re.compile(f"{thai.UNBREAKABLE_PATTERN}|{self._names}")

    @cached_property
    def unbreakable_names(self) -> re.Pattern:   # for text without digits (most): no era or count
        return re.compile(self._names)

    def prepare(self) -> None:
        """Compile the patterns and load the segmenter's dictionary (otherwise done by the first
        page that needs them): a forked helper then shares them."""
        _compiled = self.unbreakable, self.unbreakable_names
        if self.maybe_split_word is not None:
            thai.segmenter(short_words())

    def page(self, html: str, lang: str | None = None) -> str:
        """The page with its parts' languages tagged and its unbreakable units marked."""
        body = html.find("<body")
        if body < 0:
            return html
        if lang is None:
            m = HTML_LANG_RE.search(html, 0, body)
            lang = m.group(1) if m else ""
        lang = primary(lang)
        needs_context = NEEDS_CONTEXT["th" if lang == "th" else ""]
        plain = self._plain.setdefault(lang, {})    # text → its result where its element's lang does not matter

        def typeset(segment: str) -> str:
            regions: _LangRegions | None = None   # (found when a text first needs them)

            def text(m: re.Match) -> str:
                nonlocal regions
                chunk = m.group(0)                  # ">" and the text after it
                result = plain.get(chunk)
                if result is None:                  # first seen: does its element's lang matter?
                    result = plain[chunk] = False if needs_context.search(chunk) else self._plain_text(chunk, lang)
                if result is False:
                    # the lang of the element the text is directly in, if its opening tag says so,
                    # else of the innermost element around it that says one (<blockquote lang="th"><p>)
                    tag = segment[segment.rfind("<", 0, m.start()) + 1:m.start()]
                    found = LANG_ATTR_RE.search(tag) if not tag.startswith("/") else None
                    if found:
                        context = primary(found.group(1))
                    else:
                        regions = regions or _LangRegions(segment)
                        context = regions.around(m.start(), lang)
                    return ">" + self._text(chunk[1:], context)
                return result
            done = TEXT_RE.sub(text, segment)
            return _english_dates(done) if lang == "en" else done

        # Only the text between the skipped elements is searched (maps' SVG is half of all pages' bytes).
        out, pos = [html[:body]], body
        for start, end in _between(_elements(html, body), body, len(html)):
            out += [html[pos:start], typeset(html[start:end])]
            pos = end
        out.append(html[pos:])
        return "".join(out)

    def _plain_text(self, chunk: str, lang: str) -> str:
        """">" and a text whose element's lang does not matter, typeset. Most come out unchanged:
        those are kept as the very string they came in as, which at 10,000 pairs saves a copy of
        every such text of the site (BENCHMARKS.md)."""
        text = chunk[1:]
        done = self._typeset_text(text, lang)
        return chunk if done == text else ">" + done

    def _typeset_text(self, text: str, context: str) -> str:
        """One text, in an element whose language is `context`."""
        if context != "vi" and VI_MARK_RE.search(text):
            return self._with_vietnamese(text, context)
        return self._typeset_scripts(text, context)

    def _with_vietnamese(self, text: str, context: str) -> str:
        """A text with Vietnamese phrases in it: each tagged vi (kept on one line in Thai text, as a
        Latin name is, if short), the rest typeset as any text."""
        out, pos = [], 0
        for a, b in _vietnamese_spans(text):
            keep = context == "th" and b - a <= LONGEST_KEPT
            if keep and a > pos and text[a - 1] == "(" and text[b:b + 1] == ")":
                a, b = a - 1, b + 1   # (its brackets on its line too, as a Latin name's: LATIN_NAME_RE)
            phrase = text[a:b]
            out += [self._typeset_scripts(text[pos:a], context) if a > pos else "",
                    f'<span class="nw" lang="vi">{phrase}</span>' if keep else f'<span lang="vi">{phrase}</span>']
            pos = b
        out.append(self._typeset_scripts(text[pos:], context) if pos < len(text) else "")
        return "".join(out)

    def _typeset_scripts(self, text: str, context: str) -> str:
        """A text's runs of other scripts tagged, and in Thai text what must not break kept together."""
        if context == "th" and not OTHER_THAN_THAI_RE.search(text):
            return self.keep_together(text)       # most text on Thai pages
        out, last = [], 0
        for m in RUN_RE.finditer(text):
            script, run = m.lastgroup, m.group(0)
            lang = self.lang_of(script, run)
            if script == "cjk":   # trust a CJK element's own lang, unless Kana says Japanese
                fits = context in SCRIPTS["cjk"][2] and (context == "ja" or not KANA.search(run))
            else:
                fits = context in SCRIPTS[script][2]
            piece = self.keep_together(run) if script == "thai" else run
            out += [_latin_text(text[last:m.start()], context, self.native_langs),
                    piece if fits else f'<span lang="{lang}">{piece}</span>']
            last = m.end()
        out.append(_latin_text(text[last:], context, self.native_langs))
        return "".join(out)

    def lang_of(self, script: str, run: str) -> str:
        """The language of a run of one script: the data's, else the script's."""
        if script == "thai":
            return "th"
        known = self.native_langs.get(run)
        if known:
            return known
        if script == "cjk" and KANA.search(run):
            return "ja"
        for name, lang in self.native_langs.items():
            if name in run or (len(run) > 1 and run in name):
                if primary(lang) in SCRIPTS[script][2]:
                    return lang
        return SCRIPTS[script][1]

    def keep_together(self, run: str) -> str:
        """Thai text with its names, eras, counts and the words Chromium would cut in no-break spans
        (a name and a word that overlap, สำนักงานปลัดกระทรวง + กระทรวงมหาดไทย, share one span)."""
        pattern = self.unbreakable if DIGIT_RE.search(run) else self.unbreakable_names
        spans = sorted([m.span() for m in pattern.finditer(run)] + self.words_kept_together(run)
                       + _latin_name_spans(run))
        if not spans:
            return run
        out, pos = [], 0
        merged = [list(spans[0])]
        for a, b in spans[1:]:
            if a < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        for a, b in merged:
            out += [run[pos:a], _no_break(run[a:b], self.native_langs)]
            pos = b
        out.append(run[pos:])
        return "".join(out)

    def words_kept_together(self, text: str) -> list[tuple[int, int]]:
        """Where the entries of data/thai_breaks.txt are in `text`. The words are found by segmenting
        the text as PyThaiNLP does (not by matching the list, which would find การขับ in
        แนวทางการขับเคลื่อน and leave ขับเคลื่อน to be cut)."""
        if self.maybe_split_word is None or not self.maybe_split_word.search(text):
            return []
        words = thai_words_at(text)
        spans = []
        for i, (w, a, b) in enumerate(words):
            if w in self.split_words:
                spans.append((a, b))
            if i + 1 < len(words) and (w, words[i + 1][0]) in self.split_pairs and words[i + 1][1] == b:
                spans.append((a, words[i + 1][2]))
        return spans
