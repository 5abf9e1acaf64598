"""The limits input must keep, in one place (documented in docs/DATA.md, "Limits").

Each is checked before the work it protects: file sizes before a file is parsed, YAML nesting and
alias expansion on the parser's event stream before any value is built, Markdown nesting on the
text before Markdown parses it, and the conversion of one document within a CPU budget (what the
checks on the text do not foresee). Each is far above what the real data and content need (given
in the comments) and far below what makes the build slow, recursive or crash.
"""
from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager

MAX_DATA_FILE_BYTES = 64 * 2**20      # a YAML file of data/; the 10,000-pair test registry is about 15 MB
MAX_CONTENT_FILE_BYTES = 2 * 2**20    # a Markdown file of content/; the longest is about 110 kB
MAX_ID = 80                           # characters of an id, slug or anchor: a file name and a URL part (real: 42)
MAX_STRING = 5000                     # characters of one YAML string (real: 434)
MAX_YAML_DEPTH = 32                   # lists and mappings inside each other (real: 4)
MAX_ALIAS_NODES = 10_000              # values YAML aliases (*name) may repeat in one file (real: 0)
MAX_MARKDOWN_DEPTH = 12               # nested lists and block quotes (real: 2)
MAX_LINK_OPENERS = 200                # '[' in one paragraph of Markdown (real: 15). Python-Markdown's link parser
                                      # scans ahead from each one, so its time grows with their square: 4,000
                                      # take 6 s, a line of 50,000 would take minutes
MARKDOWN_SECONDS = 3.0                # CPU seconds converting one document may take (real: 0.1 s, the English
                                      # handbook); a guard for what the checks on the text do not foresee
MARKDOWN_INDENT = 4                   # columns per level of a Markdown list (Python-Markdown's tab length)
EXCERPT = 40                          # characters of a bad value shown in an error message

# Characters no text of the portal may contain: control characters (C0 but tab, line feed and
# carriage return; DEL; C1) and the bidirectional embeddings, overrides and isolates, which can
# make a name read differently from what it is (Trojan Source, CVE-2021-42574); and invisible
# ones that make two names look the same but differ (in search, in a sort, in an id): the zero
# width space U+200B, the word joiner U+2060, the byte-order mark U+FEFF (inside a text, or at a
# file's start), the Mongolian vowel separator U+180E, and the noncharacters U+FDD0–U+FDEF,
# U+FFFE, U+FFFF. The marks U+200E/U+200F are allowed: they change no order of characters; so
# are the joiners U+200C/U+200D, which Persian, the Indic scripts and emoji need.
FORBIDDEN_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                            "\u200b\u2060\ufeff\u180e\ufdd0-\ufdef\ufffe\uffff]")


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A bad value as an error message shows it: like its repr, cut to `limit` characters. A
    value built from YAML aliases can be huge, so its repr is never made in full."""
    text = _short_repr(value, limit + 1, 3)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _short_repr(value: object, room: int, depth: int) -> str:
    if isinstance(value, (str, bytes)):
        return repr(value[:room])
    if isinstance(value, dict):
        if depth == 0 or not value:
            return "{…}" if value else "{}"
        parts = []
        for k, v in value.items():
            parts.append(f"{_short_repr(k, room, depth - 1)}: {_short_repr(v, room, depth - 1)}")
            if sum(map(len, parts)) > room:
                break
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, (list, tuple)):
        if depth == 0 or not value:
            return "[…]" if value else "[]"
        parts = []
        for v in value:
            parts.append(_short_repr(v, room, depth - 1))
            if sum(map(len, parts)) > room:
                break
        return "[" + ", ".join(parts) + "]"
    return repr(value)[:room]


def char_name(ch: str) -> str:
    import unicodedata
    noncharacter = "\ufdd0" <= ch <= "\ufdef" or ch in "\ufffe\uffff"
    name = unicodedata.name(ch, "") or {"\x00": "NUL"}.get(ch, "a noncharacter" if noncharacter else "a control character")
    return f"U+{ord(ch):04X} ({name})"


def forbidden_char(text: str) -> tuple[int, str] | None:
    """(line, description) of the first forbidden character in `text`, or None."""
    m = FORBIDDEN_CHAR.search(text)
    if not m:
        return None
    return text.count("\n", 0, m.start()) + 1, char_name(m.group(0))


FORBIDDEN_HINT = ("remove it (control and bidirectional-override characters are not allowed in text, nor invisible "
                  "ones: zero-width spaces, word joiners, byte-order marks, noncharacters)")


def bad_reference(code: int) -> str | None:
    """Why an HTML character reference (&#0;, &#xD800;) to `code` may not stand in content, or None."""
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return f"&#{code}; stands for no character a page may show (a browser shows U+FFFD instead)"
    if FORBIDDEN_CHAR.match(chr(code)):
        return f"a character reference stands for {char_name(chr(code))}: {FORBIDDEN_HINT}"
    return None


class OverBudget(BaseException):
    """Raised inside work that used up its CPU budget (a BaseException: no `except Exception` in a
    library swallows it)."""


@contextmanager
def cpu_budget(seconds: float):
    """with cpu_budget(3): … raises OverBudget once the block has used `seconds` of this process's
    CPU time (ITIMER_VIRTUAL: its own, never other signals' SIGALRM; time spent waiting does not
    count, so a busy machine does not make good input fail). Signals reach only the main thread:
    elsewhere (a thread of a test) the block runs without a budget."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def over(_signum, _frame):
        raise OverBudget()
    previous = signal.signal(signal.SIGVTALRM, over)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)

# A source's quotation on an event (data/events.yaml, issue 20): short, so that it is a citation, not a copy.
QUOTE_MAX_WORDS = 30                  # words of a quotation in a spaced script
QUOTE_MAX_CHARS_UNSPACED = 90         # characters of a Thai, Chinese or Japanese quotation (no spaces between words)
EARLIEST_EVENT_YEAR = 1950            # an event dated before this is a typing mistake
