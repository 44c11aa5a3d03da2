"""Reading `now`: the one place the faces (CLI, notebooks, batch) turn a parameter into a time.

The core never reads the clock; it is handed `now`. An empty value means the current local time.
"""

from __future__ import annotations

from datetime import date, datetime, time

from followup.core.errors import UsageError
from followup.core.model import EARLIEST_YEAR, LATEST_YEAR


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
        except (ValueError, KeyError, OSError):
            continue
        return name
    return None
