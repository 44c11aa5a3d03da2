"""1. A thank-you note to every interviewer, within a day of the round."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from followup.core.model import Channel, Interview, Interviewer, Opportunity
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
from followup.steps.entries import Entry, describe, drafts_hint, entry, span

KIND = StepKind.THANK_YOU
#: A thank-you is due by the same local time the next day, in the round's time zone.
THANK_YOU_WINDOW = timedelta(days=1)


def thank_you_due(interview: Interview) -> datetime | None:
    """The same local time the next day after the round ended, in the round's time zone.

    When the clocks skip that time (a spring-forward gap), it is the moment just after the gap:
    the round trip through UTC turns a wall time that never shows into one that does.
    """
    end = interview.ends_at  # in the round's zone
    if end is None:
        return None
    zone = end.tzinfo
    wall = end.replace(tzinfo=None) + THANK_YOU_WINDOW
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def email_sent(person: Interviewer) -> datetime | None:
    """When the thank-you email went out, or None."""
    thank_you = person.thank_you
    return thank_you.sent_at if thank_you.channel is Channel.EMAIL else None


def card_sent(person: Interviewer) -> date | None:
    """When a handwritten card went in the mail, or None (earlier files: channel card, sent_at)."""
    thank_you = person.thank_you
    if thank_you.card_sent_on is not None:
        return thank_you.card_sent_on
    if thank_you.channel is Channel.CARD and thank_you.sent_at is not None:
        return thank_you.sent_at.date()
    return None


def thanked(person: Interviewer) -> bool:
    """True once the note went out: by email, or by card to someone with no known email."""
    return email_sent(person) is not None or (card_sent(person) is not None and not person.email)


def _no_email_reason(person: Interviewer) -> str:
    if person.card_collected:
        return "No email address yet: take it from their business card, or ask the recruiter."
    return "No email address: collect their business card or ask the recruiter."


def _person_step(
    person: Interviewer,
    interview: Interview,
    due: datetime | None,
    state: State,
    ended: bool,
    ask_next: str | None,
) -> Step:
    """The thank-you email to one interviewer: done once the email is sent, else in `state`."""
    name, key = person.name, interview.key
    title = f"Thank-you note to {name}"
    sent, card = email_sent(person), card_sent(person)
    if thanked(person):
        why = (
            f"Sent on {fmt_day(sent.date())}."
            if sent is not None
            else f"Card mailed on {fmt_day(card)} (no email address known)."
        )
        return Step(KIND, title, State.DONE, why, due, key, name)
    if ended:
        ended_why = "The process has ended."
        return Step(KIND, title, State.NOT_APPLICABLE, ended_why, None, key, name)
    reasons = [f"Within a day of {interview.name}: thank them and mention"]
    reasons.append(f"'{person.personal_note}'." if person.personal_note else "something personal.")
    if card is not None:
        reasons.append(f"Your card went in the mail on {fmt_day(card)}; send the email too.")
    if not person.email:
        reasons.append(_no_email_reason(person))
    if ask_next:
        reasons.append(ask_next)
    return Step(KIND, title, state, " ".join(reasons), due, key, name)


def _find(opportunity: Opportunity, round: str | None, person: str | None) -> Interviewer:
    for interview in opportunity.rounds:
        if round in (None, interview.key, interview.name):
            for candidate in interview.interviewers:
                if candidate.name == person:
                    return candidate
    names = [p.name for r in opportunity.rounds for p in r.interviewers]
    where = f" in the round {round!r}" if round else ""
    raise LookupError(
        f"no interviewer named {person!r}{where}; the people met: {', '.join(names) or 'none yet'}"
    )


def mark_sent(
    opportunity: Opportunity, at: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """The thank-you email to `person` recorded as sent at `at` (in the round's zone)."""
    changed = opportunity.model_copy(deep=True)
    target = _find(changed, round, person)
    interview = next(r for r in changed.rounds if target in r.interviewers)
    thank_you = target.thank_you
    if thank_you.channel is Channel.CARD and thank_you.sent_at is not None:
        # An earlier file recorded the card as the note: keep its day as the card's.
        thank_you.card_sent_on = card_sent(target)
    thank_you.channel = Channel.EMAIL
    zone = interview.zone
    thank_you.sent_at = at.astimezone(zone) if zone else at
    return changed


def unmark_sent(
    opportunity: Opportunity, at: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """The thank-you email to `person` was not sent after all."""
    changed = opportunity.model_copy(deep=True)
    target = _find(changed, round, person)
    if target.thank_you.channel is Channel.EMAIL:
        target.thank_you.sent_at = None
    return changed


class ThankYou(StepType):
    kind = KIND
    number = 1
    label = "Thank-you note"
    draft_kinds = ("thank-you", "card")
    actions = declare_actions(done=mark_sent, undo=unmark_sent)

    def steps(self, situation: Situation) -> list[Step]:
        from followup.steps.timeline import next_steps_reason

        opportunity, now = situation.opportunity, situation.now
        steps = []
        ended = opportunity.status.ended
        ask_next = next_steps_reason(opportunity, now)
        for interview in opportunity.rounds:
            if interview.starts_at is None:
                # Without a date no note can be due; once the process has ended none is asked for.
                if interview.interviewers and not ended:
                    done = all(thanked(person) for person in interview.interviewers)
                    steps.append(
                        Step(
                            KIND,
                            f"Thank-you notes for {interview.name}",
                            State.DONE if done else State.BLOCKED,
                            "Every interviewer has been thanked."
                            if done
                            else "Record when the round took place to know when the notes are due.",
                            round=interview.key,
                        )
                    )
                continue
            if interview.starts_at > now:
                continue
            due = thank_you_due(interview)
            if not interview.interviewers and not ended:
                steps.append(
                    Step(
                        KIND,
                        f"Record who you met in {interview.name}, then thank each of them",
                        state_for(due, now),
                        "A thank-you note to each interviewer is a must: add who you met (from "
                        "the invitation or their cards) and the notes follow, due within a day "
                        "of the round.",
                        due=due,
                        round=interview.key,
                    )
                )
                continue
            state = state_for(due, now)  # every note of a round is due at once
            for person in interview.interviewers:
                steps.append(_person_step(person, interview, due, state, ended, ask_next))
        return steps

    def drafts(
        self, situation: Situation, steps: list[Step], drafter: Any, asked: str | None
    ) -> list[Any]:
        opportunity, now = situation.opportunity, situation.now
        if asked is not None:
            wanted = {
                (r.key, p.name): asked
                for r in opportunity.rounds
                if r.starts_at is not None and r.starts_at <= now
                for p in r.interviewers
            }
        else:
            channels = {
                (r.key, p.name): p.thank_you.channel
                for r in opportunity.rounds
                for p in r.interviewers
            }
            wanted = {}
            for step in steps:
                if step.state.actionable and step.person:
                    key = (step.round or "", step.person)
                    wanted[key] = "card" if channels.get(key) is Channel.CARD else "thank-you"
        return [
            drafter.thank_you(wanted[(interview.key, person.name)], interview, person)
            for interview in opportunity.rounds
            for person in interview.interviewers
            if (interview.key, person.name) in wanted
        ]

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        o = situation.opportunity
        rounds = {r.key: r for r in o.rounds}
        by_round: dict[str, list[Step]] = {}
        for step in steps:
            if step.due is not None and step.round:
                by_round.setdefault(step.round, []).append(step)
        entries = []
        for key, group in by_round.items():
            done = all(s.state is State.DONE for s in group)
            people = "\n".join(f"- {s.person or s.title}: {s.state.value}. {s.why}" for s in group)
            due = group[0].due
            entries.append(
                entry(
                    o.id,
                    o.company,
                    o.link,
                    KIND,
                    f"Thank-you notes for {rounds[key].name}",
                    describe(None, people, "" if done else drafts_hint(o.id, "thank-you")),
                    span(due),
                    done=done,
                    round=key,
                    alarm=due - timedelta(hours=situation.policy.reminders.thank_you_hours_before),
                )
            )
        return entries


STEP = ThankYou()
