"""8. Don't give up: join the company's talent community to hear of new openings."""

from __future__ import annotations

from typing import Any

from followup.steps.after_rejection import clear_day, dont_give_up, record_day, wanted
from followup.steps.base import Situation, State, Step, StepKind, StepType, declare_actions, fmt_day

KIND = StepKind.TALENT_COMMUNITY


class TalentCommunity(StepType):
    kind = KIND
    number = 8
    label = "Join their talent community"
    draft_kinds = ("talent-community",)
    actions = declare_actions(
        done=record_day("talent_community_joined_on"), undo=clear_day("talent_community_joined_on")
    )

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        if not dont_give_up(opportunity):
            return []
        title = "Join their talent community"
        joined = opportunity.talent_community_joined_on
        if joined is not None:
            return [Step(KIND, title, State.DONE, f"Joined on {fmt_day(joined)}.")]
        link = opportunity.talent_community_link
        where = (
            f"Sign up at {link} to hear of new openings."
            if link
            else "Ask the recruiter where to sign up for their talent community or job alerts."
        )
        return [Step(KIND, title, State.TO_DO, f"{where} Mark it joined once done.")]

    def drafts(
        self, situation: Situation, steps: list[Step], drafter: Any, asked: str | None
    ) -> list[Any]:
        opportunity = situation.opportunity
        if asked is None and opportunity.talent_community_link:
            return []  # the link is known: nothing to ask
        if not wanted(situation, steps, asked):
            return []
        sent_on = opportunity.talent_community_joined_on
        return [drafter.to_recruiter("talent-community", sent_on=sent_on)]


STEP = TalentCommunity()
