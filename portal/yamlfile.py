"""Reading YAML so that every value remembers its line.

PyYAML drops positions once it builds Python objects; this loader keeps the line of each
mapping and of each of its keys, and treats a repeated key as a problem instead of silently
keeping the last value.
"""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from .errors import Problems

try:  # the C loader is much faster and keeps marks just the same
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeLoader


class Located(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(_Base):
    duplicates: list[tuple[str, int]]
    bad_keys: list[int]

    # Resolving a plain scalar's tag runs a dozen regular expressions in Python; keys and many
    # values recur thousands of times in a large registry, so remember the answers.
    @functools.lru_cache(maxsize=8192)
    def _resolve_scalar(self, value: str, implicit: tuple) -> str:
        return super().resolve(yaml.ScalarNode, value, implicit)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and isinstance(value, str) and len(value) < 64:
            return self._resolve_scalar(value, tuple(implicit))
        return super().resolve(kind, value, implicit)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> Located:
    loader.flatten_mapping(node)
    result = Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if isinstance(key, (list, dict)):  # YAML allows a list or mapping as a key; no file here uses one
            loader.bad_keys.append(line)
            continue
        if key in result.key_lines:
            loader.duplicates.append((str(key), line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


_FAILED = object()


def load_as(path: Path, display: str, problems: Problems, kind: type, what: str):
    """Parse `path` and require a `kind` (dict or list) at the top, else a problem saying
    `what` the file must be. Returns None after any problem."""
    data = _parse(path, display, problems)
    if data is _FAILED:
        return None
    if not isinstance(data, kind):
        problems.add(display, getattr(data, "line", None) or 1,
                     f"must be {what}" + (" (the file is empty)" if data is None else ""))
        return None
    return data


def _parse(path: Path, display: str, problems: Problems):
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(display, None, "file not found")
        return _FAILED
    except UnicodeDecodeError as exc:
        problems.add(display, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        return _FAILED
    loader = _Loader(text)
    loader.duplicates, loader.bad_keys = [], []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        problems.add(display, line, f"is not valid YAML: {what}")
        return _FAILED
    except yaml.YAMLError as exc:
        problems.add(display, None, f"is not valid YAML: {exc}")
        return _FAILED
    finally:
        loader.dispose()
    for key, line in loader.duplicates:
        problems.add(display, line, f"key '{key}' appears twice in one mapping")
    for line in loader.bad_keys:
        problems.add(display, line, "a key must be a name, not a list or mapping")
    return data
