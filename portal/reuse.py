"""Whether this process keeps what a build worked out for the next build: the preview server's.

The preview server (`make serve`) keeps one Builder and rebuilds after each edit. Some modules
remember, between its builds, results that an edit mostly leaves as they were (the downloads'
rows as encoded, the search index's words and each record's terms, the indexes themselves), so
that a rebuild redoes only what the edit changed. A one-off build never builds again: there
these memories only hold memory while the pages are rendered (at 10,000 pairs, about 100 MiB of
the search index's alone: BENCHMARKS.md), so only a process that rebuilds keeps them.

The Builder says which it is at the start of every build (Builder._gather); a module that
remembers asks `kept()` once it has used what it remembered.
"""
from __future__ import annotations

_between_builds = False


def between_builds(on: bool) -> None:
    global _between_builds
    _between_builds = on


def kept() -> bool:
    """Whether results are to be kept for the next build of this process."""
    return _between_builds


__all__ = ["between_builds", "kept"]
