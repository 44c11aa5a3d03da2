"""Calendar entries as values: what a step puts in the person's calendar, and its stable UID.

A step type's `calendar` hook returns these; `followup.calendar.ics` writes them as VEVENTs.
Pure: no files, no icalendar.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: Fixed namespace of the UIDs: never change it, or every imported entry would be duplicated.
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://followup.invalid/calendar")
UID_DOMAIN = "followup.invalid"
CALENDAR_NAME = "Follow-up"
#: A deadline at a time of day shows as an event this long, ending at the deadline.
DEADLINE_SLOT = timedelta(minutes=30)
DONE_PREFIX = "Done: "


def entry_uid(
    opportunity_id: str, step: str, round: str | None = None, person: str | None = None
) -> str:
    """The stable UID of one calendar entry."""
    key = "/".join([opportunity_id, step, round or "", person or ""])
    return f"{uuid.uuid5(UID_NAMESPACE, key)}@{UID_DOMAIN}"


@dataclass(frozen=True)
class Entry:
    """One calendar entry: a dated step of one opportunity."""

    opportunity: str
    step: str
    title: str
    description: str
    start: date | datetime
    end: date | datetime
    done: bool = False
    round: str | None = None
    url: str | None = None
    location: str = ""
    busy: bool = False
    alarm: datetime | None = None
    #: Further alarms on the same entry (an offer's answer rings two days before and that morning).
    more_alarms: tuple[datetime, ...] = ()

    @property
    def uid(self) -> str:
        return entry_uid(self.opportunity, self.step, self.round)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def summary(self) -> str:
        return f"{DONE_PREFIX if self.done else ''}{self.title}"

    def zones(self) -> set[str]:
        """The IANA names of the time zones this entry's times are in."""
        return {
            t.tzinfo.key
            for t in (self.start, self.end)
            if isinstance(t, datetime) and isinstance(t.tzinfo, ZoneInfo)
        }

    def sort_key(self) -> tuple:
        start = self.start
        if not isinstance(start, datetime):
            start = datetime.combine(start, time(0), tzinfo=UTC)
        return (start.astimezone(UTC), self.uid)


def span(due: datetime) -> tuple[date | datetime, date | datetime]:
    """An all-day event for an end-of-day deadline, else a half-hour slot ending at it."""
    if due.timetz().replace(tzinfo=None) == time(0):
        day = due.date() - timedelta(days=1)
        return day, day + timedelta(days=1)
    if not isinstance(due.tzinfo, ZoneInfo) or due.tzinfo.key in UTC_NAMES:
        due = due.astimezone(UTC)  # a fixed offset has no rules to share: write UTC
    return due - DEADLINE_SLOT, due


#: Zone names icalendar writes as UTC ('Z'), which need no VTIMEZONE.
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu"})


def whole_day(day: date) -> tuple[date, date]:
    return day, day + timedelta(days=1)


def at(day: date, moment: time, zone: object) -> datetime:
    """`moment` on `day` in `zone` (the first of two equal wall times after a clock change)."""
    return datetime.combine(day, moment).replace(tzinfo=zone, fold=0)  # type: ignore[arg-type]


def entry(
    opportunity_id: str,
    company: str,
    url: str | None,
    step: str,
    title: str,
    description: str,
    when: tuple[date | datetime, date | datetime],
    **extra: object,
) -> Entry:
    """An entry titled '<title> · <company>' spanning `when`, linking to the posting."""
    start, end = when
    return Entry(
        opportunity_id, step, f"{title} · {company}", description, start, end, url=url, **extra
    )  # type: ignore[arg-type]


def describe(why: str | None, *lines: str) -> str:
    """An entry's description: the step's reason, then any further lines that are not empty."""
    head = [why] if why else []
    return "\n".join([*head, *(line for line in lines if line)])


def drafts_hint(opportunity_id: str, kind: str) -> str:
    return f"Draft it with: followup drafts {opportunity_id} --kind {kind}"
