import datetime as dt
from pathlib import Path

from portal import thai


def test_digits_both_ways():
    assert thai.thai_digits("2562") == "๒๕๖๒"
    assert thai.arabic_digits("๒๕๖๒/๘๙") == "2562/89"


def test_digits_convert_as_pythainlp_converts_them():
    """portal/thai.py maps digits itself (importing PyThaiNLP is left for when it is needed)."""
    from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit
    text = "0123456789 ๐๑๒๓๔๕๖๗๘๙ พ.ศ. 2562, ๑,๒๓๔.๕ abc"
    assert thai.thai_digits(text) == arabic_digit_to_thai_digit(text)
    assert thai.arabic_digits(text) == thai_digit_to_arabic_digit(text)


def test_years_in_each_era():
    assert thai.year(2532, "th") == "พ.ศ. ๒๕๓๒"
    assert thai.year(2532, "en") == "1989"
    assert thai.year(2562, "en", both=True) == "2019 (B.E. 2562)"
    assert thai.year(2562, "th", both=True) == "พ.ศ. ๒๕๖๒ (ค.ศ. ๒๐๑๙)"


def test_dates_in_each_language():
    assert thai.date(dt.date(2019, 1, 4), "th") == "๔ มกราคม ๒๕๖๒"
    assert thai.date(dt.date(2019, 1, 4), "en") == "4 January 2019"


def test_thai_dates_are_written_as_pythainlp_writes_them():
    """portal/thai.py writes Thai months itself (importing PyThaiNLP is left for when it is needed)."""
    from pythainlp.util import thai_strftime
    for year, month in [(2019, m) for m in range(1, 13)] + [(1989, 8), (2026, 12)]:
        when = dt.date(year, month, 4 if month % 2 else 28)
        at = dt.datetime(when.year, when.month, when.day)
        assert thai.date(when, "th") == thai_strftime(at, "%-d %B %Y", thaidigit=True)
        assert thai.date_short(when, "th") == thai_strftime(at, "%-d %b %Y", thaidigit=True).replace(" ", thai.NBSP)
        assert thai.month(year, month, "th") == thai_strftime(at, "%B %Y", thaidigit=True)


def test_thai_collation_is_pythainlps():
    """sort_thai loads PyThaiNLP's collate module on its own; it sorts as the package's collate does."""
    from pythainlp.util import collate
    from portal.load import load_registry
    from portal.errors import Problems
    from pathlib import Path
    registry = load_registry(Path(__file__).resolve().parents[1] / "data", Problems())
    names = [p.name_th for p in registry.provinces] + [p.partner.name_th for p in registry.pairs]
    assert thai.sort_thai(names, key=str) == sorted(names, key=lambda n: collate(set(names)).index(n))
    assert thai._collate().__module__ == "_pythainlp_collate"   # (not the package's import)


def test_the_dictionary_and_provinces_read_without_pythainlp_are_its_own():
    """thai.corpus_lines reads PyThaiNLP's corpus files itself (importing the package costs every
    build 0.05-0.1 s): the words and the provinces are what PyThaiNLP's own functions give, and
    a build imports no part of the package."""
    import subprocess
    import sys
    from pythainlp.corpus import provinces, thai_words
    assert thai._dictionary() == thai_words() and len(thai._dictionary()) > 60_000
    assert thai.provinces() == provinces(details=True) and len(thai.provinces()) == 77
    root = Path(__file__).resolve().parents[1]
    code = ("import sys; from pathlib import Path; from portal.site import build; "
            "build(Path(sys.argv[1]), write=False); print(sorted(m for m in sys.modules if m.startswith('pythainlp')))")
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "[]"


def test_thai_collation_puts_leading_vowels_by_their_consonant():
    # Plain code-point order would put เชียงใหม่ (เ) after every ก–ฮ word; dictionary order puts it under ช.
    names = ["อุบลราชธานี", "เชียงใหม่", "กระบี่", "ชลบุรี", "แพร่", "พะเยา"]
    assert thai.sort_thai(names, key=str) == ["กระบี่", "ชลบุรี", "เชียงใหม่", "พะเยา", "แพร่", "อุบลราชธานี"]


def test_numbers_follow_the_page_language():
    assert thai.number(1234, "en") == "1,234"
    assert thai.number(89, "th") == "๘๙"


def _site_thai_texts(outputs) -> set[str]:
    """Every text between two tags of the built pages' bodies that holds Thai."""
    import re
    texts = set()
    for rel, data in outputs.items():
        if rel.endswith(".html") and data:
            html = data.decode("utf-8")
            texts.update(re.findall(r">([^<]*[\u0e01-\u0e4e][^<]*)<", html[html.find("<body"):]))
    return texts


def test_the_compiled_segmenter_is_installed_and_used():
    """nlpO3 is a dependency (requirements.txt): without it the build still works, slower."""
    import nlpo3  # noqa: F401
    assert thai._compiled_segmenter(frozenset({"ทดสอบ"}))("ทดสอบทดสอบ") == ("ทดสอบ", "ทดสอบ")


def test_the_compiled_segmenter_cuts_the_sites_thai_as_pythainlp_does(outputs):
    """nlpO3 (portal/thai.segmenter) against PyThaiNLP's own newmm on every run of Thai letters in
    the built site, with both dictionaries the build uses (typesetting's short words; the search
    index's words plus the data's names). The one kind of difference allowed: text that neither
    dictionary knows (อี๋เหลียงซาน, a name only an outside report spells) is chunked differently,
    which changes nothing on a page (no entry of data/thai_breaks.txt is such a chunk)."""
    import re

    from portal import typeset
    runs = sorted({r for t in _site_thai_texts(outputs) for r in re.findall("[\u0e01-\u0e4e]+", t)})
    assert len(runs) > 2000
    for words in (typeset.short_words(), thai._dictionary() | {"อี๋เหลียงซาน", "เซี่ยเหมิน"}):
        compiled, reference = thai._compiled_segmenter(words), thai.reference_segmenter(words)
        differ = [r for r in runs if compiled(r) != reference(r)]
        unknown = [r for r in differ if all(w in words for w in reference(r))]
        assert not unknown, f"cut differently although every word is known: {unknown[:5]}"
        assert len(differ) < 0.005 * len(runs), differ[:10]


def test_the_typesetter_keeps_the_same_words_together_with_either_segmenter(outputs, monkeypatch):
    """What the segmenters' differences could change, the no-break spans of Thai words, is the same."""
    import functools
    import re

    from conftest import ROOT
    from portal import typeset
    entries = typeset.words_chromium_splits(ROOT)
    texts = sorted(t for t in _site_thai_texts(outputs))
    setter = typeset.Typesetter.__new__(typeset.Typesetter)
    setter.split_words = frozenset(w for w in entries if " " not in w)
    setter.split_pairs = frozenset(tuple(w.split(" ", 1)) for w in entries if " " in w)
    setter.maybe_split_word = re.compile(".")   # segment every text
    spans = {}
    for name, make in (("compiled", thai._compiled_segmenter), ("reference", thai.reference_segmenter)):
        segment = functools.lru_cache(maxsize=None)(make(typeset.short_words()))
        monkeypatch.setattr(thai, "segmenter", lambda words: segment)
        spans[name] = [setter.words_kept_together(t) for t in texts]
    assert sum(map(len, spans["reference"])) > 500
    assert spans["compiled"] == spans["reference"]
