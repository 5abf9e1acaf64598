"""One-off: merge the two curated halves into data/pairs.yaml (kept for the record of how it was made).
Notes about events after the list's date (2020 on) are dropped: the portal states only what its
sources support, and those are not in them."""
import re, yaml
from pathlib import Path
here = Path(__file__).parent
recs = yaml.safe_load((here / "signed.yaml").read_text()) + yaml.safe_load((here / "in_progress.yaml").read_text())
LATER = re.compile(r"\b20(2\d)\b")
dropped = 0
for r in recs:
    kept = []
    for n in r.get("notes") or []:
        if LATER.search(n["en"]):
            # keep a first sentence that is about the record itself, drop the later-events sentence
            first_en = n["en"].split(". ")[0]
            first_th = n["th"].split(" ")[0] if False else None
            if n["en"].startswith("Coordinates are those of"):
                n = {"en": first_en.rstrip(".") + ".", "th": re.split(r"\s(?=จังหวัดคังวอน|ตั้งแต่|เมื่อ)", n["th"])[0]}
                kept.append(n)
            dropped += 1
            continue
        kept.append(n)
    r["notes"] = kept
header = """# The Ministry of Interior's list of sister-city pairs as of 4 January 2019 (๔ มกราคม ๒๕๖๒),
# one record per printed row: 89 signed, 52 in progress (OP). Schema and rules: docs/DATA.md.
# source.row is verbatim; every correction and doubt is a note beside it.
"""
text = yaml.safe_dump(recs, allow_unicode=True, sort_keys=False, width=200, default_flow_style=False)
(here.parent / "pairs.yaml").write_text(header + text, encoding="utf-8")
print(len(recs), "records;", dropped, "later-event notes dropped or trimmed")
