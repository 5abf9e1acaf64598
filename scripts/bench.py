#!/usr/bin/env python3
"""Benchmarks of the portal's build, written to BENCHMARKS.md (never asserted in tests).

  .venv/bin/python scripts/bench.py            (make bench; about ten minutes on 2 cores)
  .venv/bin/python scripts/bench.py --quick    (fewer runs, no 10,000-pair build)

1. Cold full build of the real portal (a new process each run), both languages, search index
   and maps included, against Hugo building a Markdown site of the same number of pages:
   medians of alternating runs.
2. Incremental rebuilds in a warm process (the preview server's Builder): nothing changed,
   a note of one pair edited, a partner renamed, one handbook section edited.
3. Scale: generated registries of 141, 1,000 and 10,000 pairs: time and peak memory.
4. Page weight: each page's HTML plus its CSS, gzip-compressed.
"""
from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
PY = sys.executable
HUGO = shutil.which("hugo", path=str(Path(PY).parent)) or shutil.which("hugo")


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak memory (MiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) // 1024


def portal_build(root: Path, site: Path) -> dict:
    """`python build.py build` in a new process: wall time (s), CPU time (s, user + system, the
    build and its helper process), and the peak memory (MiB) of the build and of its helper
    (portal/parallel.py forks one for a full build)."""
    if site.exists() or site.is_symlink():
        site.unlink() if site.is_symlink() else shutil.rmtree(site)
    shutil.rmtree(site.parent / ".site-builds", ignore_errors=True)
    os.sync()  # let the file system finish deleting the last site before the clock starts
    # The child reports its own figures (RUSAGE_CHILDREN here would keep the largest child ever seen).
    code = ("import resource, sys; sys.path.insert(0, sys.argv[1]); import build; "
            "rc = build.main(['build', '--quiet', '--root', sys.argv[2], '--site', sys.argv[3]]); "
            "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(me.ru_maxrss, kids.ru_maxrss, me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime); "
            "sys.exit(rc)")
    t = time.perf_counter()
    out = subprocess.run([PY, "-c", code, str(ROOT), str(root), str(site)], check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    own, helper, cpu = out.stdout.strip().splitlines()[-1].split()
    return {"seconds": elapsed, "cpu": float(cpu), "peak_mib": int(own) // 1024, "helper_mib": int(helper) // 1024}


def hugo_site(pages: int, dest: Path) -> Path:
    """A Hugo site with `pages` content pages of about the portal's text size, in two languages."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "layouts" / "_default").mkdir(parents=True)
    (dest / "hugo.toml").write_text(
        'baseURL = "http://localhost/"\ndefaultContentLanguage = "th"\ndefaultContentLanguageInSubdir = true\n'
        'disableKinds = ["taxonomy", "term", "RSS"]\n[languages.th]\nweight = 1\n[languages.en]\nweight = 2\n')
    (dest / "layouts" / "_default" / "baseof.html").write_text(
        '<!doctype html><html lang="{{ .Lang }}"><head><title>{{ .Title }}</title>'
        '{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">{{ end }}'
        '</head><body><nav>{{ range .Site.Menus.main }}<a href="{{ .URL }}">{{ .Name }}</a>{{ end }}</nav>'
        '<main>{{ block "main" . }}{{ end }}</main></body></html>')
    (dest / "layouts" / "_default" / "single.html").write_text('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}')
    (dest / "layouts" / "_default" / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}')
    body = ("ความสัมพันธ์เมืองพี่เมืองน้องระหว่างจังหวัดของไทยกับหน่วยการปกครองของต่างประเทศ " * 8 + "\n\n"
            "| no | year | partner |\n|---|---|---|\n" + "| 1 | 2532 | Uozu |\n" * 6 + "\n- note one\n- note two\n")
    per_lang = pages // 2
    for lang in ("th", "en"):
        folder = dest / "content" / lang / "pairs"
        folder.mkdir(parents=True)
        for i in range(per_lang):
            (folder / f"pair-{i}.md").write_text(f"---\ntitle: Pair {i}\ntranslationKey: p{i}\n---\n\n{body}")
    return dest


def median_alternating(runs: int, a, b) -> tuple[list[float], list[float]]:
    ta, tb = [], []
    for _ in range(runs):
        ta.append(a())
        tb.append(b())
    return ta, tb


def bench_cold(runs: int) -> dict:
    from portal.site import build
    pages = len(build(ROOT, write=False).pages)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        hugo = hugo_site(pages, tmp / "hugo")
        portal = lambda: portal_build(ROOT, tmp / "out" / "site")["seconds"]  # noqa: E731
        (tmp / "out").mkdir()
        hugo_run = lambda: timed([HUGO, "--quiet", "--source", str(hugo), "--destination", str(tmp / "hugo-out"),  # noqa: E731
                                  "--cleanDestinationDir"])[0]
        portal(); hugo_run()  # warm the file system cache for both
        tp, th = median_alternating(runs, portal, hugo_run)
        hugo_pages = sum(1 for _ in (tmp / "hugo-out").rglob("*.html"))
        # Where the portal's time goes: its own step timings, and Python starting with the imports.
        shutil.rmtree(tmp / "out")
        (tmp / "out").mkdir()
        steps = subprocess.run([PY, str(ROOT / "build.py"), "build", "--timings", "--site", str(tmp / "out" / "site")],
                               check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1].strip()
        start = statistics.median(timed([PY, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); import build, portal.site"])[0]
                                  for _ in range(runs))
    return {"pages": pages, "portal": tp, "hugo": th, "hugo_pages": hugo_pages, "steps": steps, "start": start}


def bench_incremental(runs: int) -> dict:
    from portal.site import Builder
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import copy_project
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        b = Builder(project, preview=True)  # as the preview server runs it
        b.build()
        b.prepare_spare()
        pairs = project / "data" / "pairs.yaml"
        handbook = project / "content" / "en" / "handbook.md"
        base_pairs, base_hb = pairs.read_text(encoding="utf-8"), handbook.read_text(encoding="utf-8")
        note = re.search(r"^  - en: (Coordinates are those of [^\n]+)$", base_pairs, re.M).group(1)
        name = re.search(r"^    name_en: (Uozu)$", base_pairs, re.M).group(1)
        edits = {
            "nothing changed": lambda i: None,
            "one pair's note edited": lambda i: pairs.write_text(base_pairs.replace(note, f"{note} ({i})"), encoding="utf-8"),
            "one partner renamed": lambda i: pairs.write_text(base_pairs.replace(f"name_en: {name}\n", f"name_en: {name} {i}\n", 1), encoding="utf-8"),
            "one handbook section edited": lambda i: handbook.write_text(base_hb.replace("\n## ", f"\n\nEdit {i}.\n\n## ", 2), encoding="utf-8"),
        }
        for label, edit in edits.items():
            times, rendered, written = [], 0, 0
            for i in range(runs):
                edit(i)
                r = b.build()
                times.append(r.timings["total"])
                rendered, written = len(r.rendered), len(r.write.written) if r.write else 0
            pairs.write_text(base_pairs, encoding="utf-8")
            handbook.write_text(base_hb, encoding="utf-8")
            b.build()
            out[label] = {"median_ms": statistics.median(times) * 1000, "rendered": rendered, "written": written}
    return out


def bench_scale(sizes: list[int], runs: int) -> dict:
    from make_registry import make_project
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            project = make_project(n, Path(tmp) / f"p{n}")
            results = [portal_build(project, project / "site") for _ in range(runs)]
            pages = sum(1 for _ in (project / "site").rglob("*.html"))
            out[n] = {"seconds": [r["seconds"] for r in results], "cpu": [r["cpu"] for r in results],
                      "peak_mib": max(r["peak_mib"] for r in results),
                      "helper_mib": max(r["helper_mib"] for r in results), "pages": pages}
            shutil.rmtree(project)
    return out


def bench_weight() -> dict:
    from portal.site import build
    result = build(ROOT, write=False)
    css = {rel: data for rel, data in result.outputs.items() if rel.endswith(".css")}
    rows = []
    for rel, data in result.outputs.items():
        if not rel.endswith(".html"):
            continue
        html = data.decode()
        sheets = re.findall(r'<link rel="stylesheet" href="/([^"?]+)', html)
        total = len(gzip.compress(data)) + sum(len(gzip.compress(css[s])) for s in sheets if s in css)
        rows.append((total, rel))
    rows.sort()
    fonts = {rel: len(data) for rel, data in result.outputs.items() if rel.endswith(".woff2")}
    return {"pages": len(rows), "median": rows[len(rows) // 2][0], "max": rows[-1], "over_50k": [r for r in rows if r[0] > 50 * 1024],
            "fonts": fonts}


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def targets(cold, inc, scale, weight) -> list[str]:
    """The issue's targets, each with the figure that decides it."""
    mp, mh = statistics.median(cold["portal"]), statistics.median(cold["hugo"])
    edits = {k: v["median_ms"] for k, v in inc.items() if k != "nothing changed"}
    big = scale.get(max(scale))
    rows = [("cold build of the portal at most Hugo's time for the same number of pages",
             f"{mp:.2f} s against {mh:.2f} s ({mp / mh:.1f}×)", mp <= mh),
            ("rebuild after editing one pair or one handbook section under 150 ms",
             ", ".join(f"{k}: {v:.0f} ms" for k, v in edits.items()), all(v < 150 for v in edits.values())),
            ("a rebuild with nothing changed writes nothing",
             f"{inc['nothing changed']['written']} files written", inc["nothing changed"]["written"] == 0)]
    if max(scale) >= 10000:
        rows += [(f"{max(scale):,} pairs build in under 15 s",
                  f"median {statistics.median(big['seconds']):.1f} s, slowest {max(big['seconds']):.1f} s",
                  max(big["seconds"]) < 15),
                 (f"{max(scale):,} pairs: peak memory under 1 GB",
                  f"{big['peak_mib'] + big['helper_mib']:,} MiB (build and helper together)",
                  (big["peak_mib"] + big["helper_mib"]) * 2**20 < 10**9)]
    rows.append(("every page's HTML plus CSS under 50 KB gzip-compressed",
                 f"largest {kib(weight['max'][0])}", weight["max"][0] < 50_000))
    return ["| target | measured | met |", "|---|---|---|"] + [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in rows]


def report(cold, inc, scale, weight, quick: bool) -> str:
    mp, mh = statistics.median(cold["portal"]), statistics.median(cold["hugo"])
    lines = [
        "# Benchmarks", "",
        f"Measured {time.strftime('%Y-%m-%d')} on this project's machine ({os.cpu_count()} cores), "
        f"Python {sys.version.split()[0]}. Reproduce with `make bench` (`.venv/bin/python scripts/bench.py"
        f"{' --quick' if quick else ''}`). Timings vary with the machine's load and, for the larger builds, with "
        "how fast its disk takes 20,000 new files at that moment; medians are reported, with every run.", "",
        "## Targets", "", *targets(cold, inc, scale, weight), "",
        "## Cold full build", "",
        f"The real portal, {cold['pages']} pages in both languages plus search indexes, maps, charts, open data and "
        f"sitemap, each run a new process (interpreter start and imports included), against Hugo "
        f"building a Markdown site of {cold['hugo_pages']} pages (two languages, hreflang alternates, a table and a list "
        f"per page), {len(cold['portal'])} alternating runs each:", "",
        "| | median | runs (s) | pages per second |", "|---|---|---|---|",
        f"| portal (`python build.py`) | {mp:.2f} s | {', '.join(f'{x:.2f}' for x in cold['portal'])} | {cold['pages'] / mp:.0f} |",
        f"| Hugo {HUGO and 'extended'} | {mh:.2f} s | {', '.join(f'{x:.2f}' for x in cold['hugo'])} | {cold['hugo_pages'] / mh:.0f} |",
        "", f"The portal takes {mp / mh:.1f}× Hugo's time for the same number of pages. "
        f"Python starting and importing the generator's libraries takes {cold['start']:.2f} s of it; the build's own steps, "
        f"from `python build.py build --timings`: {cold['steps']}. `make` is the part shared with the helper "
        "process: every page, both search indexes (PyThaiNLP segments the Thai text), the maps' geometry, the downloads.", "",
        "## Incremental rebuilds (the preview server)", "",
        "A warm process (`portal.site.Builder`, what `make serve` keeps between edits); median of the runs:", "",
        "| edit | median | pages rendered | files written |", "|---|---|---|---|",
    ]
    for label, row in inc.items():
        lines.append(f"| {label} | {row['median_ms']:.0f} ms | {row['rendered']} | {row['written']} |")
    lines += ["", "## Scale", "", "Generated registries (`scripts/make_registry.py N DIR`), cold build in a new process "
              "(`python build.py build`, which shares the work with one forked helper process). Peak memory is the "
              "resident set of each process; pages the two share after the fork count in both, so the sum is an upper bound:", "",
              "| pairs | pages | time (median) | runs (s) | CPU time (median, both processes) | peak memory: build + helper = sum |",
              "|---|---|---|---|---|---|"]
    for n, row in scale.items():
        secs = row["seconds"]
        lines.append(f"| {n:,} | {row['pages']:,} | {statistics.median(secs):.1f} s | {', '.join(f'{x:.1f}' for x in secs)} | "
                     f"{statistics.median(row['cpu']):.1f} s | "
                     f"{row['peak_mib']:,} + {row['helper_mib']:,} = {row['peak_mib'] + row['helper_mib']:,} MiB |")
    lines += ["", "## Page weight", "",
              f"Every page's HTML plus the stylesheets it links, gzip-compressed ({weight['pages']} pages): "
              f"median {kib(weight['median'])}, largest {kib(weight['max'][0])} (`{weight['max'][1]}`); "
              f"pages over 50 KiB: {len(weight['over_50k'])}. No page needs JavaScript to be read "
              "(search is the only feature that uses it).", "",
              "Self-hosted fonts (Sarabun, subset by `scripts/fonts.py`; the browser fetches a subset only when a page uses its characters): "
              + ", ".join(f"`{k.split('/')[-1]}` {kib(v)}" for k, v in sorted(weight["fonts"].items())) + ".", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    weight = bench_weight()
    print("weight done", flush=True)
    cold = bench_cold(runs)
    print("cold done", flush=True)
    inc = bench_incremental(runs)
    print("incremental done", flush=True)
    scale = bench_scale([141, 1000] if args.quick else [141, 1000, 10000], runs=1 if args.quick else 3)
    print("scale done", flush=True)
    text = report(cold, inc, scale, weight, args.quick)
    (ROOT / "BENCHMARKS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
