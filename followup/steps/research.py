"""2. Research the topics the debrief named, before the next round."""

from __future__ import annotations

from datetime import datetime, timedelta

from followup.core.model import Opportunity
from followup.steps.base import (
    Situation,
    State,
    Step,
    StepKind,
    StepType,
    declare_actions,
    next_round,
    state_for,
)
from followup.steps.entries import Entry, at, describe, entry, span

KIND = StepKind.RESEARCH


def mark_done(
    opportunity: Opportunity, at_: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """Every research topic (of `round`, when given) marked covered."""
    changed = opportunity.model_copy(deep=True)
    for interview in changed.rounds:
        if round in (None, interview.key, interview.name):
            for topic in interview.debrief.research:
                topic.done = True
    return changed


def unmark_done(
    opportunity: Opportunity, at_: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """Every research topic (of `round`, when given) open again."""
    changed = opportunity.model_copy(deep=True)
    for interview in changed.rounds:
        if round in (None, interview.key, interview.name):
            for topic in interview.debrief.research:
                topic.done = False
    return changed


class Research(StepType):
    kind = KIND
    number = 2
    label = "Research topics"
    actions = declare_actions(done=mark_done, undo=unmark_done)

    def steps(self, situation: Situation) -> list[Step]:
        opportunity, now = situation.opportunity, situation.now
        topics = [t for r in opportunity.rounds for t in r.debrief.research]
        if not topics:
            return []
        title = "Research topics"
        still_open = [t.topic for t in topics if not t.done]
        if not still_open:
            return [Step(KIND, title, State.DONE, "All topics covered.")]
        if opportunity.status.ended:
            return [
                Step(
                    KIND,
                    title,
                    State.NOT_APPLICABLE,
                    "The process has ended; keep the notes for your next interview.",
                )
            ]
        listing = "; ".join(still_open)
        upcoming = next_round(opportunity, now)
        if upcoming is not None:
            return [
                Step(
                    KIND,
                    title,
                    state_for(upcoming.starts_at, now),
                    f"Before {upcoming.name}: {listing}.",
                    due=upcoming.starts_at,
                    round=upcoming.key,
                )
            ]
        return [Step(KIND, title, State.TO_DO, f"Before the next round: {listing}.")]

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        o = situation.opportunity
        rounds = {r.key: r for r in o.rounds}
        entries = []
        for step in steps:
            if step.due is not None and step.state.open:
                zone = rounds[step.round].zone if step.round in rounds else step.due.tzinfo
                eve = step.due.astimezone(zone).date() - timedelta(days=1)
                evening = situation.policy.reminders.research_evening_at
                entries.append(
                    entry(
                        o.id,
                        o.company,
                        o.link,
                        KIND,
                        step.title,
                        describe(step.why),
                        span(step.due),
                        alarm=at(eve, evening, zone),
                    )
                )
        return entries


STEP = Research()
