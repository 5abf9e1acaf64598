"""Shared fixtures: the real project built once, and throw-away copies to break on purpose."""
from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# Hypothesis (property tests). `ci`, the default and what `make test` runs: derandomized (the same
# examples on every run, so a random draw never turns CI red) and bounded. `dev` (`make fuzz`,
# HYPOTHESIS_PROFILE=dev): random seeds and ten times the examples, to explore; every failure it
# finds is pinned as an @example (or, for tests that draw with st.data(), as a test of its own).
settings.register_profile("ci", derandomize=True, database=None, max_examples=50, deadline=timedelta(seconds=10),
                          print_blob=True)
settings.register_profile("dev", derandomize=False, max_examples=500, deadline=None, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """A property test's number of examples: `n` in CI, ten times that when exploring (make fuzz)."""
    return n if PROFILE == "ci" else 10 * n

ROOT = Path(__file__).resolve().parents[1]
# The interface strings, as the tests compare pages with them: language → key → text.
STRINGS = {lang: yaml.safe_load((ROOT / "data" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))
           for lang in ("th", "en")}
PROJECT_PARTS = ("data", "content", "templates", "static")


def copy_project(dest: Path) -> Path:
    """A copy of the project's inputs that a test may edit freely."""
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("_curate"))
    if (ROOT / "node_modules").exists():
        (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


@pytest.fixture(scope="session", autouse=True)
def shared_build_cache(tmp_path_factory):
    """One build cache for every build of the session that does not choose its own (portal/cache.py,
    SHARED_ENV): most tests build a copy of the project, and the copies' cards, maps, search indexes
    and compiled templates are mostly the same. A test of the build's work itself (a cold build, a
    failure inside drawing) builds with cache=False, or clears the variable."""
    from portal.cache import SHARED_ENV
    saved = os.environ.get(SHARED_ENV)
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):   # `make test` runs the tests in two processes: one cache for both
        base = base.parent
    os.environ[SHARED_ENV] = str(base / "build-cache")
    yield
    if saved is None:
        os.environ.pop(SHARED_ENV, None)
    else:
        os.environ[SHARED_ENV] = saved


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The real portal, built once for the whole session into a temporary site/."""
    from portal.site import build
    out = tmp_path_factory.mktemp("built")
    result = build(ROOT, out / "site", precompress=True)   # as published: with the .gz copies (deploy/)
    return result


@pytest.fixture(scope="session")
def outputs(built) -> dict[str, bytes]:
    return built.outputs


@pytest.fixture(scope="session")
def page(outputs):
    """page('/en/pairs/') -> the HTML text served at that URL."""
    from portal import urls

    def get(url: str) -> str:
        return outputs[urls.output_path(url)].decode("utf-8")
    return get


# `make test` runs whole files in two processes (pytest-xdist, --dist loadfile) and hands them out in
# collection order (--no-loadscope-reorder): the longest files first, so that only short ones are left
# at the end and both processes finish together. Longest first, from about 100 s down to 10 s on a
# 2-core machine (only the order matters; a file not named here runs after these, in its usual order).
LONGEST_FIRST = ("test_browser.py", "test_atomic.py", "test_robust.py", "test_a11y.py", "test_search.py",
                 "test_hostile.py", "test_cache.py", "test_lists.py", "test_incremental.py", "test_section_pages.py",
                 "test_sharing.py", "test_limits.py", "test_load_errors.py", "test_phone_first_screen.py",
                 "test_line_breaking.py", "test_other_relations_browser.py", "test_parallel.py", "test_publisher.py",
                 "test_csp.py", "test_attacks.py", "test_maps_browser.py", "test_curation_robust.py",
                 "test_curation_load.py", "test_runtime_errors.py", "test_html_valid.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))   # stable: each file's tests keep their order
