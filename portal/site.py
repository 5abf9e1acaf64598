"""The build, in the order it happens: gather and validate everything, plan every page,
render, check links, and only then write site/."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import content, extras, i18n, links, urls, yamlfile
from .errors import BuildError, Problems
from .load import load_registry
from .pages import Page, Planner, check_unique_urls
from .render import Renderer
from .write import WriteResult, write_site


@dataclass
class Model:
    registry: object
    docs: dict
    strings: dict
    site: dict


@dataclass
class BuildResult:
    pages: list[Page]
    outputs: dict[str, bytes]
    write: WriteResult | None
    timings: dict[str, float] = field(default_factory=dict)


def site_settings(root: Path, problems: Problems) -> dict:
    raw = yamlfile.load(root / "data" / "site.yaml", "data/site.yaml", problems) or {}
    base = os.environ.get("PORTAL_BASE_URL") or raw.get("base_url") or ""
    return {"base_url": str(base).rstrip("/")}


def gather(root: Path) -> Model:
    """Read and validate data/ and content/; raise BuildError naming every problem."""
    problems = Problems()
    registry = load_registry(root / "data", problems)
    strings = i18n.load(root / "data" / "strings", problems)
    docs = content.load_documents(root, problems)
    content.check_published_anchors(root, docs, problems)
    site = site_settings(root, problems)
    problems.raise_if_any()
    return Model(registry, docs, strings, site)


def static_files(root: Path) -> dict[str, bytes]:
    out = {}
    folder = root / "static"
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            out["static/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def render_all(root: Path, model: Model) -> tuple[list[Page], dict[str, bytes], dict[str, float]]:
    timings = {}
    t0 = time.perf_counter()
    problems = Problems()
    pages = Planner(model.registry, model.docs, model.strings).plan()
    pages += extras.pages(model)
    check_unique_urls(pages, problems)
    problems.raise_if_any()
    timings["plan"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    renderer = Renderer(root, model.registry, model.strings, model.site, extras.context(root, model, pages))
    outputs: dict[str, bytes] = {}
    for page in pages:
        outputs[urls.output_path(page.url)] = renderer.render(page).encode("utf-8")
    timings["render"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    outputs.update(static_files(root))
    outputs.update(extras.files(root, model, pages))
    outputs["404.html"] = outputs[urls.output_path(urls.not_found("th"))]  # the server's fallback page
    timings["files"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    check_links(model, outputs, problems)
    problems.raise_if_any()
    timings["links"] = time.perf_counter() - t0
    return pages, outputs, timings


def check_links(model: Model, outputs: dict[str, bytes], problems: Problems) -> None:
    """Links written in content/ are reported at their file and line; others at the page."""
    ids: dict[str, set[str]] = {}

    def ids_of(target: str) -> set[str]:
        if target not in ids:
            ids[target] = links.ids_of(outputs[target].decode())
        return ids[target]

    reported = set()
    for doc in model.docs.values():
        for href, line in doc.links:
            path, _, fragment = href.partition("#")
            target = urls.output_path(path)
            if target not in outputs:
                problems.add(doc.file, line, f"link '{href}' leads to no page")
            elif fragment and target.endswith(".html") and fragment not in ids_of(target):
                problems.add(doc.file, line, f"link '{href}': the page has no section #{fragment}")
            else:
                continue
            reported.add(href)
    for rel, href, why in links.broken_links(outputs, model.site["base_url"]):
        if href not in reported:
            problems.add(f"site/{rel}", None, f"link '{href}': {why}")


def build(root: Path, site: Path | None = None, *, write: bool = True) -> BuildResult:
    t_start = time.perf_counter()
    model = gather(root)
    t_gather = time.perf_counter() - t_start
    pages, outputs, timings = render_all(root, model)
    timings = {"gather": t_gather, **timings}
    result = None
    if write:
        t0 = time.perf_counter()
        result = write_site(site or root / "site", outputs)
        timings["write"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    return BuildResult(pages, outputs, result, timings)


__all__ = ["build", "gather", "BuildError"]
