"""The government offices the source documents name as issuing the plan and the list, with the office
telephone numbers they print (data/offices.yaml): where the handbook and the about page say whom to
ask, `[[offices]]` renders them from here, so the pages and the data never disagree. Office numbers
only; no personal names or mobile numbers are ever published (docs/CONTENT.md)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import limits, yamlfile
from .errors import Problems

FILE = "data/offices.yaml"
FIELDS = ("id", "name_th", "name_en", "role_th", "role_en", "phone", "phone_th", "fax", "fax_th", "source")


@dataclass(frozen=True)
class Office:
    id: str
    name_th: str
    name_en: str
    role_th: str
    role_en: str
    phone: tuple[str, ...]      # as written in English: "0 2224 6150"
    phone_th: tuple[str, ...]   # as the source prints it, in Thai digits: "๐ ๒๒๒๔ ๖๑๕๐"
    fax: str | None = None
    fax_th: str | None = None
    source_file: str = ""
    source_line: int = 0

    def name(self, lang: str) -> str:
        return self.name_th if lang == "th" else self.name_en

    def role(self, lang: str) -> str:
        return self.role_th if lang == "th" else self.role_en

    def phones(self, lang: str) -> tuple[str, ...]:
        return self.phone_th if lang == "th" else self.phone

    def fax_number(self, lang: str) -> str | None:
        return self.fax_th if lang == "th" else self.fax


def load(root: Path, problems: Problems) -> tuple[Office, ...]:
    raw = yamlfile.load_as(root / "data" / "offices.yaml", FILE, problems, list, "a list of offices")
    out = []
    for item in raw or []:
        line = getattr(item, "line", None)
        if not isinstance(item, dict):
            problems.add(FILE, line, "each office must be a mapping (id, name_th, name_en, role_th, role_en, phone …)")
            continue
        where = f"office {limits.excerpt(item.get('id'))}"

        def at(key: str) -> int | None:
            return item.line_of(key) if hasattr(item, "line_of") and key in item else line

        for key in item:
            if key not in FIELDS:
                problems.add(FILE, at(key), f"{where}: {limits.excerpt(key)} is not a known field (expected {', '.join(FIELDS)})")
        texts = {k: item.get(k) for k in ("id", "name_th", "name_en", "role_th", "role_en")}
        bad = [k for k, v in texts.items() if not isinstance(v, str) or not v.strip()]
        for k in bad:
            problems.add(FILE, at(k), f"{where}: {k} must be text")
        phone, phone_th = item.get("phone"), item.get("phone_th")
        if not (isinstance(phone, list) and isinstance(phone_th, list) and phone and len(phone) == len(phone_th)
                and all(isinstance(p, str) for p in phone + phone_th)):
            problems.add(FILE, at("phone"), f"{where}: phone and phone_th must be lists of the same office numbers "
                                            "(English and Thai digits)")
            bad.append("phone")
        if (item.get("fax") is None) != (item.get("fax_th") is None):
            problems.add(FILE, at("fax"), f"{where}: give fax and fax_th together, or neither")
            bad.append("fax")
        source = item.get("source") or {}
        if bad:
            continue
        out.append(Office(texts["id"], texts["name_th"], texts["name_en"], texts["role_th"], texts["role_en"],
                          tuple(phone), tuple(phone_th), item.get("fax"), item.get("fax_th"),
                          str(source.get("file", "")), int(source.get("line", 0) or 0)))
    return tuple(out)
