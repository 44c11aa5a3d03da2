"""Upcoming interviews and the checklist's dated steps as an iCalendar file, for any calendar.

One event per upcoming interview (in its own zone, with the interviewers, the place and the link),
and one per dated step: the thank-you deadline of each round, each debrief, research before the
next round, the recruiter's date and the check-in after it, the feedback request and the
other-roles inquiry after a rejection, and connecting on LinkedIn once the process has ended.

Alarms (VALARM, at an absolute time, so every calendar rings at the same moment) ring on open
steps, never on done ones or in the past, at the times `settings.yaml` sets under `reminders:`:
an interview 1 hour before it starts, its research at 19:00 the evening before, a thank-you 3 hours
before it is due, and a check-in at 09:00 on the morning of its day.

Choices, so that importing the file again updates what was imported before:
- Events (VEVENT), not tasks: calendar programs import events, and many ignore tasks. An interview
  blocks its time; a reminder of a step does not.
- UIDs are derived from the opportunity id, the step and the round (a UUID 5), so they are the same
  on every run and every machine; a renamed round or opportunity gets new ones.
- Done steps stay in the file, titled "Done: …", with SEQUENCE 1 (open steps have 0) and DTSTAMP
  set to `now`, so an entry imported while open is updated rather than left behind. Steps without
  a date are left out.
- A deadline at the end of a day is an all-day event on that day; a deadline at a time of day is
  a half-hour event ending at it, in the round's own time zone (TZID plus a VTIMEZONE), or in UTC
  when only a fixed offset is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from followup import __version__
from followup.core.model import Interview, Opportunity, Reminders
from followup.core.policy import Policy
from followup.steps import calendar_entries, checklist, upcoming_interviews
from followup.steps.entries import (
    DEADLINE_SLOT,
    DONE_PREFIX,
    UID_DOMAIN,
    UTC_NAMES,
    Entry,
    drafts_hint,
    entry_uid,
)

__all__ = [
    "CALENDAR_NAME",
    "DEADLINE_SLOT",
    "DONE_PREFIX",
    "UID_DOMAIN",
    "Entry",
    "calendar_for",
    "calendar_ics",
    "entries_for",
    "entry_uid",
    "event_for",
]

CALENDAR_NAME = "Follow-up"


def _interview_entry(o: Opportunity, interview: Interview, reminders: Reminders) -> Entry:
    lines = []
    for person in interview.interviewers:
        title = f", {person.title}" if person.title else ""
        lines.append(f"- {person.name}{title}" + (f" <{person.email}>" if person.email else ""))
    head = [f"Interviewers:\n{chr(10).join(lines)}"] if lines else []
    if interview.link:
        head.append(f"Join: {interview.link}")
    head.append(
        f"Afterwards: thank each interviewer within a day ({drafts_hint(o.id, 'thank-you')})."
    )
    start, end = interview.starts_at, interview.ends_at
    if not isinstance(start.tzinfo, ZoneInfo) or start.tzinfo.key in UTC_NAMES:
        start, end = start.astimezone(UTC), end.astimezone(UTC)
    return Entry(
        o.id,
        "interview",
        f"Interview: {interview.name} · {o.company}",
        "\n".join(head),
        start,
        end,
        round=interview.key,
        url=interview.link or o.link,
        location=interview.location or ("Video call" if interview.link else ""),
        busy=True,
        alarm=interview.starts_at - timedelta(minutes=reminders.interview_minutes_before),
    )


def entries_for(
    opportunity: Opportunity, now: datetime, policy: Policy | Reminders | None = None
) -> list[Entry]:
    """Every upcoming interview and dated step of one opportunity as calendar entries, soonest
    first, with alarms as the policy's reminders (settings.yaml) set them."""
    if isinstance(policy, Reminders):
        policy = Policy(reminders=policy)
    checks = checklist(opportunity, now, policy)
    reminders = checks.policy.reminders
    entries = [
        _interview_entry(opportunity, interview, reminders)
        for other, interview in upcoming_interviews([opportunity], now)
    ]
    entries += calendar_entries(checks)
    entries.sort(key=Entry.sort_key)
    return entries


def event_for(entry: Entry, now: datetime) -> Event:
    """One VEVENT for an entry; `now` is its DTSTAMP. An open entry whose alarm is still ahead
    rings then (an absolute TRIGGER in UTC)."""
    event = Event.new(
        uid=entry.uid,
        summary=entry.summary,
        description=entry.description,
        start=entry.start,
        end=entry.end,
        stamp=now.astimezone(UTC),
        sequence=1 if entry.done else 0,
        categories=[CALENDAR_NAME],
        url=entry.url,
        location=entry.location or None,
    )
    # A reminder does not block time; an interview does.
    event.add("transp", "OPAQUE" if entry.busy else "TRANSPARENT")
    for moment in (entry.alarm, *entry.more_alarms):
        if moment is None or entry.done or moment <= now:
            continue
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.title)
        alarm.add("trigger", moment.astimezone(UTC), parameters={"VALUE": "DATE-TIME"})
        event.add_component(alarm)
    return event


def calendar_for(
    opportunities: Iterable[Opportunity], now: datetime, policy: Policy | Reminders | None = None
) -> Calendar:
    """The calendar of every opportunity's interviews and dated steps, with the zones they use."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    entries = sorted(
        (e for o in opportunities for e in entries_for(o, now, policy)), key=Entry.sort_key
    )
    calendar = Calendar.new(
        prodid=f"-//followup//followup {__version__}//EN",
        uid=entry_uid("calendar", CALENDAR_NAME),
        name=CALENDAR_NAME,
        method="PUBLISH",
    )
    if entries:
        # One VTIMEZONE per zone used, sorted so the bytes are the same in every process.
        years = [e.sort_key()[0].year for e in entries]
        first, last = date(min(years) - 1, 1, 1), date(max(years) + 2, 1, 1)
        for name in sorted({z for e in entries for z in e.zones()}):
            calendar.add_component(Timezone.from_tzid(name, first_date=first, last_date=last))
    for entry in entries:
        calendar.add_component(event_for(entry, now))
    return calendar


def calendar_ics(
    opportunities: Iterable[Opportunity], now: datetime, policy: Policy | Reminders | None = None
) -> bytes:
    """The calendar as the bytes of an .ics file."""
    return calendar_for(opportunities, now, policy).to_ical()
