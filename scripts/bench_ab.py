#!/usr/bin/env python3
"""Cold builds of two (or more) checkouts, alternating, to compare them on a noisy machine (BENCHMARKS.md).

  git worktree add --detach ../before 9575deb          (the commit to compare with)
  .venv/bin/python scripts/bench_ab.py 15 ../before .   (15 runs of each, alternating)
  .venv/bin/python scripts/bench_ab.py --warm 15 ../before .   (each checkout's .cache/ and site kept)

Each run is `python build.py build` in a new process, as in `make bench`, with no site, no
generation and no build cache beforehand (the checkout's .cache/ is removed first), unless --warm
(then the last build's site and .cache/ are kept, as `make bench` measures its warm builds), using each checkout's own .venv if it has one (else this Python). Alternating the checkouts cancels
most of the machine's drift; the median of the paired ratios says by how much each is slower
(above 1) or faster (below 1) than the first. Prints every run, the medians, and the CPU time of
each build with its helper processes. With more than two checkouts (variants of one commit, each
without one optimisation), they run round-robin.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CODE = ("import resource, sys; sys.path.insert(0, sys.argv[1]); import build; "
        "rc = build.main(['build', '--quiet', '--root', sys.argv[1], '--site', sys.argv[2]]); "
        "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime); sys.exit(rc)")


def python_of(checkout: Path) -> str:
    venv = checkout / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def cold_build(checkout: Path, tmp: Path, warm: bool = False) -> tuple[float, float]:
    """Wall time and CPU time (s) of one build of `checkout` into a folder under `tmp`: a new
    folder, and no .cache/, unless `warm` (then both as the last build left them)."""
    work = tmp / checkout.name
    if not warm:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(checkout / ".cache", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    run = subprocess.run([python_of(checkout), "-c", CODE, str(checkout), str(work / "site")],
                         capture_output=True, text=True, cwd=checkout)
    wall = time.perf_counter() - start
    if run.returncode:
        sys.exit(f"{checkout}: the build failed:\n{run.stderr[-2000:]}")
    return wall, float(run.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=int)
    parser.add_argument("first", type=Path)
    parser.add_argument("others", type=Path, nargs="+")
    parser.add_argument("--warm", action="store_true", help="keep each checkout's .cache/ and site (after a first build)")
    args = parser.parse_args()
    checkouts = [c.resolve() for c in (args.first, *args.others)]
    walls: dict[Path, list[float]] = {c: [] for c in checkouts}
    cpus: dict[Path, list[float]] = {c: [] for c in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        if args.warm:
            for c in checkouts:
                cold_build(c, Path(tmp), warm=True)   # fills the cache
        for _ in range(args.runs):
            for c in checkouts:
                wall, cpu = cold_build(c, Path(tmp), warm=args.warm)
                walls[c].append(wall)
                cpus[c].append(cpu)
    for c in checkouts:
        print(f"{c}: median {statistics.median(walls[c]):.2f} s, CPU {statistics.median(cpus[c]):.2f} s; "
              f"runs {', '.join(f'{w:.2f}' for w in walls[c])}")
    for c in checkouts[1:]:
        ratios = [b / a for a, b in zip(walls[checkouts[0]], walls[c])]
        cpu_ratios = [b / a for a, b in zip(cpus[checkouts[0]], cpus[c])]
        print(f"{c.name} / {checkouts[0].name}, paired runs: wall median {statistics.median(ratios):.3f}, "
              f"CPU median {statistics.median(cpu_ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
