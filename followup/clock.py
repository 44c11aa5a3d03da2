"""Reading `now`: the one place the faces (CLI, notebooks, batch) turn a parameter into a time.

The core never reads the clock; it is handed `now`. An empty value means the current local time.
The faces also build the checklist's policy here, with the person's zone, so every face computes
the checklist the same way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, tzinfo
from time import monotonic

from followup.core.errors import UsageError
from followup.core.model import EARLIEST_YEAR, LATEST_YEAR, Settings
from followup.core.policy import Policy


def parse_now(value: str | None = None, *, field: str = "--now") -> datetime:
    """An aware datetime from ISO 8601 text ('2026-11-26T09:00+01:00', '2026-11-26'), or now.

    A value without an offset is read in this machine's local time zone.
    """
    if value is None or not str(value).strip():
        return datetime.now().astimezone()
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text), time(0))
        except ValueError:
            raise UsageError(
                f"{field}: expected an ISO 8601 date or time such as 2026-11-26T09:00+01:00, "
                f"got {text!r}"
            ) from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise UsageError(
            f"{field}: expected a time between the years {EARLIEST_YEAR} and {LATEST_YEAR}, "
            f"got {text!r}"
        )
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment


def local_zone_name() -> str | None:
    """This machine's IANA time zone name ($TZ, else /etc/localtime), or None when unnamed."""
    import os
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from followup.core.zones import place_zone

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8", errors="replace").strip())
    for name in candidates:
        if not name or name.startswith("/"):
            continue
        try:
            ZoneInfo(name)
            return place_zone(name)  # 'Etc/UTC' as UTC, 'US/Eastern' as America/New_York
        except (ValueError, KeyError, OSError):
            continue
    return None


def your_zone(timezone: str | None, now: datetime) -> tzinfo:
    """The person's zone: `timezone` from settings.yaml; else this machine's, when it has a name
    and `now` agrees with it; else the zone `now` was given in (a pretended `--now`)."""
    from zoneinfo import ZoneInfo

    if timezone:
        return ZoneInfo(timezone)
    name = local_zone_name()
    if name and now.astimezone(ZoneInfo(name)).utcoffset() == now.utcoffset():
        return ZoneInfo(name)
    return now.tzinfo  # type: ignore[return-value]


def policy_for(
    settings: Settings | None, now: datetime, *, min_active: int | None = None
) -> Policy:
    """The one policy every face computes the checklist with: the settings, the person's zone,
    and a command line's own `--min-active` when given."""
    settings = settings or Settings()
    policy = Policy.from_settings(settings, your_zone(settings.timezone, now))
    return replace(policy, min_active=min_active) if min_active is not None else policy


class Clock:
    """The time of an action, for a page or a command that acts more than once.

    Reading the clock: the wall clock; pretending (`--now`, a notebook's `now`): the pretended
    time plus the real time that has passed since, so a note marked sent an hour after a page
    was opened is recorded an hour later, in both cases.
    """

    def __init__(self, start: datetime, *, pretend: bool) -> None:
        self.start = start
        self.pretend = pretend
        self._started = monotonic()

    @classmethod
    def for_page(cls, opened: datetime) -> Clock:
        """The clock of a page opened at `opened`: it pretends when `opened` is not about now
        (the page was given a `now`, as the demo is)."""
        gap = abs((datetime.now(opened.tzinfo) - opened).total_seconds())
        return cls(opened, pretend=gap > 60)

    def now(self) -> datetime:
        if self.pretend:
            moment = self.start + timedelta(seconds=monotonic() - self._started)
        else:
            moment = datetime.now(self.start.tzinfo)
        return moment.replace(microsecond=0)
