"""2. Prepare for the next round: read its prep sheet and practise the answers to improve.

The step opens `PREP_WINDOW` before an upcoming round and stays open until it starts; before
that it only waits (and is not listed as a thing to do, so practice never nags when no round is
near). Its calendar entry is "Prepare for <round>" the evening before, at the reminders'
`prepare_evening_at`, with an alarm and the command that writes the sheet.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from followup.steps.base import Situation, State, Step, StepType, state_for
from followup.steps.entries import Entry, at, describe, entry


class PrepKind(StrEnum):
    """This step's kind, named as the built-in steps name theirs (`StepKind`)."""

    PREP = "prep"


KIND = PrepKind.PREP
#: How long before a round its preparation opens.
PREP_WINDOW = timedelta(days=3)
#: How long the evening's preparation is in the calendar.
PREP_SLOT = timedelta(hours=1)


def prep_command(opportunity_id: str, round_key: str) -> str:
    """The command that writes the round's prep sheet."""
    return f"followup prep {opportunity_id} --round {round_key}"


class Prep(StepType):
    kind = KIND
    number = 2
    label = "Prepare for the next round"

    def steps(self, situation: Situation) -> list[Step]:
        o, now = situation.opportunity, situation.now
        if o.status.ended:
            return []
        steps = []
        for interview in o.rounds:
            start = interview.starts_at
            if start is None or start <= now:
                continue
            title = f"Prepare for {interview.name}"
            command = prep_command(o.id, interview.key)
            if now < start - PREP_WINDOW:
                steps.append(
                    Step(
                        KIND,
                        title,
                        State.WAITING,
                        f"Opens {PREP_WINDOW.days} days before the round: then read its prep "
                        f"sheet ({command}).",
                        due=start - PREP_WINDOW,
                        round=interview.key,
                    )
                )
                continue
            steps.append(
                Step(
                    KIND,
                    title,
                    state_for(start, now),
                    f"Read the prep sheet ({command}) and practise the answers to improve "
                    "(followup practice).",
                    due=start,
                    round=interview.key,
                )
            )
        return steps

    def is_task(self, step: Step) -> bool:
        return step.state is not State.WAITING

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        o = situation.opportunity
        rounds = {r.key: r for r in o.rounds}
        evening = situation.policy.reminders.prepare_evening_at
        entries = []
        for step in steps:
            interview = rounds.get(step.round or "")
            if interview is None or interview.starts_at is None or not step.state.open:
                continue
            zone = interview.zone
            eve = interview.starts_at.astimezone(zone).date() - timedelta(days=1)
            start = at(eve, evening, zone)
            entries.append(
                entry(
                    o.id,
                    o.company,
                    o.link,
                    KIND,
                    f"Prepare for {interview.name}",
                    describe(
                        "Read the prep sheet and practise the answers to improve.",
                        f"Write the sheet with: {prep_command(o.id, interview.key)}",
                        "or open prep-" + interview.key + ".html in your reports folder "
                        "(followup report).",
                        "Practise with: followup practice",
                    ),
                    (start, start + PREP_SLOT),
                    round=interview.key,
                    alarm=start,
                )
            )
        return entries


STEP = Prep()
