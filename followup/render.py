"""Plain-text views of the checklist for terminals and notebooks: readable at a glance."""

from __future__ import annotations

from datetime import datetime, timedelta

from followup.rules import Checklist, Overview, State, Step

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


def when(due: datetime, now: datetime) -> str:
    """A due time in its own zone, with how far away it is."""
    if (due.hour, due.minute, due.second) == (0, 0, 0):
        return f"end of {due - timedelta(days=1):%a %d %b} ({relative(due, now)})"
    zone = f" {due.tzname()}" if due.tzname() else ""
    return f"{due:%a %d %b %H:%M}{zone} ({relative(due, now)})"


def step_line(step: Step, now: datetime) -> str:
    due = f"  due {when(step.due, now)}" if step.due and step.state.actionable else ""
    until = f"  until {when(step.due, now)}" if step.due and step.state is State.WAITING else ""
    return f"{MARKS[step.state]} {step.title} [{step.state.value}]{due}{until}\n     {step.why}"


def checklist_text(checklist: Checklist, now: datetime, *, all_steps: bool = False) -> str:
    o = checklist.opportunity
    head = f"{o.title}  ({o.id}, {o.status.value})"
    steps = checklist.steps if all_steps else checklist.open_steps
    if not steps:
        return f"{head}\n   Nothing to do right now."
    return "\n".join([head, *("   " + step_line(s, now).replace("\n", "\n   ") for s in steps)])


def overview_text(view: Overview) -> str:
    if not view.checklists:
        return "No opportunities yet. Add one with notebooks/01_interview.ipynb."
    parts = [checklist_text(c, view.now) for c in view.checklists]
    pipeline = view.keep_searching
    mark = "ok" if pipeline.state is State.DONE else "! "
    parts.append(f"{mark} {pipeline.title}: {pipeline.why}")
    return "\n\n".join(parts)
