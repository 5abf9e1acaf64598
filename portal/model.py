"""The portal's records: small typed values built once by `load`, read by everything after."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from . import thai

STATUSES = ("signed", "in_progress")
STAGES = ("minister_approved", "awaiting_signature")  # in the order a pair passes them
LEVELS = (
    "city", "municipality", "prefecture", "province", "state", "region", "autonomous_region",
    "autonomous_prefecture", "county", "district", "special_administrative_region", "capital",
)
ALIAS_KINDS = ("short", "former", "colloquial", "spelling")
# Relations the sources name outside the ministry's provincial list (data/other_relations.yaml)
PROVINCE_KINDS = ("province", "special_area")   # special_area: Bangkok (see Province.kind)
OTHER_LEVELS = ("district", "bma", "province")   # the Thai party: a district, Bangkok (BMA), a province
OTHER_STATUSES = ("signed", "in_progress", "wished")


@dataclass(frozen=True)
class Alias:
    """Another name people use for a place, with why it is one (data/aliases.yaml)."""
    name: str
    lang: str
    kind: str      # one of ALIAS_KINDS
    source: str    # the reason or the source that attests it
# A country's part of the world (data/countries.yaml world_region); each has a name in
# data/strings (world_region_<key>) for the statistics page.
WORLD_REGIONS = ("east_asia", "southeast_asia", "south_asia", "west_asia", "europe", "north_america", "oceania")


@dataclass(frozen=True)
class Region:
    key: str
    en: str
    th: str


@dataclass(frozen=True)
class Province:
    name_en: str
    name_th: str
    slug: str
    region: Region
    capital_en: str
    capital_th: str
    lat: float
    lon: float
    aliases: tuple[Alias, ...] = ()
    # A province the ministry's list does not cover as a province (Bangkok): what its page says instead
    list_note_en: str | None = None
    list_note_th: str | None = None
    # province | special_area (Bangkok: a special local administration, not a จังหวัด; the list
    # counts 76 provinces and Bangkok apart, and so do the pages: title, index, search, statistics)
    kind: str = "province"

    def name(self, lang: str) -> str:
        return self.name_th if lang == "th" else self.name_en

    @property
    def is_province(self) -> bool:
        return self.kind == "province"

    def list_note(self, lang: str) -> str | None:
        return self.list_note_th if lang == "th" else self.list_note_en


@dataclass(frozen=True)
class Country:
    code: str          # ISO 3166-1 alpha-2
    slug: str
    name_en: str       # short names, from Babel unless the data overrides them
    name_th: str
    formal_en: str
    formal_th: str     # the formal Thai name the ministry's list uses
    world_region: str
    name_native: str | None = None
    lang: str | None = None
    aliases: tuple[Alias, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_th if lang == "th" else self.name_en


@dataclass(frozen=True)
class Note:
    en: str
    th: str
    # The note states a doubt (an uncertain identification, a row that may be a duplicate): the
    # record is then marked as doubtful in the annex, the lists and the downloads (docs/DATA.md).
    doubt: bool = False

    def text(self, lang: str) -> str:
        return self.th if lang == "th" else self.en


@dataclass(frozen=True)
class Partner:
    name_th: str
    name_en: str
    level: str
    country: Country
    lat: float
    lon: float
    name_native: str | None = None
    lang: str | None = None
    parent_en: str | None = None
    parent_th: str | None = None
    alt_names: tuple[str, ...] = ()
    parent_native: str | None = None   # the parent region as written at home: 富山県, 云南省, 경상북도
    parent_lang: str | None = None     # its BCP 47 tag, only where it differs from `lang`
    aliases: tuple[Alias, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_th if lang == "th" else self.name_en

    def parent(self, lang: str) -> str | None:
        return self.parent_th if lang == "th" else self.parent_en

    @property
    def parent_native_lang(self) -> str | None:
        return self.parent_lang or self.lang


@dataclass(frozen=True)
class SourceRow:
    line: int
    row: str


@dataclass(frozen=True)
class Pair:
    id: str
    status: str
    stage: str | None
    year_be: int
    list_no: int
    province: Province
    partner: Partner
    source: SourceRow
    notes: tuple[Note, ...] = ()
    signed_month: tuple[int, int] | None = None  # (year CE, month) where a source gives it
    file_line: int = 0  # where the record starts in data/pairs.yaml
    digest: str = ""    # hash of the record's YAML values, for incremental builds

    @property
    def listing(self) -> tuple:
        """What pages that list this pair show of it (not its notes or source row)."""
        p = self.partner
        return (self.id, self.status, self.stage, self.year_be, self.list_no, self.province.slug, p.name_th,
                p.name_en, p.name_native, p.lang, p.country.code, p.lat, p.lon, self.signed_month,
                p.parent_en, p.parent_th,  # a long country page groups its pairs by the partner's parent
                self.doubtful)             # lists mark a doubtful record

    @property
    def doubtful(self) -> bool:
        """A note of this record states a doubt (notes with `doubt: true`)."""
        return any(n.doubt for n in self.notes)

    @property
    def doubt_notes(self) -> tuple[Note, ...]:
        return tuple(n for n in self.notes if n.doubt)

    @property
    def year_ce(self) -> int:
        return thai.be_to_ce(self.year_be)

    @property
    def signed(self) -> bool:
        return self.status == "signed"


@dataclass(frozen=True)
class OtherSource:
    """A row of another source document, verbatim, and where it is."""
    file: str     # the seed file's name, e.g. 003_570947d7c7ff27bd.txt
    line: int
    row: str


@dataclass(frozen=True)
class OtherRelation:
    """A relation a source names outside the ministry's provincial list: shown on its province's and
    its country's pages, never counted in the list's totals or statistics."""
    id: str
    province: Province    # the province whose page shows it (Bangkok for the BMA)
    party_th: str         # the Thai party as the source names it, e.g. อำเภอแม่สาย จังหวัดเชียงราย
    party_en: str
    level: str            # one of OTHER_LEVELS
    partner: Partner
    status: str           # one of OTHER_STATUSES
    year_be: int | None
    source: OtherSource
    notes: tuple[Note, ...] = ()
    signed_month: tuple[int, int] | None = None  # (year CE, month) where the source gives it
    file_line: int = 0

    def party(self, lang: str) -> str:
        return self.party_th if lang == "th" else self.party_en


@dataclass(frozen=True)
class StatedTotal:
    """A count as a document states it, to be shown beside the count of the list itself."""
    pairs: int
    provinces: int


@dataclass(frozen=True)
class SourceDoc:
    key: str
    title_th: str
    title_en: str
    ref_th: str
    ref_en: str
    date: _dt.date
    file: str | None = None   # its text among shared/seeds/, which other_relations' source.file names
    short_th: str | None = None  # how running text names it ("the Ministry of Foreign Affairs briefing")
    short_en: str | None = None

    def title(self, lang: str) -> str:
        return self.title_th if lang == "th" else self.title_en

    def short(self, lang: str) -> str:
        return (self.short_th if lang == "th" else self.short_en) or self.title(lang)

    def ref(self, lang: str) -> str:
        return self.ref_th if lang == "th" else self.ref_en


@dataclass
class Registry:
    as_of: _dt.date
    pairs: list[Pair]
    provinces: list[Province]
    countries: list[Country]
    regions: list[Region]
    stated: dict[str, StatedTotal]   # status -> the totals the letters state
    sources: dict[str, SourceDoc]
    other_relations: list[OtherRelation] = field(default_factory=list)  # never counted: see OtherRelation
    # After the list (portal/events.py, issue 20): dated, sourced events, and relations reported since; never counted
    events: list = field(default_factory=list)
    later_relations: list = field(default_factory=list)
    _by_province: dict[str, list[Pair]] = field(default_factory=dict, repr=False)
    _by_country: dict[str, list[Pair]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for p in self.pairs:
            self._by_province.setdefault(p.province.slug, []).append(p)
            self._by_country.setdefault(p.partner.country.code, []).append(p)

    def pairs_of_province(self, province: Province) -> list[Pair]:
        return self._by_province.get(province.slug, [])

    def pairs_of_country(self, country: Country) -> list[Pair]:
        return self._by_country.get(country.code, [])

    def source_of(self, rel: OtherRelation) -> SourceDoc | None:
        """The document a relation named outside the list comes from (checked by load)."""
        return next((s for s in self.sources.values() if s.file == rel.source.file), None)

    def other_relations_of_province(self, province: Province) -> list[OtherRelation]:
        return [o for o in self.other_relations if o.province.slug == province.slug]

    def other_relations_of_country(self, country: Country) -> list[OtherRelation]:
        return [o for o in self.other_relations if o.partner.country.code == country.code]

    def events_of(self, relation_id: str) -> list:
        """A relation's events, oldest first (its timeline)."""
        return sorted((e for e in self.events if e.relation_id == relation_id), key=lambda e: (e.date, e.file_line))

    def events_of_province(self, province: Province) -> list:
        from .events import newest_first
        return newest_first(e for e in self.events if e.province.slug == province.slug)

    def later_relations_of_province(self, province: Province) -> list:
        return [r for r in self.later_relations if r.province.slug == province.slug]

    def later_relations_of_country(self, country: Country) -> list:
        return [r for r in self.later_relations if r.partner.country.code == country.code]

    def counted(self, status: str) -> StatedTotal:
        """What the list itself holds for a status: pairs and distinct provinces."""
        rows = [p for p in self.pairs if p.status == status]
        return StatedTotal(len(rows), len({p.province.slug for p in rows}))
