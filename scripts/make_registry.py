#!/usr/bin/env python3
"""Make a project with a generated registry of N pairs, for the scale benchmark.

  .venv/bin/python scripts/make_registry.py 10000 /tmp/portal-10000

The project is a copy of this one (content, templates, static, data) whose data/pairs.yaml is
replaced by N records: the 141 real ones, then synthetic but valid ones (real provinces and
countries, partner names made from the real ones with a number, both statuses, every field the
real records have). N is at least 141: the plan and the handbook link to real pair pages.
"""
from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def make_pairs(n: int, seed: int = 2562) -> list[dict]:
    rng = random.Random(seed)
    real = yaml.safe_load((ROOT / "data" / "pairs.yaml").read_text(encoding="utf-8"))
    provinces = list(yaml.safe_load((ROOT / "data" / "provinces.yaml").read_text(encoding="utf-8")))
    # The real records first (the plan and the handbook link to some of them), then synthetic ones.
    out = [dict(r) for r in real[:n]]
    for i in range(len(out), n):
        model = real[i % len(real)]
        status = "signed" if rng.random() < 0.63 else "in_progress"
        partner = dict(model["partner"])
        partner["name_en"] = f"{partner['name_en']} {i + 1}"
        partner["name_th"] = f"{partner['name_th']} {i + 1}"
        if partner.get("name_native"):
            partner["name_native"] = f"{partner['name_native']}{i + 1}"
        partner["lat"] = round(max(-89.0, min(89.0, partner["lat"] + rng.uniform(-1, 1))), 2)
        partner["lon"] = round(max(-179.0, min(179.0, partner["lon"] + rng.uniform(-1, 1))), 2)
        province = provinces[rng.randrange(len(provinces))]
        out.append({
            "id": f"pair-{i + 1}",
            "status": status,
            "stage": rng.choice([None, "minister_approved", "awaiting_signature"]) if status == "in_progress" else None,
            "year_be": rng.randrange(2532, 2562),
            "list_no": i + 1,
            "province": province,
            "partner": partner,
            "source": {"line": 300 + i, "row": model["source"]["row"]},
            "notes": model.get("notes") or [],
        })
    return out


class _PlainDumper(yaml.SafeDumper):
    """Writes a shared value out in full each time, as an editor would, not as an &anchor/*alias."""

    def ignore_aliases(self, data) -> bool:
        return True


def make_project(n: int, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for part in ("data", "content", "templates", "static"):
        shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("_curate"))
    text = yaml.dump(make_pairs(n), Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=200)
    (dest / "data" / "pairs.yaml").write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    make_project(count, folder)
    print(f"{folder}: {count} pairs")
