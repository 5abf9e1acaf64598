"""Officials must be able to check every record against what the ministry printed."""
from __future__ import annotations

from collections import Counter

import pytest
import yaml

from conftest import ROOT

SEED = ROOT.parent / "shared" / "seeds" / "000_0460de8bb3f1298f.txt"
PAIRS = yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8"))


def printed_row(line: str) -> str:
    """A row as the seed prints it: table cells joined by one space, or a list line without its '- '."""
    if line.lstrip().startswith("|"):
        return " ".join(c.strip() for c in line.strip().strip("|").split("|"))
    return line.strip().removeprefix("- ").strip()


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents (shared/seeds) are not beside this checkout")
def test_every_source_row_is_verbatim_at_its_line():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for r in PAIRS:
        assert printed_row(lines[r["source"]["line"] - 1]) == r["source"]["row"], r["id"]


def test_no_row_is_dropped_or_invented():
    lines = Counter(r["source"]["line"] for r in PAIRS)
    assert len(PAIRS) == 141 and max(lines.values()) == 1  # one record per printed row
    assert sorted(r["list_no"] for r in PAIRS) == list(range(1, 142))


def test_every_correction_is_recorded_beside_the_row():
    # A corrected list number must be explained: the printed number differs from list_no.
    from portal import thai
    for r in PAIRS:
        printed = thai.arabic_digits(r["source"]["row"].split()[0 if not r["source"]["row"].startswith("(") else 1])
        no = printed.split("/")[-1] if "/" in printed else None
        if no and no.isdigit() and int(no) != r["list_no"]:
            assert r.get("notes"), f"{r['id']}: list number corrected from {no} to {r['list_no']} without a note"


def test_no_staff_names_or_phone_numbers():
    text = (ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8")
    for d in ("content/th", "content/en"):
        for p in (ROOT / d).glob("*.md"):
            text += p.read_text(encoding="utf-8")
    for forbidden in ("สุพรรณษา", "ฉัตรชัย", "เชษฐพันธ์", "๐๙ ๒๑๔๑", "๒๒๔๑-๙๐๐๐", "๒๒๒๔ ๖๑๕๐"):
        assert forbidden not in text
