"""How numbers, money, days and times read, in one place for every face.

Pure: values in, text out. The status command, the forms, the reports and the comparison all call
these, so "Thu 26 Nov 2026", "64,000 EUR" and "1 problem" read the same wherever they appear.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, tzinfo

#: How a day reads: 'Thu 26 Nov 2026'.
DAY_FORMAT = "%a %d %b %Y"
#: How a time of day reads after its day: '14:00'.
TIME_FORMAT = "%H:%M"

_PERIOD_WORDS = {"year": "a year", "month": "a month", "hour": "an hour"}


def day(value: date | datetime | None, zone: tzinfo | None = None) -> str:
    """'Thu 26 Nov 2026' (empty for None); a datetime is first moved to `zone` when given."""
    if value is None:
        return ""
    if isinstance(value, datetime) and zone is not None:
        value = value.astimezone(zone)
    return f"{value:{DAY_FORMAT}}"


def moment(value: datetime | None, zone: tzinfo | None = None, *, seconds: bool = False) -> str:
    """'Thu 26 Nov 2026 14:00 CET' in `zone` (else the value's own zone); empty for None.

    With `seconds`, '14:00:05': for lists where two entries can fall in one minute (history).
    """
    if value is None:
        return ""
    local = value.astimezone(zone) if zone is not None else value
    name = local.tzname() or ""
    clock = f"{TIME_FORMAT}:%S" if seconds else TIME_FORMAT
    return f"{local:{DAY_FORMAT} {clock}} {name}".strip()


def relative(value: datetime, now: datetime) -> str:
    """'in 5 h', '2 days ago', 'in 40 min'."""
    seconds = (value - now).total_seconds()
    ahead = seconds >= 0
    seconds = abs(seconds)
    if seconds < 3600:
        amount = f"{max(1, round(seconds / 60))} min"
    elif seconds < 48 * 3600:
        amount = f"{round(seconds / 3600)} h"
    else:
        amount = f"{round(seconds / 86400)} days"
    return f"in {amount}" if ahead else f"{amount} ago"


def when(value: datetime | None, zone: tzinfo | None = None, now: datetime | None = None) -> str:
    """How every time a person reads is shown: the one rule, for every face.

    In `zone`, the person's own (named once per screen, by `zone_label`, never here), with
    '(09:00 there)' when the time's own zone shows another hour, and how far away it is when
    `now` is given. A deadline at midnight is the end of the day before, in its own zone, where
    the day belongs: 'end of Fri 04 Dec 2026', not 'Sat 05 Dec 2026 01:00'.
    """
    if value is None:
        return ""
    notes = []
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        text = f"end of {day(value - timedelta(days=1))}"
    else:
        local = value.astimezone(zone) if zone is not None else value
        text = f"{day(local)} {local:{TIME_FORMAT}}"
        if local.utcoffset() != value.utcoffset():
            notes.append(f"{value:{TIME_FORMAT}} there")
    if now is not None:
        notes.append(relative(value, now))
    return f"{text} ({', '.join(notes)})" if notes else text


def zone_label(zone: tzinfo | None, now: datetime) -> str:
    """'Europe/Berlin (CET)' for a named zone, else its abbreviation or offset ('UTC+01:00')."""
    local = now.astimezone(zone) if zone is not None else now
    abbreviation = local.tzname() or f"{local:%z}"
    key = getattr(zone, "key", None)
    if key and key != abbreviation:
        return f"{key} ({abbreviation})"
    return abbreviation


def deadline(value: datetime | None, zone: tzinfo | None = None) -> str:
    """A due time, as `when` shows it."""
    return when(value, zone)


def number(value: float | int | None) -> str:
    """'48,000', '48,000.5', '0.25' (empty for None): whole numbers without decimals."""
    if value is None:
        return ""
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money(value: float | int | None, currency: str = "", period: str | None = None) -> str:
    """'64,000 EUR', '64,000 EUR a year', '35.50 GBP an hour' (empty for None)."""
    if value is None:
        return ""
    value = float(value)
    amount = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    text = f"{amount} {currency}".strip()
    if period:
        key = getattr(period, "value", period)
        text += f" {_PERIOD_WORDS.get(key, f'per {key}')}"
    return text


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 problem', '2 problems', '0 opportunities' (pass the plural when adding 's' is wrong)."""
    if count == 1:
        return f"{count} {singular}"
    if plural_form is None:
        if singular.endswith("y") and singular[-2:-1] not in "aeiou":
            plural_form = singular[:-1] + "ies"
        elif singular.endswith(("s", "x", "ch", "sh")):
            plural_form = singular + "es"
        else:
            plural_form = singular + "s"
    return f"{count} {plural_form}"


def rounded(value: float, digits: int) -> float:
    """`value` to `digits` decimals as numpy and pandas round (scale, round half to even, scale
    back, keeping the sign of a zero), so a plain table and a DataFrame show the same number."""
    scale = 10.0**digits
    return math.copysign(round(value * scale) / scale, value)
