"""8. Don't give up: after a no, ask the recruiter about similar roles."""

from __future__ import annotations

from typing import Any

from followup.steps.after_rejection import (
    calendar_entries,
    clear_day,
    dont_give_up,
    due_after_rejection,
    record_day,
    wanted,
)
from followup.steps.base import (
    Situation,
    State,
    Step,
    StepKind,
    StepType,
    declare_actions,
    fmt_day,
    state_for,
)
from followup.steps.entries import Entry

KIND = StepKind.OTHER_ROLES


class OtherRoles(StepType):
    kind = KIND
    number = 8
    label = "Ask about similar roles"
    draft_kinds = ("other-roles",)
    actions = declare_actions(
        done=record_day("other_roles", "asked_on"), undo=clear_day("other_roles", "asked_on")
    )

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        if not dont_give_up(opportunity):
            return []
        title = "Ask about similar roles"
        asked = opportunity.other_roles.asked_on
        if asked is not None:
            return [Step(KIND, title, State.DONE, f"Asked on {fmt_day(asked)}.")]
        due = due_after_rejection(opportunity, situation.zone)
        return [
            Step(
                KIND,
                title,
                state_for(due, situation.now) if due else State.TO_DO,
                "Don't cross them off: ask the recruiter whether a similar or better-suited role "
                "is open.",
                due=due,
            )
        ]

    def drafts(
        self, situation: Situation, steps: list[Step], drafter: Any, asked: str | None
    ) -> list[Any]:
        if not wanted(situation, steps, asked):
            return []
        sent_on = situation.opportunity.other_roles.asked_on
        return [drafter.to_recruiter("other-roles", sent_on=sent_on)]

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        return calendar_entries(situation, steps, KIND, "other-roles")


STEP = OtherRoles()
