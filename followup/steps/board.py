"""Where a process stands on the dashboard's board, from the same rules as its checklist."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from followup.core.model import Opportunity, Status
from followup.core.policy import NO_RESPONSE_AFTER
from followup.steps.base import require_aware
from followup.steps.timeline import suggests_no_response


class Stage(StrEnum):
    """Where a process stands on the dashboard's board, in the words a job seeker uses."""

    APPLIED = "applied"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    NO_RESPONSE = "no response"
    CLOSED = "closed"


def stage(
    opportunity: Opportunity, now: datetime, no_response_after: timedelta = NO_RESPONSE_AFTER
) -> Stage:
    """The board column for one opportunity.

    Closed once the process has ended with a decision; 'no response' when marked so, or when the
    checklist suggests it (see `suggests_no_response`); an offer while one is on the table;
    interviewing once a round is recorded; applied before that.
    """
    require_aware(now)
    status = opportunity.status
    if status is Status.NO_RESPONSE:
        return Stage.NO_RESPONSE
    if status.ended:
        return Stage.CLOSED
    if status is Status.OFFER:
        return Stage.OFFER
    if suggests_no_response(opportunity, now, no_response_after):
        return Stage.NO_RESPONSE
    return Stage.INTERVIEWING if opportunity.rounds else Stage.APPLIED
