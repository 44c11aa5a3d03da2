"""4 and 8. When the silence after a check-in has lasted, suggest marking the process 'no response'.

Silence is an answer too: after it, as after a rejection, the don't-give-up steps apply. The
wait is the policy's `no_response_after` (settings `no_response_after_days`).
"""

from __future__ import annotations

from followup.steps.base import Situation, Step, StepType
from followup.steps.timeline import NO_RESPONSE_KIND, situation_steps


class NoResponse(StepType):
    kind = NO_RESPONSE_KIND
    number = 4
    label = "No response"

    def steps(self, situation: Situation) -> list[Step]:
        return [s for s in situation_steps(situation) if s.kind == NO_RESPONSE_KIND]


STEP = NoResponse()
