"""2. Debrief each round while it is fresh: how each answer landed, what to improve."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from followup.core.model import Interview
from followup.steps.base import (
    Situation,
    State,
    Step,
    StepKind,
    StepType,
    end_of_day,
    local,
    past_rounds,
    state_for,
)
from followup.steps.entries import Entry, describe, entry, span

KIND = StepKind.DEBRIEF
#: A debrief is due by the end of the day the round ended, and never sooner than this after it.
DEBRIEF_GRACE = timedelta(hours=4)


def debrief_due(interview: Interview) -> datetime | None:
    """End of the day the round ended (round's zone), but at least DEBRIEF_GRACE after it."""
    end = interview.ends_at
    if end is None:
        return None
    local_end = local(end, interview.zone)
    grace = (end.astimezone(UTC) + DEBRIEF_GRACE).astimezone(interview.zone)
    return max(end_of_day(local_end.date(), interview.zone), grace)


class Debrief(StepType):
    kind = KIND
    number = 2
    label = "Debrief"

    def steps(self, situation: Situation) -> list[Step]:
        steps = []
        for interview in past_rounds(situation.opportunity, situation.now):
            title = f"Debrief {interview.name}"
            if interview.debrief.is_recorded():
                steps.append(Step(KIND, title, State.DONE, "Recorded.", round=interview.key))
                continue
            due = debrief_due(interview)
            steps.append(
                Step(
                    KIND,
                    title,
                    state_for(due, situation.now),
                    "Note how each answer landed, which examples worked and what to improve, "
                    "while it is fresh.",
                    due=due,
                    round=interview.key,
                )
            )
        return steps

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        o = situation.opportunity
        rounds = {r.key: r for r in o.rounds}
        entries = []
        for step in steps:
            interview = rounds.get(step.round or "")
            due = step.due or (debrief_due(interview) if interview else None)
            if due is not None:
                entries.append(
                    entry(
                        o.id,
                        o.company,
                        o.link,
                        KIND,
                        step.title,
                        describe(step.why),
                        span(due),
                        done=step.state is State.DONE,
                        round=step.round,
                    )
                )
        return entries


STEP = Debrief()
