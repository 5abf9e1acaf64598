#!/usr/bin/env python3
"""Measure search in Chromium on the real index: the query time (median, 95th percentile, worst)
of every query of tests/search_queries.yaml plus the no-result and typo queries the page must
handle, run through static/js/search-core.js in the search page itself, and the index size per
language. The figures in docs/SEARCH.md come from here. A measurement, not a test.

  .venv/bin/python scripts/search_bench.py [--site DIR] [--rounds N]

Without --site it builds the site into a temporary folder first. Needs Debian's /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

# Queries that find nothing (they run the "did you mean" search) or need a correction: the slow paths.
EXTRA = [("en", "Ho Chi Minh"), ("th", "โฮจิมินห์"), ("en", "qwertyuiop"), ("th", "กขฃคฅฆ"),
         ("en", "Pukhet"), ("en", "Zzyzx Tokio"), ("th", "เชียงลาย"), ("en", "静岡県")]

TIMER = """async ([queries, rounds]) => {
  const config = JSON.parse(document.getElementById('search-config').textContent);
  const t0 = performance.now();
  const index = SearchCore.prepare(await (await fetch(config.index, {cache: 'no-cache'})).json());
  const load = performance.now() - t0;
  for (const q of queries) SearchCore.search(index, q, {limit: 50});   // warm up (JIT), as a reader's first keystrokes do
  const times = [];
  for (let r = 0; r < rounds; r++) for (const q of queries) {
    const t = performance.now();
    SearchCore.search(index, q, {limit: 50});
    times.push(performance.now() - t);
  }
  return [load, times];
}"""


def main() -> int:
    from browser import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

    from portal import search, urls
    from portal.serve import make_server
    from portal.site import build

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="search-bench-")) / "site"
        build(ROOT, site)
    queries = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
    by_lang = {lang: [str(q["q"]) for q in queries if q["lang"] == lang] + [q for lg, q in EXTRA if lg == lang]
               for lang in urls.LANGS}

    server = make_server(site.resolve(), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"{sum(map(len, by_lang.values()))} queries × {args.rounds} rounds, Chromium ({CHROMIUM}), "
          f"search-core.js on the built index\n")
    print("| language | index raw | index gzip | load + prepare | queries | median | p95 | worst | p95 of each query's best round | slowest query, best round |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for lang in urls.LANGS:
            page = browser.new_page()
            page.goto(f"{base}/{lang}/search/")
            page.wait_for_function("() => window.SearchCore")
            load, times = page.evaluate(TIMER, [by_lang[lang], args.rounds])
            page.close()
            raw = (site / search.index_path(lang)).read_bytes()
            packed = len(gzip.compress(raw, 9, mtime=0))
            n = len(by_lang[lang])
            # each query's best round: what the engine needs, without the scheduler of a busy machine
            per_query = [min(times[r * n + i] for r in range(args.rounds)) for i in range(n)]
            slowest = max(range(n), key=per_query.__getitem__)
            best = sorted(per_query)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            best_p95 = best[min(n - 1, int(0.95 * n))]
            print(f"| {lang} | {len(raw) / 1000:.0f} kB | {packed / 1000:.1f} kB | {load:.0f} ms | {len(by_lang[lang])} "
                  f"| {statistics.median(times):.2f} ms | {p95:.2f} ms | {times[-1]:.1f} ms | {best_p95:.2f} ms "
                  f"| {per_query[slowest]:.1f} ms ({by_lang[lang][slowest]}) |")
        browser.close()
    server.shutdown()
    core = (ROOT / "static" / "js" / "search-core.js").read_bytes()
    print(f"\nsearch-core.js: {len(core) / 1000:.1f} kB raw, {len(gzip.compress(core, 9)) / 1000:.1f} kB gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
