#!/usr/bin/env python3
"""Make portal/search_fold.json, the character tables search folds Chinese, Japanese and Korean with:

- "cjk": every CJK character whose fold differs from itself → its fold. The fold is OpenCC's
  Japanese-to-Traditional (jp2t: 県 → 縣) then Traditional-to-Simplified (t2s: 縣 → 县), one
  character at a time, so 靜岡縣, 静岡県 and 静冈县 all become 静冈县 and 廣東 becomes 广东.
- "hanja": every hanja of KS X 1001 (the common set) → its Korean reading (the `hanja` package),
  keyed by its fold, so that 釜山 (folded 釜山) reads 부산 and finds 부산광역시.

  .venv/bin/python scripts/search_fold.py      (rerun after upgrading opencc or hanja)

The output is committed, so a build needs neither library and spends no time on them;
tests/test_search.py checks the file is what this script makes with the pinned versions.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "portal" / "search_fold.json"
# The CJK blocks search indexes as Chinese/Japanese (portal/search.py char_class), BMP part.
BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def make() -> dict:
    import hanja.table
    import opencc
    chars = [chr(c) for lo, hi in BLOCKS for c in range(lo, hi + 1)]
    # One character a line: OpenCC converts phrases as a whole, a character alone is converted alone.
    simplified = opencc.OpenCC("t2s").convert(opencc.OpenCC("jp2t").convert("\n".join(chars))).split("\n")
    assert len(simplified) == len(chars)
    cjk = {c: f for c, f in zip(chars, simplified) if f != c and len(f) == 1}

    def common(c: str) -> bool:
        try:
            c.encode("euc-kr")
            return True
        except UnicodeEncodeError:
            return False
    readings: dict[str, str] = {}
    for h, reading in sorted(hanja.table.hanja_table.items()):
        if len(h) != 1 or len(reading) != 1 or not common(h):
            continue
        key = cjk.get(h, h)
        if key == h or key not in readings:   # the character itself wins over a variant folded onto it
            readings[key] = reading
    return {"cjk": "".join(c + f for c, f in sorted(cjk.items())),
            "hanja": "".join(c + r for c, r in sorted(readings.items()))}


def main() -> int:
    OUT.write_text(json.dumps(make(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
