"""Time zones that name a place: the one rule for which zone names the workbook keeps.

A zone is kept only when it names a place (an IANA Area/Location such as 'Europe/Berlin'), or is
UTC. 'EST' or 'CET' are fixed or regional offsets that are an hour off half the year for most
people who type them, and 'Factory' is no zone at all: they are refused. Old names that the IANA
database still knows as links ('US/Eastern', 'Asia/Calcutta', 'Japan') are read as the place they
stand for today ('America/New_York', 'Asia/Kolkata', 'Asia/Tokyo'), so an old file keeps working
and shows today's name; a country's own zone ('Europe/Oslo') stays as it is.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Names that all mean UTC.
UTC_NAMES = frozenset(
    [
        *("UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"),
        *("GMT", "Etc/GMT", "GMT0", "GMT+0", "GMT-0", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0"),
        *("Greenwich", "Etc/Greenwich"),
    ]
)
#: Areas of the IANA database that are not places (Etc/GMT+5 is UTC-5, a fixed offset).
NOT_PLACES = ("Etc/", "SystemV/", "posix/", "right/")
#: Abbreviations and POSIX-style rules ('EST', 'CET', 'EST5EDT'): refused even where the database
#: links them to a city, because whoever typed them meant an offset, not that city.
_ABBREVIATION = re.compile(r"[A-Z]{2,5}(\d{1,2}[A-Z]{3,4})?")


@cache
def _links() -> dict[str, str]:
    """The database's old names and the name each stands for today ('US/Eastern' ->
    'America/New_York'), read from the tzdata.zi file of the zones Python itself uses."""
    text = _data_file("tzdata.zi")
    countries = set(_countries())
    links: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L" and parts[2] not in countries:
            links[parts[2]] = parts[1]
    return links


def _data_file(name: str) -> str:
    """A file of the IANA database, from the tzdata package or the system's copy."""
    try:
        return (resources.files("tzdata") / "zoneinfo" / name).read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        pass
    for folder in ("/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"):
        try:
            return Path(folder, name).read_text("utf-8")
        except OSError:
            continue
    return ""


@cache
def _countries() -> tuple[str, ...]:
    """The zones zone.tab names for a country: 'Europe/Oslo' is one, though the database now
    links it to Europe/Berlin, so a person in Norway keeps their own city's name."""
    names = []
    for line in _data_file("zone.tab").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not line.startswith("#"):
            names.append(parts[2])
    return tuple(names)


def is_place(name: str) -> bool:
    """Whether `name` is today's name of a place ('Europe/Berlin'), or UTC: what the time-zone
    picker offers. Old names ('US/Eastern') are not: they are read, not offered."""
    if name == "UTC":
        return True
    return "/" in name and not name.startswith(NOT_PLACES) and name not in _links()


def place_zone(name: str) -> str:
    """`name` as the zone the workbook keeps: today's Area/Location name, or 'UTC'.

    Raises ValueError, in words for a person, when the name is unknown or names no place ('EST',
    'Factory', 'Etc/GMT+5')."""
    text = str(name).strip()
    if text in UTC_NAMES:
        return "UTC"
    seen = {text}
    current = text
    while current in _links():
        current = _links()[current]
        if current in seen:
            break
        seen.add(current)
    if current in UTC_NAMES:
        current = "UTC"
    known = True
    try:
        ZoneInfo(current)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        known = False
    if not known:
        raise ValueError(f"expected an IANA time zone such as 'Europe/Berlin', got {name!r}")
    if _ABBREVIATION.fullmatch(text) or not is_place(current):
        raise ValueError(
            f"{name!r} is not a time zone that names a place (it is a fixed offset or an "
            "abbreviation, an hour off half the year); expected one such as 'America/New_York' "
            "or 'Europe/Berlin', or UTC"
        )
    return current
