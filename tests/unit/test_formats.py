"""Numbers, money, days and times read the same in every face."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.core import formats

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


def test_a_day_reads_with_its_weekday_and_year():
    assert formats.day(date(2026, 11, 26)) == "Thu 26 Nov 2026"
    assert formats.day(None) == ""


def test_a_moment_reads_in_the_zone_asked_for_with_the_zone_named():
    start = datetime(2026, 11, 26, 23, 30, tzinfo=BERLIN)
    assert formats.moment(start) == "Thu 26 Nov 2026 23:30 CET"
    assert formats.moment(start, TOKYO) == "Fri 27 Nov 2026 07:30 JST"
    assert formats.moment(start.replace(second=5), seconds=True) == "Thu 26 Nov 2026 23:30:05 CET"
    assert formats.day(start, TOKYO) == "Fri 27 Nov 2026"


def test_a_midnight_deadline_reads_as_the_end_of_the_day_before():
    assert formats.deadline(datetime(2026, 11, 27, tzinfo=BERLIN)) == "end of Thu 26 Nov 2026"
    assert formats.deadline(datetime(2026, 11, 27, 11, tzinfo=BERLIN)) == "Fri 27 Nov 2026 11:00"


@pytest.mark.parametrize(
    ("value", "text"),
    [(48000, "48,000"), (48000.0, "48,000"), (48000.5, "48,000.5"), (0.25, "0.25"), (None, "")],
)
def test_numbers_have_thousands_separators_and_no_needless_decimals(value, text):
    assert formats.number(value) == text


def test_money_names_its_currency_and_period():
    assert formats.money(64000, "EUR") == "64,000 EUR"
    assert formats.money(64000, "EUR", "year") == "64,000 EUR a year"
    assert formats.money(35.5, "GBP", "hour") == "35.50 GBP an hour"
    assert formats.money(None, "EUR") == ""


@pytest.mark.parametrize(
    ("count", "noun", "text"),
    [
        (1, "problem", "1 problem"),
        (2, "problem", "2 problems"),
        (0, "opportunity", "0 opportunities"),
        (1, "opportunity", "1 opportunity"),
        (3, "process", "3 processes"),
        (2, "day", "2 days"),
    ],
)
def test_plural_agrees_with_the_count(count, noun, text):
    assert formats.plural(count, noun) == text


@given(st.floats(-1e6, 1e6), st.sampled_from([2, 3, 9]))
def test_rounding_agrees_with_numpy_to_the_bit(value, digits):
    # A plain table and the DataFrame made from the same rows must show the same number.
    expected = np.round(np.float64(value), digits)
    assert formats.rounded(value, digits) == expected
    assert np.signbit(formats.rounded(value, digits)) == np.signbit(expected)


def test_rounding_goes_half_to_even_after_scaling_as_numpy_does():
    assert formats.rounded(0.125, 2) == 0.12 and formats.rounded(0.375, 2) == 0.38
    assert str(formats.rounded(-0.0001, 2)) == "-0.0"


def test_every_time_reads_in_the_persons_zone_with_the_hour_there_when_it_differs():
    new_york = ZoneInfo("America/New_York")
    due = datetime(2026, 12, 3, 14, 45, tzinfo=new_york)
    assert formats.when(due, ZoneInfo("UTC")) == "Thu 03 Dec 2026 19:45 (14:45 there)"
    assert formats.when(due, new_york) == "Thu 03 Dec 2026 14:45"
    now = datetime(2026, 12, 3, 10, 45, tzinfo=ZoneInfo("UTC"))
    assert formats.when(due, ZoneInfo("UTC"), now) == "Thu 03 Dec 2026 19:45 (14:45 there, in 9 h)"
    assert formats.zone_label(BERLIN, now) == "Europe/Berlin (CET)"
