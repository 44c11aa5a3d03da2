"""5. Connect on LinkedIn, but only once the hiring process has ended."""

from __future__ import annotations

from datetime import datetime

from followup.core.errors import UsageError
from followup.core.model import Opportunity
from followup.steps.base import Situation, State, Step, StepKind, StepType, declare_actions
from followup.steps.entries import Entry, describe, entry, whole_day

KIND = StepKind.LINKEDIN


def _set(opportunity: Opportunity, person: str | None, value: object) -> Opportunity:
    changed = opportunity.model_copy(deep=True)
    for interview in changed.rounds:
        for candidate in interview.interviewers:
            if person is None or candidate.name == person:
                candidate.linkedin_connected_on = value  # type: ignore[assignment]
    return changed


def mark_connected(
    opportunity: Opportunity, at: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """A LinkedIn connection with `person` (everyone met, when None) recorded on `at`'s day;
    refused while the process is open."""
    if not opportunity.status.ended:
        raise UsageError("connect on LinkedIn only once the process has ended")
    return _set(opportunity, person, at.date())


def unmark_connected(
    opportunity: Opportunity, at: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """The connection with `person` (everyone, when None) was not made after all."""
    return _set(opportunity, person, None)


class LinkedIn(StepType):
    kind = KIND
    number = 5
    label = "Connect on LinkedIn"
    actions = declare_actions(done=mark_connected, undo=unmark_connected)

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        title = "Connect on LinkedIn"
        if not any(r.interviewers for r in opportunity.rounds):
            return []
        if not opportunity.status.ended:
            return [
                Step(
                    KIND,
                    title,
                    State.BLOCKED,
                    "Not yet: wait until the process has ended (reading their profiles is fine).",
                )
            ]
        pending = [p.name for p in opportunity.interviewers() if p.linkedin_connected_on is None]
        if not pending:
            return [Step(KIND, title, State.DONE, "Connected.")]
        return [
            Step(
                KIND,
                title,
                State.TO_DO,
                f"The process has ended; you can now connect with {', '.join(pending)}.",
            )
        ]

    def is_task(self, step: Step) -> bool:
        return step.state is not State.BLOCKED

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        o = situation.opportunity
        if not o.status.ended or o.outcome_on is None:
            return []
        return [
            entry(
                o.id,
                o.company,
                o.link,
                KIND,
                step.title,
                describe(step.why),
                whole_day(o.outcome_on),
                done=step.state is State.DONE,
            )
            for step in steps
        ]


STEP = LinkedIn()
