#!/usr/bin/env python3
"""The portal's command line.

  python build.py            build the whole site into site/
  python build.py check      validate data/ and content/ and every link of every page, without writing
  python build.py serve      build, serve on http://localhost:8000, rebuild on change
  python build.py publish    build the copy to publish: refuses, naming each setting, unless data/site.yaml
                             gives a real base_url, the publisher, a contact and the open data's licensor;
                             writes the .gz copies (--precompress). Pages of other builds say "preview copy".
"""
from __future__ import annotations

import os
import signal
import sys

if __name__ == "__main__":   # Ctrl+C while the command line starts: one line, not a traceback (see main)
    signal.signal(signal.SIGINT, lambda *_: (print("Interrupted before the build started: site/ is unchanged.",
                                                   file=sys.stderr, flush=True), os._exit(130)))

import argparse  # noqa: E402
import gc  # noqa: E402
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the sister-city portal.")
    parser.add_argument("command", nargs="?", default="build", choices=("build", "check", "serve", "publish"))
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (data/, content/, templates/, static/)")
    parser.add_argument("--site", type=Path, default=None, help="output folder (default: ROOT/site)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--precompress", action="store_true",
                        help="write a .gz copy beside each text file, for nginx's gzip_static (see README, Publishing)")
    parser.add_argument("--timings", action="store_true", help="print how long each step of the build took")
    parser.add_argument("--no-cache", action="store_true",
                        help="a true cold build: neither read nor write the build cache (.cache/, see README)")
    args = parser.parse_args(argv)
    site = args.site or args.root / "site"
    published = _published(site)
    signal.signal(signal.SIGINT, signal.default_int_handler)   # from here on, Ctrl+C is KeyboardInterrupt
    try:
        return _run(args, site)
    except Exception as exc:
        if not _from_interrupt(exc):
            raise
        # (Ctrl+C while a module is being imported can come back wrapped: a KeyboardInterrupt inside a
        # dataclass's __set_name__ is raised again as a RuntimeError)
    except KeyboardInterrupt:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # a second Ctrl+C would cut this line short
    print(interrupted(args.command, site, published), file=sys.stderr, flush=True)
    return INTERRUPTED


def _from_interrupt(exc: BaseException) -> bool:
    """Whether `exc` was caused by a KeyboardInterrupt (somewhere in its chain)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


INTERRUPTED = 130   # the exit status of a command stopped by Ctrl+C (128 + SIGINT), as shells report it


def _published(site: Path) -> str | None:
    """The generation site/ shows (its symlink's target), or None if there is none."""
    try:
        return os.readlink(site)
    except OSError:
        return None


def interrupted(command: str, site: Path, before: str | None) -> str:
    """The one line Ctrl+C prints: what state site/ is in. A build writes a complete new
    generation and swaps one symlink (portal/write.py), so it is the old site or the new one."""
    if command == "check":
        return "Interrupted: the check writes nothing; site/ is unchanged."
    if command == "serve":
        return "Stopped the preview server: site/ holds its last good build (whole, never a mix)."
    if _published(site) not in (None, before):
        return f"Interrupted after the new site was published: {site} is the new build, complete."
    if before is None:
        return f"Interrupted: nothing was published ({site} does not exist yet)."
    return f"Interrupted before the new site was published: {site} is unchanged (the last good build)."


def _run(args, site: Path) -> int:
    if hasattr(signal, "SIGXFSZ"):   # past `ulimit -f`, a write fails (a located error) instead of killing the build
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    # A build makes millions of short-lived objects and few reference cycles: collecting the
    # youngest generation every 700 allocations (Python's default) cost a tenth of its CPU time.
    gc.set_threshold(50_000, 20, 100)
    publish = args.command == "publish"
    if args.command in ("build", "publish") and not args.no_cache and _site_is_current(args, site, publish):
        return 0
    from portal.errors import BuildError
    from portal.parallel import HelperFailed
    from portal.site import build

    if args.command == "serve":
        from portal.serve import serve
        return serve(args.root, site, args.port, cache=not args.no_cache)
    try:
        result = build(args.root, site, write=args.command in ("build", "publish"), all_links=args.command == "check",
                       parallel=True, keep_outputs=False, precompress=args.precompress or publish,
                       cache=not args.no_cache, publish=publish)
    except BuildError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except HelperFailed as exc:
        print(f"The site was not built: {exc}. site/ is unchanged.", file=sys.stderr)
        return 1
    except OSError as exc:   # the machine, not the input (e.g. the helper's spool on a full disk)
        from portal.errors import write_advice
        place = f"{exc.filename}: " if exc.filename else ""
        print(f"The site was not built: {place}{exc.strerror or exc}; {write_advice(exc)}. site/ is unchanged.",
              file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: one located line, not a traceback
        if _from_interrupt(exc):
            raise   # Ctrl+C, wrapped (main says what site/ is)
        from portal.errors import where
        print(f"The site was not built: {where(exc)}. site/ is unchanged; please report this.", file=sys.stderr)
        return 1
    if not args.quiet:
        pages = len(result.pages)
        if args.command == "check":
            print(f"OK: data and content are valid; {pages} pages would be built.")
        else:
            w = result.write
            what = (f"{len(w.written)} files written, {len(w.removed)} removed, {w.unchanged} unchanged"
                    if w.changed else "nothing changed, nothing written")
            verb = "Published" if args.command == "publish" else "Built"
            print(f"{verb} {pages} pages into {site} in {result.timings['total']:.2f} s ({what})."
                  + ("" if args.command == "publish" else " (A preview copy: `build.py publish` makes the copy to publish.)"))
    if args.timings:
        print("  " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in result.timings.items()))
    return 0


def _site_is_current(args, site: Path, publish: bool) -> bool:
    """Nothing to do, known from the sizes and times of the inputs and of site/'s files as the last
    build recorded them (portal/uptodate.py): said, without importing the generator."""
    import time
    start = time.perf_counter()
    from portal.uptodate import site_holds
    pages = site_holds(args.root, site, precompress=args.precompress or publish, publish=publish)
    if pages is None:
        return False
    if not args.quiet:
        verb = "Published" if publish else "Built"
        print(f"{verb} {pages} pages into {site}: its inputs and files are as the build that wrote them "
              "left them (nothing changed, nothing written).")
    if args.timings:
        print(f"  up to date {time.perf_counter() - start:.2f} s")
    return True


if __name__ == "__main__":
    status = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the interpreter's shutdown is not interrupted either
    sys.exit(status)
