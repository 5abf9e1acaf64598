"""Interface strings: one file per language in data/strings/, the same keys in each."""
from __future__ import annotations

import re
from pathlib import Path

from . import limits, urls, yamlfile
from .errors import Problems


class Strings(dict):
    """One language's strings: t["key"] in Python, t.key in templates. The keys are also set as
    attributes, because Jinja tries an attribute first and a failed attempt costs an exception
    (a sixth of a page's render time)."""

    def __init__(self, data: dict):
        super().__init__(data)
        self.__dict__.update((k, v) for k, v in data.items() if usable_key(k))


def usable_key(key: object) -> bool:
    """A name templates can write as t.key: lower-case letters, digits and _, and not the name
    of a dict method (t.items would be the method, not the string)."""
    return isinstance(key, str) and re.fullmatch(r"[a-z][a-z0-9_]*", key) is not None and not hasattr(dict, key)


def load(folder: Path, problems: Problems) -> dict[str, dict]:
    read = {lang: yamlfile.load_as(folder / f"{lang}.yaml", f"data/strings/{lang}.yaml", problems, dict,
                                   "a mapping of string keys to text") for lang in urls.LANGS}
    # The preview server's rebuild reads an unchanged file as the very same value (yamlfile.remembering):
    # then these are the strings made of it last time, which had no problem.
    if _last[0] is not None and all(read[lang] is _last[0][lang] for lang in urls.LANGS):
        return _last[1]
    before = len(problems.items)
    strings = _strings(read, problems)
    _last[:] = [read, strings] if len(problems.items) == before and all(read.values()) else [None, None]
    return strings


_last: list = [None, None]   # [the values read, the strings made of them]


def _strings(read: dict, problems: Problems) -> dict[str, dict]:
    strings: dict[str, dict] = {}
    for lang in urls.LANGS:
        file = f"data/strings/{lang}.yaml"
        data = read[lang]
        if data is None:
            strings[lang] = Strings({})
            continue
        for key, value in data.items():
            if not usable_key(key):
                problems.add(file, data.line_of(key), f"string key {limits.excerpt(key)} must be lower-case letters, digits and _ "
                                                      "(and not a name such as 'items' or 'keys')")
            elif not isinstance(value, str):
                problems.add(file, data.line_of(key), f"string {limits.excerpt(key)} must be text, not {limits.excerpt(value)}")
        strings[lang] = Strings(data)
    th, en = strings.get("th", {}), strings.get("en", {})
    for key in sorted(set(th) - set(en), key=str):
        problems.add("data/strings/en.yaml", None, f"string {limits.excerpt(key)} is missing (it is in data/strings/th.yaml)")
    for key in sorted(set(en) - set(th), key=str):
        problems.add("data/strings/th.yaml", None, f"string {limits.excerpt(key)} is missing (it is in data/strings/en.yaml)")
    return strings


def count(t: dict, key: str, n: int, lang: str, **fields: str) -> str:
    """A string with a count in it, singular or plural: `{key}_one` when n is 1 and the
    strings have one ("1 pair"), otherwise `key` ("{n} pairs"). Thai has no plural, so its
    `_one` strings read like the others. {n} is written in the page's digits; `fields` fill
    the string's other {placeholders}."""
    from .thai import number
    text = t.get(f"{key}_one", t[key]) if n == 1 else t[key]
    for name, value in {"n": number(n, lang), **fields}.items():
        text = text.replace("{" + name + "}", value)
    return text
