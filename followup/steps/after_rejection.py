"""What the steps after a no share: when they apply, and by when they are due.

A no, and a no said by silence ('no response'), open the don't-give-up steps: ask for feedback
(after a rejection only), ask about similar roles, join the talent community.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from followup.core.model import Opportunity, Status
from followup.steps.base import Action, Situation, State, Step, end_of_day, require_aware
from followup.steps.entries import Entry, describe, drafts_hint, entry, span

#: Ask for feedback, and about other roles, within this long of a rejection.
AFTER_REJECTION_WINDOW = timedelta(days=7)
#: The outcomes after which the don't-give-up steps apply: a no, and a no said by silence.
DONT_GIVE_UP_STATUSES: frozenset[Status] = frozenset({Status.REJECTED, Status.NO_RESPONSE})


def _home_zone(opportunity: Opportunity, fallback: tzinfo | None) -> tzinfo | None:
    """The zone of the latest dated round, else the fallback (the zone `now` was given in)."""
    dated = [r for r in opportunity.rounds if r.starts_at is not None]
    return max(dated, key=lambda r: r.starts_at).zone if dated else fallback


def due_after_rejection(opportunity: Opportunity, zone: tzinfo | None) -> datetime | None:
    """The end of the window after the decision, in the zone of the latest round."""
    if opportunity.outcome_on is None:
        return None
    return end_of_day(
        opportunity.outcome_on + AFTER_REJECTION_WINDOW, _home_zone(opportunity, zone)
    )


def after_rejection_due(opportunity: Opportunity, now: datetime) -> datetime | None:
    """When the feedback request and the other-roles inquiry are due after a decision."""
    require_aware(now)
    return due_after_rejection(opportunity, now.tzinfo)


def dont_give_up(opportunity: Opportunity) -> bool:
    return opportunity.status in DONT_GIVE_UP_STATUSES


def _setter(path: tuple[str, ...], record: bool) -> Action:
    def act(
        opportunity: Opportunity,
        at: datetime,
        *,
        round: str | None = None,
        person: str | None = None,
    ) -> Opportunity:
        changed = opportunity.model_copy(deep=True)
        target: Any = changed
        for name in path[:-1]:
            target = getattr(target, name)
        setattr(target, path[-1], at.date() if record else None)
        return changed

    return act


def record_day(*path: str) -> Action:
    """An action recording the day of the action at `path` (e.g. 'feedback', 'asked_on')."""
    return _setter(path, True)


def clear_day(*path: str) -> Action:
    """The undo of `record_day(*path)`."""
    return _setter(path, False)


def wanted(situation: Situation, steps: list[Step], asked: str | None) -> bool:
    """Whether a don't-give-up note is drafted: asked for by name, or while its step is open."""
    if not dont_give_up(situation.opportunity):
        return False
    return asked is not None or any(s.state.actionable for s in steps)


def calendar_entries(
    situation: Situation, steps: list[Step], kind: str, draft_kind: str
) -> list[Entry]:
    o = situation.opportunity
    entries = []
    for step in steps:
        done = step.state in (State.DONE, State.WAITING)
        due = step.due or due_after_rejection(o, situation.zone)
        if due is not None:
            extra = "" if done else drafts_hint(o.id, draft_kind)
            description = describe(step.why, extra)
            entries.append(
                entry(o.id, o.company, o.link, kind, step.title, description, span(due), done=done)
            )
    return entries
