"""The search as a whole, in numbers: the funnel, how long answers take, which way in works.

Pure: opportunities and `today` in, values out; no files, no printing. Waiting times are estimated
with Kaplan–Meier (lifelines), so an application still waiting counts for the days it has waited
without pretending it was answered (it is *censored* at today). Rates come with Wilson intervals
(scipy), and a group smaller than MIN_TO_COMPARE is said to be too small rather than ranked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from followup.core.model import Opportunity, Stage, StageChange
from followup.core.stages import (
    ANSWERS,
    DECISIONS,
    held_rounds,
    history,
    reached,
    round_day,
)

#: Below this many applications, a group's rate is "too few to compare".
MIN_TO_COMPARE = 5
#: The confidence of every interval shown (medians and rates).
CONFIDENCE = 0.95
#: The funnel's steps, in order; each application counts at every step up to its furthest.
FUNNEL_STEPS: tuple[str, ...] = ("applied", "first interview", "later rounds", "offer", "accepted")
#: What an application without a source is grouped under.
NO_SOURCE = "not recorded"
#: Stages after which nothing more happens: no time is spent "in" them.
FINAL_STAGES: frozenset[Stage] = frozenset(
    {Stage.ACCEPTED, Stage.DECLINED, Stage.REJECTED, Stage.WITHDRAWN, Stage.NO_RESPONSE}
)
#: The kinds of activity counted per week.
ACTIVITY_KINDS: tuple[str, ...] = ("applications", "rounds", "notes sent")


@dataclass(frozen=True)
class FunnelStep:
    """How many applications reached a step, and the share of the step before and of all."""

    step: str
    count: int
    from_previous: float | None
    from_applied: float | None


@dataclass(frozen=True)
class Duration:
    """A Kaplan–Meier estimate of a waiting time in days.

    `median` is None when the curve never reaches one half (fewer than half were answered yet:
    "not reached yet"); `lower`/`upper` are None where the interval is open.
    """

    name: str
    what: str
    applications: int
    answered: int
    waiting: int
    median: float | None
    lower: float | None
    upper: float | None
    left_out: int = 0
    timeline: list[tuple[float, float]] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return self.median is not None

    def median_text(self) -> str:
        """The median in words: days, 'not reached yet', or 'no applications to measure'."""
        if self.applications == 0:
            return "no applications to measure yet"
        if self.median is None:
            return "not reached yet (fewer than half answered so far)"
        return f"{_days(self.median)} days"

    def interval_text(self) -> str:
        if self.median is None:
            return ""
        low = _days(self.lower) if self.lower is not None else "?"
        high = _days(self.upper) if self.upper is not None else "not reached yet"
        return f"{int(CONFIDENCE * 100)}% interval {low} to {high}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "applications": self.applications,
            "answered": self.answered,
            "waiting": self.waiting,
            "left_out": self.left_out,
            "median": self.median,
            "interval": {"lower": self.lower, "upper": self.upper, "confidence": CONFIDENCE},
            "median_text": self.median_text(),
        }


@dataclass(frozen=True)
class SourceRate:
    """How often applications from one source reached a first interview."""

    source: str
    applications: int
    interviews: int
    rate: float | None
    lower: float | None
    upper: float | None

    @property
    def comparable(self) -> bool:
        return self.applications >= MIN_TO_COMPARE

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "applications": self.applications,
            "interviews": self.interviews,
            "rate": self.rate,
            "interval": {"lower": self.lower, "upper": self.upper, "confidence": CONFIDENCE},
            "comparable": self.comparable,
        }


@dataclass(frozen=True)
class StageDays:
    """Days spent in one stage: finished stays, and stays still going on at today."""

    stage: str
    finished: int
    median_finished: float | None
    ongoing: int
    median_ongoing: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "finished": self.finished,
            "median_days_finished": self.median_finished,
            "ongoing": self.ongoing,
            "median_days_so_far": self.median_ongoing,
        }


@dataclass
class SearchStats:
    """Everything `followup stats` shows, for the applications started since `since`."""

    today: date
    since: date | None
    applications: int
    funnel: list[FunnelStep]
    first_answer: Duration
    decision: Duration
    sources: list[SourceRate]
    activity: list[tuple[date, dict[str, int]]]
    stage_days: list[StageDays]
    left_out_by_since: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (see README: `followup stats`)."""
        return {
            "today": self.today.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "applications": self.applications,
            "funnel": {s.step: s.count for s in self.funnel},
            "conversion": {
                s.step: {"from_previous": s.from_previous, "from_applied": s.from_applied}
                for s in self.funnel
            },
            "durations": {
                "time_to_first_answer": self.first_answer.to_dict(),
                "time_from_last_interview_to_decision": self.decision.to_dict(),
            },
            "sources": [s.to_dict() for s in self.sources],
            "min_to_compare": MIN_TO_COMPARE,
            "activity": [{"week": w.isoformat(), **counts} for w, counts in self.activity],
            "stage_days": [s.to_dict() for s in self.stage_days],
        }


def _days(value: float) -> str:
    return f"{value:g}"


# Dates


def applied_day(opportunity: Opportunity) -> date | None:
    """The day the application went out: `applied_on`, else its history's applied stage."""
    if opportunity.applied_on is not None:
        return opportunity.applied_on
    return next((c.day for c in history(opportunity) if c.stage is Stage.APPLIED and c.day), None)


def start_day(opportunity: Opportunity) -> date | None:
    """The first day the application is known by (applied, else the first dated stage or round)."""
    days = [applied_day(opportunity), *(c.day for c in history(opportunity))]
    days += [round_day(r) for r in held_rounds(opportunity)]
    known = [d for d in days if d is not None]
    return min(known) if known else None


def dated(changes: Iterable[StageChange]) -> list[StageChange]:
    """The changes that have a day, by day (the order recorded kept within a day)."""
    return sorted((c for c in changes if c.day is not None), key=lambda c: c.day)


# The funnel


def furthest(opportunity: Opportunity) -> int:
    """The index in FUNNEL_STEPS of the furthest step the application reached."""
    if reached(opportunity, Stage.ACCEPTED):
        return 4
    if reached(opportunity, Stage.OFFER):
        return 3
    if len(held_rounds(opportunity)) >= 2:
        return 2
    if reached(opportunity, Stage.INTERVIEWING):
        return 1
    return 0


def funnel(opportunities: Sequence[Opportunity]) -> list[FunnelStep]:
    """Counts per step (each application at every step up to its furthest) and conversions."""
    levels = [furthest(o) for o in opportunities]
    counts = [sum(1 for level in levels if level >= i) for i in range(len(FUNNEL_STEPS))]
    steps = []
    for i, name in enumerate(FUNNEL_STEPS):
        previous = counts[i - 1] if i else None
        steps.append(
            FunnelStep(
                name,
                counts[i],
                counts[i] / previous if previous else None,
                counts[i] / counts[0] if i and counts[0] else None,
            )
        )
    return steps


# Waiting times


def first_answer_times(
    opportunities: Iterable[Opportunity], today: date
) -> tuple[list[float], list[bool], int]:
    """Days from applying to the first answer (an invitation, an offer or a no), whether it came.

    An application still waiting counts up to today and one withdrawn or marked 'no response'
    counts up to that day, both as not answered (censored). Returns (days, answered, left out):
    left out are applications with no day applied, or an answer with no day.
    """
    durations: list[float] = []
    observed: list[bool] = []
    left_out = 0
    for o in opportunities:
        start = applied_day(o)
        changes = history(o)
        if start is None:
            left_out += 1
            continue
        answer = _first(changes, ANSWERS, start)
        if answer is not None:
            durations.append(float((answer - start).days))
            observed.append(True)
            continue
        if any(c.stage in ANSWERS for c in changes):
            left_out += 1  # answered on a day not recorded
            continue
        end = _end_of_waiting(changes, today)
        if end is None or end < start:
            left_out += 1
            continue
        durations.append(float((end - start).days))
        observed.append(False)
    return durations, observed, left_out


def decision_times(
    opportunities: Iterable[Opportunity], today: date
) -> tuple[list[float], list[bool], int]:
    """Days from the last round held to the decision (an offer or a no), whether it came.

    Only applications whose rounds are all behind them count: one with a round still ahead is
    waiting for that round, not for a decision. Still waiting: censored at today; withdrawn or
    'no response': censored at that day. Returns (days, decided, left out).
    """
    durations: list[float] = []
    observed: list[bool] = []
    left_out = 0
    for o in opportunities:
        days = [round_day(r) for r in held_rounds(o)]
        if not days:
            continue
        if any(d is None for d in days):
            left_out += 1
            continue
        last = max(d for d in days if d is not None)
        changes = history(o)
        decision = _first(changes, DECISIONS, last)
        if decision is not None:
            durations.append(float((decision - last).days))
            observed.append(True)
            continue
        if any(c.stage in DECISIONS and c.day is None for c in changes):
            left_out += 1  # decided on a day not recorded
            continue
        if last > today:
            continue  # a round still ahead
        end = _end_of_waiting(changes, today)
        if end is None or end < last:
            left_out += 1
            continue
        durations.append(float((end - last).days))
        observed.append(False)
    return durations, observed, left_out


def _first(changes: list[StageChange], stages: frozenset[Stage], start: date) -> date | None:
    """The first day on or after `start` that the history reached one of `stages`."""
    days = [c.day for c in changes if c.stage in stages and c.day is not None and c.day >= start]
    return min(days) if days else None


def _end_of_waiting(changes: list[StageChange], today: date) -> date | None:
    """Where an unanswered wait stops being watched: the day it ended without an answer, or
    today while it goes on (None when it ended on a day not recorded)."""
    ended = next((c for c in changes if c.stage in (Stage.WITHDRAWN, Stage.NO_RESPONSE)), None)
    if ended is None:
        return today
    return ended.day


def kaplan_meier(
    name: str, what: str, durations: Sequence[float], observed: Sequence[bool], left_out: int = 0
) -> Duration:
    """The Kaplan–Meier median of `durations` (censored where not `observed`) and its interval."""
    answered = sum(1 for e in observed if e)
    if not durations:
        return Duration(name, what, 0, 0, 0, None, None, None, left_out)
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    fitter = KaplanMeierFitter(alpha=1 - CONFIDENCE)
    fitter.fit(list(durations), event_observed=list(observed))
    median = _finite(fitter.median_survival_time_)
    lower = upper = None
    if median is not None:
        interval = median_survival_times(fitter.confidence_interval_)
        lower = _finite(interval.iloc[0, 0])
        upper = _finite(interval.iloc[0, 1])
    curve = fitter.survival_function_.iloc[:, 0]
    timeline = [(float(t), float(s)) for t, s in curve.items()]
    return Duration(
        name,
        what,
        len(durations),
        answered,
        len(durations) - answered,
        median,
        lower,
        upper,
        left_out,
        timeline,
    )


def _finite(value: Any) -> float | None:
    number = float(value)
    return None if math.isinf(number) or math.isnan(number) else number


# Sources


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """The Wilson score interval of a proportion (scipy's), at CONFIDENCE."""
    from scipy.stats import binomtest

    interval = binomtest(successes, trials).proportion_ci(
        confidence_level=CONFIDENCE, method="wilson"
    )
    return float(interval.low), float(interval.high)


def by_source(opportunities: Sequence[Opportunity]) -> list[SourceRate]:
    """How often each source led to a first interview; rates only where MIN_TO_COMPARE is met."""
    groups: dict[str, list[Opportunity]] = {}
    for o in opportunities:
        groups.setdefault(o.source.value if o.source else NO_SOURCE, []).append(o)
    rates = []
    for source, group in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        interviews = sum(1 for o in group if furthest(o) >= 1)
        rate = lower = upper = None
        if len(group) >= MIN_TO_COMPARE:
            rate = interviews / len(group)
            lower, upper = wilson(interviews, len(group))
        rates.append(SourceRate(source, len(group), interviews, rate, lower, upper))
    return rates


# Activity and days in each stage


def week_of(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


def _notes_sent(o: Opportunity) -> list[date]:
    days = []
    for r in o.rounds:
        for person in r.interviewers:
            sent = person.thank_you.sent_at
            if sent is not None:
                days.append(sent.astimezone(r.zone).date() if r.zone else sent.date())
            if person.thank_you.card_sent_on is not None:
                days.append(person.thank_you.card_sent_on)
    extra = (
        o.timeline.checked_in_on if o.timeline else None,
        o.feedback.asked_on,
        o.other_roles.asked_on,
    )
    return days + [d for d in extra if d is not None]


def activity(opportunities: Sequence[Opportunity]) -> list[tuple[date, dict[str, int]]]:
    """Per week (from the first to the last with anything), the applications sent, rounds held
    and notes sent (thank-yous, cards, check-ins, feedback and other-roles requests)."""
    counts: dict[date, dict[str, int]] = {}

    def add(day: date | None, kind: str) -> None:
        if day is not None:
            week = counts.setdefault(week_of(day), dict.fromkeys(ACTIVITY_KINDS, 0))
            week[kind] += 1

    for o in opportunities:
        add(applied_day(o), "applications")
        for r in held_rounds(o):
            add(round_day(r), "rounds")
        for sent in _notes_sent(o):
            add(sent, "notes sent")
    if not counts:
        return []
    weeks, week = [], min(counts)
    while week <= max(counts):
        weeks.append((week, counts.get(week, dict.fromkeys(ACTIVITY_KINDS, 0))))
        week += timedelta(days=7)
    return weeks


def stage_days(opportunities: Iterable[Opportunity], today: date) -> list[StageDays]:
    """For each stage, the days between reaching it and reaching the next one (finished stays),
    and the days so far for applications still in it."""
    finished: dict[Stage, list[int]] = {}
    ongoing: dict[Stage, list[int]] = {}
    for o in opportunities:
        changes = dated(history(o))
        for here, following in pairwise(changes):
            finished.setdefault(here.stage, []).append((following.day - here.day).days)
        if changes and changes[-1].stage not in FINAL_STAGES and changes[-1].day <= today:
            ongoing.setdefault(changes[-1].stage, []).append((today - changes[-1].day).days)
    rows = []
    for stage in Stage:
        if stage in FINAL_STAGES:
            continue
        done, going = finished.get(stage, []), ongoing.get(stage, [])
        if done or going:
            rows.append(
                StageDays(stage.value, len(done), _median(done), len(going), _median(going))
            )
    return rows


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


# All of it


def compute(
    opportunities: Iterable[Opportunity], today: date, since: date | None = None
) -> SearchStats:
    """The search's numbers for the applications started on or after `since` (all without it)."""
    every = list(opportunities)
    chosen = every
    if since is not None:
        chosen = [o for o in every if (start_day(o) or date.min) >= since]
    answers = first_answer_times(chosen, today)
    decisions = decision_times(chosen, today)
    return SearchStats(
        today=today,
        since=since,
        applications=len(chosen),
        funnel=funnel(chosen),
        first_answer=kaplan_meier(
            "time_to_first_answer", "days from applying to the first answer", *answers
        ),
        decision=kaplan_meier(
            "time_from_last_interview_to_decision",
            "days from the last interview to the decision",
            *decisions,
        ),
        sources=by_source(chosen),
        activity=activity(chosen),
        stage_days=stage_days(chosen, today),
        left_out_by_since=len(every) - len(chosen),
    )
