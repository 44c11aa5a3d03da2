"""An application's stage history: applied, interviewing, offer, then how it ended, each dated.

Pure: opportunities and dates in, values out; no files, no clock. Files written before the history
existed have none recorded: `history` derives one from what they do record (the day applied, the
rounds, the status and the day the decision came), and nothing is written back until a save
changes the stage (`sync`, which the store calls on every save).
"""

from __future__ import annotations

from datetime import date

from followup.core.model import Interview, Opportunity, Stage, StageChange, Status

#: The stage each status stands for (`active` is applied or interviewing: see `current_stage`).
STAGE_OF_STATUS: dict[Status, Stage] = {
    Status.OFFER: Stage.OFFER,
    Status.ACCEPTED: Stage.ACCEPTED,
    Status.DECLINED: Stage.DECLINED,
    Status.REJECTED: Stage.REJECTED,
    Status.WITHDRAWN: Stage.WITHDRAWN,
    Status.NO_RESPONSE: Stage.NO_RESPONSE,
}

#: Stages that mean the employer answered an application (an invitation, an offer or a no).
ANSWERS: frozenset[Stage] = frozenset(
    {Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.DECLINED, Stage.REJECTED}
)
#: Stages that are the employer's decision after the interviews.
DECISIONS: frozenset[Stage] = frozenset(
    {Stage.OFFER, Stage.ACCEPTED, Stage.DECLINED, Stage.REJECTED}
)


def held_rounds(opportunity: Opportunity) -> list[Interview]:
    """The rounds that were not called off, in the order recorded."""
    return [r for r in opportunity.rounds if not r.cancelled]


def round_day(interview: Interview) -> date | None:
    """The day a round starts, in its own time zone (None when no time is recorded)."""
    return interview.starts_at.date() if interview.starts_at is not None else None


def first_round_day(opportunity: Opportunity) -> date | None:
    days = [d for d in map(round_day, held_rounds(opportunity)) if d is not None]
    return min(days) if days else None


def derive(opportunity: Opportunity) -> list[StageChange]:
    """The history an opportunity's other fields imply, for files written before it was kept."""
    found: list[StageChange] = []
    if opportunity.applied_on is not None:
        found.append(StageChange(stage=Stage.APPLIED, day=opportunity.applied_on))
    if held_rounds(opportunity):
        found.append(StageChange(stage=Stage.INTERVIEWING, day=first_round_day(opportunity)))
    stage = STAGE_OF_STATUS.get(opportunity.status)
    if stage is Stage.ACCEPTED:
        found.append(StageChange(stage=Stage.OFFER, day=None))  # an accepted offer was an offer
    if stage is not None:
        found.append(StageChange(stage=stage, day=opportunity.outcome_on))
    return found


def history(opportunity: Opportunity) -> list[StageChange]:
    """The recorded history, else the one derived from the other fields."""
    return list(opportunity.stages) if opportunity.stages else derive(opportunity)


def current_stage(opportunity: Opportunity) -> Stage | None:
    """The stage the status and rounds say the application is at (None: not applied yet).

    An active application is interviewing once it has a round, or once its history says so (an
    import of a row marked Interviewing has no rounds yet); else it is applied when it has a day
    applied or any history at all.
    """
    stage = STAGE_OF_STATUS.get(opportunity.status)
    if stage is not None:
        return stage
    past = history(opportunity)
    if held_rounds(opportunity) or any(c.stage is Stage.INTERVIEWING for c in past):
        return Stage.INTERVIEWING
    if opportunity.applied_on is not None or past:
        return Stage.APPLIED
    return None


def record_stage(opportunity: Opportunity, stage: Stage, on: date | None) -> Opportunity:
    """A copy with `stage` added to its history on `on` (the derived history kept before it);
    the same opportunity when its history already ends at that stage."""
    past = history(opportunity)
    if past and past[-1].stage is stage:
        return opportunity
    changed = [*past, StageChange(stage=stage, day=on)]
    return opportunity.model_copy(update={"stages": changed})


def sync(before: Opportunity | None, after: Opportunity, today: date) -> Opportunity:
    """`after` with its stage change recorded, when its stage differs from `before`'s history.

    The day is the one the change itself names where it says one: the decision day when it was
    just written, the first round's day when that is already past; else `today`.
    A new opportunity (no `before`) keeps the history its fields imply without writing it.
    """
    if before is None:
        return after
    stage = current_stage(after)
    if stage is None:
        return after
    past = list(after.stages) if after.stages else history(before)
    if past and past[-1].stage is stage:
        return after
    on = today
    if stage is Stage.INTERVIEWING:
        first = first_round_day(after)
        on = min(first, today) if first is not None else today
    elif stage is Stage.APPLIED and after.applied_on is not None:
        on = after.applied_on
    elif after.outcome_on is not None and after.outcome_on != before.outcome_on:
        on = after.outcome_on
    changed = [*past, StageChange(stage=stage, day=on)]
    return after.model_copy(update={"stages": changed})


def reached(opportunity: Opportunity, stage: Stage) -> bool:
    """Whether the application ever reached `stage` (an offer accepted reached the offer), by
    its history or by where its status stands now (a file edited by hand may say only that)."""
    seen = {c.stage for c in history(opportunity)}
    now = current_stage(opportunity)
    if now is not None:
        seen.add(now)
    if stage in seen:
        return True
    if stage is Stage.INTERVIEWING:
        return bool(held_rounds(opportunity)) or bool(seen & {Stage.OFFER, Stage.ACCEPTED})
    if stage is Stage.OFFER:
        return Stage.ACCEPTED in seen
    return False
