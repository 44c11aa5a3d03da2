"""1. The handwritten card: optional, the extra mile beside the email; listed once chosen."""

from __future__ import annotations

from datetime import datetime

from followup.core.model import Channel, Opportunity
from followup.steps.base import Situation, State, Step, StepKind, StepType, declare_actions, fmt_day
from followup.steps.thank_you import _find, card_sent

KIND = StepKind.CARD


def mark_mailed(
    opportunity: Opportunity, at: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """A handwritten card to `person` recorded as mailed on the day of `at` (round's zone)."""
    changed = opportunity.model_copy(deep=True)
    target = _find(changed, round, person)
    zone = next(r for r in changed.rounds if target in r.interviewers).zone
    target.thank_you.card_sent_on = (at.astimezone(zone) if zone else at).date()
    return changed


def unmark_mailed(
    opportunity: Opportunity, at: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """The card to `person` was not mailed after all (also for files that record a card as the
    note's channel)."""
    changed = opportunity.model_copy(deep=True)
    thank_you = _find(changed, round, person).thank_you
    thank_you.card_sent_on = None
    if thank_you.channel is Channel.CARD:
        thank_you.channel, thank_you.sent_at = Channel.EMAIL, None
    return changed


class Card(StepType):
    kind = KIND
    number = 1
    label = "Handwritten card"
    actions = declare_actions(done=mark_mailed, undo=unmark_mailed)

    def steps(self, situation: Situation) -> list[Step]:
        opportunity, now = situation.opportunity, situation.now
        ended = opportunity.status.ended
        steps = []
        for interview in opportunity.rounds:
            if interview.starts_at is None or interview.starts_at > now:
                continue
            if not interview.interviewers:
                continue
            for person in interview.interviewers:
                card = card_sent(person)
                if card is None and (person.thank_you.channel is not Channel.CARD or ended):
                    continue
                title = f"Handwritten card to {person.name} (optional)"
                where = {"round": interview.key, "person": person.name}
                if card is not None:
                    steps.append(
                        Step(KIND, title, State.DONE, f"Mailed on {fmt_day(card)}.", **where)
                    )
                else:
                    steps.append(
                        Step(
                            KIND,
                            title,
                            State.TO_DO,
                            "The extra mile beside the email, not instead of it: mark it mailed "
                            "once it is posted.",
                            **where,
                        )
                    )
        return steps


STEP = Card()
