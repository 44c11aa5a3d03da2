"""The checklist's steps in order, and the one place a checklist is computed.

Every face (status, drafts, calendar, dashboard, forms, reports, the CLI) loops over `step_types()`
or asks `checklist`/`overview`; none branches on a step's kind. A new step is one module with a
`StepType` subclass, registered here (or by `register` from anywhere, as the tests' toy step is).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from followup.core.model import Opportunity
from followup.core.policy import DEFAULT_POLICY, Policy
from followup.steps import (
    card,
    debrief,
    feedback,
    keep_searching,
    linkedin,
    no_response,
    offer,
    other_roles,
    prep,
    reflection,
    research,
    talent_community,
    thank_you,
    timeline,
)
from followup.steps.base import (
    NUMBERS,
    OPEN_STATES,
    Checklist,
    Overview,
    Situation,
    Step,
    StepType,
    held_or_planned,
    require_aware,
)
from followup.steps.entries import Entry

_REGISTRY: dict[str, StepType] = {}


def register(step_type: StepType) -> StepType:
    """Add a step type at the end of the checklist (its `number` still orders ties)."""
    if not step_type.kind or step_type.number <= 0:
        raise ValueError(f"a step type needs a kind and a number, got {step_type!r}")
    if step_type.kind in _REGISTRY:
        raise ValueError(f"a step of kind {step_type.kind!r} is already registered")
    _REGISTRY[step_type.kind] = step_type
    NUMBERS[step_type.kind] = step_type.number
    return step_type


def unregister(kind: str) -> None:
    """Remove a step type (for tests and plug-ins that add one for a while)."""
    _REGISTRY.pop(kind, None)
    NUMBERS.pop(kind, None)


def step_types() -> list[StepType]:
    """Every registered step type, in the checklist's order."""
    return list(_REGISTRY.values())


def step_type(kind: str) -> StepType:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"no step of kind {kind!r}; known: {', '.join(_REGISTRY)}") from None


def draft_kinds() -> tuple[str, ...]:
    """Every kind of note some step drafts, in the checklist's order."""
    return tuple(k for t in step_types() for k in t.draft_kinds)


for _module_step in (
    thank_you.STEP,
    card.STEP,
    debrief.STEP,
    research.STEP,
    prep.STEP,
    reflection.REFLECTION,
    reflection.SALARY_RANGE,
    timeline.STEP,
    no_response.STEP,
    offer.DETAILS,
    offer.COUNTER,
    offer.ANSWER,
    linkedin.STEP,
    feedback.STEP,
    keep_searching.STEP,
    other_roles.STEP,
    talent_community.STEP,
):
    register(_module_step)


def _policy(
    policy: Policy | None, no_response_after: timedelta | None, min_active: int | None = None
) -> Policy:
    policy = policy or DEFAULT_POLICY
    changes: dict[str, Any] = {}
    if no_response_after is not None:
        changes["no_response_after"] = no_response_after
    if min_active is not None:
        changes["min_active"] = min_active
    return Policy(**{**policy.__dict__, **changes}) if changes else policy


def situation(
    opportunity: Opportunity, now: datetime, policy: Policy = DEFAULT_POLICY
) -> Situation:
    """One opportunity at `now` under `policy`, as the step types read it."""
    require_aware(now)
    # Compare in UTC: two times in the same zone would otherwise compare by wall clock.
    return Situation(held_or_planned(opportunity), now.astimezone(UTC), now.tzinfo, policy)


def _steps(current: Situation) -> list[Step]:
    return [step for t in _REGISTRY.values() for step in t.steps(current)]


def checklist(
    opportunity: Opportunity,
    now: datetime,
    policy: Policy | None = None,
    *,
    no_response_after: timedelta | None = None,
) -> Checklist:
    """Every step of the follow-up checklist for one opportunity, most urgent first."""
    policy = _policy(policy, no_response_after)
    current = situation(opportunity, now, policy)
    steps = _steps(current)
    steps.sort(key=Step.sort_key)
    return Checklist(opportunity, steps, now, policy, current)


def next_step(
    opportunity: Opportunity,
    now: datetime,
    policy: Policy | None = None,
    *,
    no_response_after: timedelta | None = None,
) -> Step | None:
    """The checklist's first open step (the most urgent), or None when nothing is open.

    The same step as `checklist(...).open_steps[0]`, without sorting the rest: a comparison of
    thousands of opportunities asks only this of each.
    """
    steps = _steps(situation(opportunity, now, _policy(policy, no_response_after)))
    return min((s for s in steps if s.state in OPEN_STATES), key=Step.sort_key, default=None)


def overview(
    opportunities: Iterable[Opportunity],
    now: datetime,
    policy: Policy | None = None,
    *,
    min_active: int | None = None,
    no_response_after: timedelta | None = None,
) -> Overview:
    """Checklists for every opportunity, most urgent first, and the workbook-wide step."""
    policy = _policy(policy, no_response_after, min_active)
    opportunities = list(opportunities)
    lists = sorted((checklist(o, now, policy) for o in opportunities), key=Checklist.sort_key)
    wide = [s for t in _REGISTRY.values() for s in t.workbook_steps(opportunities, policy)]
    return Overview(lists, wide[0], now, policy)


def _situation_of(checks: Checklist) -> Situation:
    if checks.situation is not None:
        return checks.situation
    if checks.now is None:
        raise ValueError("a checklist made without `now` has no drafts or calendar entries")
    return situation(checks.opportunity, checks.now, checks.policy)


def drafts(checks: Checklist, drafter: Any, asked: str | None = None) -> list[Any]:
    """The drafts every step wants for this checklist (only `asked`'s step when a kind is named)."""
    current = _situation_of(checks)
    found = []
    for t in _REGISTRY.values():
        if asked is not None and asked not in t.draft_kinds:
            continue
        found += t.drafts(current, checks.of_kind(t.kind), drafter, asked)
    return found


def calendar_entries(checks: Checklist) -> list[Entry]:
    """Every step's calendar entries for this checklist."""
    current = _situation_of(checks)
    return [e for t in _REGISTRY.values() for e in t.calendar(current, checks.of_kind(t.kind))]


def act(
    opportunity: Opportunity,
    kind: str,
    action: str,
    at: datetime,
    *,
    round: str | None = None,
    person: str | None = None,
) -> Opportunity:
    """Apply a step's action ('done' or 'undo') at `at`: a changed copy of the opportunity."""
    require_aware(at)
    declared = step_type(kind).actions
    if action not in declared:
        raise KeyError(f"the {kind} step has no {action!r} action; it has: {', '.join(declared)}")
    return declared[action](opportunity, at, round=round, person=person)
