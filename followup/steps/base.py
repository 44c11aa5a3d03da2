"""What every step of the checklist is made of: its state, the step itself, and a step type.

A step type (`StepType`) declares one step of the checklist once: when it applies, its state and
due time, its drafts, its calendar entries, the actions a person takes on it, and how it reads in
a report. `followup.steps.registry` holds them in order; every face loops over the registry.
Pure: no files, no widgets, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from followup.core import formats
from followup.core.model import Interview, Opportunity
from followup.core.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    from followup.steps.entries import Entry

#: A step whose due time is this close counts as "due soon".
DUE_SOON = timedelta(hours=12)


class State(StrEnum):
    """Where one step stands, from most to least urgent."""

    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    TO_DO = "to do"
    WAITING = "waiting"
    BLOCKED = "blocked"
    DONE = "done"
    NOT_APPLICABLE = "not applicable"

    @property
    def rank(self) -> int:
        return _STATE_RANK[self]

    @property
    def open(self) -> bool:
        """True when the step still asks something of the person (or of time)."""
        return self in OPEN_STATES

    @property
    def actionable(self) -> bool:
        return self in _ACTIONABLE_STATES


# Looked up for every step of every checklist, so worked out once.
_STATE_RANK: dict[State, int] = {state: rank for rank, state in enumerate(State)}
OPEN_STATES = frozenset((State.OVERDUE, State.DUE_SOON, State.TO_DO, State.WAITING, State.BLOCKED))
_ACTIONABLE_STATES = frozenset((State.OVERDUE, State.DUE_SOON, State.TO_DO))


class StepKind(StrEnum):
    """The built-in steps' kinds, named as the checklist names them. A step's `kind` is a str:
    a step type registered from elsewhere names its own."""

    THANK_YOU = "thank_you"
    CARD = "card"
    DEBRIEF = "debrief"
    RESEARCH = "research"
    REFLECTION = "reflection"
    SALARY_RANGE = "salary_range"
    TIMELINE = "timeline"
    NO_RESPONSE = "no_response"
    LINKEDIN = "linkedin"
    FEEDBACK = "feedback"
    KEEP_SEARCHING = "keep_searching"
    OTHER_ROLES = "other_roles"
    TALENT_COMMUNITY = "talent_community"


#: The checklist's number (1 thank-you … 8 don't give up) of each registered kind of step;
#: `registry.register` fills it.
NUMBERS: dict[str, int] = {}


class Step(NamedTuple):
    """One thing to do (or wait for), with a plain-language line saying why.

    A named tuple rather than a frozen dataclass: just as unchangeable, and a comparison of
    thousands of opportunities makes tens of thousands of steps, about three times faster so.
    """

    kind: str
    title: str
    state: State
    why: str
    due: datetime | None = None
    round: str | None = None
    person: str | None = None

    @property
    def number(self) -> int:
        return NUMBERS[self.kind]

    def sort_key(self) -> tuple:
        # Asked of every open step of every opportunity a comparison ranks: the tables directly.
        due = self.due.timestamp() if self.due else math.inf
        return (_STATE_RANK[self.state], due, NUMBERS[self.kind])

    def to_dict(self) -> dict:
        return {
            "kind": str(self.kind),
            "number": self.number,
            "title": self.title,
            "state": self.state.value,
            "due": self.due.isoformat() if self.due else None,
            "why": self.why,
            "round": self.round,
            "person": self.person,
        }


@dataclass(frozen=True)
class Checklist:
    """All steps of one opportunity, most urgent first, as computed for one `now` and policy."""

    opportunity: Opportunity
    steps: list[Step] = field(default_factory=list)
    now: datetime | None = None
    policy: Policy = DEFAULT_POLICY
    #: What the step types read to make these steps; their drafts and entries read it again.
    situation: Situation | None = field(default=None, compare=False, repr=False)

    @property
    def open_steps(self) -> list[Step]:
        return [s for s in self.steps if s.state.open]

    def of_kind(self, kind: str) -> list[Step]:
        return [s for s in self.steps if s.kind == kind]

    def sort_key(self) -> tuple:
        first = self.open_steps[0] if self.open_steps else None
        return (first.sort_key() if first else (len(State), float("inf"), 0), self.opportunity.id)


@dataclass(frozen=True)
class Overview:
    """The whole workbook's checklists, most urgent opportunity first, and the pipeline warning."""

    checklists: list[Checklist]
    keep_searching: Step
    now: datetime
    policy: Policy = DEFAULT_POLICY

    def to_dict(self) -> dict:
        return {
            "now": self.now.isoformat(),
            "keep_searching": self.keep_searching.to_dict(),
            "opportunities": [
                {
                    "id": c.opportunity.id,
                    "company": c.opportunity.company,
                    "role": c.opportunity.role,
                    "status": c.opportunity.status.value,
                    "next": [s.to_dict() for s in c.open_steps],
                    "steps": [s.to_dict() for s in c.steps],
                }
                for c in self.checklists
            ],
        }


@dataclass(frozen=True)
class Situation:
    """What a step type reads to decide its steps: one opportunity at one moment, under a policy.

    `opportunity` is without its cancelled rounds (a round called off asks nothing of anyone);
    `now` is in UTC, so two times compare as instants; `zone` is the zone `now` was given in.
    """

    opportunity: Opportunity
    now: datetime
    zone: tzinfo | None
    policy: Policy
    #: What one step type worked out that another reads too (the timeline and 'no response').
    memo: dict[str, Any] = field(default_factory=dict, compare=False)


#: What an action does: the opportunity, the moment of the action and where (round, person) in;
#: the changed opportunity out (a copy: the one given is never changed).
Action = Callable[..., Opportunity]


def declare_actions(**actions: Action) -> Mapping[str, Action]:
    """A step type's actions by name ('done', 'undo'), fixed once declared."""
    return MappingProxyType(actions)


class StepType:
    """One step of the checklist, declared once; subclasses override what applies to them.

    `kind` names it (`thank_you`), `number` is its place in the checklist (1–8), `draft_kinds` the
    kinds of note it drafts (`thank-you`), `actions` maps 'done' and 'undo' to pure functions.
    """

    kind: ClassVar[str] = ""
    number: ClassVar[int] = 0
    label: ClassVar[str] = ""
    draft_kinds: ClassVar[tuple[str, ...]] = ()
    actions: ClassVar[Mapping[str, Action]] = {}

    def steps(self, situation: Situation) -> list[Step]:
        """This step's entries in one opportunity's checklist (none when it does not apply)."""
        return []

    def workbook_steps(self, opportunities: list[Opportunity], policy: Policy) -> list[Step]:
        """Steps about the whole search rather than one opportunity (keep searching)."""
        return []

    def drafts(
        self, situation: Situation, steps: list[Step], drafter: Any, asked: str | None
    ) -> list[Any]:
        """The notes this step drafts now. `asked` is a draft kind the person asked for by name
        (then a note is drafted even when the step is done); `drafter` renders them."""
        return []

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        """This step's calendar entries, with alarms as the policy's reminders say."""
        return []

    def is_task(self, step: Step) -> bool:
        """Whether a list of things to do shows this open step (a step that only waits for the
        process to end, as LinkedIn does, is not a task)."""
        return True

    def report_line(self, step: Step, zone: tzinfo | None) -> str:
        """What one of its steps says in a report's checklist, beside its title (`zone` is the
        person's, for any time it names)."""
        return step.why


def state_for(due: datetime, now: datetime) -> State:
    """Overdue once past `due`, due soon within DUE_SOON of it, else to do."""
    remaining = due.astimezone(UTC) - now.astimezone(UTC)
    if remaining < timedelta(0):
        return State.OVERDUE
    if remaining <= DUE_SOON:
        return State.DUE_SOON
    return State.TO_DO


def require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")


def end_of_day(day: date, zone: tzinfo | None) -> datetime:
    """Midnight at the end of `day` in `zone` (the first instant of the next day)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def local(moment: datetime, zone: tzinfo | None) -> datetime:
    return moment.astimezone(zone) if zone else moment


def fmt_day(day: date) -> str:
    return formats.day(day)


def past_rounds(opportunity: Opportunity, now: datetime) -> list[Interview]:
    return [r for r in opportunity.rounds if r.starts_at is not None and r.starts_at <= now]


def next_round(opportunity: Opportunity, now: datetime) -> Interview | None:
    upcoming = [r for r in opportunity.rounds if r.starts_at is not None and r.starts_at > now]
    return min(upcoming, key=lambda r: r.starts_at) if upcoming else None


def held_or_planned(opportunity: Opportunity) -> Opportunity:
    """The opportunity without its cancelled rounds: a round called off asks nothing of anyone."""
    if not any(r.cancelled for r in opportunity.rounds):
        return opportunity
    rounds = [r for r in opportunity.rounds if not r.cancelled]
    return opportunity.model_copy(update={"rounds": rounds})


def upcoming_interviews(
    opportunities: Iterable[Opportunity], now: datetime, within: timedelta | None = None
) -> list[tuple[Opportunity, Interview]]:
    """Rounds still to come (not cancelled), soonest first; only those within `within` if given."""
    require_aware(now)
    found = [
        (o, r)
        for o in opportunities
        for r in held_or_planned(o).rounds
        if r.starts_at is not None
        and r.starts_at > now
        and (within is None or r.starts_at <= now + within)
    ]
    return sorted(found, key=lambda pair: (pair[1].starts_at.astimezone(UTC), pair[0].id))
