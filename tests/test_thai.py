import datetime as dt

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


def test_thai_collation_puts_leading_vowels_by_their_consonant():
    # Plain code-point order would put เชียงใหม่ (เ) after every ก–ฮ word; dictionary order puts it under ช.
    names = ["อุบลราชธานี", "เชียงใหม่", "กระบี่", "ชลบุรี", "แพร่", "พะเยา"]
    assert thai.sort_thai(names, key=str) == ["กระบี่", "ชลบุรี", "เชียงใหม่", "พะเยา", "แพร่", "อุบลราชธานี"]


def test_numbers_follow_the_page_language():
    assert thai.number(1234, "en") == "1,234"
    assert thai.number(89, "th") == "๘๙"
