"""Who publishes the portal, whether it is official, and how a reader reports a mistake: all from
data/site.yaml, checked there with located errors, never assumed. Left out, the pages say plainly
that the portal is not official and that no contact address is given (and whom to ask instead)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from . import limits, urls
from .errors import Problems

FILE = "data/site.yaml"
MAILTO_RE = re.compile(r"^mailto:[^@\s?&/]+@[^@\s?&/]+\.[A-Za-z]{2,}$")
PLACEHOLDERS = ("{id}", "{url}", "{row}")   # what a form address may ask to be filled in


@dataclass(frozen=True)
class Publisher:
    name_en: str | None = None    # the person or body responsible for the portal; None: not given
    name_th: str | None = None
    official: bool = False         # true only where the Ministry of Interior itself publishes it
    contact: str | None = None     # mailto:… or an https:// form address; None: not given
    licensor_en: str | None = None  # who licenses the open data (CC BY's attribution); None: not given
    licensor_th: str | None = None

    def licensor(self, lang: str) -> str | None:
        return self.licensor_th if lang == "th" else self.licensor_en

    def name(self, lang: str) -> str | None:
        return self.name_th if lang == "th" else self.name_en

    @property
    def contact_kind(self) -> str:
        """'mail', 'form' or 'none'."""
        if not self.contact:
            return "none"
        return "mail" if self.contact.startswith("mailto:") else "form"

    def contact_address(self) -> str:
        """What a reader sees of the contact: the e-mail address, or the form's site."""
        if self.contact_kind == "mail":
            return self.contact[len("mailto:"):]
        return urlsplit(self.contact or "").netloc

    def report_href(self, lang: str, t: dict, record_id: str, page_url: str, row: str) -> str:
        """The "report a mistake" link of one record, prefilled with its id, its page's address and
        the list's row; without a contact, the report page (what a good report holds, and where
        corrections to the ministry's own list go)."""
        if self.contact_kind == "mail":
            subject = t["report_subject"].replace("{id}", record_id)
            body = (f"{t['report_body_record']}: {record_id}\n{t['report_body_page']}: {page_url}\n"
                    f"{t['report_body_row']}: {row}\n\n{t['report_body_what']}:\n")
            return f"{self.contact}?subject={quote(subject)}&body={quote(body)}"
        if self.contact_kind == "form":
            href = self.contact
            for key, value in (("{id}", record_id), ("{url}", page_url), ("{row}", row)):
                href = href.replace(key, quote(value, safe=""))
            return href
        return urls.report(lang)


def load(raw, problems: Problems) -> Publisher:
    """publisher, official and contact from data/site.yaml's mapping `raw`; each problem at its line."""
    def line(key: str, within=None) -> int | None:
        m = raw if within is None else within
        return m.line_of(key) if hasattr(m, "line_of") and key in m else None

    name_en = name_th = None
    pub = raw.get("publisher")
    if pub is not None:
        if not isinstance(pub, dict):
            problems.add(FILE, line("publisher"), f"publisher must be a mapping with en and th (or null), not {pub!r}")
        else:
            for key in pub:
                if key not in ("en", "th"):
                    problems.add(FILE, line(key, pub), f"{limits.excerpt(f'publisher.{key}')} is not a known field (expected en, th)")
            values = {}
            for lang in ("en", "th"):
                value = pub.get(lang)
                if not isinstance(value, str) or not value.strip():
                    problems.add(FILE, line(lang, pub) or line("publisher"),
                                 f"publisher.{lang} must be the publisher's name in {'English' if lang == 'en' else 'Thai'}"
                                 + ("" if lang in pub else " (it is missing)"))
                else:
                    values[lang] = value.strip()
            name_en, name_th = values.get("en"), values.get("th")

    licensor = _names(raw, "licensor", "the open data's licensor (CC BY's attribution)", problems, line)

    official = raw.get("official", False)
    if not isinstance(official, bool):
        problems.add(FILE, line("official"), f"official must be true or false, not {official!r}")
        official = False
    elif official and pub is None:
        problems.add(FILE, line("official"), "official: true needs a publisher (the body that publishes this portal)")

    contact = raw.get("contact")
    if contact is not None:
        ok = isinstance(contact, str)
        if ok and contact.startswith("mailto:"):
            ok = bool(MAILTO_RE.match(contact))
        elif ok:
            parts = urlsplit(contact)
            rest = contact
            for p in PLACEHOLDERS:
                rest = rest.replace(p, "")
            ok = parts.scheme == "https" and bool(parts.netloc) and "@" not in parts.netloc and "{" not in rest and "}" not in rest \
                and not any(c.isspace() for c in contact)
        if not ok:
            problems.add(FILE, line("contact"),
                         f"contact must be a mailto:name@example.org address or an https:// form address "
                         f"(which may contain {', '.join(PLACEHOLDERS)}), or null; not {contact!r}")
            contact = None
    return Publisher(name_en, name_th, official, contact, licensor.get("en"), licensor.get("th"))


def _names(raw, key: str, what: str, problems: Problems, line) -> dict[str, str]:
    """A {en, th} mapping of names (or null) at `key`, each problem at its line."""
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(FILE, line(key), f"{key} must be a mapping with en and th (or null), not {value!r}")
        return {}
    for k in value:
        if k not in ("en", "th"):
            problems.add(FILE, line(k, value), f"{key}.{k} is not a known field (expected en, th)")
    out = {}
    for lang in ("en", "th"):
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.add(FILE, line(lang, value) or line(key),
                         f"{key}.{lang} must be {what} in {'English' if lang == 'en' else 'Thai'}"
                         + ("" if lang in value else " (it is missing)"))
        else:
            out[lang] = text.strip()
    return out


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
LOCAL_SUFFIXES = (".localhost", ".local", ".test", ".example", ".invalid", ".internal")


def publish_problems(raw, base_url: str, pub: Publisher, problems: Problems) -> None:
    """What `build.py publish` refuses: one located problem per setting a published copy must have.
    (A preview build does without them, and its pages say that they are a preview copy.)"""
    def line(key: str) -> int | None:
        return raw.line_of(key) if hasattr(raw, "line_of") and key in raw else None

    host = (urlsplit(base_url).hostname or "").lower()
    if not base_url or host in LOCAL_HOSTS or host.endswith(LOCAL_SUFFIXES) or host in ("example.org", "example.com") \
            or "." not in host:
        problems.add(FILE, line("base_url"),
                     f"base_url must be the public address the site is published at (https://…), not "
                     f"{base_url or 'empty'!r}: canonical links, the sitemap, the feeds and preview images use it "
                     "(or set PORTAL_BASE_URL)")
    if not pub.name_en or not pub.name_th:
        problems.add(FILE, line("publisher"), "publisher must name who publishes this copy, {en: …, th: …}: "
                                              "a published portal says who stands behind it")
    if not pub.contact:
        problems.add(FILE, line("contact"), "contact must be a mailto: address or an https:// form address: "
                                            "readers' reports of mistakes go there")
    if not pub.licensor_en or not pub.licensor_th:
        problems.add(FILE, line("licensor"), "licensor must name who licenses the open data under CC BY 4.0, "
                                             "{en: …, th: …}: the attribution a re-user gives")

