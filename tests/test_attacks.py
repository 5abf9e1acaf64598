"""The nesting, size and alias attacks of tests/attacks.py: run in a child process with a timeout
(an attack that works crashes or hangs the interpreter), and none may give a traceback or a hang."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

EXAMPLES = int(os.environ.get("ATTACK_EXAMPLES", "10"))   # per kind of attack; four kinds


def test_attacks_give_no_traceback_no_hang_no_crash():
    explore = ["--random"] if os.environ.get("HYPOTHESIS_PROFILE", "ci") != "ci" else []   # make fuzz
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "attacks.py"), "--examples", str(EXAMPLES), *explore],
                         capture_output=True, text=True, timeout=60 * 30, cwd=ROOT)
    assert run.returncode == 0, f"the child died (status {run.returncode}): {run.stderr[-3000:]}"
    report = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"\nattacks: {report['inputs']} inputs tried, {report['tracebacks']} tracebacks, {report['hangs']} hangs "
          f"({report['refused']} refused with located errors, {report['built']} read; slowest {report['slowest_s']} s)")
    assert report["failures"] == [], json.dumps(report["failures"], indent=1, ensure_ascii=False)[:5000]
    assert report["tracebacks"] == 0 and report["hangs"] == 0
    assert report["inputs"] >= 4 * EXAMPLES * 0.9 and report["refused"] > 0 and report["built"] > 0
