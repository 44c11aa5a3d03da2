"""The checklist's steps, one module each, and the registry every face iterates.

`checklist(opportunity, now, policy)` and `overview(opportunities, now, policy)` compute it once;
`drafts`, `calendar_entries` and `act` read the same computed checklist. See docs/architecture.md.
"""

from followup.core.policy import DEFAULT_POLICY, MIN_ACTIVE, NO_RESPONSE_AFTER, Policy
from followup.steps.after_rejection import (
    AFTER_REJECTION_WINDOW,
    DONT_GIVE_UP_STATUSES,
    after_rejection_due,
)
from followup.steps.base import (
    DUE_SOON,
    Checklist,
    Overview,
    Situation,
    State,
    Step,
    StepKind,
    StepType,
    held_or_planned,
    state_for,
    upcoming_interviews,
)
from followup.steps.board import Stage, stage
from followup.steps.card import mark_mailed
from followup.steps.debrief import DEBRIEF_GRACE, debrief_due
from followup.steps.feedback import feedback_recipients
from followup.steps.keep_searching import open_processes
from followup.steps.registry import (
    act,
    calendar_entries,
    checklist,
    draft_kinds,
    drafts,
    next_step,
    overview,
    register,
    situation,
    step_type,
    step_types,
    unregister,
)
from followup.steps.thank_you import (
    THANK_YOU_WINDOW,
    card_sent,
    email_sent,
    mark_sent,
    thank_you_due,
)
from followup.steps.timeline import (
    CHECK_IN_GRACE,
    CHECK_IN_INTERVAL,
    CHECK_IN_TITLE,
    NO_DATE_WAIT,
    NO_RESPONSE_TITLE,
    asks_about_next_steps,
    check_in_step,
    suggests_no_response,
    timeline_overtaken,
)

__all__ = [
    "AFTER_REJECTION_WINDOW",
    "CHECK_IN_GRACE",
    "CHECK_IN_INTERVAL",
    "CHECK_IN_TITLE",
    "DEBRIEF_GRACE",
    "DEFAULT_POLICY",
    "DONT_GIVE_UP_STATUSES",
    "DUE_SOON",
    "MIN_ACTIVE",
    "NO_DATE_WAIT",
    "NO_RESPONSE_AFTER",
    "NO_RESPONSE_TITLE",
    "THANK_YOU_WINDOW",
    "Checklist",
    "Overview",
    "Policy",
    "Situation",
    "Stage",
    "State",
    "Step",
    "StepKind",
    "StepType",
    "act",
    "after_rejection_due",
    "asks_about_next_steps",
    "calendar_entries",
    "card_sent",
    "check_in_step",
    "checklist",
    "debrief_due",
    "draft_kinds",
    "drafts",
    "email_sent",
    "feedback_recipients",
    "held_or_planned",
    "mark_mailed",
    "mark_sent",
    "next_step",
    "open_processes",
    "overview",
    "register",
    "situation",
    "stage",
    "state_for",
    "step_type",
    "step_types",
    "suggests_no_response",
    "thank_you_due",
    "timeline_overtaken",
    "unregister",
    "upcoming_interviews",
]
