"""Pages → HTML: the Jinja environment, its filters, and the interface strings."""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import tempfile
import traceback
from collections import Counter
from pathlib import Path

from jinja2.bccache import BytecodeCache, FileSystemBytecodeCache
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError, select_autoescape
from markupsafe import Markup, escape

from . import cards, maps, opendata, parallel, security, thai, urls
from .cache import digest
from .typeset import phrases_kept_together, typesetter_for, words_chromium_splits
from .content import DIRECTIVE_RE, shift_headings
from .errors import BuildError, Problem
from .model import Registry
from .pages import Page, annex_changes, annex_groups

ID_IN_TEXT_RE = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")
# A section heading with an anchor (h2–h6; the h1 is the page itself), and what is inside it.
# (The templates and content.py write the id first: a cheaper pattern than any attribute order.)
ANCHORED_HEADING_RE = re.compile(r'(<h([2-6]) id="([^"]+)"[^>]*>)(.*?)(</h\2>)', re.S)
TAG_RE = re.compile(r"<[^>]+>")
NOT_SECTIONS = {"toc-title", "regions-jump", "section-contents"}   # headings whose id only names a region (aria-labelledby)
# Pages whose headings get no permalink: the home page's (its parts are not what anyone shares), and
# the pairs page's year headings (one "#" per year was noise; its jump list links them). Issue 18.
NO_PERMALINKS = {"home": re.compile(r".*"), "pairs": re.compile(r"(?:signed|in-progress)-\d{4}")}


@functools.lru_cache(maxsize=4)
def nav_items(lang: str) -> list[tuple[str, str]]:
    """The main navigation's sections: (string key, URL)."""
    return [("provinces", urls.provinces(lang)), ("countries", urls.countries(lang)), ("pairs", urls.pairs(lang)),
            ("map", urls.map_page(lang)), ("stats", urls.stats(lang)), ("plan", urls.document(lang, "plan")),
            ("handbook", urls.document(lang, "handbook"))]


class Fields(dict):
    """A dict whose keys templates read as attributes (page.title, item.url). Jinja tries an
    attribute before a key, and on a plain dict that first try fails with an exception, which
    costs more than the rest of the lookup; here the attribute is found at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__ = self


class Renderer:
    def __init__(self, root: Path, registry: Registry, strings: dict[str, dict], site: dict, extra: dict | None = None,
                 env: Environment | None = None):
        self.root, self.r, self.strings, self.site = root, registry, strings, Fields(site)
        self.extra = extra or {}  # URL → values (or a function giving them) from maps, stats, search
        self.pairs_by_id = {p.id: p for p in registry.pairs}
        seen = Counter((p.province.slug, p.partner.name_en) for p in registry.pairs)
        self.repeated_pairs = {k for k, n in seen.items() if n > 1}
        self.other_relations = {o.id: o for o in registry.other_relations}  # named by notes too
        self.env = env or make_environment(root)
        filters = dict(num=thai.number, year=thai.year, date=thai.date, pair_links=self._pair_links,
                       native_name=native_name, status_badge=status_badge, list_date=list_date)
        assert filters.keys() == set(FILTERS), "render.FILTERS names every filter (make_environment)"
        self.env.filters.update(filters)
        self.env.globals.update(url=urls, asset=self._asset, month=lambda ym, lang: thai.month(ym[0], ym[1], lang),
                                csp=Markup(security.CSP_META), referrer_policy=security.REFERRER_POLICY,
                                event_downloads=lambda: opendata.event_downloads(registry))   # fb: labelled buttons
        self._asset_hashes: dict[str, str] = {}
        self._fragments: dict[tuple, Markup] = {}
        self._cards: dict[tuple, cards.Card] = {}
        self.counted = {s: registry.counted(s) for s in ("signed", "in_progress")}
        words, phrases = words_chromium_splits(root), phrases_kept_together(root)
        self.typeset = typesetter_for(registry, words, phrases)   # (the last build's, if the names are the same)
        # What rendering reads itself rather than from the model: part of every page's fingerprint
        # (site.Builder._plan), so that a page kept from an earlier build never misses a change of them.
        self.own_inputs = digest(words, phrases, maps.inputs_digest())

    def prepare(self) -> None:
        """Compile every template and load the typesetter's dictionary now: a fork then shares
        them, instead of each process doing it again."""
        compile_templates(self.env, self.root)
        self.typeset.prepare()

    def draws_figures(self, page: Page) -> bool:
        return page.url in self.extra and callable(self.extra[page.url])

    def _asset(self, path: str) -> str:
        """A static file's URL with a content hash, so a changed stylesheet is never served stale."""
        if path not in self._asset_hashes:
            file = self.root / path.lstrip("/")
            version = hashlib.sha1(file.read_bytes()).hexdigest()[:10] if file.exists() else "0"
            self._asset_hashes[path] = f"{path}?v={version}"
        return self._asset_hashes[path]

    def _pair_links(self, text: str, lang: str) -> Markup:
        """Escape a note and link the records it names by id, each shown by its name in the page's
        language ("Trang – Guangzhou"), never by its id: an id is for the data, not for readers."""
        def link(m: re.Match) -> str:
            word = m.group(0)
            if word in self.pairs_by_id:
                p = self.pairs_by_id[word]
                name = f"{p.province.name(lang)} – {p.partner.name(lang)}"
                if (p.province.slug, p.partner.name_en) in self.repeated_pairs:   # (the list has it twice: its row tells them apart)
                    name += f" {thai.number(p.year_be % 100, lang)}/{thai.number(p.list_no, lang)}"
                return f'<a href="{urls.pair(lang, word)}">{escape(name)}</a>'
            if word in self.other_relations:
                o = self.other_relations[word]
                return (f'<a href="{urls.other_relation_url(lang, o)}">{escape(o.party(lang))} – '
                        f'{escape(o.partner.name(lang))}</a>')
            return word
        return Markup(ID_IN_TEXT_RE.sub(link, str(escape(text))))

    def nav(self, lang: str, current: tuple[str, ...]) -> list[Fields]:
        """The main navigation; `current` are the URLs of the items the page is in."""
        t = self.strings[lang]
        return [Fields(label=t[f"nav_{key}"], url=u, current=u in current) for key, u in nav_items(lang)]

    def fragment(self, lang: str, name: str, **key) -> Markup:
        """A part of the layout that many pages share, rendered once per build for each language
        and `key` (templates/_base.html): a third of a page's render time is its layout."""
        k = (name, lang, tuple(sorted(key.items())))
        if k not in self._fragments:
            self._fragments[k] = Markup(self.env.get_template(name).render(
                lang=lang, t=self.strings[lang], site=self.site, registry=self.r, search_url=urls.search(lang),
                doc_url=lambda doc: urls.document(lang, doc), nav=self.nav(lang, key.get("current", ())), **key))
        return self._fragments[k]

    def jsonld(self, page: Page) -> dict:
        data = {"@context": "https://schema.org", "@type": "WebPage", "name": page.title,
                "description": page.description, "inLanguage": page.lang,
                "url": self.site["base_url"] + page.url,
                "isPartOf": {"@type": "WebSite", "name": self.strings[page.lang]["site_name"],
                             "url": self.site["base_url"] + urls.home(page.lang)}}
        if page.breadcrumbs:
            data["breadcrumb"] = {"@type": "BreadcrumbList", "itemListElement": [
                {"@type": "ListItem", "position": i + 1, "name": c["label"], "item": self.site["base_url"] + c["url"]}
                for i, c in enumerate(page.breadcrumbs)]}
        pair = page.context.get("pair")
        if pair:
            data["about"] = [
                {"@type": "AdministrativeArea", "name": pair.province.name(page.lang), "containedInPlace": {"@type": "Country", "name": "Thailand"}},
                {"@type": "Place", "name": pair.partner.name_en, "alternateName": [n for n in (pair.partner.name_th, pair.partner.name_native) if n],
                 "geo": {"@type": "GeoCoordinates", "latitude": pair.partner.lat, "longitude": pair.partner.lon}}]
        return data

    def render(self, page: Page) -> str:
        """The page's HTML; a template that fails is reported at its file and line."""
        try:
            html = self._render(page)
        except TemplateError as exc:
            raise BuildError([self._template_problem(exc, page.template, page.url)]) from None
        except RecursionError as exc:   # a template that includes or extends itself (issue 17)
            folder = (self.root / "templates").resolve()
            cycle = sorted({Path(f.f_code.co_filename).relative_to(folder).as_posix()
                            for f, _ in traceback.walk_tb(exc.__traceback__)
                            if Path(f.f_code.co_filename).is_relative_to(folder)})
            exc.message = f"templates include each other without end ({', '.join(cycle)}): break the loop"
            raise BuildError([self._template_problem(exc, page.template, page.url)]) from None
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
            # An expression of a template failed ({{ 1/0 }}): Jinja gives its frames the
            # template's file and line, so it is reported there like any template error.
            exc.message = f"{type(exc).__name__}: {exc}"
            raise BuildError([self._template_problem(exc, page.template, page.url)]) from None
        if page.kind != "landing":
            html = add_permalinks(html, page.url, self.strings[page.lang]["permalink_label"],
                                  share=page.context.get("section_urls"), skip=NO_PERMALINKS.get(page.kind))
        return self.typeset.page(html)   # after the permalinks, whose names may quote another script

    def _template_problem(self, exc: TemplateError, template: str, url: str | None = None) -> Problem:
        return template_problem(self.root, exc, template, url)

    def _card(self, page: Page) -> cards.Card:
        """The page's preview card, worked out once per kind (or document) and language."""
        doc = page.context.get("doc") if page.kind in ("document", "section") else None
        part = page.context.get("part") if page.kind == "section" else None
        key = (page.kind, page.lang, doc.name if doc else None, part.anchor if part else None)
        if key not in self._cards:
            self._cards[key] = cards.card_of(page, self.strings)
        return self._cards[key]

    def _render(self, page: Page) -> str:
        lang = page.lang
        if page.kind == "landing":
            return self.env.get_template("landing.html").render(
                th=self.strings["th"], en=self.strings["en"], site=self.site, asset=self._asset, as_of=self.r.as_of,
                card=self._card(page), figures=self._landing_figures(), search_config=self._landing_search(),
                jsonld={"@context": "https://schema.org", "@type": "WebSite", "name": self.strings["th"]["site_name"],
                        "alternateName": self.strings["en"]["site_name"], "url": self.site["base_url"] + "/",
                        "inLanguage": ["th", "en"]})
        t = self.strings[lang]
        page_info = Fields(url=page.url, title=page.title, description=page.description, kind=page.kind,
                           breadcrumbs=[Fields(c) for c in page.breadcrumbs],
                           alternates=[Fields(a) for a in page.alternates], switch_url=page.switch_url,
                           jsonld=self.jsonld(page), card=self._card(page))
        ctx = dict(page.context)
        extra = self.extra.get(page.url, {})
        ctx.update(extra() if callable(extra) else extra)
        ctx.setdefault("map_svg", "")
        ctx.setdefault("map_legend", ())
        if page.kind == "document":
            ctx["body"] = Markup(self._expand(ctx["doc"].html, lang))
        elif page.kind == "section":   # its own heading is the page's h1: the headings inside move up
            ctx["body"] = Markup(shift_headings(self._expand(ctx["html"], lang), ctx["part"].section.level - 1))
        return self.env.get_template(page.template).render(
            lang=lang, other_lang=urls.other(lang), t=t, page=page_info, registry=self.r, site=self.site,
            counted=self.counted, home_url=urls.home(lang), search_url=urls.search(lang),
            doc_url=lambda name: urls.document(lang, name),
            fragment=functools.partial(self.fragment, lang),
            nav_current=tuple(u for _key, u in nav_items(lang) if page.url.startswith(u)), **ctx)

    def _landing_figures(self) -> list[tuple[str, str, str, str]]:
        """The landing page's headline figures (issue 18): (number, string key, Thai page, English page)."""
        provinces = len({p.province.slug for p in self.r.pairs})
        return [(str(self.counted["signed"].pairs), "pairs_signed", urls.pairs("th") + "#signed", urls.pairs("en") + "#signed"),
                (str(self.counted["in_progress"].pairs), "pairs_in_progress", urls.pairs("th") + "#in-progress",
                 urls.pairs("en") + "#in-progress"),
                (str(provinces), "provinces_with_partners", urls.provinces("th"), urls.provinces("en")),
                (str(len(self.r.countries)), "partner_countries", urls.countries("th"), urls.countries("en"))]

    def _landing_search(self) -> dict:
        """What static/js/landing.js needs to search both languages' indexes from /."""
        from .search import index_path
        keys = ("search_status_none", "search_status_one", "search_status_many", "search_status_loading",
                "search_status_error", *(f"search_kind_{k}" for k in ("province", "country", "pair", "plan", "handbook", "other")))
        return {"limit": 5, **{lang: {"index": "/" + index_path(lang), "page": urls.search(lang),
                                      "strings": {k: self.strings[lang][k] for k in keys}} for lang in urls.LANGS}}

    def _annex_changes(self) -> list:
        """The annex's changed rows, worked out once per registry for both languages."""
        cached = getattr(self, "_annex_cache", None)
        if cached is None or cached[0] is not self.r:
            self._annex_cache = cached = (self.r, annex_changes(self.r))
        return cached[1]

    def expands_blocks(self, page: Page) -> bool:
        """Whether the page shows a block generated from the registry ([[annex]], [[counts]] …)."""
        if page.kind == "document":
            return DIRECTIVE_RE.search(page.context["doc"].html) is not None
        return page.kind == "section" and DIRECTIVE_RE.search(page.context["html"]) is not None

    def forget_blocks(self) -> None:
        """Let go of the generated blocks made so far (the annex is 25 MB at 10,000 pairs): the
        build renders the pages of a language that show them together (site._chunks)."""
        for key in [k for k in self._fragments if k[0] == "directive"]:
            del self._fragments[key]

    def _expand(self, body: str, lang: str) -> str:
        """Replace [[annex]] and [[counts]] with blocks generated from the registry."""
        def block(m: re.Match) -> str:
            name = m.group(1)
            key = ("directive", name, lang)   # (the whole plan and its annex's own page show the same block)
            if key not in self._fragments:
                changes = self._annex_changes() if name == "annex" else []
                self._fragments[key] = Markup(self.env.get_template(f"_{name}.html").render(
                    lang=lang, t=self.strings[lang], registry=self.r, counted=self.counted, site=self.site,
                    annex=annex_groups(self.r), changes=changes,
                    printed_no={c.pair.id: c.printed_no for c in changes if c.printed_no}))
            return self._fragments[key]
        return DIRECTIVE_RE.sub(block, body)


def add_permalinks(html: str, url: str, label: str, share: dict[str, str] | None = None,
                   skip: re.Pattern | None = None) -> str:
    """Give every section heading that has an anchor a permalink (the "#" after the title, kept on
    the title's last line by a no-break space; a script makes it copy the address too), whichever
    template or document made it. The link carries the page's own address, so a printed page shows
    each section's address. `share` (id → address) names the section page a copied link should
    give instead (a handbook section's own page); headings whose id `skip` matches get none."""
    def link(m: re.Match) -> str:
        start, _level, anchor, inner, end = m.groups()
        if anchor in NOT_SECTIONS or 'class="permalink"' in inner or (skip and skip.fullmatch(anchor)):
            return m.group(0)
        title = " ".join(TAG_RE.sub("", inner).split()).replace('"', "&quot;")   # (text of HTML: escaped already)
        copy = f' data-copy="{share[anchor]}"' if share and anchor in share else ""
        # Its name is text, not an aria-label, so a quoted Thai title in it gets its lang (portal/typeset.py).
        return (f'{start}{inner}\u00a0<a class="permalink" href="{url}#{anchor}"{copy}><span aria-hidden="true">#</span>'
                f'<span class="visually-hidden">{escape(label)}: {title}</span></a>{end}')
    return ANCHORED_HEADING_RE.sub(link, html)


# Two small pieces of markup used on every page and in every table row. They are filters, not Jinja
# macros, because a macro call costs about ten times as much (a third of the render time at 10,000 pairs).

def native_name(obj) -> Markup:
    """A name in its own script, marked with its language: {{ partner | native_name }}."""
    if not obj.name_native:
        return Markup("")
    return Markup(f'<span class="native" lang="{escape(obj.lang)}">{escape(obj.name_native)}</span>')


def status_badge(pair, t: dict) -> Markup:
    """A pair's status, and its stage if in progress: {{ pair | status_badge(t) }}."""
    # (f-strings with escape(): Markup.format goes through string.Formatter, ten times slower)
    out = f'<span class="badge badge-{escape(pair.status)}">{escape(t["status_" + pair.status])}</span>'
    if pair.stage:
        out += f' <span class="badge badge-stage">{escape(t["stage_" + pair.stage])}</span>'
    return Markup(out)


def list_date(as_of, lang: str, t: dict) -> Markup:
    """The list's date, compact, to stand beside a status: {{ registry.as_of | list_date(lang, t) }}
    gives "as of 4 Jan 2019" or "ณ ๔ ม.ค. ๒๕๖๒", never broken across lines."""
    return Markup(f'<span class="list-date">{escape(t["as_of_word"])}&nbsp;<time datetime="{as_of.isoformat()}">'
                  f'{escape(thai.date_short(as_of, lang))}</time></span>')


# The filters a Renderer gives the templates. Their names are known before it exists, so that the
# templates can be compiled (and their problems reported) with the input's (portal/site.py).
FILTERS = ("num", "year", "date", "pair_links", "native_name", "status_badge", "list_date")


def _unbound(name: str):
    def filter_(*_args, **_kwargs):
        # (Jinja's optimiser calls filters on constants while compiling; an exception there only
        # means "evaluate at render time", so no result of one build is folded into the next.)
        raise RuntimeError(f"the filter {name!r} is used before a Renderer gave it")
    return filter_


def make_environment(root: Path, bytecode: Path | None = None) -> Environment:
    """Jinja's environment, with its compiled templates. It does not look at the files again
    (auto_reload costs a stat per page); the Builder makes a new one when templates/ changes.
    `bytecode`: a folder of the build's cache (portal/cache.py) where Jinja keeps compiled
    templates, each checked against its source's digest when loaded."""
    env = Environment(
        loader=FileSystemLoader(root / "templates"),
        undefined=StrictUndefined,            # a missing field fails the build, never an empty cell
        autoescape=select_autoescape(["html", "xml"]),
        auto_reload=False,
        bytecode_cache=FileSystemBytecodeCache(str(bytecode)) if bytecode else None,
    )
    env.filters.update({name: _unbound(name) for name in FILTERS})
    return env


def compile_templates(env: Environment, root: Path) -> None:
    """Compile every template now (before a fork shares them; from the build cache if it has them).
    Every template that does not compile is reported, with its file and line."""
    problems = []
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except TemplateError as exc:
            problems.append(template_problem(root, exc, name))
    if problems:
        raise BuildError(problems)


class CompilingElsewhere:
    """Every template compiled by a forked process while this one reads data/ and content/ (a cold
    build of the command line, which would otherwise compile them first: 0.25 s of its 2.4). The
    child sends Jinja's bytecode back through an unnamed temporary file (and stores it in the build
    cache's `folder`, if any, as this process would have); `join` waits for it and loads the
    templates from it, compiling here any the child did not: one that does not compile is then
    reported here, at its file and line, as always."""

    def __init__(self, root: Path, folder: Path | None):
        self.root, self.joined = root, False
        self.spool = tempfile.TemporaryFile()

        def compile_all() -> int:
            env = make_environment(root, folder)
            env.bytecode_cache = recorded = _Recorded(env.bytecode_cache)
            for name in env.list_templates(extensions=["html"]):
                try:
                    env.get_template(name)
                except TemplateError:
                    pass   # (reported by `join`)
            pickle.dump(recorded.known, self.spool)
            self.spool.flush()
            return 0
        self.pid = parallel.fork(compile_all)

    def join(self, env: Environment) -> None:
        self.joined = True
        with self.spool:
            os.waitpid(self.pid, 0)
            self.spool.seek(0)
            try:
                known = pickle.load(self.spool)
            except Exception:  # noqa: BLE001 - the child died before it finished writing: compile them all here
                known = {}
        own, env.bytecode_cache = env.bytecode_cache, _Recorded(None, known)
        try:
            compile_templates(env, self.root)
        finally:
            env.bytecode_cache = own

    def stop(self) -> None:
        """This process failed before `join`: end the child."""
        parallel.kill(self.pid)
        self.spool.close()


class _Recorded(BytecodeCache):
    """Jinja's bytecode by template: `known` (each checked against its source's checksum when
    loaded, by Jinja), then the `inner` cache; what is compiled is recorded in both."""

    def __init__(self, inner: BytecodeCache | None, known: dict[str, bytes] | None = None):
        self.inner, self.known = inner, {} if known is None else known

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.known:
            bucket.bytecode_from_string(self.known[bucket.key])
        elif self.inner:
            self.inner.load_bytecode(bucket)

    def dump_bytecode(self, bucket) -> None:
        self.known[bucket.key] = bucket.bytecode_to_string()
        if self.inner:
            self.inner.dump_bytecode(bucket)


def template_problem(root: Path, exc: Exception, template: str, url: str | None = None) -> Problem:
    folder = (root / "templates").resolve()
    file, line = None, getattr(exc, "lineno", None)
    if isinstance(exc, TemplateSyntaxError) and exc.name:
        file = f"templates/{exc.name}"
    else:  # Jinja gives a template's frames the template's file name and line
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            path = Path(frame.f_code.co_filename)
            if path.is_relative_to(folder):
                file, line = f"templates/{path.relative_to(folder).as_posix()}", lineno
    making = f" (making {url})" if url else ""
    return Problem(file or f"templates/{template}", line, f"{getattr(exc, 'message', None) or exc}{making}")
