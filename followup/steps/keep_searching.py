"""7. Keep searching: never let one opportunity be the whole pipeline."""

from __future__ import annotations

from collections.abc import Iterable

from followup.core import formats
from followup.core.model import Opportunity, Status
from followup.core.policy import MIN_ACTIVE, Policy
from followup.steps.base import State, Step, StepKind, StepType

KIND = StepKind.KEEP_SEARCHING


def open_processes(opportunities: Iterable[Opportunity]) -> list[Opportunity]:
    """Opportunities whose hiring process has not ended."""
    return [o for o in opportunities if not o.status.ended]


def keep_searching(opportunities: Iterable[Opportunity], min_active: int = MIN_ACTIVE) -> Step:
    """The workbook-wide step. Silent once an offer is accepted; on an empty workbook it shows
    the way in instead."""
    opportunities = list(opportunities)
    title = "Keep searching"
    accepted = [o for o in opportunities if o.status is Status.ACCEPTED]
    if accepted:
        return Step(
            KIND,
            title,
            State.NOT_APPLICABLE,
            f"You accepted the offer from {accepted[0].company}: no need to keep searching.",
        )
    if not opportunities:
        return Step(
            KIND,
            title,
            State.TO_DO,
            "Start by recording an opportunity and its first round (Record an interview); "
            "the checklist takes it from there.",
        )
    count = len(open_processes(opportunities))
    if count >= min_active:
        return Step(
            KIND,
            title,
            State.DONE,
            f"{formats.plural(count, 'open process')} (your aim: at least {min_active}).",
        )
    return Step(
        KIND,
        title,
        State.TO_DO,
        f"Only {formats.plural(count, 'open process')}; aim for at least {min_active} so no "
        "single one is your whole pipeline.",
    )


class KeepSearching(StepType):
    kind = KIND
    number = 7
    label = "Keep searching"

    def workbook_steps(self, opportunities: list[Opportunity], policy: Policy) -> list[Step]:
        return [keep_searching(opportunities, policy.min_active)]


STEP = KeepSearching()
