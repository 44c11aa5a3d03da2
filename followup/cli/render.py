"""Plain-text views of the checklist for terminals and notebooks: readable at a glance.

Every time is shown in the person's own zone, named once in the header rather than on each line;
upcoming interviews come first; a legend says what each mark means.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from followup.core import formats
from followup.core.formats import TIME_FORMAT, day, plural, relative, zone_label
from followup.core.model import Interview, Opportunity
from followup.steps import Checklist, Overview, State, Step, step_type, upcoming_interviews

MARKS: dict[State, str] = {
    State.OVERDUE: "!!",
    State.DUE_SOON: "! ",
    State.TO_DO: "- ",
    State.WAITING: "..",
    State.BLOCKED: "x ",
    State.DONE: "ok",
    State.NOT_APPLICABLE: "  ",
}


def when(due: datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """A due time in `zone` with how far away it is (see `formats.when`)."""
    return formats.when(due, zone, now)


def legend() -> str:
    """What each mark before a step means."""
    shown = [State.OVERDUE, State.DUE_SOON, State.TO_DO, State.WAITING, State.BLOCKED, State.DONE]
    return "Marks: " + "  ".join(f"{MARKS[s].strip()} {s.value}" for s in shown)


def _shown(step: Step) -> bool:
    """Whether the step is a task to list (LinkedIn, while it must wait, is not)."""
    return step_type(step.kind).is_task(step)


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


def interview_line(o: Opportunity, interview: Interview, now: datetime, zone: tzinfo | None) -> str:
    details = [interview.format.value] if interview.format else []
    if interview.interviewers:
        details.append(plural(len(interview.interviewers), "interviewer"))
    extra = f", {', '.join(details)}" if details else ""
    return (
        f"{formats.when(interview.starts_at, zone)}  {o.title} · {interview.name}"
        f"  ({relative(interview.starts_at, now)}{extra})"
    )


def overview_text(view: Overview, zone: tzinfo | None = None) -> str:
    """The whole workbook: upcoming interviews, then each opportunity's open steps, then the
    pipeline; times in `zone` (else the zone `now` was given in)."""
    if not view.checklists:
        return (
            "No opportunities yet. Record one with 'followup app' (Record an interview), or "
            "notebooks/01_interview.ipynb in JupyterLab."
        )
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
