#!/usr/bin/env python3
"""PyThaiNLP's newmm (what the search index uses, portal/thai.py) against nlpO3, its compiled
port (Rust), on every Thai run the site indexes, with the same dictionary: PyThaiNLP's own
words plus the names the data gives (as search.build_index does). Prints the runs cut
differently and the time each takes, dictionary load included. Issue 19 asked whether the
compiled segmenter would make the build cheaper; BENCHMARKS.md has the answer.

  .venv/bin/pip install nlpo3==1.4.0        (not a dependency of the build)
  .venv/bin/python scripts/segmenter_compare.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    import nlpo3
    from portal import thai
    from portal.search import _bare_thai_names, analyse, records
    from portal.site import gather
    model = gather(ROOT)
    runs_total = differ = 0
    t_py = t_o3 = t_load = 0.0
    for lang in ("th", "en"):
        recs = records(model, lang)
        names = frozenset(_bare_thai_names(recs))
        texts = {text for rec in recs for text, _ in rec.fields} | {rec.body for rec in recs}
        runs = sorted({run for text in texts for k, run in analyse(text) if k == "t"})
        t = time.perf_counter()
        segment = thai.word_segmenter(names)
        cut_py = [segment(run) for run in runs]
        t_py += time.perf_counter() - t
        t = time.perf_counter()
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
            f.write("\n".join(sorted(w for w in thai._dictionary() | names if w and "\n" not in w)))
        nlpo3.load_dict(f.name, f"site-{lang}")
        t_load += time.perf_counter() - t
        t = time.perf_counter()
        cut_o3 = [tuple(w for w in nlpo3.segment(run, f"site-{lang}") if w.strip()) for run in runs]
        t_o3 += time.perf_counter() - t
        Path(f.name).unlink()
        for run, a, b in zip(runs, cut_py, cut_o3):
            runs_total += 1
            if a != b:
                differ += 1
                print(f"{lang}: {run}\n  PyThaiNLP: {' | '.join(a)}\n  nlpO3:     {' | '.join(b)}")
    print(f"{runs_total} Thai runs, {differ} cut differently")
    print(f"PyThaiNLP newmm: {t_py:.3f} s (its dictionary as a set included); "
          f"nlpO3: {t_o3:.3f} s to cut, {t_load:.3f} s to load the dictionary")
    return 0


if __name__ == "__main__":
    sys.exit(main())
