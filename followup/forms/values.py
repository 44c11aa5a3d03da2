"""Turning what is typed into values and back: numbers, dates, times, time zones and links.

Each reader is strict: an impossible date or an out-of-range number is refused with a message that
says what was expected, never moved to a nearby value.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from followup.clock import local_zone_name as machine_zone_name
from followup.core.zones import is_place, place_zone


def parse_number(text: str) -> float | None:
    """'64000', '64,000', '64 000' or '64k' as a number; empty as None."""
    cleaned = str(text).strip().replace(",", "").replace(" ", "").replace("_", "")
    if not cleaned:
        return None
    factor = 1.0
    if cleaned[-1:] in ("k", "K"):
        cleaned, factor = cleaned[:-1], 1000.0
    try:
        value = float(cleaned) * factor
    except ValueError:
        raise ValueError(f"expected a number such as 64000, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"expected a number such as 64000, got {text!r}")
    return value


def as_lines(text: str) -> list[str]:
    return [line.strip() for line in str(text).splitlines() if line.strip()]


#: The zones people use most, offered first in the time-zone picker.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Zurich",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Istanbul",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone this machine knows, sorted (what a stored zone may be)."""
    return tuple(sorted(available_timezones()))


def _offered(name: str) -> bool:
    return is_place(name)  # today's names of places: not 'US/Eastern', 'EST' nor 'Factory'


@cache
def zone_choices() -> tuple[str, ...]:
    """The zones the picker offers: the common ones first, then the rest by name (no aliases
    such as Factory, localtime or the sign-inverted Etc/GMT+5)."""
    known = set(zone_names())
    common = tuple(z for z in COMMON_ZONES if z in known)
    rest = tuple(z for z in zone_names() if _offered(z) and z not in common)
    return common + rest


def utc_offset(moment: datetime) -> str:
    """'UTC+01:00', 'UTC-05:00', 'UTC+05:30'."""
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def zone_label(name: str, at: datetime) -> str:
    """'Europe/Berlin (UTC+01:00)': the zone with its offset at the moment `at`."""
    if name == "UTC":
        return name
    return f"{name} ({utc_offset(at.astimezone(ZoneInfo(name)))})"


def parse_zone(text: str) -> str | None:
    """A zone typed or picked ('Europe/Berlin (UTC+01:00)', 'europe/berlin', 'Berlin') as its
    IANA name; empty as None."""
    cleaned = str(text).split(" (UTC", 1)[0].strip()
    if not cleaned:
        return None
    if cleaned in zone_names():
        return place_zone(cleaned)  # 'Asia/Calcutta' is Asia/Kolkata; 'EST' is refused
    wanted = cleaned.replace(" ", "_").lower()
    exact = [z for z in zone_choices() if z.lower() == wanted]
    ends = [z for z in zone_choices() if z.lower().endswith("/" + wanted)]
    found = exact or ends
    if len(found) == 1:
        return found[0]
    raise ValueError(f"expected a time zone from the list, such as Europe/Berlin, got {text!r}")


def zone_in(place: str | None) -> str | None:
    """The zone a place names, when a part of it is a zone's city ('Paris, hybrid' is
    Europe/Paris, 'New York (onsite)' America/New_York); None when no part is."""
    offered = set(zone_choices())
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", place or "") if not unicodedata.combining(c)
    )  # São Paulo as Sao_Paulo
    for part in re.split(r"[,;()|·]", plain):
        try:
            found = parse_zone(part)
        except ValueError:
            continue
        if found in offered:
            return found
    return None


def parse_day(text: str) -> date | None:
    """A date typed as 2026-12-03; empty as None. An impossible or partial date is refused,
    never moved to a nearby day."""
    cleaned = str(text).strip()
    if not cleaned:
        return None
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    if not found:
        raise ValueError(f"expected a date as year-month-day, such as 2026-12-03, got {text!r}")
    year, month, day_of_month = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{cleaned} is not a real date: the month is 1 to 12")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day_of_month <= days:
        raise ValueError(
            f"{cleaned} is not a real date: {calendar.month_name[month]} {year} has {days} days"
        )
    return date(year, month, day_of_month)


_WEEKDAYS = {name.casefold(): i for i, name in enumerate(calendar.day_name)} | {
    name.casefold(): i for i, name in enumerate(calendar.day_abbr)
}


def parse_day_after(today: date) -> Callable[[str], date | None]:
    """`parse_day`, and also the words people use for a day soon: 'Friday' (the next one after
    `today`), 'tomorrow', 'today'."""

    def parse(text: str) -> date | None:
        word = str(text).strip().casefold()
        if word == "today":
            return today
        if word == "tomorrow":
            return today + timedelta(days=1)
        if word in _WEEKDAYS:
            ahead = (_WEEKDAYS[word] - today.weekday() - 1) % 7 + 1
            return today + timedelta(days=ahead)
        return parse_day(text)

    return parse


def format_day(value: date | None) -> str:
    return value.isoformat() if value else ""


def parse_clock(text: str) -> time | None:
    """A wall-clock time typed as 14:30 (24-hour); empty as None."""
    cleaned = str(text).strip()
    if not cleaned:
        return None
    found = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", cleaned)
    hour, minute, second = (int(p or 0) for p in found.groups()) if found else (99, 0, 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"expected a 24-hour time such as 14:30, got {text!r}")
    return time(hour, minute, second)


def format_clock(value: time | None) -> str:
    if value is None:
        return ""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def web_address(text: str) -> str | None:
    """A link as typed, with https:// added when no scheme was given; empty as None."""
    cleaned = str(text).strip()
    if not cleaned:
        return None
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", cleaned):
        cleaned = "https://" + cleaned
    return cleaned


def local_zone_name() -> str:
    """This machine's IANA zone name when it can be told, else UTC (see `followup.clock`)."""
    return machine_zone_name() or "UTC"


def combine_local(day: date | None, clock: time | None, zone: str) -> datetime | None:
    """A date and a wall-clock time in `zone` as an aware datetime (None without a date)."""
    if day is None:
        return None
    return datetime.combine(day, clock or time(0), tzinfo=ZoneInfo(zone))


def parse_whole(text: str, low: int, high: int) -> int | None:
    """A whole number typed, between `low` and `high`; empty as None. Never clamped."""
    cleaned = str(text).strip().replace(",", "")
    if not cleaned:
        return None
    if not re.fullmatch(r"\d+", cleaned) or not low <= int(cleaned) <= high:
        raise ValueError(f"expected a whole number from {low} to {high}, got {text!r}")
    return int(cleaned)
