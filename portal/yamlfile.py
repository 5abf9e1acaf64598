"""Reading YAML so that every value remembers its line.

PyYAML drops positions once it builds Python objects; this loader keeps the line of each
mapping and of each of its keys, and treats a repeated key as a problem instead of silently
keeping the last value.
"""
from __future__ import annotations

import contextlib
import functools
import re
from pathlib import Path

import yaml

from . import langtags, limits
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

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and isinstance(value, str) and len(value) < 64:
            return _resolve_scalar(value, tuple(implicit))
        return super().resolve(kind, value, implicit)


# Resolving a plain scalar's tag runs a dozen regular expressions in Python; keys and many values
# recur thousands of times in a large registry, so the answers are remembered, for every file.
# (Not per loader: a cache of a method keeps each loader, and the whole text it parsed, alive.)
# _Loader adds no resolver of its own, so PyYAML's Resolver answers as it would.
_RESOLVER = yaml.resolver.Resolver()


@functools.lru_cache(maxsize=8192)
def _resolve_scalar(value: str, implicit: tuple) -> str:
    return _RESOLVER.resolve(yaml.ScalarNode, value, implicit)


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# The plain decimal forms, read directly; YAML 1.1's others (0x1F, 1_000, 1:30, .inf) by PyYAML.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+)?\.[0-9]+(?:[eE][-+][0-9]+)?")


class _Builder:
    """Python values from the composed node tree: strings, lists and mappings directly (most of
    a registry; several times faster than PyYAML's generic constructor), every other tag through
    the loader's own constructors. Mappings become Located, repeated keys are recorded."""

    def __init__(self, loader: _Loader):
        self.loader = loader
        self.made: dict[int, object] = {}   # node id → value: an anchor used twice is one value

    def value(self, node: yaml.Node):
        made = self.made.get(id(node))
        if made is not None:
            return made
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR:
                return node.value
            if tag == _INT and _PLAIN_INT.fullmatch(node.value):
                return int(node.value)
            if tag == _FLOAT and _PLAIN_FLOAT.fullmatch(node.value):
                return float(node.value)
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            out: list = []
            self.made[id(node)] = out
            out.extend(self.value(item) for item in node.value)
            return out
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: yaml.MappingNode) -> Located:
        if any(k.tag == _MERGE for k, _ in node.value):
            self.loader.flatten_mapping(node)
        result = Located()
        self.made[id(node)] = result
        result.line = node.start_mark.line + 1
        result.key_lines = lines = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            line = key_node.start_mark.line + 1
            if isinstance(key, (list, dict)):  # YAML allows a list or mapping as a key; no file here uses one
                self.loader.bad_keys.append(line)
                continue
            if key in lines:
                self.loader.duplicates.append((str(key), line))
            try:
                result[key] = self.value(value_node)
            except yaml.constructor.ConstructorError as exc:
                if exc.context is None:   # the innermost mapping names its field (updated: 2026-13-45)
                    exc.context = f"{limits.excerpt(key)}:"
                raise
            lines[key] = line
        return result


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> Located:
    """For mappings reached through the loader's own constructors (inside a tagged value)."""
    return _Builder(loader).mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """A date as PyYAML reads it; one that does not exist (2026-13-45, 0000-01-01) is a located
    error, not Python's ValueError from inside PyYAML."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{limits.excerpt(node.value)} is not a date that exists ({exc}): write YYYY-MM-DD",
            node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


_FAILED = object()
FAILED = _FAILED   # what parse_text returns after a problem
_UNUSUAL = object()
_KNOWN_SCALAR_TAGS = {_STR, _INT, _FLOAT, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}


def _from_events(text: str, first_line: int = 1):
    """(data, duplicate keys) built straight from the parser's events, or _UNUSUAL.

    Composing PyYAML's node tree costs about four times as much as reading the events (5.0 s
    against 1.2 s for the 10,000 pairs of scripts/make_registry.py). This reads the YAML the data files use: mappings, lists,
    scalars with their usual tags, anchors and aliases. Anything else (merge keys, explicit tags, a
    list or mapping as a key, several documents) and every error returns _UNUSUAL, and the file is read
    again by the node loader, which reports errors with their place."""
    loader = _Loader(text)
    try:
        return _build_from_events(loader, first_line)
    except (yaml.YAMLError, _Unusual):
        return _UNUSUAL
    finally:
        loader.dispose()


class _Unusual(Exception):
    pass


def _build_from_events(loader: _Loader, first_line: int = 1):
    get = loader.get_event
    get()                                    # stream start
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        return None, []                      # an empty file
    stack: list = []                         # open lists, and mappings as _OpenMapping
    duplicates: list[tuple[str, int]] = []
    root: list = []
    anchors: dict[str, object] = {}
    aliases = _AliasCount()

    def put(value, line: int) -> None:
        if not stack:
            root.append(value)
            return
        top = stack[-1]
        if type(top) is list:
            top.append(value)
        elif top.key is _NOKEY:
            if isinstance(value, (list, dict)):
                raise _Unusual               # a list or mapping as a key: the node loader reports it
            top.key = value
            lines = top.mapping.key_lines
            if value in lines:
                duplicates.append((str(value), line))
            lines[value] = line
        else:
            top.mapping[top.key] = value
            top.key = _NOKEY

    while True:
        event = get()
        cls = type(event)
        if cls is yaml.ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag not in _KNOWN_SCALAR_TAGS:
                raise _Unusual               # a merge key, an explicit or unknown tag
            value = event.value
            if len(value) > limits.MAX_STRING or (event.style == '"' and limits.FORBIDDEN_CHAR.search(value)):
                _check_string(value, event.start_mark.line + first_line)
            if tag == _STR:
                pass
            elif tag == _INT and _PLAIN_INT.fullmatch(value):
                value = int(value)
            elif tag == _FLOAT and _PLAIN_FLOAT.fullmatch(value):
                value = float(value)
            else:
                value = loader.construct_object(yaml.ScalarNode(tag, value, event.start_mark, event.end_mark))
            if event.anchor:
                anchors[event.anchor] = value
            put(value, event.start_mark.line + first_line)
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            if event.tag not in (None, "!", _MAP if cls is yaml.MappingStartEvent else _SEQ):
                raise _Unusual
            line = event.start_mark.line + first_line
            if len(stack) >= limits.MAX_YAML_DEPTH:
                raise _too_deep(line)
            if cls is yaml.MappingStartEvent:
                value = Located()
                value.line, value.key_lines = line, {}
                put(value, line)
                stack.append(_OpenMapping(value))
            else:
                value = []
                put(value, line)
                stack.append(value)
            if event.anchor:
                anchors[event.anchor] = value
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            stack.pop()
        elif cls is yaml.DocumentStartEvent:
            if root:
                raise _Unusual               # a second document
        elif cls is yaml.DocumentEndEvent:
            pass
        elif cls is yaml.StreamEndEvent:
            return (root[0] if root else None), duplicates
        elif cls is yaml.AliasEvent and event.anchor in anchors:
            value, line = anchors[event.anchor], event.start_mark.line + first_line
            if isinstance(value, (list, dict)):
                if any(value is (o.mapping if type(o) is _OpenMapping else o) for o in stack):
                    raise _Limit(line, f"alias *{event.anchor} is used inside the value it names: "
                                       "write the value out instead")
                aliases.add(_nodes(value, aliases.sizes), event.anchor, line)
            put(value, line)
        else:                                # an alias to nothing
            raise _Unusual


_NOKEY = object()


class _Limit(Exception):
    """Input past one of portal/limits.py's limits, found before the work it would cost."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line, self.message = line, message


_SEE = "(see docs/DATA.md, Limits)"


def _too_deep(line: int) -> _Limit:
    return _Limit(line, f"lists and mappings are nested more than {limits.MAX_YAML_DEPTH} deep: "
                        f"no data file needs that; flatten it {_SEE}")


def _check_string(value: str, line: int) -> None:
    if len(value) > limits.MAX_STRING:
        raise _Limit(line, f"a text of {len(value):,} characters is longer than the limit of "
                           f"{limits.MAX_STRING:,}: shorten it {_SEE}")
    bad = limits.forbidden_char(value)
    if bad:
        raise _Limit(line, f"a text contains {bad[1]}: {limits.FORBIDDEN_HINT}")


class _AliasCount:
    """How many values the aliases of one file repeat; past MAX_ALIAS_NODES the file is refused
    (an "alias bomb" of a few hundred bytes can stand for billions of values)."""

    def __init__(self):
        self.total = 0
        self.sizes: dict[int, int] = {}

    def add(self, size: int, anchor: str, line: int) -> None:
        self.total += size
        if self.total > limits.MAX_ALIAS_NODES:
            raise _Limit(line, f"YAML aliases (here *{anchor}) repeat more than {limits.MAX_ALIAS_NODES:,} "
                               f"values: write the values out instead of using anchors and aliases {_SEE}")


def _nodes(value, sizes: dict[int, int]) -> int:
    """The number of values in `value`, counting each repetition (remembered by id in `sizes`)."""
    if not isinstance(value, (list, dict)):
        return 1
    known = sizes.get(id(value))
    if known is None:
        items = value.values() if isinstance(value, dict) else value
        known = sizes[id(value)] = 1 + len(value) * isinstance(value, dict) + sum(_nodes(v, sizes) for v in items)
    return known


def _prescan(text: str, first_line: int = 1) -> None:
    """Before the node loader composes a file (which recurses once per level of nesting, and in
    libyaml's C composer crashes the process past a few ten thousand), walk its events to check
    the limits; a syntax error ends the walk (the node loader then reports it at its place)."""
    loader = _Loader(text)
    depth = 0
    count = _AliasCount()
    open_anchors: list[tuple[str | None, int]] = []     # (anchor, values before it) of each open collection
    sizes: dict[str, int] = {}
    n = 0                                               # values so far, each repetition counted
    try:
        while True:
            event = loader.get_event()
            cls = type(event)
            if cls is yaml.StreamEndEvent:
                return
            line = event.start_mark.line + first_line
            if cls is yaml.ScalarEvent:
                n += 1
                if len(event.value) > limits.MAX_STRING or limits.FORBIDDEN_CHAR.search(event.value):
                    _check_string(event.value, line)
                if event.anchor:
                    sizes[event.anchor] = 1
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                depth += 1
                if depth > limits.MAX_YAML_DEPTH:
                    raise _too_deep(line)
                open_anchors.append((event.anchor, n))
                n += 1
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                depth -= 1
                anchor, before = open_anchors.pop()
                if anchor:
                    sizes[anchor] = n - before
            elif cls is yaml.AliasEvent:
                if any(a == event.anchor for a, _ in open_anchors):
                    raise _Limit(line, f"alias *{event.anchor} is used inside the value it names: "
                                       "write the value out instead")
                size = sizes.get(event.anchor, 1)
                n += size
                count.add(size, event.anchor, line)
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()

# A file whose top level is a block list (data/pairs.yaml): each item starts with "- " at the
# start of a line, and nothing else (but comments) does.
_ITEM_START = re.compile(r"^-(?: |$)", re.M)
_OTHER_TOP_LINE = re.compile(r"^(?![-#\s]|$)|^-(?! |$)", re.M)
# What `remembering` keeps: file → {(first line, item text): read} for a list's items; ("whole", file) →
# (text, read) for a file read whole; ("checked", file) → the value whose language tags were found good.
_items_read: dict | None = None


@contextlib.contextmanager
def remembering(cache: dict):
    """Within this block, the items of top-level lists are remembered in `cache` and an item
    whose text is unchanged is not read again. The preview server's Builder keeps one cache
    between builds; a one-off build has nothing to gain from it (and it holds every record)."""
    global _items_read
    saved, _items_read = _items_read, cache
    try:
        yield
    finally:
        _items_read = saved


def _from_items(text: str, display: str):
    """Like _from_events, for a top-level list read item by item, remembering each item's text:
    the preview server re-reads only the records that changed (or moved to other lines). A file's
    first read is whole (one parser for 10,000 items is faster than 10,000 parsers), and its items
    are remembered from it. Any item that the event reader hands over sends the whole file to the
    node loader."""
    if _items_read is None:
        return _from_events(text)
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    if not starts or _OTHER_TOP_LINE.search(text) or \
            any(ln.strip() and not ln.lstrip().startswith("#") for ln in text[:starts[0]].splitlines()):
        # Not a list of items (the strings, site.yaml): remembered whole, read again only when it changed.
        last = _items_read.get(("whole", display))
        if last is None or last[0] != text:
            last = _items_read[("whole", display)] = (text, _from_events(text))
        return last[1]
    bounds = list(zip(starts, starts[1:] + [len(text)]))
    first_lines = []
    line = text.count("\n", 0, starts[0]) + 1
    for start, end in bounds:
        first_lines.append(line)
        line += text.count("\n", start, end)
    known = _items_read.get(display)
    if known is None:
        whole = _from_events(text)
        if whole is not _UNUSUAL and isinstance(whole[0], list) and len(whole[0]) == len(bounds):
            _items_read[display] = {
                (first, text[start:end]): ([value], [d for d in whole[1] if first <= d[1] < first + text.count("\n", start, end)])
                for (start, end), first, value in zip(bounds, first_lines, whole[0])}
        return whole
    seen: dict[tuple[int, str], tuple] = {}
    data: list = []
    duplicates: list[tuple[str, int]] = []
    for (start, end), first in zip(bounds, first_lines):
        key = (first, text[start:end])
        read = known.get(key) or _from_events(key[1], first)
        if read is _UNUSUAL:
            _items_read.pop(display, None)
            return _from_events(text)
        seen[key] = read
        data.extend(read[0])
        duplicates += read[1]
    _items_read[display] = seen
    return data, duplicates


class _OpenMapping:
    __slots__ = ("mapping", "key")

    def __init__(self, mapping: Located):
        self.mapping, self.key = mapping, _NOKEY


def load_as(path: Path, display: str, problems: Problems, kind: type, what: str):
    """Parse `path` and require a `kind` (dict or list) at the top, else a problem saying
    `what` the file must be. Returns None after any problem."""
    data = _parse(path, display, problems)
    if data is _FAILED:
        return None
    # The preview server's rebuilds reuse what they read (remembering): a value already checked and
    # found good is not checked again, nor an item of a list (a record) that was.
    checked, items = ("checked", display), ("checked items", display)
    if _items_read is None or _items_read.get(checked) is not data:
        before = len(problems.items)
        good = _items_read.get(items, {}) if _items_read is not None and isinstance(data, list) else {}
        langtags.check_fields([x for x in data if good.get(id(x)) is not x] if good else data, display, problems)
        if _items_read is not None and len(problems.items) == before:
            _items_read[checked] = data
            _items_read[items] = {id(x): x for x in data} if isinstance(data, list) else {}
    if not isinstance(data, kind):
        problems.add(display, getattr(data, "line", None) or 1,
                     f"must be {what}" + (" (the file is empty)" if data is None else ""))
        return None
    return data


def _parse(path: Path, display: str, problems: Problems):
    text = read_text(path, display, problems, limits.MAX_DATA_FILE_BYTES, "a data file")
    if text is None:
        return _FAILED
    return parse_text(text, display, problems)


def read_text(path: Path, display: str, problems: Problems, max_bytes: int, what: str) -> str | None:
    """The UTF-8 text of `path`, or None after a problem: missing, not a file, too big, not
    UTF-8, holding a control or bidirectional-override character, or reached through a symbolic
    link (the file or a folder on its way), which could read anything on the machine into the
    site (content/en/leak.md → ~/secret.md)."""
    linked = _linked_part(path, display)
    if linked:
        if not any(p.file == linked and p.message == SYMLINK for p in problems.items):
            problems.add(linked, None, SYMLINK)
        return None
    try:
        size = path.stat().st_size
        if not path.is_file():
            problems.add(display, None, "is a folder (or other special file), not a file: put the file in its place")
            return None
        if size > max_bytes:
            problems.add(display, None, f"is {size / 2**20:.1f} MB, more than the {max_bytes // 2**20} MB allowed "
                                        f"for {what}: is it the right file? {_SEE}")
            return None
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(display, None, "file not found")
        return None
    except UnicodeDecodeError as exc:
        problems.add(display, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    except OSError as exc:
        problems.add(display, None, f"cannot be read ({exc.strerror or exc}): check that it is a readable file")
        return None
    if limits.FORBIDDEN_CHAR.search(text):
        for line, name in _forbidden_lines(text):
            problems.add(display, line, f"contains {name}: {limits.FORBIDDEN_HINT}")
        return None
    return text


SYMLINK = ("is a symbolic link: put the file or folder itself there (data/, content/, templates/ and static/ "
           "hold no links: a link would read whatever it points to into the site)")


def _linked_part(path: Path, display: str) -> str | None:
    """The first part of `display` ('content/en/leak.md', named from the project's root) that is a
    symbolic link, or None. A display name that is not the path's end checks the file alone."""
    parts = Path(display).parts
    if len(parts) > len(path.parts) or path.parts[len(path.parts) - len(parts):] != parts:
        return display if path.is_symlink() else None
    here = path.parents[len(parts) - 1] if len(parts) > 1 else path.parent
    for i, part in enumerate(parts):
        here = here / part
        if here.is_symlink():
            return "/".join(parts[:i + 1])
    return None


def symlink_problems(root: Path, folder: str, problems: Problems) -> None:
    """Every symbolic link in root/folder (itself included), each a located problem: for a folder
    whose files are not read through read_text (templates/, read by Jinja)."""
    import os
    top = root / folder
    if top.is_symlink():
        problems.add(folder, None, SYMLINK)
        return
    for dirpath, dirnames, filenames in os.walk(top):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            if path.is_symlink():
                problems.add(path.relative_to(root).as_posix(), None, SYMLINK)


def _forbidden_lines(text: str, most: int = 10):
    """(line, character) of the first forbidden character of each line that has one, at most `most`."""
    seen = 0
    for number, line in enumerate(text.split("\n"), 1):
        bad = limits.forbidden_char(line)
        if bad:
            yield number, bad[1]
            seen += 1
            if seen == most:
                return


def parse_text(text: str, display: str, problems: Problems, first_line: int = 1):
    """The value of the YAML `text` (lines counted from `first_line`), or _FAILED after a problem."""
    try:
        return _parse_text(text, display, problems, first_line)
    except _Limit as exc:
        problems.add(display, exc.line, exc.message)
        return _FAILED


def _parse_text(text: str, display: str, problems: Problems, first_line: int):
    fast = _from_items(text, display) if first_line == 1 else _from_events(text, first_line)
    if fast is not _UNUSUAL:
        data, duplicates = fast
        for key, line in duplicates:
            problems.add(display, line, f"key '{key}' appears twice in one mapping")
        return data
    _prescan(text, first_line)
    loader = _Loader(text)
    loader.duplicates, loader.bad_keys = [], []
    try:
        node = loader.get_single_node()
        data = _Builder(loader).value(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        problems.add(display, line, what if isinstance(exc, yaml.constructor.ConstructorError) and exc.context
                     and exc.context.endswith(":") else f"is not valid YAML: {what}")
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
