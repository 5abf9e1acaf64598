"""The build, in the order it happens (Builder._build, one method per step):

  gather   read and validate data/ and content/, compile the templates     (Builder._gather)
  plan     every page, its fingerprint, those to render, the cards to draw  (Builder._plan)
  render   pages, search indexes, cards, downloads, as tasks                (Builder._render, _assemble)
  check    links written in content/ (every link with `check`)             (Builder._check)
  write    a new generation of site/, swapped in by one rename             (Builder._write)

Two small interfaces keep the steps plain: portal/parallel.py shares a full build's tasks with
one forked helper process, and portal/cache.py keeps what depends only on files' content on
disk between builds (.cache/). A Builder also remembers what its last build made: the next build
(the preview server's, after an edit) re-renders only the pages whose inputs changed and writes
only the files whose bytes changed; a build with nothing changed writes nothing. A new process
whose plan is the one that wrote site/, with site/ as it left it, stops after planning
(_site_holds); the command line asks portal/uptodate.py before even that.
"""
from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import (cards, citations, content, extras, i18n, limits, links, maps, offices, opendata, parallel, publisher,
               reuse, search, uptodate, urls, yamlfile)
from .cache import NO_CACHE, Cache, Documents, digest
from .compress import gzipped
from .errors import BuildError, Problem, Problems
from .load import load_registry
from .pages import Page, Planner, check_unique_urls
from .render import CompilingElsewhere, Renderer, compile_templates, make_environment
from .lock import BuildLock
from .write import Fresh, Outputs, Spare, WriteResult, current_generation, file_stats, fresh, write_site


PARALLEL_MIN = 200   # pages to render below which a helper process costs more than it saves
NO_GZ = b"no .gz"     # a page too small for a compressed copy (compress.MIN_SIZE)
CHUNK = 100          # the size (about rows of tables) of a task shared with the helper


@dataclass
class Model:
    registry: object
    docs: dict
    strings: dict
    site: dict
    synonyms: tuple = ()   # data/search_synonyms.yaml (search.load_synonyms)


@dataclass
class BuildResult:
    pages: list[Page]
    outputs: dict[str, bytes]
    write: WriteResult | None
    rendered: list[str] = field(default_factory=list)   # URLs rendered by this build (not reused)
    files_made: list[str] = field(default_factory=list)  # the file tasks it ran (extras.FileTask.name)
    timings: dict[str, float] = field(default_factory=dict)


def base_url_problem(value: str) -> str | None:
    """Why `value` cannot be the site's address (it goes into canonical links, the sitemap,
    robots.txt and JSON-LD), or None: a plain absolute http(s) URL with a host, nothing else."""
    from urllib.parse import urlsplit
    if any(ch.isspace() for ch in value) or limits.FORBIDDEN_CHAR.search(value):
        return "must not contain spaces, line breaks or control characters"
    try:
        parts = urlsplit(value)
        parts.port   # raises ValueError for a port that is not a number
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("http", "https") or not value.startswith(("http://", "https://")):
        return "must start with https:// (or http://)"
    if not parts.hostname:
        return "must name a host (https://example.org)"
    if parts.username is not None or parts.password is not None:
        return "must not contain a user name or password"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "must not have a query (?…) or fragment (#…)"
    if not BASE_URL_CHARS.fullmatch(value):
        return "may contain only ASCII letters, digits and - . _ ~ : / (and %XX escapes)"
    return None


# What a site's address may contain: it is written into HTML and XML attributes and robots.txt
# unescaped by some readers, so nothing that means anything there (" ' < > & and spaces).
BASE_URL_CHARS = re.compile(r"(?:[A-Za-z0-9._~:/-]|%[0-9A-Fa-f]{2})+")


SITE_KEYS = ("base_url", "publisher", "official", "contact", "licensor")


def site_settings(root: Path, problems: Problems, *, publish: bool = False) -> dict:
    """data/site.yaml. With `publish` (build.py publish), the settings a published copy must have are
    required (publisher.publish_problems); without, the pages say they are a preview copy."""
    raw = yamlfile.load_as(root / "data" / "site.yaml", "data/site.yaml", problems, dict, "a mapping with base_url") or {}
    for key in raw:
        if key not in SITE_KEYS:
            problems.add("data/site.yaml", raw.line_of(key),
                         f"{limits.excerpt(key)} is not a known field (expected {', '.join(SITE_KEYS)})")
    base = raw.get("base_url", "")
    why = "must be text" if not isinstance(base, str) else base_url_problem(base) if base else None
    if why:
        problems.add("data/site.yaml", raw.line_of("base_url"),
                     f"base_url {why}, such as https://example.org, not {limits.excerpt(base)}")
        base = ""
    env = os.environ.get("PORTAL_BASE_URL")
    why = base_url_problem(env) if env else None
    if why:
        problems.add("environment variable PORTAL_BASE_URL", None,
                     f"{why}, such as https://example.org, not {limits.excerpt(env)}: set it right, or unset it "
                     "to use base_url of data/site.yaml")
    pub = publisher.load(raw, problems)
    if publish:
        publisher.publish_problems(raw, (env or base).rstrip("/"), pub, problems)
    return {"base_url": (env or base).rstrip("/"), "publisher": pub, "preview": not publish,
            "offices": offices.load(root, problems)}   # whom to ask: [[offices]] (portal/offices.py)


# static/ holds the styles every page links to: a site without them is not a site.
STATIC_REQUIRED = ("css/site.css",)
STATIC_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")   # an address without escaping


def check_static(root: Path, problems: Problems) -> None:
    """static/ is there with its styles, and holds only plain files and folders with plain names:
    a symbolic link would publish whatever it points to (/etc/passwd), and a name with spaces or
    other characters makes an address that needs escaping. Names starting with a dot are skipped."""
    folder = root / "static"
    if not folder.is_dir() or folder.is_symlink():
        problems.add("static/", None, "folder not found (or not a plain folder): the pages would have no styles; "
                                      "restore it (git checkout -- static)")
        return
    for rel in STATIC_REQUIRED:
        if not (folder / rel).is_file():
            problems.add(f"static/{rel}", None, "file not found: every page links to it; restore it (git checkout -- static)")
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in sorted(dirnames + [f for f in filenames if not f.startswith(".")]):
            path = here / name
            rel = "static/" + path.relative_to(folder).as_posix()
            if path.is_symlink():
                problems.add(rel, None, "is a symbolic link: put the file itself there (a link would publish "
                                        "whatever it points to)")
            elif not STATIC_NAME.match(name):
                problems.add(rel, None, "the name must be ASCII letters, digits, '.', '_' and '-' (no spaces): "
                                        "it is part of an address; rename it")
            elif not (path.is_file() or path.is_dir()):
                problems.add(rel, None, "is not a plain file or folder: remove it")
        dirnames[:] = [d for d in dirnames if not (here / d).is_symlink()]


def gather(root: Path, doc_cache: dict | None = None, *, cache: Cache = NO_CACHE,
           more: Callable[[], list[Problem]] | None = None, publish: bool = False) -> Model:
    """Read and validate data/ and content/; raise BuildError naming every problem, with more()'s
    (the templates', compiled meanwhile) after the input's. `cache`: the build cache on disk, which
    may hold the registry of the same data/."""
    problems = Problems()
    registry = _registry(root, problems, cache)
    strings = i18n.load(root / "data" / "strings", problems)
    later = Problems()   # reported after content/'s, as they always were
    site = site_settings(root, later, publish=publish)
    check_static(root, later)
    for folder in ("templates", "data/geo"):   # (data/*.yaml and content/: in yamlfile.read_text)
        yamlfile.symlink_problems(root, folder, later)
    check_geometry(root, later, cache)
    docs, found = _documents(root, doc_cache)
    if registry is not None:   # the reports the sources page lists ([[outside-sources]], portal/citations.py)
        reports = citations.load(root, registry, later)
        site["cited_by_notes"] = citations.cited_by_notes(reports, registry)
        site["cited_by_events"] = citations.cited_by_events(registry)
    problems.items += found + later.items + (more() if more else [])
    synonyms = search.load_synonyms(root, docs, registry, problems)
    problems.raise_if_any()
    return Model(registry, docs, strings, site, synonyms)


def _registry(root: Path, problems: Problems, cache: Cache):
    """data/ as the model's records (portal/load.py). A registry loaded without a problem is
    kept in the build cache under a digest of every file of data/."""
    key = _files_digest(root / "data") if cache.enabled else ""
    registry = cache.load("registry", key) if key else None
    if registry is None:
        registry = load_registry(root / "data", problems)
        if key and registry is not None and not problems:
            cache.store("registry", key, registry)
    return registry


def _documents(root: Path, cache: dict | None) -> tuple[dict, list]:
    """content/'s documents and their problems."""
    problems = Problems()
    docs = content.load_documents(root, problems, cache)
    content.check_published_anchors(root, docs, problems)
    return docs, problems.items


def check_geometry(root: Path, problems: Problems, cache: Cache = NO_CACHE) -> None:
    """The country shapes the maps are drawn from: the project's own (the --root being built),
    read once, here, before any page needs them (or not at all, when the build cache says these
    bytes were read without a problem before)."""
    file = "data/geo/countries.json"
    if maps.GEO_FILE != root / file:
        maps.GEO_FILE = root / file
        maps._geo.cache_clear()
    fix = "regenerate it with `python -m portal.maps` (see portal/maps.py), or restore it (git checkout -- data/geo)"
    key = digest("geometry read", maps.inputs_digest()) if cache.enabled and maps.GEO_FILE.exists() else None
    if key and cache.get("checked", key) is not None:
        return
    try:
        maps._geo()
        if key:
            cache.put("checked", key, b"")
    except FileNotFoundError:
        problems.add(file, None, f"file not found: {fix}")
    except json.JSONDecodeError as exc:
        problems.add(file, exc.lineno, f"is not valid JSON ({exc.msg}): {fix}")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        problems.add(file, None, f"is not the country geometry the maps need ({type(exc).__name__}): {fix}")


def static_files(root: Path) -> dict[str, bytes]:
    out = {}
    folder = root / "static"
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and not any(
                part.startswith(".") for part in path.relative_to(folder).parts):
            out["static/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def _files_digest(folder: Path) -> str:
    return digest(*[(p.relative_to(folder).as_posix(), p.read_bytes())
                     for p in sorted(folder.rglob("*")) if p.is_file()])


def dependency_digests(model: Model) -> dict[str, str]:
    """A digest for every input name a page can depend on (see Page.deps)."""
    r = model.registry
    d = {
        "pairs": digest(*(p.digest for p in r.pairs)),
        # which pairs each province and country has: changes only when pairs are added, removed or moved
        "pairs:membership": digest(*((p.id, p.province.slug, p.partner.country.code, p.status) for p in r.pairs)),
        "pairs:listing": digest(*(p.listing for p in r.pairs)),
        # each row as printed: the plan annex's editor's note compares it with what the annex shows
        "pairs:rows": digest(*((p.id, p.source.row) for p in r.pairs)),
        # What the statistics count (not names or places): a renamed partner leaves them as they are.
        "pairs:counts": digest(*((p.id, p.province.slug, p.partner.country.code, p.status, p.stage, p.year_be)
                                  for p in r.pairs)),
        "provinces": digest(r.provinces, r.regions),
        "countries": digest(r.countries),
        "other_relations": digest(r.other_relations, r.sources),  # relations named outside the list
        "aliases": digest(*(p.partner.aliases for p in r.pairs)),   # data/aliases.yaml, shown on pair pages
        "events": digest(r.events, r.later_relations),   # after the list (portal/events.py)
        "offices": digest(model.site.get("offices")),
        "strings": deps_strings(model),
    }
    d.update({f"pair:{p.id}": p.digest for p in r.pairs})
    d.update({f"listing:{p.id}": digest(p.listing) for p in r.pairs})
    d.update({f"doc:{lang}/{name}": doc.digest for (lang, name), doc in model.docs.items()})
    return d


def deps_strings(model: Model) -> str:
    return digest(sorted(model.strings["th"].items()), sorted(model.strings["en"].items()))


@functools.lru_cache(maxsize=64)   # a rebuild that did not re-render a document's page has the same bytes
def _repeated_ids(page: bytes) -> tuple[str, ...]:
    return tuple(content.repeated_ids(page))


def check_content_links(model: Model, outputs: dict[str, bytes], problems: Problems) -> set[str]:
    """Every link written in content/ must lead to a page and section: reported at its file and line."""
    ids: dict[str, set[str]] = {}

    def ids_of(target: str) -> set[str]:
        if target not in ids:
            ids[target] = links.ids_of(outputs[target])
        return ids[target]

    reported = set()
    for doc in model.docs.values():
        page = urls.output_path(urls.document(doc.lang, doc.name))
        if page in outputs:   # every id of the page unique, whatever its source (content.check_unique_ids)
            content.check_unique_ids(doc, _repeated_ids(outputs[page]), problems)
        for href, line in doc.links:
            path, _, fragment = href.partition("#")
            target = urls.output_path(path)
            if target not in outputs:
                problems.add(doc.file, line, f"link {limits.excerpt(href)} leads to no page")
            elif fragment and target.endswith(".html") and fragment not in ids_of(target):
                problems.add(doc.file, line, f"link {limits.excerpt(href)}: the page has no section #{fragment}")
            else:
                continue
            reported.add(href)
    return reported


def check_links(model: Model, outputs: dict[str, bytes], problems: Problems) -> None:
    """Every internal link and #fragment of every page: content links at their file and line,
    links the templates make at the page that has them."""
    reported = check_content_links(model, outputs, problems)
    docs = {urls.output_path(urls.document(d.lang, d.name)) for d in model.docs.values()}
    for rel, data in outputs.items():   # (a document's page: reported at the document's line above)
        if rel.endswith(".html") and rel not in docs:
            for name in content.repeated_ids(data):
                problems.add(f"site/{rel}", None, f"the id {limits.excerpt(name)} is used twice on this page: "
                                                  "a template gives it twice")
    for rel, href, why in links.broken_links(outputs, model.site["base_url"]):
        if href not in reported:
            problems.add(f"site/{rel}", None, f"link {limits.excerpt(href)}: {why}")


@dataclass
class Plan:
    """What a build makes: every page, and of them those it must render (the others' HTML is
    the last build's, their inputs unchanged), the preview cards, the static files."""
    model: Model
    pages: list[Page]
    fingerprints: dict[str, str]            # URL → digest of everything the page shows
    todo: list[Page]                        # the pages to render
    chunks: list[list[Page]]                # those pages, in tasks (_chunks), each kept in .cache/ whole
    stored: dict[str, bytes]                # file → bytes, pages an earlier process rendered (.cache/pages)
    page_keys: set[str] | None              # every chunk's key when the plan has every page, else None
    files: list[extras.FileTask]            # the files beside the pages to make (their inputs changed)
    file_fingerprints: dict[str, str]       # FileTask.name → digest of what it reads
    kept_files: dict[str, bytes]            # file → bytes, the others' (made by this Builder's last build)
    renderer: Renderer
    static: dict[str, bytes]
    cards: dict[str, cards.Card]            # file → card, every card the pages show
    kept_cards: dict[str, bytes]            # file → PNG, those already drawn (this process or .cache/)
    site_key: str = ""                      # Builder._site_key, once worked out


class Builder:
    """Builds the site; kept alive between builds (by the preview server) it rebuilds incrementally.

    The build is `_build`: gather → plan → render → check → write. What a Builder remembers
    between builds (the last outputs, each page's fingerprint and HTML, the drawn cards, the
    compiled templates) and the cache on disk (portal/cache.py) only spare work: a build's
    outputs are the same with or without them."""

    def __init__(self, root: Path, site: Path | None = None, *, preview: bool = False, parallel: bool = False,
                 keep_outputs: bool = True, precompress: bool = False, cache: bool | None = None, publish: bool = False):
        self.root = root
        self.site = site or root / "site"
        self.publish = publish   # build.py publish: the settings of data/site.yaml a published copy needs are required
        # A .gz copy beside each text file, for a web server's gzip_static (deploy/nginx.conf): the
        # publishing build's (`build.py --precompress`), not the preview's or a developer's, since
        # writing twice as many files costs about a tenth of a cold build.
        self.precompress = precompress
        # The command line's build shares a full build with a helper process (portal/parallel.py).
        # Off by default: forking a process that runs other threads (a test server) is unsafe.
        self.parallel = parallel
        # The command line's build also lets go of each file once it is written, and reads back
        # only those a check needs (10,000 pairs make 430 MB of pages). Builds whose result is
        # looked at (the tests, the preview server) keep every file in memory.
        self.keep_outputs = keep_outputs
        # The preview server updates site/ through a spare generation (write.Spare): as atomic as a
        # full new generation, at the cost of the changed files only.
        self.preview = preview
        self.spare = Spare(self.site) if preview else None
        # Results that depend only on files' content, kept on disk between processes (.cache/).
        self.cache = Cache.of_build(root, cache)   # (None: the test suite's shared cache, if any)
        self.doc_cache: dict = Documents(self.cache)         # content/'s converted Markdown
        # Rendered pages, kept on disk only in the project's own .cache/: pages are what all the
        # code makes, so the test suite's shared cache (which tests that patch code use) keeps none.
        self.page_store = self.cache if cache else NO_CACHE
        self.yaml_items: dict | None = {} if preview else None  # records of pairs.yaml as read (yamlfile.remembering)
        self.page_cache: dict[str, tuple[str, bytes, bytes | None]] = {}   # URL → (fingerprint, HTML, its .gz)
        self.outputs: dict[str, bytes] | None = None         # what the last good build made
        self.generation: Path | None = None                  # the generation of site/ that holds self.outputs
        self.card_cache: dict[str, bytes] = {}               # preview card's digest → PNG (cards.py)
        self.file_cache: dict[str, tuple[str, dict]] = {}     # FileTask.name → (fingerprint, its files)
        self.env = None                                      # compiled templates, kept between builds
        self.templates = ""                                  # the digest of templates/ that self.env compiled
        self.inputs_seen: dict | None = None                 # the inputs' sizes and times (portal/uptodate.py)

    def build(self, *, write: bool = True, all_links: bool = False) -> BuildResult:
        """Build; `all_links` also checks every link of every generated page (the `check` command
        and the tests do; links written in content/ are checked on every build). A build that
        writes holds the build lock throughout (portal/lock.py): one build at a time."""
        if not write:
            return self._build(write=False, all_links=all_links)
        with BuildLock(self.site):
            return self._build(write=True, all_links=all_links)

    def _build(self, *, write: bool, all_links: bool) -> BuildResult:
        clock = _Clock()
        self._inputs_seen()
        with clock("gather"):
            model = self._gather()
        with clock("plan"):
            plan = self._plan(model)
            held = self._site_holds(plan) if write else None
            if held is None:
                self._recall(plan)
        if held is not None:   # (a new process with nothing changed: site/ already holds this build)
            return self._unchanged(plan, held, clock)
        # A first build into an empty place writes each file as it is made (write.Fresh).
        stream = fresh(self.site) if write and self.outputs is None else None
        try:
            with clock("make"):
                made = self._render(plan, stream)
            with clock("links"):
                outputs = self._assemble(plan, made, stream)
                self._check(model, outputs, all_links)
            result = None
            if write:
                with clock("write"):
                    result = self._write(outputs, stream, made)
                    self._note_site(plan)
        except BaseException:
            if stream:
                stream.abandon()  # nothing of it was ever visible
            raise
        # Only a build that passed every check becomes the base for the next one. (In this order:
        # an interruption in between leaves no generation, and the next write compares with site/.)
        self.generation = None
        self.outputs = outputs
        self.generation = current_generation(self.site) if write else None
        self._remember(plan, outputs)
        return BuildResult(plan.pages, outputs, result, [p.url for p in plan.todo], [t.name for t in plan.files],
                           clock.done())

    # gather ------------------------------------------------------------------------------------

    def _gather(self) -> Model:
        """data/ and content/, validated, and the templates compiled (from the build cache if it
        has them: Jinja checks each against its source)."""
        maps.use_cache(self.cache)   # the maps' projected geometry
        reuse.between_builds(self.preview)   # what a rebuild reuses, kept by the preview server only
        templates = _files_digest(self.root / "templates")
        if templates != self.templates:
            self.env, self.templates = make_environment(self.root, self.cache.path("jinja")), templates
        linked = Problems()   # (a template folder with a symbolic link is not read at all: gather reports it)
        yamlfile.symlink_problems(self.root, "templates", linked)
        elsewhere = self._compiling_elsewhere() if not linked else None
        try:
            with yamlfile.remembering(self.yaml_items):
                # (the preview server reads pairs.yaml record by record, yamlfile.remembering: not from the cache)
                return gather(self.root, self.doc_cache, cache=NO_CACHE if self.preview else self.cache,
                              more=lambda: [] if linked else self._compile_templates(elsewhere), publish=self.publish)
        finally:
            if elsewhere and not elsewhere.joined:
                elsewhere.stop()   # (gather failed before it asked for the templates)

    def _compiling_elsewhere(self) -> CompilingElsewhere | None:
        """The templates compiled by a forked process while this one reads the input: in a full
        build of the command line (`parallel`) whose templates are not compiled yet (none in the
        build cache, or no cache)."""
        if not self.parallel or self.env.cache or not parallel.available():
            return None
        folder = self.cache.path("jinja")
        if folder is not None and folder.is_dir() and any(folder.iterdir()):
            return None   # (Jinja loads them from there in a few milliseconds)
        return CompilingElsewhere(self.root, folder)

    def _compile_templates(self, elsewhere: CompilingElsewhere | None) -> list[Problem]:
        """The templates' problems, reported with the input's (all in one run); none if they compile."""
        try:
            if elsewhere:
                elsewhere.join(self.env)
            else:
                compile_templates(self.env, self.root)
        except BuildError as exc:
            return exc.problems
        return []

    # plan --------------------------------------------------------------------------------------

    def _plan(self, model: Model) -> Plan:
        """Every page with its fingerprint (a digest of what it shows: what every page shows, and
        its own inputs, Page.deps); those whose fingerprint changed since the last build are to do."""
        problems = Problems()
        pages = Planner(model.registry, model.docs, model.strings).plan() + extras.pages(model)
        check_unique_urls(pages, problems)
        problems.raise_if_any()
        static = static_files(self.root)
        renderer = Renderer(self.root, model.registry, model.strings, model.site,
                            extras.context(self.root, model, pages), env=self.env)
        # What every page shows whatever its own inputs: layout, strings, styles, the registry's
        # date and sources, what the renderer reads itself (maps, word lists), and this year (the
        # statistics count joint activities year by year up to it, events.activity_rows).
        year = datetime.date.today().year
        common = digest(self.templates, sorted(static.items()), model.site, deps_strings(model),
                         model.registry.as_of, model.registry.sources, model.registry.stated, renderer.own_inputs, year)
        deps = dependency_digests(model)
        deps["pages"] = digest(*((p.url, p.kind, p.alternates) for p in pages))   # (the sitemap's)
        fingerprints = {page.url: digest(common, page.url, *(deps.get(d, d) for d in page.deps)) for page in pages}
        todo = [p for p in pages if self.page_cache.get(p.url, ("",))[0] != fingerprints[p.url]]
        chunks = _chunks(todo, renderer, len(model.registry.pairs))
        # .cache/pages keeps the chunks of the last build that planned every page (a new process's
        # first build): the preview server's later rebuilds neither add to it nor prune it.
        page_keys = {self._pages_key(c, fingerprints) for c in chunks} if len(todo) == len(pages) else None
        files, file_fingerprints, kept_files = self._files_to_make(model, pages, deps, year)
        return Plan(model, pages, fingerprints, todo, chunks, {}, page_keys, files, file_fingerprints, kept_files,
                    renderer, static, cards.cards_of(pages, model.strings), {})

    def _recall(self, plan: Plan) -> None:
        """What earlier builds already made of the plan: pages (.cache/pages), which are then not
        rendered, and cards (this Builder's or .cache/'s), which are then not drawn."""
        plan.chunks, plan.stored = self._stored_pages(plan.chunks, plan.fingerprints)
        left = {p.url for c in plan.chunks for p in c}
        plan.todo = [p for p in plan.todo if p.url in left]   # (in the pages' order)
        plan.kept_cards = self._kept_cards(plan.cards)

    # A new process with nothing changed ----------------------------------------------------------

    def _site_key(self, plan: Plan) -> str:
        """A digest of everything the build's files are made from: every page's, card's, index's and
        file's inputs (static files and templates are in every page's), and how they are written
        (worked out once per plan: both the check and the record after writing need it)."""
        if not plan.site_key:
            plan.site_key = self._site_key_of(plan)
        return plan.site_key

    def _site_key_of(self, plan: Plan) -> str:
        return digest("site", self.precompress, self.publish, sorted(plan.fingerprints.items()),
                       sorted(plan.file_fingerprints.items()), sorted((rel, c.digest) for rel, c in plan.cards.items()),
                       [search.inputs_digest(plan.model, lang) for lang in urls.LANGS])

    def _site_holds(self, plan: Plan) -> tuple[Path, list[str]] | None:
        """The generation site/ shows and its files, if a build of the same inputs wrote it
        (.cache/site) and it is as it was written (each file's size and time): a new process then
        reads no page and writes nothing. The preview server and a Builder's later builds compare
        files as usual."""
        if self.preview or self.outputs is not None or not self.page_store.enabled:
            return None
        current = current_generation(self.site)
        entry = self.page_store.load("site", uptodate.entry_key(self.site))
        if current is None or not isinstance(entry, dict) or entry.get("generation") != str(current):
            return None
        try:
            stats = file_stats(current)
        except OSError:
            return None
        return (current, list(stats)) if entry.get("key") == self._site_key(plan) and stats == entry.get("files") else None

    def _unchanged(self, plan: Plan, held: tuple[Path, list[str]], clock: "_Clock") -> BuildResult:
        self._note_site(plan)   # (the inputs' times, if they had changed: the next process need not plan)
        outputs = Outputs(held[0])
        outputs.update(dict.fromkeys(held[1]))   # (each read from site/ if asked for)
        return BuildResult(plan.pages, outputs, WriteResult([], [], len(outputs), None), [], [], clock.done())

    def _inputs_seen(self) -> None:
        """The input files' sizes and times before this build reads them (portal/uptodate.py)."""
        self.inputs_seen = None
        if not self.preview and self.outputs is None and self.page_store.enabled:
            started = time.time()
            inputs = uptodate.input_stats(self.root)
            self.inputs_seen = inputs if uptodate.trusted(inputs, started) else None

    def _note_site(self, plan: Plan) -> None:
        """Remember what site/ now holds (.cache/site), for the next process: _site_holds, and
        portal/uptodate.py with the inputs' times, if they can be trusted."""
        current = current_generation(self.site)
        if self.preview or not self.page_store.enabled or current is None:
            return
        try:
            files = file_stats(current)
        except OSError:   # (site/ changed under us by hand: nothing recorded, the next build compares)
            return
        self.page_store.store("site", uptodate.entry_key(self.site), {
            "generation": str(current), "key": self._site_key(plan), "files": files,
            "inputs": self.inputs_seen, "options": uptodate.options(self.root, self.precompress, self.publish),
            "pages": len(plan.pages)})

    def _files_to_make(self, model: Model, pages: list[Page], deps: dict[str, str], year: int
                       ) -> tuple[list[extras.FileTask], dict[str, str], dict[str, bytes]]:
        """The files beside the pages whose inputs changed since this Builder's last build, every
        file task's fingerprint, and the files of the others as that build made them."""
        common = digest(model.site, model.registry.as_of, model.registry.sources, model.registry.stated, year)
        tasks = extras.file_tasks(model, pages)
        fingerprints = {t.name: digest(common, t.name, *(deps[d] for d in t.deps)) for t in tasks}
        todo, kept = [], {}
        for task in tasks:
            last = self.file_cache.get(task.name)
            if last is not None and last[0] == fingerprints[task.name]:
                kept.update(last[1])
            else:
                todo.append(task)
        return todo, fingerprints, kept

    def _pages_key(self, chunk: list[Page], fingerprints: dict[str, str]) -> str:
        return digest("pages", *(fingerprints[p.url] for p in chunk))

    def _stored_pages(self, chunks: list[list[Page]], fingerprints: dict[str, str]
                      ) -> tuple[list[list[Page]], dict[str, bytes]]:
        """The chunks still to render, and the files of those that an earlier build rendered with
        the same fingerprints (.cache/pages: one entry per chunk, so a warm build reads a few
        dozen files, and a changed page costs its chunk)."""
        left, stored = [], {}
        for chunk in chunks:
            files = self.page_store.load("pages", self._pages_key(chunk, fingerprints))
            if isinstance(files, dict):
                stored.update(self._with_gz_as_wanted(files))
            else:
                left.append(chunk)
        return left, stored

    def _with_gz_as_wanted(self, files: dict[str, bytes]) -> dict[str, bytes]:
        """Stored pages with their .gz copies if this build makes them, else without: an entry
        serves the publishing build (`--precompress`) and the preview's alike."""
        pages = {rel: data for rel, data in files.items() if not rel.endswith(".gz")}
        if not self.precompress:
            return pages
        gz = {rel: data for rel, data in files.items() if rel.endswith(".gz")}
        return {**pages, **(gz or gzipped(pages))}   # (an entry has every copy or none)

    def _kept_cards(self, wanted: dict[str, cards.Card]) -> dict[str, bytes]:
        """The cards already drawn: by this Builder, or by an earlier build (.cache/)."""
        kept = {}
        for rel, card in wanted.items():
            png = self.card_cache.get(card.digest) or self.cache.get("cards", card.digest)
            if png is not None:
                kept[rel] = png
        return kept

    # render ------------------------------------------------------------------------------------

    def _render(self, plan: Plan, stream: Fresh | None) -> dict[str, bytes | None]:
        """Every file to make (the pages to do, search indexes, cards to draw, downloads), as tasks
        that this process shares with a forked helper when there are many (portal/parallel.py)."""
        apart, shared = self._tasks(plan)
        if stream:
            apart, shared = ([_writing(task, stream, keep=not self._lean(stream)) for task in group] for group in (apart, shared))
        helper = self.parallel and len(plan.todo) >= PARALLEL_MIN and parallel.available()
        if helper:
            plan.renderer.prepare()   # compile the templates once, before the fork
            # What both processes hold is never collected: the collector would otherwise touch
            # (and so copy, page by page) every object the model has, in each of them.
            gc.freeze()
        return parallel.run(shared, helper=helper, apart=apart)

    def _tasks(self, plan: Plan) -> tuple[list[parallel.Task], list[parallel.Task]]:
        """The build's tasks, in the order they are taken. Apart, in a process of its own (which
        ends with them): both search indexes (only it loads PyThaiNLP's dictionary and holds the
        indexes' words), the downloads, then the pages that say their sizes. Shared: the pages that
        show the whole list first (the plan with its annex is 14 MB at 10,000 pairs: each process
        renders them before anything else has added to its memory; those with maps last), the
        preview cards still to draw, the other files, the other pages, biggest first."""
        gz = _with_gz if self.precompress else (lambda task: task)
        sizes = [c for c in plan.chunks if any(map(opendata.shows_sizes, c))]
        chunks = [c for c in plan.chunks if not any(c is s for s in sizes)]
        listing = sorted((c for c in chunks if _shows_the_list(c)), key=lambda c: any(map(plan.renderer.draws_figures, c)))
        to_draw = [c for rel, c in plan.cards.items() if rel not in plan.kept_cards]
        apart = [gz(lambda: search.files(plan.model, cache=self.cache)),
                 *(self._file_task(t, plan) for t in plan.files if t.name in opendata.FILES),
                 *(self._page_task(c, plan) for c in sizes)]
        shared = [*(self._page_task(c, plan) for c in listing),
                  *(gz(_storing_cards(t, to_draw, self.cache)) for t in cards.tasks(to_draw)),
                  *([lambda: gzipped(plan.static)] if self.precompress else []),
                  *(self._file_task(t, plan) for t in plan.files if t.name not in opendata.FILES),
                  *(self._page_task(c, plan) for c in chunks if not _shows_the_list(c))]
        return apart, shared

    def _file_task(self, task: extras.FileTask, plan: Plan) -> parallel.Task:
        """Making files beside the pages (with their .gz copies if wanted), remembered by this
        Builder for its next build (when made in this process: a helper's are made again then)."""
        def run() -> dict[str, bytes]:
            out = task.make()
            if self.precompress:
                out.update(gzipped(out))
            if self.keep_outputs:
                self.file_cache[task.name] = (plan.file_fingerprints[task.name], out)
            return out
        return run

    def _page_task(self, chunk: list[Page], plan: Plan) -> parallel.Task:
        """Rendering a chunk of pages (with their .gz copies if wanted), kept in .cache/pages."""
        def run() -> dict[str, bytes]:
            out = {urls.output_path(page.url): plan.renderer.render(page).encode("utf-8") for page in chunk}
            if any(map(plan.renderer.expands_blocks, chunk)):
                plan.renderer.forget_blocks()   # (no other chunk shows them: _chunks)
            if self.precompress:
                out.update(gzipped(out))
            if plan.page_keys is not None:
                self.page_store.store("pages", self._pages_key(chunk, plan.fingerprints), out)
            return out
        return run

    def _lean(self, stream: Fresh | None) -> bool:
        """Whether the files written as they are made are let go of (read back only if needed)."""
        return stream is not None and not self.keep_outputs and not self.preview

    def _assemble(self, plan: Plan, made: dict[str, bytes | None], stream: Fresh | None) -> dict[str, bytes]:
        """Every output file: the pages made now or kept from the last build, the static files,
        the cards, the other files made, and the server's 404 page."""
        made = {**plan.stored, **plan.kept_files, **made}
        outputs: dict[str, bytes] = Outputs(stream.dir) if self._lean(stream) else {}
        for page in plan.pages:
            rel = urls.output_path(page.url)
            if rel in made:   # (a value may be None: a file written and let go of, see write.Outputs)
                outputs[rel] = made.pop(rel)
                if rel + ".gz" in made:
                    outputs[rel + ".gz"] = made.pop(rel + ".gz")
            else:
                _fingerprint, outputs[rel], gz = self.page_cache[page.url]
                if gz is not NO_GZ:
                    outputs[rel + ".gz"] = gz
        outputs.update(plan.static)
        outputs.update(plan.kept_cards)
        outputs.update(made)   # what is left: the files beside the pages
        not_found = urls.output_path(urls.not_found("th"))
        outputs["404.html"] = outputs[not_found]  # the server's fallback page
        if not_found + ".gz" in outputs:
            outputs["404.html.gz"] = outputs[not_found + ".gz"]
        return outputs

    # check -------------------------------------------------------------------------------------

    def _check(self, model: Model, outputs: dict[str, bytes], all_links: bool) -> None:
        problems = Problems()
        if all_links:
            check_links(model, outputs, problems)
        else:
            check_content_links(model, outputs, problems)
        if not reuse.kept():   # (the pages it read: only a next build could ask again)
            links.ids_of.cache_clear()
            _repeated_ids.cache_clear()
        problems.raise_if_any()

    # write -------------------------------------------------------------------------------------

    def _write(self, outputs: dict[str, bytes], stream: Fresh | None, made: dict) -> WriteResult:
        """site/ swapped to the new outputs in one rename (portal/write.py): the streamed
        generation, the preview's spare one, or a new one."""
        if stream:
            return stream.commit(outputs, already=set(made))
        if self.spare is not None:
            return self.spare.write(outputs, self.outputs, self.generation)
        return write_site(self.site, outputs, previous=self.outputs, based_on=self.generation)

    def _remember(self, plan: Plan, outputs: dict[str, bytes]) -> None:
        """What the next build of this Builder starts from: each page's fingerprint and files."""
        cache = {}
        for page in plan.pages:
            rel = urls.output_path(page.url)
            # (dict.get: a file written and let go of stays None, not read back; see write.Outputs)
            cache[page.url] = (plan.fingerprints[page.url], dict.get(outputs, rel), dict.get(outputs, rel + ".gz", NO_GZ))
        self.page_cache = cache
        if plan.page_keys is not None:
            self.page_store.keep_only("pages", plan.page_keys)
        if self.keep_outputs:
            self.card_cache = {card.digest: outputs[rel] for rel, card in plan.cards.items()}
        if self.preview:
            # The caches hold a few hundred thousand objects; move them out of the collector's way
            # so that a full collection during the next rebuild does not scan them all (~0.3 s).
            gc.collect()
            gc.freeze()

    def prepare_spare(self) -> None:
        """The preview server's spare generation (write.Spare.prepare), made under the build lock."""
        if self.spare is not None and self.outputs is not None:
            with BuildLock(self.site):
                self.spare.prepare(self.outputs, self.generation)


class _Clock:
    """How long each step took (build.py --timings), and the total."""

    def __init__(self):
        self.timings: dict[str, float] = {}
        self.start = time.perf_counter()

    @contextlib.contextmanager
    def __call__(self, step: str):
        t = time.perf_counter()
        yield
        self.timings[step] = time.perf_counter() - t

    def done(self) -> dict[str, float]:
        self.timings["total"] = time.perf_counter() - self.start
        return self.timings


def _chunks(todo: list[Page], renderer: Renderer, n_pairs: int) -> list[list[Page]]:
    """The pages to render in tasks, biggest first so that neither process is left with a big one
    at the end. A page with a map goes with its twin in the other language: the map's geometry
    (remembered by portal/maps.py) is then computed once. The pages of a language that show a
    block generated from the registry go together: each block is made once, and let go of after."""
    def cost_of(page: Page) -> int:  # about how many table rows the page shows
        return len(page.deps) + (n_pairs if "pairs:listing" in page.deps else 0) + 20 * renderer.draws_figures(page)
    cost = {id(p): cost_of(p) for p in todo}
    groups: dict[str, list[Page]] = {}
    for p in todo:
        key = ("[[sizes]]" if opendata.shows_sizes(p)   # (rendered where the downloads are made: Builder._render)
               else f"[[blocks]] {p.lang}" if renderer.expands_blocks(p)
               else p.url.split("/", 2)[-1] if renderer.draws_figures(p) or cost[id(p)] > CHUNK else p.url)
        groups.setdefault(key, []).append(p)
    totals = [(sum(cost[id(p)] for p in g), g) for g in groups.values()]
    chunks = [g for total, g in sorted((t for t in totals if t[0] > CHUNK), key=lambda t: -t[0])]
    chunk: list[Page] = []
    filled = 0
    for p in (p for total, g in totals if total <= CHUNK for p in g):
        chunk.append(p)
        filled += cost[id(p)]
        if filled >= CHUNK:
            chunks.append(chunk)
            chunk, filled = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _shows_the_list(chunk: list[Page]) -> bool:
    return any("pairs:listing" in page.deps for page in chunk)


def _storing_cards(task: parallel.Task, drawn: list[cards.Card], cache: Cache) -> parallel.Task:
    """The task, keeping the cards it draws in the build's cache on disk (whichever process runs it)."""
    if not cache.enabled:
        return task
    digests = {card.path: card.digest for card in drawn}

    def run() -> dict[str, bytes]:
        out = task()
        for rel, png in out.items():
            cache.put("cards", digests[rel], png)
        return out
    return run


def _with_gz(task: parallel.Task) -> parallel.Task:
    """The task, with a precompressed copy of each of its text files (portal/compress.py), made in
    whichever process runs it."""
    def run() -> dict[str, bytes]:
        out = task()
        out.update(gzipped(out))
        return out
    return run


def _writing(task: parallel.Task, stream: Fresh, *, keep: bool) -> parallel.Task:
    """The task, writing its files into the new generation as well (in whichever process runs it).
    Without `keep` it returns only the files' names (each with None: see write.Outputs)."""
    def run() -> dict[str, bytes]:
        out = task()
        for rel, data in out.items():
            stream.put(rel, data)
        return out if keep else dict.fromkeys(out)
    return run


def build(root: Path, site: Path | None = None, *, write: bool = True, all_links: bool = False,
          parallel: bool = False, keep_outputs: bool = True, precompress: bool = False,
          cache: bool | None = None, publish: bool = False) -> BuildResult:
    """A complete build from nothing (the command line's build, check and publish)."""
    return Builder(root, site, parallel=parallel, keep_outputs=keep_outputs, precompress=precompress,
                   cache=cache, publish=publish).build(write=write, all_links=all_links)


__all__ = ["build", "Builder", "gather", "BuildError"]
