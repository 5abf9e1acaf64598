"""Issue 20: events after the list and relations reported since (data/events.yaml,
data/later_relations.yaml), their pages, the Atom feeds, the open data files, the publish command and
the preview notice, and report links that carry their record."""
from __future__ import annotations

import datetime as _dt
import html
import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
import yaml

from conftest import ROOT, STRINGS
from portal import feeds, links, opendata, thai, urls
from portal.errors import BuildError, Problems
from portal.events import When, parse_when
from portal.load import load_registry

EVENTS = yaml.safe_load((ROOT / "data" / "events.yaml").read_text(encoding="utf-8"))
LATER = yaml.safe_load((ROOT / "data" / "later_relations.yaml").read_text(encoding="utf-8"))
SITE_YAML = (ROOT / "data" / "site.yaml").read_text(encoding="utf-8")


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


# ---------------------------------------------------------------- the loader: each bad event, located

GOOD = """- id: {id}
  relation: {relation}
  kind: {kind}
  date: '{date}'
  summary: {{th: สรุป, en: Summary}}
  source:
    title: A report
    publisher: A publisher
    published: '2024-01-10'
    url: https://example.org/report
"""


def event(**fields) -> str:
    values = {"id": "x-2024-01-01-visit", "relation": "chiang-mai-uozu", "kind": "visit", "date": "2024-01-01"}
    values.update(fields)
    return GOOD.format(**values)


def problems_of(project, events_text: str, later_text: str | None = None) -> list[str]:
    (project / "data" / "events.yaml").write_text(events_text, encoding="utf-8")
    if later_text is not None:
        (project / "data" / "later_relations.yaml").write_text(later_text, encoding="utf-8")
    problems = Problems()
    registry = load_registry(project / "data", problems)
    assert registry is None or not problems
    return [str(p) for p in problems.items]


def test_the_real_events_and_later_relations_load_and_every_one_has_a_source():
    problems = Problems()
    registry = load_registry(ROOT / "data", problems)
    assert not problems.items, [str(p) for p in problems.items]
    assert len(registry.events) == len(EVENTS) > 0
    assert len(registry.later_relations) == len(LATER) > 0
    for e in registry.events:
        assert e.source.url.startswith(("https://", "http://")) and (e.source.title or e.source.about) and e.source.publisher
    assert {r.id for r in registry.later_relations} <= {e.relation_id for e in registry.events}
    # never counted: the list's totals are the list's
    assert registry.counted("signed").pairs + registry.counted("in_progress").pairs == len(registry.pairs) == 141


def test_every_kind_of_bad_event_is_reported_at_its_line_all_in_one_run(project):
    records = [
        event(id="a-unknown", relation="no-such-pair"),                    # unknown relation id
        event(id="b-impossible", date="2023-02-30"),                       # impossible date
        event(id="c-bad-kind", kind="party"),                              # bad kind
        event(id="d-dup"),
        event(id="d-dup"),                                                 # duplicate id
        event(id="e-no-source").split("  source:")[0],                     # missing source
        event(id="f-long-quote") + "    quote: " + " ".join(["word"] * 31) + "\n    quote_lang: en\n",
        event(id="g-long-thai") + "    quote: " + "ก" * 91 + "\n    quote_lang: th\n",
        event(id="h-after-report", date="2024-02-01"),                     # after the report's date
        event(id="i-future", date=f"{_dt.date.today().year + 1}-01-01"),
        event(id="j-be-year", date="2567-01-01"),                          # a BE year is in the future
    ]
    # after the real events (which tell the later relations), so that only the bad ones are reported
    text = (ROOT / "data" / "events.yaml").read_text(encoding="utf-8") + "".join(records)
    found = problems_of(project, text)
    lines = {}
    for i, line in enumerate(text.splitlines(), 1):
        lines.setdefault(line, i)

    def line_of(rid: str, key: str) -> int:
        start = text.splitlines().index(f"- id: {rid}") + 1
        return next(i for i, ln in enumerate(text.splitlines()[start - 1:], start) if ln.strip().startswith(key))

    expected = [
        f"data/events.yaml:{line_of('a-unknown', 'relation:')}: event 'a-unknown': relation 'no-such-pair' is not the id of a record",
        f"data/events.yaml:{line_of('b-impossible', 'date:')}: event 'b-impossible': date '2023-02-30' is not a real date",
        f"data/events.yaml:{line_of('c-bad-kind', 'kind:')}: event 'c-bad-kind': kind 'party' must be one of: proposed,",
        "event 'd-dup': id is already used by the event at line",
        "event 'e-no-source': source is missing",
        f"data/events.yaml:{line_of('f-long-quote', 'quote:')}: event 'f-long-quote': source.quote is 31 words long, more than 30",
        f"data/events.yaml:{line_of('g-long-thai', 'quote:')}: event 'g-long-thai': source.quote is 91 characters long, more than 90",
        f"data/events.yaml:{line_of('h-after-report', 'date:')}: event 'h-after-report': date '2024-02-01' is after the report's date '2024-01-10'",
        "event 'i-future': date",
        "event 'j-be-year': date '2567-01-01' is in the future (a year in BE? write CE)",
    ]
    for want in expected:
        assert any(want in f for f in found), (want, found)
    assert len(found) == len(expected)
    assert all(f.startswith("data/events.yaml:") for f in found)   # every one located


def test_a_later_relation_must_be_new_provincial_and_told_by_an_event(project):
    later = LATER_TEXT = (ROOT / "data" / "later_relations.yaml").read_text(encoding="utf-8")
    later += ("- id: chiang-mai-uozu\n  province: Chiang Mai\n  party_th: เทศบาลนครเชียงใหม่\n  party_en: Chiang Mai City\n"
              "  level: municipality\n  status: signed\n  partner: {name_th: ก, name_en: A, level: city, country: JP, lat: 1, lon: 1}\n"
              "  source: {title: T, publisher: P, published: null, url: 'https://example.org/a'}\n")
    found = problems_of(project, (ROOT / "data" / "events.yaml").read_text(encoding="utf-8"), later)
    line = LATER_TEXT.count("\n") + 1
    assert f"data/later_relations.yaml:{line}: later relation 'chiang-mai-uozu': id is already the id of a record of data/pairs.yaml" in found
    assert any(f.startswith(f"data/later_relations.yaml:{line + 4}: later relation 'chiang-mai-uozu': level 'municipality' must be province")
               for f in found), found


def test_a_later_relation_without_an_event_is_refused(project):
    events = [e for e in EVENTS if e["relation"] != "chiang-mai-guangzhou"]
    found = problems_of(project, yaml.safe_dump(events, allow_unicode=True, sort_keys=False))
    assert any("later relation 'chiang-mai-guangzhou' has no event in data/events.yaml" in f for f in found), found


@pytest.mark.parametrize("value, when", [("2019", When(2019)), ("2019-09", When(2019, 9)), ("2019-09-14", When(2019, 9, 14)),
                                         (_dt.date(2020, 2, 29), When(2020, 2, 29)), ("2019-13", None), ("2019-02-29", None),
                                         ("19-09-14", None), ("2019-00", None), ("soon", None)])
def test_dates_are_as_precise_as_their_source(value, when):
    assert parse_when(value) == when


def test_a_date_is_shown_in_be_on_thai_pages_and_ce_on_english_ones():
    assert When(2019, 9, 14).text("th") == "๑๔ กันยายน ๒๕๖๒" and When(2019, 9, 14).text("en") == "14 September 2019"
    assert When(2019, 9).text("th") == "กันยายน ๒๕๖๒" and When(2019).text("en") == "2019"
    assert When(2019, 9, 14).after(When(2019, 9)) is False and When(2019, 10).after(When(2019, 9, 30)) is True


# ---------------------------------------------------------------- the pages (the real build)

@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_since_page_lists_every_event_and_later_relation_newest_first(page, lang):
    body = page(urls.since(lang))
    card_reports = {rel["id"]: rel["source"]["url"] for rel in LATER}
    for e in EVENTS:
        if card_reports.get(e["relation"]) == e["source"]["url"]:   # told by its relation's card (review item 15)
            assert not re.search(rf'<li class="event [^"]*" id="event-{re.escape(e["id"])}"', body)
            assert f'<span id="event-{e["id"]}"></span>' in body   # its anchor stays: the feed links to it
            continue
        assert f'id="event-{e["id"]}"' in body
        assert f'href="{html.escape(e["source"]["url"])}"' in body
    for rel in LATER:
        assert f'id="later-{rel["id"]}"' in body
    main, earlier = body.split('id="earlier"', 1)
    for part in (main, earlier):
        dates = re.findall(r'<li class="event [^"]*" id="(?:event|later)-[^"]+"[^>]*>\s*<(?:p|h3) class="event-head"><time datetime="([0-9-]+)"', part)
        assert dates == sorted(dates, key=lambda d: d.ljust(10, "0"), reverse=True)
    assert 'id="event-filter" hidden' in body and 'name="province"' in body and 'name="kind"' in body
    t = STRINGS[lang]
    assert t["event_kind_signed"] in body and t["event_kind_later"] in body


def item_dates(fragment: str) -> list[str]:
    return re.findall(r'<li class="event [^"]*" id="(?:event|later)-[^"]+"[^>]*>\s*<(?:p|h3) class="event-head"><time datetime="([0-9-]+)"', fragment)


@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_since_page_main_list_holds_only_what_is_dated_after_the_list(page, lang):
    """Review item 1: dates before 4 Jan 2019 go to a section of their own, headed as such."""
    body = page(urls.since(lang))
    main, earlier = body.split('id="earlier"', 1)
    after, before = item_dates(main), item_dates(earlier)
    assert after and before
    assert all(parse_when(d).after(When(2019, 1, 4)) for d in after)
    assert not any(parse_when(d).after(When(2019, 1, 4)) for d in before)
    assert "2005-01-25" in before and "2013-02-26" in before     # Mukdahan–Quang Tri, Chiang Mai–Hokkaido
    assert STRINGS[lang]["since_earlier_title"] in text_of(earlier)
    jump = main.split('class="jump"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#y2018"' not in jump and 'href="#y2005"' not in jump


@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_home_page_shows_only_events_after_the_list_as_latest(page, lang):
    home = page(urls.home(lang))
    latest = home.split('<section class="latest-events"', 1)[1].split("</section>", 1)[0]
    dates = item_dates(latest)
    assert dates and all(parse_when(d).after(When(2019, 1, 4)) for d in dates)


@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_feed_marks_each_entry_dated_before_the_list(outputs, lang):
    feed = feedparser.parse(outputs[urls.feed(lang).lstrip("/")])
    mark = STRINGS[lang]["feed_earlier"]
    by_id = {feeds.entry_id(e.id, lang): e for e in REGISTRY.events}
    assert feed.entries
    for entry in feed.entries:
        e = by_id[entry.id]
        assert entry.title.startswith(mark) == (not e.date.after(When(2019, 1, 4))), entry.title


@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_since_and_open_data_pages_offer_the_events_files_labelled_by_format_and_size(page, outputs, lang):
    """Review item 3: labelled buttons, never a bare file name; the open data page documents the fields."""
    t = STRINGS[lang]
    for url in (urls.since(lang), urls.document(lang, "data")):
        body = page(url)
        for name, fmt, holds in (("events.json", "JSON", "events"), ("events.csv", "CSV", "events"),
                                 ("later_relations.json", "JSON", "later")):
            link = re.search(rf'<a class="download" href="/data/{re.escape(name)}" download>(.*?)</a>', body)
            assert link, (url, name)
            kb = max(1, round(len(outputs[f"data/{name}"]) / 1024))
            label = t[f"download_events_{holds}"].replace("{format}", fmt).replace("{size}", thai.number(kb, lang))
            assert text_of(link.group(1)).replace("\u200b", "") == label
        assert f">{name}<" not in body
    dictionary = text_of(page(urls.document(lang, "data")).split('id="events-files"', 1)[1])
    for field in opendata.EVENT_FIELDS + ("party_en", "signed_date", "source"):
        assert field in dictionary, field


@pytest.mark.parametrize("lang", ("th", "en"))
def test_without_a_contact_a_pair_page_report_link_carries_its_record_and_shows_what_to_quote(page, lang):
    """Review item 12: no bare /report/; the id and a link to the row as printed on the pair page itself."""
    body = page(urls.pair(lang, "chiang-mai-uozu"))
    link = body.split('class="report-link"', 1)[1].split("</p>", 1)[0]
    assert f'href="{urls.report(lang)}?record=chiang-mai-uozu"' in link
    assert "chiang-mai-uozu" in text_of(link) and 'href="#source"' in link
    assert 'id="source"' in body


def registry():
    problems = Problems()
    reg = load_registry(ROOT / "data", problems)
    assert not problems.items
    return reg


REGISTRY = registry()


@pytest.mark.parametrize("lang", ("th", "en"))
def test_a_pair_page_shows_its_timeline_with_dated_sourced_events_and_the_list_row(page, lang):
    pair_id = "phuket-zhanjiang"
    mine = REGISTRY.events_of(pair_id)
    assert mine
    body = page(urls.pair(lang, pair_id))
    timeline = body.split('id="timeline"', 1)[1].split("</section>", 1)[0]
    ids = re.findall(r'<li class="event [^"]*" id="([^"]+)"', timeline)
    before = [f"event-{e.id}" for e in mine if e.date.first_day <= REGISTRY.as_of]
    after = [f"event-{e.id}" for e in mine if e.date.first_day > REGISTRY.as_of]
    assert ids == before + ["event-list-row"] + after          # oldest first, the list's row at its date
    assert '<time datetime="2019-01-04">' in timeline
    for e in mine:
        assert f'<time datetime="{e.date.iso}">' in timeline
        assert f'href="{html.escape(e.source.url)}"' in timeline
        assert e.date.text(lang) in text_of(timeline)               # BE on Thai pages, CE on English ones
    row = timeline.split('id="event-list-row"', 1)[1].split("</li>", 1)[0]
    assert 'class="badge badge-list"' in row and STRINGS[lang]["timeline_list_badge"] in text_of(row)
    assert "badge-signed" not in row and "badge-in_progress" not in row   # the list is not a signing (review item 4)
    quiet = next(p for p in REGISTRY.pairs if not REGISTRY.events_of(p.id))
    assert STRINGS[lang]["timeline_none"].split(" (")[0] in text_of(page(urls.pair(lang, quiet.id)))


@pytest.mark.parametrize("lang", ("th", "en"))
def test_province_and_country_pages_show_relations_reported_since_the_list(page, lang):
    assert REGISTRY.later_relations
    for rel in REGISTRY.later_relations:
        province = page(urls.province(lang, rel.province.slug))
        later = province.split('id="later-relations"', 1)[1].split("</section>", 1)[0]
        assert f'id="later-{rel.id}"' in later
        assert 'class="as-of-note"' in province
        country = page(urls.country(lang, rel.partner.country.slug))
        assert f'id="later-{rel.id}"' in country
    quiet = next(pv for pv in REGISTRY.provinces
                 if not REGISTRY.later_relations_of_province(pv) and not REGISTRY.events_of_province(pv))
    body = page(urls.province(lang, quiet.slug))
    assert 'id="later-relations"' not in body and 'id="latest-events"' not in body
    busy = next(pv for pv in REGISTRY.provinces if len(REGISTRY.events_of_province(pv)) > 5)
    shown = re.findall(r'id="event-([^"]+)"', page(urls.province(lang, busy.slug)).split('id="latest-events"', 1)[1])
    assert shown == [e.id for e in REGISTRY.events_of_province(busy)[:5]]     # the latest five, newest first


@pytest.mark.parametrize("lang", ("th", "en"))
def test_home_stats_and_pairs_pages_say_what_their_figures_are_as_of(page, lang):
    t = STRINGS[lang]
    latest = max(parse_when(e["date"]) for e in EVENTS)
    for url in (urls.home(lang), urls.stats(lang), urls.pairs(lang), urls.province(lang, "nan")):
        note = page(url).split('<p class="as-of-note">', 1)[1].split("</p>", 1)[0]
        assert '<time datetime="2019-01-04">' in note and f'<time datetime="{latest.iso}">' in note, url
        assert t["as_of_may_be_old"] in text_of(note) and f'href="{urls.since(lang)}"' in note
    home = page(urls.home(lang))
    assert home.count('<li class="event ') == min(5, len(EVENTS))


@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_statistics_page_counts_recorded_activities_and_later_relations_apart(page, lang):
    body = page(urls.stats(lang))
    section = body.split('id="activity"', 1)[1].split("</section>", 1)[0]
    body_rows = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [[text_of(cell).replace("▮", "").strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body_rows, re.S)]
    assert len(rows) == _dt.date.today().year - 2019 + 1
    from portal import thai
    pair_ids = {p.id for p in REGISTRY.pairs}
    signed = sum(p.signed for p in REGISTRY.pairs)
    for year, row in zip(range(2019, _dt.date.today().year + 1), rows):
        active = {e.relation_id for e in REGISTRY.events
                  if e.kind == "activity" and e.relation_id in pair_ids and e.date.year == year}
        assert row == [thai.year(thai.ce_to_be(year), lang), thai.number(len(active), lang), thai.number(signed, lang)]
    assert any(r[1] not in ("0", "๐") for r in rows)              # the real data has recorded activities
    later = text_of(section.split('id="later-count"', 1)[1])
    from portal import thai
    assert STRINGS[lang]["stats_later_text"].split("{n}")[1].split("{as_of}")[0].strip() in later
    assert f" {thai.number(len(LATER), lang)} " in f" {later} "


# ---------------------------------------------------------------- the feeds

@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_atom_feed_is_valid_and_every_entry_has_a_stable_id_a_link_and_a_date(outputs, lang):
    raw = outputs[f"{lang}/feed.xml"]
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.language == lang if "language" in feed.feed else True
    assert feed.feed.id == feeds.feed_id(lang) and feed.feed.updated_parsed
    assert len(feed.entries) == len(EVENTS)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids)
    assert set(ids) == {feeds.entry_id(e["id"], lang) for e in EVENTS}
    # stable: an entry's id was published once and must never change (a feed reader would show it twice)
    assert feeds.entry_id("phuket-xiamen-2022-06-16-activity", "en") == "urn:uuid:05676e81-681f-5acd-9b3f-29c8941d0469"
    assert feeds.feed_id("th") == "urn:uuid:edcae531-23bf-5b79-8e41-e890ea6e2c3a"
    for entry in feed.entries:
        assert entry.updated_parsed and entry.published_parsed and entry.title and entry.summary
        link = urlsplit(entry.link)
        target = urls.output_path(link.path)
        assert target in outputs, entry.link
        assert f'id="{link.fragment}"' in outputs[target].decode(), entry.link
    updated = [e.updated_parsed for e in feed.entries]
    assert max(updated) == feed.feed.updated_parsed


def test_every_page_links_its_feed_in_its_head(outputs):
    pages = {rel: body.decode() for rel, body in outputs.items() if rel.endswith(".html")}
    for rel, body in pages.items():
        head = body.split("</head>", 1)[0]
        langs = ("th", "en") if rel in ("index.html",) else (re.search(r'<html lang="(th|en)"', body).group(1),)
        for lang in langs:
            assert f'<link rel="alternate" type="application/atom+xml" href="/{lang}/feed.xml"' in head, rel


# ---------------------------------------------------------------- open data and search

def test_events_and_later_relations_are_open_data_files_of_their_own(outputs):
    events = json.loads(outputs["data/events.json"])
    assert {e["id"] for e in events["events"]} == {e["id"] for e in EVENTS}
    assert all(e["source_url"] for e in events["events"])
    later = json.loads(outputs["data/later_relations.json"])
    assert {r["id"] for r in later["later_relations"]} == {r["id"] for r in LATER}
    pairs = json.loads(outputs["data/pairs.json"])
    assert not {r["id"] for r in LATER} & {p["id"] for p in pairs["pairs"]}       # never mixed into the list
    csv_text = outputs["data/events.csv"].decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,relation,relation_kind,kind,date")
    assert len(csv_text.strip().splitlines()) == len(EVENTS) + 1


def test_search_finds_a_later_relation_labelled_as_reported_since_the_list():
    from portal import search
    from portal.site import gather
    model = gather(ROOT)
    for lang in ("th", "en"):
        recs = [r for r in search.records(model, lang) if r.kind == "later"]
        assert {r.url for r in recs} == {urls.later_relation_url(lang, rel) for rel in REGISTRY.later_relations}
        assert all(STRINGS[lang]["later_relations_title"] in "".join(map(str, r.context)) for r in recs)


# ---------------------------------------------------------------- preview notice, publish, report links

def test_a_preview_build_says_so_on_every_page_in_both_languages(outputs):
    for rel, body in outputs.items():
        if rel.endswith(".html"):
            text = body.decode()
            assert 'class="preview-notice"' in text, rel
    assert STRINGS["th"]["preview_notice"] in text_of(outputs["th/index.html"].decode())
    assert STRINGS["en"]["preview_notice"] in text_of(outputs["en/index.html"].decode())


def with_site(project, extra: str) -> None:
    (project / "data" / "site.yaml").write_text(SITE_YAML.split("\nbase_url:")[0] + "\n" + extra, encoding="utf-8")


def test_publish_refuses_each_missing_setting_at_its_line_and_writes_nothing(project, tmp_path, capsys):
    import build as command
    site = tmp_path / "site"
    code = command.main(["publish", "--root", str(project), "--site", str(site), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and not site.exists()
    lines = SITE_YAML.splitlines()

    def line(key: str) -> int:
        return next(i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:"))
    for key, words in (("base_url", "base_url must be the public address"), ("publisher", "publisher must name"),
                       ("contact", "contact must be a mailto:"), ("licensor", "licensor must name")):
        assert f"data/site.yaml:{line(key)}: {words}" in err, (key, err)
    assert "4 problems found" in err


PUBLISHED = ("base_url: https://sister-cities.example.go.th\npublisher:\n  en: Example Office\n  th: สำนักงานตัวอย่าง\n"
             "official: false\ncontact: mailto:records@example.org\nlicensor:\n  en: Example Office\n  th: สำนักงานตัวอย่าง\n")


def test_a_bad_value_of_a_setting_is_refused_too(project, tmp_path, capsys):
    import build as command
    with_site(project, PUBLISHED.replace("https://sister-cities.example.go.th", "http://localhost:8000")
              .replace("licensor:\n  en: Example Office\n", "licensor:\n"))
    code = command.main(["publish", "--root", str(project), "--site", str(tmp_path / "site"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    first = SITE_YAML.split("\nbase_url:")[0].count("\n") + 2      # the line of base_url
    assert f"data/site.yaml:{first}: base_url must be the public address the site is published at (https://…), not 'http://localhost:8000'" in err
    assert "licensor.en must be the open data's licensor" in err and "licensor must name" in err


def test_publish_succeeds_when_set_without_the_preview_notice_and_with_prefilled_report_links(project, tmp_path, capsys):
    import build as command
    with_site(project, PUBLISHED)
    site = tmp_path / "site"
    code = command.main(["publish", "--root", str(project), "--site", str(site), "--quiet"])
    assert code == 0, capsys.readouterr().err
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'class="preview-notice"' not in home
    assert 'class="preview-notice"' not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "en" / "index.html.gz").exists()                      # the .gz copies, as make build wrote them
    assert '<link rel="canonical" href="https://sister-cities.example.go.th/en/">' in home
    # every record's report link carries its record: a pair page, and each relation reported since the list
    for lang in ("th", "en"):
        province = (site / lang / "provinces" / "chiang-mai" / "index.html").read_text(encoding="utf-8")
        for rel in [r for r in LATER if r["province"] == "Chiang Mai"]:
            item = province.split(f'id="later-{rel["id"]}"', 1)[1].split('id="later-', 1)[0]
            href = html.unescape(re.search(r'<p class="report-link"><a href="([^"]+)"', item).group(1))
            parts = urlsplit(href)
            assert parts.scheme == "mailto" and parts.path == "records@example.org"
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            assert rel["id"] in query["subject"]
            assert f"https://sister-cities.example.go.th/{lang}/provinces/chiang-mai/#later-{rel['id']}" in query["body"]
            assert rel["source"]["url"] in query["body"]
        report = (site / lang / "report" / "index.html").read_text(encoding="utf-8")
        assert 'href="mailto:records@example.org"' in report
        feed = feedparser.parse((site / lang / "feed.xml").read_bytes())
        assert not feed.bozo and all(e.link.startswith("https://sister-cities.example.go.th/") for e in feed.entries)


def test_a_publish_build_makes_each_download_once_and_only_pairs_json_names_the_licensor(project, monkeypatch):
    """The since page asks the events' files' sizes without the licensor; the build made them with
    the publish build's. Files that do not name the licensor are the same files: not made again."""
    from portal.site import build, gather
    with_site(project, PUBLISHED)
    calls = Counter()

    def counted(name, make):
        def run(registry, lic):
            calls[name] += 1
            return make(registry, lic)
        return run
    monkeypatch.setattr(opendata, "FILES", {n: (fmt, counted(n, make)) for n, (fmt, make) in opendata.FILES.items()})
    result = build(project, write=False, cache=False, publish=True)
    assert calls == Counter(dict.fromkeys(opendata.FILES, 1))
    lic = {"en": "Example Office", "th": "สำนักงานตัวอย่าง"}
    registry = gather(project).registry
    for name in opendata.FILES:   # READS_LICENSOR says which files the licensor changes
        differs = opendata.made(registry, name, lic) != opendata.made(registry, name, None)
        assert differs == (name in opendata.READS_LICENSOR), name
    assert json.loads(result.outputs["data/pairs.json"])["licensor"] == lic


@pytest.mark.parametrize("lang", ("th", "en"))
def test_the_report_page_says_what_a_good_report_holds_and_names_the_offices_without_a_contact(page, lang):
    t = STRINGS[lang]
    body = page(urls.report(lang))
    text = text_of(body.split("<main", 1)[1].split("</main>", 1)[0])
    for key in ("report_good_record", "report_good_what", "report_good_source", "report_where_none"):
        assert t[key].split(":")[0] in text, key
    offices = yaml.safe_load((ROOT / "data" / "offices.yaml").read_text(encoding="utf-8"))
    for office in offices:
        assert " ".join(office[f"name_{lang}"].split()) in text
        for number in office["phone_th" if lang == "th" else "phone"]:
            assert number in text
    assert " ".join(t["offices_source"].split()) in text                # where the numbers are printed
    assert "@" not in text                                               # no invented address
    assert not re.search(r"0[689]\d[ -]?\d{3}[ -]?\d{4}", text)        # no mobile numbers


def test_a_feed_has_what_rfc_4287_requires_of_a_feed_and_its_entries(outputs):
    """Beside the parser: the elements RFC 4287 requires (4.1.1, 4.1.2), read with ElementTree."""
    import xml.etree.ElementTree as ET
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for lang in ("th", "en"):
        root = ET.fromstring(outputs[f"{lang}/feed.xml"])
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        for name in ("id", "title", "updated", "author/a:name"):
            assert root.find(f"a:{name}", ns) is not None and root.find(f"a:{name}", ns).text.strip(), name
        assert root.find("a:link[@rel='self']", ns).get("href").endswith(f"/{lang}/feed.xml")
        for entry in root.findall("a:entry", ns):
            for name in ("id", "title", "updated", "summary"):
                assert entry.find(f"a:{name}", ns).text.strip(), name
            assert entry.find("a:link[@rel='alternate']", ns).get("href")
            assert _dt.datetime.strptime(entry.find("a:updated", ns).text, "%Y-%m-%dT%H:%M:%SZ")


def test_a_correction_of_the_portals_data_is_in_the_feed(project):
    from portal.site import gather
    text = (project / "data" / "events.yaml").read_text(encoding="utf-8")
    text += event(id="chiang-mai-uozu-2024-01-01-correction", kind="correction").replace(
        "summary: {th: สรุป, en: Summary}", "summary: {th: แก้ชื่อเมืองตามรายงาน, en: The partner's name corrected after the report}")
    (project / "data" / "events.yaml").write_text(text, encoding="utf-8")
    model = gather(project)
    for lang in ("th", "en"):
        feed = feedparser.parse(feeds.atom(model, lang))
        entry = next(e for e in feed.entries if e.id == feeds.entry_id("chiang-mai-uozu-2024-01-01-correction", lang))
        assert entry.tags[0].term == "correction" and entry.tags[0].label == STRINGS[lang]["event_kind_correction"]
        assert urlsplit(entry.link).path == urls.pair(lang, "chiang-mai-uozu")
