"""Plain-text views of the checklist for terminals and notebooks: readable at a glance.

Every time is shown in the person's own zone, named once in the header rather than on each line;
upcoming interviews come first; a legend says what each mark means.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from followup.core.formats import TIME_FORMAT, day, moment, plural
from followup.core.model import Interview, Opportunity
from followup.core.rules import Checklist, Overview, State, Step, StepKind

MARKS: dict[State, str] = {
    State.OVERDUE: "!!",
    State.DUE_SOON: "! ",
    State.TO_DO: "- ",
    State.WAITING: "..",
    State.BLOCKED: "x ",
    State.DONE: "ok",
    State.NOT_APPLICABLE: "  ",
}


def relative(due: datetime, now: datetime) -> str:
    """'in 5 h', '2 days ago', 'in 40 min'."""
    seconds = (due - now).total_seconds()
    ahead = seconds >= 0
    seconds = abs(seconds)
    if seconds < 3600:
        amount = f"{max(1, round(seconds / 60))} min"
    elif seconds < 48 * 3600:
        amount = f"{round(seconds / 3600)} h"
    else:
        amount = f"{round(seconds / 86400)} days"
    return f"in {amount}" if ahead else f"{amount} ago"


def when(due: datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """A due time in `zone` (else its own), with how far away it is; the zone is not named, the
    header names it once."""
    if (due.hour, due.minute, due.second) == (0, 0, 0):
        # A day's end where the step belongs (a recruiter's date, a debrief's day) is that day,
        # wherever the person is: 'end of Fri 04 Dec', not 'Sat 05 Dec 01:00'.
        return f"end of {day(due - timedelta(days=1))} ({relative(due, now)})"
    local = due.astimezone(zone) if zone is not None else due
    return f"{day(local)} {local:{TIME_FORMAT}} ({relative(due, now)})"


def zone_label(zone: tzinfo | None, now: datetime) -> str:
    """'Europe/Berlin (CET)' for a named zone, else its abbreviation or offset ('UTC+01:00')."""
    local = now.astimezone(zone) if zone is not None else now
    abbreviation = local.tzname() or f"{local:%z}"
    if isinstance(zone, ZoneInfo) and zone.key != abbreviation:
        return f"{zone.key} ({abbreviation})"
    return abbreviation


def legend() -> str:
    """What each mark before a step means."""
    shown = [State.OVERDUE, State.DUE_SOON, State.TO_DO, State.WAITING, State.BLOCKED, State.DONE]
    return "Marks: " + "  ".join(f"{MARKS[s].strip()} {s.value}" for s in shown)


def _shown(step: Step) -> bool:
    """A LinkedIn step that must wait for the process to end is not a task: leave it out."""
    return not (step.kind is StepKind.LINKEDIN and step.state is State.BLOCKED)


def step_line(step: Step, now: datetime, zone: tzinfo | None = None) -> str:
    due = f"  due {when(step.due, now, zone)}" if step.due and step.state.actionable else ""
    until = (
        f"  until {when(step.due, now, zone)}" if step.due and step.state is State.WAITING else ""
    )
    return f"{MARKS[step.state]} {step.title} [{step.state.value}]{due}{until}\n     {step.why}"


def checklist_text(
    checklist: Checklist, now: datetime, *, all_steps: bool = False, zone: tzinfo | None = None
) -> str:
    o = checklist.opportunity
    head = f"{o.title}  ({o.id}, {o.status.value})"
    steps = checklist.steps if all_steps else [s for s in checklist.open_steps if _shown(s)]
    if not steps:
        return f"{head}\n   Nothing to do right now."
    return "\n".join(
        [head, *("   " + step_line(s, now, zone).replace("\n", "\n   ") for s in steps)]
    )


def upcoming_interviews(
    opportunities: list[Opportunity], now: datetime
) -> list[tuple[Opportunity, Interview]]:
    """Every round still ahead and not cancelled, soonest first."""
    found = [
        (o, r)
        for o in opportunities
        for r in o.rounds
        if r.starts_at is not None and r.starts_at > now and not r.cancelled
    ]
    return sorted(found, key=lambda pair: pair[1].starts_at)


def interview_line(o: Opportunity, interview: Interview, now: datetime, zone: tzinfo | None) -> str:
    start = interview.starts_at.astimezone(zone) if zone is not None else interview.starts_at
    details = [interview.format.value] if interview.format else []
    if interview.interviewers:
        details.append(plural(len(interview.interviewers), "interviewer"))
    extra = f", {', '.join(details)}" if details else ""
    own = ""
    if interview.zone is not None and start.utcoffset() != interview.starts_at.utcoffset():
        own = f"; {moment(interview.starts_at)} there"
    return (
        f"{day(start)} {start:{TIME_FORMAT}}  {o.title} · {interview.name}"
        f"  ({relative(interview.starts_at, now)}{extra}{own})"
    )


def overview_text(view: Overview, zone: tzinfo | None = None) -> str:
    """The whole workbook: upcoming interviews, then each opportunity's open steps, then the
    pipeline; times in `zone` (else the zone `now` was given in)."""
    if not view.checklists:
        return "No opportunities yet. Add one with notebooks/01_interview.ipynb."
    zone = zone if zone is not None else view.now.tzinfo
    parts = []
    ahead = upcoming_interviews([c.opportunity for c in view.checklists], view.now)
    if ahead:
        lines = [f"   {interview_line(o, r, view.now, zone)}" for o, r in ahead]
        parts.append("\n".join([f"Upcoming interviews ({len(ahead)})", *lines]))
    parts.extend(checklist_text(c, view.now, zone=zone) for c in view.checklists)
    pipeline = view.keep_searching
    mark = "ok" if pipeline.state is State.DONE else "! "
    parts.append(f"{mark} {pipeline.title}: {pipeline.why}")
    return "\n\n".join(parts)


def status_header(root: object, now: datetime, zone: tzinfo | None = None) -> str:
    """The first lines of `followup status`: where, when, which zone the times are in, the marks."""
    zone = zone if zone is not None else now.tzinfo
    local = now.astimezone(zone)
    return (
        f"Workbook: {root}   now: {day(local)} {local:{TIME_FORMAT}}\n"
        f"Times are in {zone_label(zone, now)}.\n{legend()}"
    )
