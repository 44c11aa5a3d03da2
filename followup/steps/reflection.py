"""3. Reflect on the opportunity, and set a salary range ready for a negotiation."""

from __future__ import annotations

from followup.core.model import Status
from followup.steps.base import Situation, State, Step, StepKind, StepType, past_rounds


class Reflection(StepType):
    kind = StepKind.REFLECTION
    number = 3
    label = "Reflection"

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        if opportunity.status in (Status.ACCEPTED, Status.DECLINED):
            return []
        title = "Reflect on the opportunity"
        if opportunity.reflection.is_recorded():
            return [Step(self.kind, title, State.DONE, "Recorded.")]
        if not opportunity.status.ended and past_rounds(opportunity, situation.now):
            return [
                Step(
                    self.kind,
                    title,
                    State.TO_DO,
                    "Rate the people, culture, fit, growth and career alignment; say what you "
                    "want.",
                )
            ]
        return []


class SalaryRange(StepType):
    kind = StepKind.SALARY_RANGE
    number = 3
    label = "Salary range"

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        if opportunity.status in (Status.ACCEPTED, Status.DECLINED):
            return []
        if opportunity.salary_range is not None and opportunity.salary_range.is_recorded():
            return [Step(self.kind, "Salary range", State.DONE, "Ready to negotiate.")]
        if opportunity.status.ended:
            return []
        urgent = opportunity.status is Status.OFFER
        return [
            Step(
                self.kind,
                "Salary range",
                State.DUE_SOON if urgent else State.TO_DO,
                "An offer is on the table: set your minimum, target and stretch before you answer."
                if urgent
                else "Set your walk-away minimum, target and stretch before any negotiation.",
            )
        ]


REFLECTION = Reflection()
SALARY_RANGE = SalaryRange()
