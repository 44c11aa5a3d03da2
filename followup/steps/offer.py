"""The offer: write it down, counter it when it is below your target, answer it by their date.

Three steps while an offer is open (status `offer`): record the offer's details; a counter-offer
while its base is below your own target (drafted only from your record); and the answer, due by
the offer's `answer_by`, with calendar alarms two days before and that morning.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from followup.core import formats
from followup.core.errors import NotFound
from followup.core.model import Offer, Opportunity, Period, SalaryRange, Status
from followup.steps.base import (
    Situation,
    State,
    Step,
    StepType,
    declare_actions,
    end_of_day,
    fmt_day,
    state_for,
)
from followup.steps.entries import Entry, at, describe, drafts_hint, entry, whole_day


class OfferStepKind(StrEnum):
    """The offer's steps, named as the checklist names them (an enum like the built-in kinds)."""

    DETAILS = "offer"
    COUNTER = "counter_offer"
    ANSWER = "answer_offer"


DETAILS_KIND = OfferStepKind.DETAILS
COUNTER_KIND = OfferStepKind.COUNTER
ANSWER_KIND = OfferStepKind.ANSWER
#: How long before the answer is due the first alarm rings (the second rings that morning).
FIRST_ALARM_BEFORE = timedelta(days=2)


def _open_offer(opportunity: Opportunity) -> bool:
    return opportunity.status is Status.OFFER


def _answer_due(situation: Situation) -> datetime | None:
    """The end of the offer's answer day in the person's zone (None without a date)."""
    offer = situation.opportunity.offer
    if offer is None or offer.answer_by is None:
        return None
    return end_of_day(offer.answer_by, situation.policy.zone or situation.zone)


def _to_recruiter(situation: Situation, drafter: Any, kind: str) -> Any:
    opportunity = situation.opportunity
    return drafter.note(kind, opportunity.recruiter, offer_values(opportunity))


# What the offer's notes are built from: the record only


def _long_day(day: date) -> str:
    """'Friday 4 December', as the drafts write a day."""
    return f"{day:%A} {day.day} {day:%B}"


def amount(value: float, currency: str) -> str:
    """An amount exactly as recorded: '64,000 EUR', '64,000.5 EUR' (never rounded, so a draft
    shows no number the record does not hold)."""
    shown = f"{int(value):,}" if float(value).is_integer() else f"{Decimal(repr(value)):,f}"
    return f"{shown} {currency}"


def asked_base(salary: SalaryRange | None, offer: Offer) -> str | None:
    """The base to ask for, from your own range: your target, or your stretch when the offer
    already meets the target. None (a bracket to fill in) when neither is above the offer, or the
    range is in another currency or not per year: no number is converted or made up."""
    if salary is None or salary.currency != offer.currency or salary.period is not Period.YEAR:
        return None
    for ask in (salary.target, salary.stretch):
        if ask is not None and (offer.base is None or ask > offer.base):
            return amount(ask, salary.currency)
    return None


def offer_values(opportunity: Opportunity) -> dict[str, Any]:
    """What an offer template adds to the shared context, all taken from the record: `offer`,
    `offered_base`, `asked_base`, `reasons`, `answer_by` and `start_on`."""
    offer = opportunity.offer
    if offer is None:
        raise NotFound(f"{opportunity.id}: no offer recorded, so there is nothing to answer")
    salary = opportunity.salary_range
    return {
        "offer": offer,
        "offered_base": amount(offer.base, offer.currency) if offer.base is not None else None,
        "asked_base": asked_base(salary, offer),
        "reasons": salary.notes.strip() if salary is not None else "",
        "answer_by": _long_day(offer.answer_by) if offer.answer_by else None,
        "start_on": _long_day(offer.start_on) if offer.start_on else None,
    }


def below_target(opportunity: Opportunity) -> bool:
    """True when the offer's base is below the person's own target, in the same currency and
    per year (the only case a counter-offer can be built from their numbers alone)."""
    offer, salary = opportunity.offer, opportunity.salary_range
    if offer is None or offer.base is None or salary is None or salary.target is None:
        return False
    if salary.currency != offer.currency or salary.period is not Period.YEAR:
        return False
    return offer.base < salary.target


class OfferDetails(StepType):
    kind = DETAILS_KIND
    number = 4
    label = "Record the offer"

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        if not _open_offer(opportunity):
            return []
        title = "Record the offer"
        offer = opportunity.offer
        if offer is None:
            return [
                Step(
                    DETAILS_KIND,
                    title,
                    State.TO_DO,
                    "Write the offer down as the letter gives it: base, bonus, sign-on, equity, "
                    "benefits and the day they want your answer. Then 'followup offers' shows "
                    "what it is worth, year by year.",
                )
            ]
        missing = [name for name in ("base", "answer_by") if getattr(offer, name) is None]
        if missing:
            return [
                Step(
                    DETAILS_KIND,
                    title,
                    State.TO_DO,
                    f"The offer has no {' and no '.join(missing)} yet: add it from the letter.",
                )
            ]
        base = formats.money(offer.base, offer.currency)
        return [
            Step(
                DETAILS_KIND,
                title,
                State.DONE,
                f"Recorded: base {base}, answer by {fmt_day(offer.answer_by)}.",
            )
        ]


def record_countered(
    opportunity: Opportunity, at_: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """The counter-offer was sent on the day of `at_`."""
    changed = opportunity.model_copy(deep=True)
    if changed.offer is not None:
        changed.offer.countered_on = at_.date()
    return changed


def clear_countered(
    opportunity: Opportunity, at_: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """The counter-offer was not sent after all."""
    changed = opportunity.model_copy(deep=True)
    if changed.offer is not None:
        changed.offer.countered_on = None
    return changed


class CounterOffer(StepType):
    kind = COUNTER_KIND
    number = 4
    label = "Counter the offer"
    draft_kinds = ("counter-offer",)
    actions = declare_actions(done=record_countered, undo=clear_countered)

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        if not _open_offer(opportunity) or not below_target(opportunity):
            return []
        offer, salary = opportunity.offer, opportunity.salary_range
        title = "Counter the offer"
        if offer.countered_on is not None:
            return [
                Step(
                    COUNTER_KIND,
                    title,
                    State.DONE,
                    f"Countered on {fmt_day(offer.countered_on)}: record their revised offer "
                    "as it comes (the history keeps this one).",
                )
            ]
        due = _answer_due(situation)
        return [
            Step(
                COUNTER_KIND,
                title,
                state_for(due, situation.now) if due is not None else State.TO_DO,
                f"The base ({formats.money(offer.base, offer.currency)}) is below your target "
                f"({formats.money(salary.target, salary.currency)}): a counter-offer from your "
                "own numbers and reasons is drafted. Send it before you answer, or let it go.",
                due=due,
            )
        ]

    def drafts(
        self, situation: Situation, steps: list[Step], drafter: Any, asked: str | None
    ) -> list[Any]:
        if situation.opportunity.offer is None:
            return []
        if asked is None and not any(s.state.actionable for s in steps):
            return []
        return [_to_recruiter(situation, drafter, "counter-offer")]


class AnswerOffer(StepType):
    kind = ANSWER_KIND
    number = 4
    label = "Answer the offer"
    draft_kinds = ("more-time", "accept-offer", "decline-offer")

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        due = _answer_due(situation)
        if not _open_offer(opportunity) or due is None:
            return []
        day = fmt_day(opportunity.offer.answer_by)
        return [
            Step(
                ANSWER_KIND,
                "Answer the offer",
                state_for(due, situation.now),
                f"They want your answer by {day}. Weigh it with 'followup offers'; drafts are "
                "ready to accept, to decline warmly, or to ask for more time.",
                due=due,
            )
        ]

    def drafts(
        self, situation: Situation, steps: list[Step], drafter: Any, asked: str | None
    ) -> list[Any]:
        if situation.opportunity.offer is None:
            return []
        if asked is None and not any(s.state.actionable for s in steps):
            return []
        kinds = (asked,) if asked is not None else self.draft_kinds
        return [_to_recruiter(situation, drafter, kind) for kind in kinds]

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        o = situation.opportunity
        if not steps or o.offer is None or o.offer.answer_by is None:
            return []
        zone = situation.policy.zone or situation.zone
        morning = situation.policy.reminders.check_in_at
        day = o.offer.answer_by
        return [
            entry(
                o.id,
                o.company,
                o.link,
                ANSWER_KIND,
                "Answer the offer",
                describe(steps[0].why, drafts_hint(o.id, "accept-offer")),
                whole_day(day),
                alarm=at(day - FIRST_ALARM_BEFORE, morning, zone),
                more_alarms=(at(day, morning, zone),),
            )
        ]


DETAILS = OfferDetails()
COUNTER = CounterOffer()
ANSWER = AnswerOffer()
