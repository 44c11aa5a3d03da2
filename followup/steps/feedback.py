"""6. Ask for feedback after a rejection: thank them, restate interest, ask what to improve."""

from __future__ import annotations

from typing import Any

from followup.core.model import Opportunity, Person, Status
from followup.steps.after_rejection import (
    calendar_entries,
    clear_day,
    due_after_rejection,
    record_day,
    wanted,
)
from followup.steps.base import (
    Situation,
    State,
    Step,
    StepKind,
    StepType,
    declare_actions,
    fmt_day,
    state_for,
)
from followup.steps.entries import Entry

KIND = StepKind.FEEDBACK


def feedback_recipients(opportunity: Opportunity) -> list[Person]:
    """Who the feedback request can go to: the recruiter, then each interviewer with an email.

    Each person once (by name); the recruiter even without an email, as the usual first contact.
    """
    people: list[Person] = [opportunity.recruiter] if opportunity.recruiter else []
    names = {p.name for p in people}
    for person in opportunity.interviewers():
        if person.email and person.name not in names:
            people.append(person)
            names.add(person.name)
    return people


class Feedback(StepType):
    kind = KIND
    number = 6
    label = "Ask for feedback"
    draft_kinds = ("feedback",)
    actions = declare_actions(
        done=record_day("feedback", "asked_on"), undo=clear_day("feedback", "asked_on")
    )

    def steps(self, situation: Situation) -> list[Step]:
        opportunity = situation.opportunity
        if opportunity.status is not Status.REJECTED:
            return []  # after 'no response' no decision was given: no feedback to ask for
        title = "Ask for feedback"
        feedback = opportunity.feedback
        if feedback.received_on is not None:
            return [Step(KIND, title, State.DONE, "Feedback received.")]
        if feedback.asked_on is not None:
            return [
                Step(
                    KIND,
                    title,
                    State.WAITING,
                    f"Asked on {fmt_day(feedback.asked_on)}; record what they say when it arrives.",
                )
            ]
        due = due_after_rejection(opportunity, situation.zone)
        names = [p.name for p in feedback_recipients(opportunity)]
        whom = f" Drafts for {', '.join(names)}." if names else ""
        return [
            Step(
                KIND,
                title,
                state_for(due, situation.now) if due else State.TO_DO,
                "Thank them for their time, say you remain interested in future roles, and ask "
                f"what you could have done better.{whom}",
                due=due,
            )
        ]

    def drafts(
        self, situation: Situation, steps: list[Step], drafter: Any, asked: str | None
    ) -> list[Any]:
        opportunity = situation.opportunity
        if opportunity.status is not Status.REJECTED or not wanted(situation, steps, asked):
            return []
        sent_on = opportunity.feedback.asked_on
        drafts = []
        if opportunity.recruiter is None:
            drafts.append(drafter.to_recruiter("feedback", sent_on=sent_on))
        for person in feedback_recipients(opportunity):
            interviewer = None if person is opportunity.recruiter else person
            drafts.append(
                drafter.to_recruiter("feedback", sent_on=sent_on, interviewer=interviewer)
            )
        return drafts

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        return calendar_entries(situation, steps, KIND, "feedback")


STEP = Feedback()
