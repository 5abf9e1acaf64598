"""The one place for Thai text: digits, eras, dates, collation and word segmentation.

Built on PyThaiNLP, whose package a build never imports: importing it takes about 0.1 s (it loads
every part of it), so dates and collation do without it, and its collation, dictionary and
provinces are read from its own files (tests/test_thai.py checks they agree with it). Word segmentation (the search index, and
typesetting's no-break spans) runs PyThaiNLP's newmm compiled, nlpO3, with PyThaiNLP's dictionary
(`segmenter`).
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


# Digits are a one-to-one mapping (as pythainlp.util's converters do it, checked in tests/test_thai.py).
_TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

BE_OFFSET = 543  # Buddhist era = Common Era + 543

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December")


def thai_digits(text: str | int) -> str:
    """'2562' -> '๒๕๖๒' (other characters untouched)."""
    return str(text).translate(_TO_THAI_DIGITS)


def arabic_digits(text: str) -> str:
    """'๒๕๖๒' -> '2562' (other characters untouched)."""
    return text.translate(_TO_ARABIC_DIGITS)


def be_to_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def ce_to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def number(n: int | str, lang: str) -> str:
    """A number as a Thai page prints it (Thai digits) or an English page (Arabic, grouped)."""
    if isinstance(n, int):
        text = f"{n:,}"
    else:
        text = str(n)
    return thai_digits(text) if lang == "th" else text


def year(year_be: int, lang: str, *, both: bool = False) -> str:
    """A year: 'พ.ศ. ๒๕๓๒' on Thai pages, '1989' on English pages; `both` adds the other era."""
    ce = be_to_ce(year_be)
    if lang == "th":
        text = f"พ.ศ. {thai_digits(year_be)}"
        return f"{text} (ค.ศ. {thai_digits(ce)})" if both else text
    return f"{ce} (B.E. {year_be})" if both else str(ce)


# The months as PyThaiNLP's thai_strftime writes them (%B: THAI_MONTHS, below, and %b;
# tests/test_thai.py compares).
_TH_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


@lru_cache(maxsize=256)  # the registry's date is printed twice on every page
def date(value: _dt.date, lang: str) -> str:
    """'๔ มกราคม ๒๕๖๒' or '4 January 2019'."""
    if lang == "th":
        return thai_digits(f"{value.day} {THAI_MONTHS[value.month - 1]} {ce_to_be(value.year)}")
    return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"


NBSP = "\u00a0"
EN_MONTHS_SHORT = tuple(m[:3] for m in EN_MONTHS)


@lru_cache(maxsize=16)
def date_short(value: _dt.date, lang: str) -> str:
    """'๔ ม.ค. ๒๕๖๒' or '4 Jan 2019', with no-break spaces: a compact date never breaks across lines."""
    if lang == "th":
        text = thai_digits(f"{value.day} {_TH_MONTHS_SHORT[value.month - 1]} {ce_to_be(value.year)}")
    else:
        text = f"{value.day} {EN_MONTHS_SHORT[value.month - 1]} {value.year}"
    return text.replace(" ", NBSP)


def month(year_ce: int, month_no: int, lang: str) -> str:
    """'สิงหาคม ๒๕๓๒' or 'August 1989'."""
    if lang == "th":
        return thai_digits(f"{THAI_MONTHS[month_no - 1]} {ce_to_be(year_ce)}")
    return f"{EN_MONTHS[month_no - 1]} {year_ce}"


def sort_thai(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Sort in Thai dictionary order (leading vowels and tone marks handled by PyThaiNLP)."""
    items = list(items)
    rank = {word: i for i, word in enumerate(_collate()({key(x) for x in items}))}
    return sorted(items, key=lambda x: rank[key(x)])


@lru_cache(maxsize=1)
def _collate() -> Callable[[Iterable[str]], list[str]]:
    """PyThaiNLP's collate, read from its own module (pythainlp/util/collate.py needs only `re`)
    without running its package's __init__, which imports all of PyThaiNLP."""
    import importlib.util
    folder = _pythainlp_folder()
    module_spec = importlib.util.spec_from_file_location("_pythainlp_collate", f"{folder}/util/collate.py") if folder else None
    if module_spec and module_spec.loader:
        try:
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            return module.collate
        except (OSError, ImportError):
            pass
    from pythainlp.util import collate   # (a PyThaiNLP laid out otherwise)
    return collate


@lru_cache(maxsize=1)
def _pythainlp_folder() -> str | None:
    """Where PyThaiNLP is installed, found without importing it."""
    import importlib.util
    spec = importlib.util.find_spec("pythainlp")
    return next(iter(spec.submodule_search_locations or []), None) if spec else None


@lru_cache(maxsize=4)
def corpus_lines(filename: str) -> tuple[str, ...]:
    """The lines of one of PyThaiNLP's corpus files, as its get_corpus_as_is reads them, read
    without importing PyThaiNLP (importing its package takes about 0.05-0.1 s of every build;
    tests/test_thai.py checks that the words and provinces are PyThaiNLP's own)."""
    folder = _pythainlp_folder()
    try:
        with open(f"{folder}/corpus/{filename}", encoding="utf-8-sig") as f:
            return tuple(f.read().splitlines())
    except (OSError, TypeError):   # (a PyThaiNLP laid out otherwise)
        from pythainlp.corpus import get_corpus_as_is
        return tuple(get_corpus_as_is(filename))


def provinces() -> list[dict[str, str]]:
    """PyThaiNLP's provinces of Thailand (pythainlp.corpus.provinces(details=True)): name_th,
    abbr_th, name_en, abbr_en, skipping the lines it skips (blank, or with a field missing)."""
    out = []
    for line in corpus_lines("thailand_provinces_th.csv"):
        parts = line.split(",")
        if len(parts) >= 4 and all(p.strip() for p in parts[:4]):
            out.append(dict(zip(("name_th", "abbr_th", "name_en", "abbr_en"), parts[:4])))
    return out


# ---------------------------------------------------------------- word segmentation

class WordSet:
    """PyThaiNLP's dictionary for its newmm tokenizer as a set instead of its Trie. newmm asks a
    dictionary only for `prefixes(text, start)` (and its length); building the Trie of 62,000
    words costs about 0.3 s per process, a set about 10 ms. Words are grouped by their first two
    characters, so a lookup tries only the lengths that can match. Checked against the Trie in
    tests/test_search.py. (The reference segmenter's dictionary: see `segmenter`.)"""

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(w for w in words if w)
        lengths: dict[str, set[int]] = {}
        for w in self.words:
            lengths.setdefault(w[:2], set()).add(len(w))
        self.lengths = {k: sorted(v) for k, v in lengths.items()}

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        out = []
        if text[start:start + 1] in self.words:
            out.append(text[start])
        n = len(text)
        for k in self.lengths.get(text[start:start + 2], ()):
            if start + k > n:
                break
            if k > 1 and text[start:start + k] in self.words:
                out.append(text[start:start + k])
        return out


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """PyThaiNLP's dictionary (pythainlp.corpus.thai_words). Lazy: only the code that segments text needs it."""
    return frozenset(filter(None, corpus_lines("words_th.txt")))


def reference_segmenter(words: frozenset[str]) -> Callable[[str], tuple[str, ...]]:
    """PyThaiNLP's own newmm (pure Python) with `words` as its dictionary: what `segmenter` must
    cut the same as (tests/test_thai.py), and what it falls back on without nlpO3."""
    from pythainlp.tokenize import word_tokenize
    as_set = WordSet(words)
    return lambda text: tuple(w for w in word_tokenize(text, custom_dict=as_set, keep_whitespace=False) if w.strip())


def _compiled_segmenter(words: frozenset[str]) -> Callable[[str], tuple[str, ...]] | None:
    """nlpO3's newmm (PyThaiNLP's algorithm in Rust, 50-100 times faster; loading a dictionary
    of 62,000 words takes about 0.1 s), or None where nlpO3 is not installed."""
    try:
        import nlpo3
    except ImportError:
        return None
    import os
    import tempfile
    name = f"portal-{os.getpid()}-{len(_LOADED)}"   # nlpO3 never replaces a loaded dictionary's name
    try:   # nlpO3 reads its dictionary from a file
        fd, path = tempfile.mkstemp(suffix=".txt")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write("\n".join(w for w in words if w and "\n" not in w))
            nlpo3.load_dict(path, name)
        finally:
            os.unlink(path)
    except OSError:   # no room in TMPDIR, a file size limit: PyThaiNLP's own cuts the same, slower
        return None
    _LOADED.append(name)
    return lambda text: tuple(w for w in nlpo3.segment(text, name) if w.strip())


_LOADED: list[str] = []


@lru_cache(maxsize=4)
def segmenter(words: frozenset[str]) -> Callable[[str], tuple[str, ...]]:
    """A function that splits a run of Thai letters into words by PyThaiNLP's newmm with `words`
    as its dictionary: compiled (nlpO3) where installed, else PyThaiNLP's own. Give it runs of Thai
    letters only (typeset.thai_words_at, search's Thai runs): around punctuation, digits or Latin the
    two cut differently (tests/test_thai.py compares them on the site's runs). Each run's cut is
    remembered with the dictionary, so a rebuild segments only new text."""
    return lru_cache(maxsize=None)(_compiled_segmenter(words) or reference_segmenter(words))


@lru_cache(maxsize=4)   # (the union with the dictionary's 62,000 words alone takes 4 ms)
def word_segmenter(extra_words: frozenset[str]) -> Callable[[str], tuple[str, ...]]:
    """The search index's segmenter: PyThaiNLP's dictionary plus `extra_words` (names it does not know)."""
    return segmenter(_dictionary() | extra_words)


# ---------------------------------------------------------------- line breaking (portal/typeset.py)

# Classifiers and units a number is counted in: "๓ คู่" must not break between number and unit.
COUNT_UNITS = ("คู่", "จังหวัด", "ประเทศ", "แห่ง", "ครั้ง", "ปี", "เดือน", "วัน", "เมือง", "รายการ", "ฉบับ", "ข้อ",
               "คน", "หน่วย", "ภูมิภาค", "มณฑล", "ผลลัพธ์", "กิจกรรม", "โครงการ", "ด้าน", "ระดับ", "ขั้นตอน",
               "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")

# Terms that are one name although the dictionary cuts them (a browser may break at each cut).
NAMED_TERMS = ("เมืองพี่เมืองน้อง", "เมืองพี่น้อง", "เมืองคู่มิตร", "เมืองคู่แฝด", "กระทรวงมหาดไทย",
               "กระทรวงการต่างประเทศ", "ผู้ว่าราชการจังหวัด", "การทูตประชารัฐ", "คณะรัฐมนตรี")

THAI_LETTERS = "\u0e01-\u0e4e"   # consonants, vowels and tone marks (not digits or ฯ/๏)
THAI_DIGITS = "\u0e50-\u0e59"

THAI_MONTHS = COUNT_UNITS[-12:]

# A date (๔ มกราคม ๒๕๖๒, มกราคม ๒๕๖๒), a year with its era or a month abbreviation (พ.ศ. ๒๕๓๒, ส.ค. ๒๕๖๑),
# or a number with its unit (๓ คู่).
UNBREAKABLE_PATTERN = (
    rf"(?:[{THAI_DIGITS}0-9]{{1,2}}\s)?(?:{'|'.join(THAI_MONTHS)})\s[{THAI_DIGITS}0-9]{{4}}"
    rf"|[{THAI_LETTERS}]{{1,2}}\.[{THAI_LETTERS}]{{1,2}}\.\s?[{THAI_DIGITS}0-9]{{2,4}}"
    rf"|[{THAI_DIGITS}0-9][{THAI_DIGITS}0-9,.]*\s?(?:{'|'.join(sorted(COUNT_UNITS, key=len, reverse=True))})")


# Words that say what kind of place a name is: a line may break after them ("เขตปกครองตนเอง|สิบสองปันนา").
PLACE_WORDS = ("เขตปกครองตนเองชนชาติ", "เขตปกครองตนเอง", "เขตบริหารพิเศษ", "จังหวัด", "มณฑล", "เมือง", "นคร",
               "มลรัฐ", "รัฐ", "กรุง", "เขต", "แขวง", "เทศบาล", "ภูมิภาค", "ดินแดน", "อำเภอ", "เกาะ",
               "สาธารณรัฐประชาธิปไตยประชาชน", "สาธารณรัฐประชาชน", "สาธารณรัฐแห่งสหภาพ", "สาธารณรัฐ",
               "ราชอาณาจักร", "สหพันธรัฐ", "เครือรัฐ")


def names_in(text: str) -> list[str]:
    """The names in a Thai place name, each to be kept on one line: its space-separated words, less
    the word that says what kind of place it is ('เมืองอูโอซุ จังหวัดโทยามะ' → อูโอซุ, โทยามะ)."""
    out = []
    for word in text.split():
        if not any("\u0e01" <= c <= "\u0e4e" for c in word):
            continue
        for prefix in PLACE_WORDS:
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                word = word[len(prefix):]
                break
        out.append(word)
    return out
