"""BCP 47 language tags (every `lang` or `…_lang` field of data/, `lang` attributes in content):
each must be a valid tag, checked with langcodes against the IANA subtag registry.

langcodes takes about 0.1 s to import (it compiles a regular expression of every registered
subtag), a tenth of a build. A plain language[-Script][-REGION] tag for which CLDR (Babel,
loaded by the build anyway) has locale data is valid without asking it; every other tag is
langcodes' to judge, and only then is it imported.
"""
from __future__ import annotations

import functools
import re

_PLAIN = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$")
# RFC 5646's grammar of a well-formed tag: langcodes is lenient (it reads ja_JP, or "English"),
# an HTML lang attribute is not.
_WELL_FORMED = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?"
    r"|x(?:-[a-z\d]{1,8})+)$", re.I)


@functools.lru_cache(maxsize=None)
def problem(tag: str) -> str | None:
    """Why `tag` is not a valid BCP 47 language tag, or None."""
    if _PLAIN.match(tag):
        from babel import localedata
        if localedata.exists(tag.replace("-", "_")):
            return None
    import langcodes
    if _WELL_FORMED.match(tag) and langcodes.tag_is_valid(tag):
        return None
    return "is not a valid BCP 47 language tag (such as ja, zh-Hans, vi; see the IANA language subtag registry)"


def is_lang_field(key: object) -> bool:
    return isinstance(key, str) and (key == "lang" or key.endswith("_lang"))


def check_fields(data, file: str, problems) -> None:
    """Every field named `lang` or `…_lang` anywhere in a data file's value is a valid tag
    (yamlfile.load_as calls this for every file of data/, so a new file's tags are checked too)."""
    todo = [data]
    seen: set[int] = set()
    while todo:
        value = todo.pop()
        if id(value) in seen:        # a value shared through a YAML alias: checked once
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            for key, item in value.items():
                if is_lang_field(key) and isinstance(item, str) and item.strip() and problem(item.strip()):
                    line = value.line_of(key) if hasattr(value, "line_of") else None
                    problems.add(file, line, f"{key} {_excerpt(item)} {problem(item.strip())}")
                elif isinstance(item, (dict, list)):
                    todo.append(item)
        elif isinstance(value, list):
            todo.extend(v for v in value if isinstance(v, (dict, list)))


def _excerpt(value: str) -> str:
    from .limits import excerpt
    return excerpt(value)
