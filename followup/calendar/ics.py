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

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from followup import __version__
from followup.core.model import Interview, Opportunity, Reminders
from followup.core.rules import (
    State,
    Step,
    StepKind,
    after_rejection_due,
    check_in_step,
    checklist,
    debrief_due,
)

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


def _span(due: datetime) -> tuple[date | datetime, date | datetime]:
    """An all-day event for an end-of-day deadline, else a half-hour slot ending at it."""
    if due.timetz().replace(tzinfo=None) == time(0):
        day = due.date() - timedelta(days=1)
        return day, day + timedelta(days=1)
    if not isinstance(due.tzinfo, ZoneInfo) or due.tzinfo.key in _UTC_NAMES:
        due = due.astimezone(UTC)  # a fixed offset has no rules to share: write UTC
    return due - DEADLINE_SLOT, due


#: Zone names icalendar writes as UTC ('Z'), which need no VTIMEZONE.
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu"})


def _day(day: date) -> tuple[date, date]:
    return day, day + timedelta(days=1)


def _at(day: date, moment: time, zone: object) -> datetime:
    """`moment` on `day` in `zone` (the first of two equal wall times after a clock change)."""
    return datetime.combine(day, moment).replace(tzinfo=zone, fold=0)  # type: ignore[arg-type]


def _interview_entry(o: Opportunity, interview: Interview, reminders: Reminders) -> Entry:
    lines = []
    for person in interview.interviewers:
        title = f", {person.title}" if person.title else ""
        lines.append(f"- {person.name}{title}" + (f" <{person.email}>" if person.email else ""))
    head = [f"Interviewers:\n{chr(10).join(lines)}"] if lines else []
    if interview.link:
        head.append(f"Join: {interview.link}")
    head.append(
        f"Afterwards: thank each interviewer within a day ({_drafts_hint(o, 'thank-you')})."
    )
    start, end = interview.starts_at, interview.ends_at
    if not isinstance(start.tzinfo, ZoneInfo) or start.tzinfo.key in _UTC_NAMES:
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


def _describe(step: Step | None, *lines: str) -> str:
    head = [step.why] if step is not None else []
    return "\n".join([*head, *(line for line in lines if line)])


def _drafts_hint(opportunity: Opportunity, kind: str) -> str:
    return f"Draft it with: followup drafts {opportunity.id} --kind {kind}"


def entries_for(
    opportunity: Opportunity, now: datetime, reminders: Reminders | None = None
) -> list[Entry]:
    """Every upcoming interview and dated step of one opportunity as calendar entries, soonest
    first, with alarms as `reminders` (settings.yaml) sets them."""
    o = opportunity
    reminders = reminders or Reminders()
    steps = checklist(o, now).steps
    of_kind: dict[StepKind, list[Step]] = {}
    for step in steps:
        of_kind.setdefault(step.kind, []).append(step)
    entries: list[Entry] = []

    def add(step: str, title: str, description: str, span, **extra) -> None:
        start, end = span
        entries.append(
            Entry(
                o.id, step, f"{title} · {o.company}", description, start, end, url=o.link, **extra
            )
        )

    for interview in o.rounds:
        if (
            interview.starts_at is not None
            and interview.starts_at > now
            and not interview.cancelled
        ):
            entries.append(_interview_entry(o, interview, reminders))

    rounds: dict[str, Interview] = {r.key: r for r in o.rounds}
    by_round: dict[str, list[Step]] = {}
    for step in of_kind.get(StepKind.THANK_YOU, []):
        if step.due is not None and step.round:
            by_round.setdefault(step.round, []).append(step)
    for key, group in by_round.items():
        done = all(s.state is State.DONE for s in group)
        people = "\n".join(f"- {s.person or s.title}: {s.state.value}. {s.why}" for s in group)
        hint = "" if done else _drafts_hint(o, "thank-you")
        due = group[0].due
        add(
            StepKind.THANK_YOU.value,
            f"Thank-you notes for {rounds[key].name}",
            _describe(None, people, hint),
            _span(due),
            done=done,
            round=key,
            alarm=due - timedelta(hours=reminders.thank_you_hours_before),
        )

    for step in of_kind.get(StepKind.DEBRIEF, []):
        interview = rounds.get(step.round or "")
        due = step.due or (debrief_due(interview) if interview else None)
        if due is not None:
            add(
                StepKind.DEBRIEF.value,
                step.title,
                _describe(step),
                _span(due),
                done=step.state is State.DONE,
                round=step.round,
            )

    for step in of_kind.get(StepKind.RESEARCH, []):
        if step.due is not None and step.state.open:
            zone = rounds[step.round].zone if step.round in rounds else step.due.tzinfo
            eve = step.due.astimezone(zone).date() - timedelta(days=1)
            add(
                StepKind.RESEARCH.value,
                step.title,
                _describe(step),
                _span(step.due),
                alarm=_at(eve, reminders.research_evening_at, zone),
            )

    timeline = o.timeline
    if timeline is not None and timeline.decision_by is not None:
        add(
            "recruiter_date",
            "The recruiter's date",
            _describe(None, timeline.next_step, "Don't reach out before then."),
            _day(timeline.decision_by),
            done=o.status.ended,
        )

    check_in = check_in_step(o, now)
    if check_in is None:
        waiting = [s for s in of_kind.get(StepKind.TIMELINE, []) if s.state is State.WAITING]
        if waiting and waiting[0].due is not None and waiting[0].round is None:
            # The check-in that becomes due when the wait ends, if no news comes first.
            check_in = check_in_step(o, waiting[0].due)
    if check_in is not None:
        span = _span(check_in.due)
        zone = check_in.due.tzinfo
        start = span[0]
        day = start.astimezone(zone).date() if isinstance(start, datetime) else start
        add(
            "check_in",
            "Check in with the recruiter if there is no news",
            _describe(check_in, _drafts_hint(o, "check-in")),
            span,
            alarm=_at(day, reminders.check_in_at, zone),
        )
    elif timeline is not None and timeline.checked_in_on is not None:
        add(
            "check_in",
            "Check in with the recruiter",
            f"You checked in on {timeline.checked_in_on:%a %d %b %Y}.",
            _day(timeline.checked_in_on),
            done=True,
        )

    for kind, hint in ((StepKind.FEEDBACK, "feedback"), (StepKind.OTHER_ROLES, "other-roles")):
        for step in of_kind.get(kind, []):
            done = step.state in (State.DONE, State.WAITING)
            due = step.due or after_rejection_due(o, now)
            if due is not None:
                extra = "" if done else _drafts_hint(o, hint)
                add(kind.value, step.title, _describe(step, extra), _span(due), done=done)

    if o.status.ended and o.outcome_on is not None:
        for step in of_kind.get(StepKind.LINKEDIN, []):
            add(
                StepKind.LINKEDIN.value,
                step.title,
                _describe(step),
                _day(o.outcome_on),
                done=step.state is State.DONE,
            )

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
    if entry.alarm is not None and not entry.done and entry.alarm > now:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.title)
        alarm.add("trigger", entry.alarm.astimezone(UTC), parameters={"VALUE": "DATE-TIME"})
        event.add_component(alarm)
    return event


def calendar_for(
    opportunities: Iterable[Opportunity], now: datetime, reminders: Reminders | None = None
) -> Calendar:
    """The calendar of every opportunity's interviews and dated steps, with the zones they use."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    entries = sorted(
        (e for o in opportunities for e in entries_for(o, now, reminders)), key=Entry.sort_key
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
    opportunities: Iterable[Opportunity], now: datetime, reminders: Reminders | None = None
) -> bytes:
    """The calendar as the bytes of an .ics file."""
    return calendar_for(opportunities, now, reminders).to_ical()
