"""The one place for Thai text: digits, eras, dates, collation and word segmentation.

Everything here is built on PyThaiNLP. Its tokenizer loads a dictionary (about half a
second), so it is imported lazily and only by the code that segments text (search).
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Callable, Iterable, TypeVar

from pythainlp.util import arabic_digit_to_thai_digit, collate, thai_digit_to_arabic_digit
from pythainlp.util import thai_strftime

T = TypeVar("T")

BE_OFFSET = 543  # Buddhist era = Common Era + 543

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December")


def thai_digits(text: str | int) -> str:
    """'2562' -> '๒๕๖๒' (other characters untouched)."""
    return arabic_digit_to_thai_digit(str(text))


def arabic_digits(text: str) -> str:
    """'๒๕๖๒' -> '2562' (other characters untouched)."""
    return thai_digit_to_arabic_digit(text)


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


@lru_cache(maxsize=256)  # the registry's date is printed twice on every page
def date(value: _dt.date, lang: str) -> str:
    """'๔ มกราคม ๒๕๖๒' or '4 January 2019'."""
    if lang == "th":
        return thai_strftime(_dt.datetime(value.year, value.month, value.day), "%-d %B %Y", thaidigit=True)
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def month(year_ce: int, month_no: int, lang: str) -> str:
    """'สิงหาคม ๒๕๓๒' or 'August 1989'."""
    if lang == "th":
        return thai_strftime(_dt.datetime(year_ce, month_no, 1), "%B %Y", thaidigit=True)
    return f"{_EN_MONTHS[month_no - 1]} {year_ce}"


def sort_thai(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Sort in Thai dictionary order (leading vowels and tone marks handled by PyThaiNLP)."""
    items = list(items)
    rank = {word: i for i, word in enumerate(collate({key(x) for x in items}))}
    return sorted(items, key=lambda x: rank[key(x)])


@lru_cache(maxsize=1)
def _tokenizer():
    # Lazy: loading the dictionary costs ~0.5 s; only search indexing needs it.
    from pythainlp.tokenize import word_tokenize
    return word_tokenize


def segment(text: str) -> list[str]:
    """Split Thai text into words (the same function for the index and for the query set)."""
    return [w for w in _tokenizer()(text, keep_whitespace=False) if w.strip()]
