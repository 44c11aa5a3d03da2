"""The follow-up checklist: given an opportunity, the workbook and `now`, what is next.

Pure: no files, no widgets, no clock. Each rule's numbers are named once here; forms, reports and
the CLI ask this module instead of re-deriving them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import NamedTuple

from followup.core import formats
from followup.core.model import Channel, Interview, Interviewer, Opportunity, Person, Status

#: A thank-you is due by the same local time the next day, in the round's time zone.
THANK_YOU_WINDOW = timedelta(days=1)
#: A debrief is due by the end of the day the round ended, and never sooner than this after it.
DEBRIEF_GRACE = timedelta(hours=4)
#: A step whose due time is this close counts as "due soon".
DUE_SOON = timedelta(hours=12)
#: With no date from the recruiter, a polite check-in becomes reasonable this long after the round.
NO_DATE_WAIT = timedelta(days=14)
#: Days allowed for the check-in once the recruiter's date has passed.
CHECK_IN_GRACE = timedelta(days=3)
#: After a check-in, wait this long before the next one.
CHECK_IN_INTERVAL = timedelta(days=7)
#: Ask for feedback, and about other roles, within this long of a rejection.
AFTER_REJECTION_WINDOW = timedelta(days=7)
#: Keep searching: warn when fewer than this many processes are open (a workbook setting overrides).
MIN_ACTIVE = 3
#: Suggest marking a process "no response" once a check-in sent after the recruiter's date (or the
#: default wait) has gone unanswered this long (`no_response_after_days` in settings overrides).
NO_RESPONSE_AFTER = timedelta(days=21)
#: The title of the timeline step that suggests marking a silent process 'no response'.
NO_RESPONSE_TITLE = "No news: mark it 'no response'?"


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
        return self in _OPEN_STATES

    @property
    def actionable(self) -> bool:
        return self in _ACTIONABLE_STATES


# Looked up for every step of every checklist, so worked out once.
_STATE_RANK: dict[State, int] = {state: rank for rank, state in enumerate(State)}
_OPEN_STATES = frozenset((State.OVERDUE, State.DUE_SOON, State.TO_DO, State.WAITING, State.BLOCKED))
_ACTIONABLE_STATES = frozenset((State.OVERDUE, State.DUE_SOON, State.TO_DO))


class StepKind(StrEnum):
    """The checklist's steps, named as the checklist names them."""

    THANK_YOU = "thank_you"
    CARD = "card"
    DEBRIEF = "debrief"
    RESEARCH = "research"
    REFLECTION = "reflection"
    SALARY_RANGE = "salary_range"
    TIMELINE = "timeline"
    LINKEDIN = "linkedin"
    FEEDBACK = "feedback"
    OTHER_ROLES = "other_roles"
    TALENT_COMMUNITY = "talent_community"
    KEEP_SEARCHING = "keep_searching"


#: The checklist's number for each kind of step (1 thank-you … 8 don't give up).
CHECKLIST_NUMBER: dict[StepKind, int] = {
    StepKind.THANK_YOU: 1,
    StepKind.CARD: 1,
    StepKind.DEBRIEF: 2,
    StepKind.RESEARCH: 2,
    StepKind.REFLECTION: 3,
    StepKind.SALARY_RANGE: 3,
    StepKind.TIMELINE: 4,
    StepKind.LINKEDIN: 5,
    StepKind.FEEDBACK: 6,
    StepKind.KEEP_SEARCHING: 7,
    StepKind.OTHER_ROLES: 8,
    StepKind.TALENT_COMMUNITY: 8,
}


class Step(NamedTuple):
    """One thing to do (or wait for), with a plain-language line saying why.

    A named tuple rather than a frozen dataclass: just as unchangeable, and a comparison of
    thousands of opportunities makes tens of thousands of steps, about three times faster so.
    """

    kind: StepKind
    title: str
    state: State
    why: str
    due: datetime | None = None
    round: str | None = None
    person: str | None = None

    @property
    def number(self) -> int:
        return CHECKLIST_NUMBER[self.kind]

    def sort_key(self) -> tuple:
        # Asked of every open step of every opportunity a comparison ranks: the tables directly.
        due = self.due.timestamp() if self.due else math.inf
        return (_STATE_RANK[self.state], due, CHECKLIST_NUMBER[self.kind])

    def to_dict(self) -> dict:
        return {
            "kind": self.kind.value,
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
    """All steps of one opportunity, most urgent first."""

    opportunity: Opportunity
    steps: list[Step] = field(default_factory=list)

    @property
    def open_steps(self) -> list[Step]:
        return [s for s in self.steps if s.state.open]

    def sort_key(self) -> tuple:
        first = self.open_steps[0] if self.open_steps else None
        return (first.sort_key() if first else (len(State), float("inf"), 0), self.opportunity.id)


def state_for(due: datetime, now: datetime) -> State:
    """Overdue once past `due`, due soon within DUE_SOON of it, else to do."""
    remaining = due.astimezone(UTC) - now.astimezone(UTC)
    if remaining < timedelta(0):
        return State.OVERDUE
    if remaining <= DUE_SOON:
        return State.DUE_SOON
    return State.TO_DO


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")


def _end_of_day(day: date, zone: tzinfo | None) -> datetime:
    """Midnight at the end of `day` in `zone` (the first instant of the next day)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    return moment.astimezone(zone) if zone else moment


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


def debrief_due(interview: Interview) -> datetime | None:
    """End of the day the round ended (round's zone), but at least DEBRIEF_GRACE after it."""
    end = interview.ends_at
    if end is None:
        return None
    local_end = _local(end, interview.zone)
    grace = (end.astimezone(UTC) + DEBRIEF_GRACE).astimezone(interview.zone)
    return max(_end_of_day(local_end.date(), interview.zone), grace)


def _fmt_day(day: date) -> str:
    return formats.day(day)


def _past_rounds(opportunity: Opportunity, now: datetime) -> list[Interview]:
    return [r for r in opportunity.rounds if r.starts_at is not None and r.starts_at <= now]


def _next_round(opportunity: Opportunity, now: datetime) -> Interview | None:
    upcoming = [r for r in opportunity.rounds if r.starts_at is not None and r.starts_at > now]
    return min(upcoming, key=lambda r: r.starts_at) if upcoming else None


def timeline_overtaken(opportunity: Opportunity, now: datetime) -> Interview | None:
    """The latest round held after the recruiter's date, when one was (else None).

    A date given before a later round (16 Nov, then round 2 on 25 Nov) says nothing about the
    news after that round: the person records the new timeline instead of chasing the old one.
    """
    timeline = opportunity.timeline
    if timeline is None or timeline.decision_by is None:
        return None
    past = _past_rounds(held_or_planned(opportunity), now)
    if not past:
        return None
    last = max(past, key=lambda r: r.starts_at)
    return last if _local(last.starts_at, last.zone).date() > timeline.decision_by else None


def asks_about_next_steps(opportunity: Opportunity, now: datetime) -> bool:
    """True when the thank-you note should ask about next steps: nothing known was said.

    That is when no timeline is recorded, when the recruiter gave none, or when a later round
    has overtaken the date they gave.
    """
    _require_aware(now)
    return _next_steps_reason(opportunity, now.astimezone(UTC)) is not None


def _next_steps_reason(opportunity: Opportunity, now: datetime) -> str | None:
    timeline = opportunity.timeline
    if timeline is None:
        return "No timeline recorded yet: ask about next steps in the note."
    if not timeline.given:
        return "No timeline was given: ask about next steps in the note."
    if timeline_overtaken(opportunity, now) is not None:
        return "The recruiter's date came before this round: ask about next steps in the note."
    return None


def _no_email_reason(person: Interviewer) -> str:
    if person.card_collected:
        return "No email address yet: take it from their business card, or ask the recruiter."
    return "No email address: collect their business card or ask the recruiter."


def _thank_you_steps(opportunity: Opportunity, now: datetime) -> list[Step]:
    steps = []
    ended = opportunity.status.ended
    ask_next = _next_steps_reason(opportunity, now)
    for interview in opportunity.rounds:
        if interview.starts_at is None:
            # Without a date no note can be due; once the process has ended none is asked for.
            if interview.interviewers and not ended:
                thanked = all(_thanked(person) for person in interview.interviewers)
                steps.append(
                    Step(
                        StepKind.THANK_YOU,
                        f"Thank-you notes for {interview.name}",
                        State.DONE if thanked else State.BLOCKED,
                        "Every interviewer has been thanked."
                        if thanked
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
                    StepKind.THANK_YOU,
                    f"Record who you met in {interview.name}, then thank each of them",
                    state_for(due, now),
                    "A thank-you note to each interviewer is a must: add who you met (from the "
                    "invitation or their cards) and the notes follow, due within a day of the "
                    "round.",
                    due=due,
                    round=interview.key,
                )
            )
            continue
        state = state_for(due, now)  # every note of a round is due at once
        for person in interview.interviewers:
            steps.append(_thank_you_step(person, interview, due, state, ended, ask_next))
            card = _card_step(person, interview, ended)
            if card is not None:
                steps.append(card)
    return steps


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


def _thanked(person: Interviewer) -> bool:
    """True once the note went out: by email, or by card to someone with no known email."""
    return email_sent(person) is not None or (card_sent(person) is not None and not person.email)


def _thank_you_step(
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
    if _thanked(person):
        why = (
            f"Sent on {_fmt_day(sent.date())}."
            if sent is not None
            else f"Card mailed on {_fmt_day(card)} (no email address known)."
        )
        return Step(StepKind.THANK_YOU, title, State.DONE, why, due, key, name)
    if ended:
        ended_why = "The process has ended."
        return Step(StepKind.THANK_YOU, title, State.NOT_APPLICABLE, ended_why, None, key, name)
    reasons = [f"Within a day of {interview.name}: thank them and mention"]
    reasons.append(f"'{person.personal_note}'." if person.personal_note else "something personal.")
    if card is not None:
        reasons.append(f"Your card went in the mail on {_fmt_day(card)}; send the email too.")
    if not person.email:
        reasons.append(_no_email_reason(person))
    if ask_next:
        reasons.append(ask_next)
    return Step(StepKind.THANK_YOU, title, state, " ".join(reasons), due, key, name)


def _card_step(person: Interviewer, interview: Interview, ended: bool) -> Step | None:
    """The handwritten card: optional, the extra mile beside the email; listed once chosen."""
    card = card_sent(person)
    if card is None and (person.thank_you.channel is not Channel.CARD or ended):
        return None
    title = f"Handwritten card to {person.name} (optional)"
    where = {"round": interview.key, "person": person.name}
    if card is not None:
        return Step(StepKind.CARD, title, State.DONE, f"Mailed on {_fmt_day(card)}.", **where)
    return Step(
        StepKind.CARD,
        title,
        State.TO_DO,
        "The extra mile beside the email, not instead of it: mark it mailed once it is posted.",
        **where,
    )


def _debrief_steps(opportunity: Opportunity, now: datetime) -> list[Step]:
    steps = []
    for interview in _past_rounds(opportunity, now):
        title = f"Debrief {interview.name}"
        if interview.debrief.is_recorded():
            steps.append(
                Step(
                    StepKind.DEBRIEF,
                    title,
                    State.DONE,
                    "Recorded.",
                    round=interview.key,
                )
            )
            continue
        due = debrief_due(interview)
        steps.append(
            Step(
                StepKind.DEBRIEF,
                title,
                state_for(due, now),
                "Note how each answer landed, which examples worked and what to improve, "
                "while it is fresh.",
                due=due,
                round=interview.key,
            )
        )
    return steps


def _research_step(opportunity: Opportunity, now: datetime) -> list[Step]:
    topics = [t for r in opportunity.rounds for t in r.debrief.research]
    if not topics:
        return []
    still_open = [t.topic for t in topics if not t.done]
    if not still_open:
        return [Step(StepKind.RESEARCH, "Research topics", State.DONE, "All topics covered.")]
    if opportunity.status.ended:
        return [
            Step(
                StepKind.RESEARCH,
                "Research topics",
                State.NOT_APPLICABLE,
                "The process has ended; keep the notes for your next interview.",
            )
        ]
    listing = "; ".join(still_open)
    upcoming = _next_round(opportunity, now)
    if upcoming is not None:
        return [
            Step(
                StepKind.RESEARCH,
                "Research topics",
                state_for(upcoming.starts_at, now),
                f"Before {upcoming.name}: {listing}.",
                due=upcoming.starts_at,
                round=upcoming.key,
            )
        ]
    return [
        Step(
            StepKind.RESEARCH,
            "Research topics",
            State.TO_DO,
            f"Before the next round: {listing}.",
        )
    ]


def _reflection_steps(opportunity: Opportunity, now: datetime) -> list[Step]:
    if opportunity.status in (Status.ACCEPTED, Status.DECLINED):
        return []
    steps = []
    if opportunity.reflection.is_recorded():
        steps.append(
            Step(StepKind.REFLECTION, "Reflect on the opportunity", State.DONE, "Recorded.")
        )
    elif not opportunity.status.ended and _past_rounds(opportunity, now):
        steps.append(
            Step(
                StepKind.REFLECTION,
                "Reflect on the opportunity",
                State.TO_DO,
                "Rate the people, culture, fit, growth and career alignment; say what you want.",
            )
        )
    if opportunity.salary_range is not None and opportunity.salary_range.is_recorded():
        steps.append(Step(StepKind.SALARY_RANGE, "Salary range", State.DONE, "Ready to negotiate."))
    elif not opportunity.status.ended:
        urgent = opportunity.status is Status.OFFER
        steps.append(
            Step(
                StepKind.SALARY_RANGE,
                "Salary range",
                State.DUE_SOON if urgent else State.TO_DO,
                "An offer is on the table: set your minimum, target and stretch before you answer."
                if urgent
                else "Set your walk-away minimum, target and stretch before any negotiation.",
            )
        )
    return steps


def _timeline_step(
    opportunity: Opportunity, now: datetime, no_response_after: timedelta = NO_RESPONSE_AFTER
) -> list[Step]:
    title = "Recruiter's timeline"
    if opportunity.status is not Status.ACTIVE:
        return []
    past = _past_rounds(opportunity, now)
    if not past:
        return []
    timeline = opportunity.timeline
    last = max(past, key=lambda r: r.starts_at)
    if timeline is None:
        return [
            Step(
                StepKind.TIMELINE,
                title,
                State.TO_DO,
                "Record what the recruiter said about next steps, or that they said nothing.",
            )
        ]
    upcoming = _next_round(opportunity, now)
    if upcoming is not None:
        return [
            Step(
                StepKind.TIMELINE,
                title,
                State.WAITING,
                f"{upcoming.name} is scheduled; no need to chase.",
                due=upcoming.starts_at,
                round=upcoming.key,
            )
        ]
    zone = last.zone
    checked = timeline.checked_in_on
    overtaken = timeline_overtaken(opportunity, now)
    if overtaken is not None:
        return [
            Step(
                StepKind.TIMELINE,
                "Record the new timeline",
                State.TO_DO,
                f"The recruiter's date ({_fmt_day(timeline.decision_by)}) came before "
                f"{overtaken.name}: record what they said about next steps since, or that they "
                "said nothing (your thank-you note can ask). No need to chase the old date.",
                round=overtaken.key,
            )
        ]
    if timeline.decision_by is not None:
        news_by = _end_of_day(timeline.decision_by, zone)
        if now < news_by:
            return [
                Step(
                    StepKind.TIMELINE,
                    title,
                    State.WAITING,
                    f"Waiting until {_fmt_day(timeline.decision_by)}, as the recruiter said; "
                    "don't reach out before then.",
                    due=news_by,
                )
            ]
        earliest = news_by
    else:
        earliest = _local(last.ends_at, zone) + NO_DATE_WAIT
        if now < earliest:
            ask = (
                " No timeline was given: your thank-you note asks about next steps."
                if not timeline.given
                else ""
            )
            return [
                Step(
                    StepKind.TIMELINE,
                    title,
                    State.WAITING,
                    f"No date was given; give them until {_fmt_day(earliest.date())} before a "
                    f"polite check-in.{ask}",
                    due=earliest,
                )
            ]
    if checked is not None and _end_of_day(checked, zone) > earliest:
        silent_since = _end_of_day(checked, zone)
        if now >= silent_since + no_response_after:
            return [
                Step(
                    StepKind.TIMELINE,
                    NO_RESPONSE_TITLE,
                    State.TO_DO,
                    f"You checked in on {_fmt_day(checked)} and have heard nothing since. "
                    "Silence is an answer too: mark the process 'no response', then ask about "
                    "other roles and keep your search moving. You can reopen it if they write.",
                )
            ]
        next_check = _end_of_day(checked, zone) + CHECK_IN_INTERVAL - timedelta(days=1)
        if now < next_check:
            return [
                Step(
                    StepKind.TIMELINE,
                    title,
                    State.WAITING,
                    f"You checked in on {_fmt_day(checked)}; give them until "
                    f"{_fmt_day(next_check.date())} before asking again.",
                    due=next_check,
                )
            ]
        earliest = next_check
    due = earliest + CHECK_IN_GRACE
    return [
        Step(
            StepKind.TIMELINE,
            "Check in with the recruiter",
            state_for(due, now),
            "The date has passed with no news: send a short, polite check-in."
            if timeline.decision_by
            else "It has been a while with no news: send a short, polite check-in.",
            due=due,
        )
    ]


def suggests_no_response(
    opportunity: Opportunity, now: datetime, after: timedelta = NO_RESPONSE_AFTER
) -> bool:
    """True when the checklist suggests marking an active process 'no response'.

    That is when the recruiter's date (or, with no date, the default wait) has passed, the person
    then checked in, and nothing has come back for `after` since that check-in.
    """
    _require_aware(now)
    steps = _timeline_step(held_or_planned(opportunity), now.astimezone(UTC), after)
    return any(s.state is State.TO_DO and s.title == NO_RESPONSE_TITLE for s in steps)


def check_in_step(opportunity: Opportunity, now: datetime) -> Step | None:
    """The polite check-in with the recruiter when it is due, else None.

    None before the recruiter's date (or the default wait) has passed, while a round is scheduled,
    when no timeline is recorded, and once the process is no longer active.
    """
    _require_aware(now)
    for step in _timeline_step(held_or_planned(opportunity), now.astimezone(UTC)):
        # Only the check-in is actionable with a due time; waiting steps are not actionable.
        if step.state.actionable and step.due is not None:
            return step
    return None


def _linkedin_step(opportunity: Opportunity) -> list[Step]:
    if not any(r.interviewers for r in opportunity.rounds):
        return []
    if not opportunity.status.ended:
        return [
            Step(
                StepKind.LINKEDIN,
                "Connect on LinkedIn",
                State.BLOCKED,
                "Not yet: wait until the process has ended (reading their profiles is fine).",
            )
        ]
    pending = [p.name for p in opportunity.interviewers() if p.linkedin_connected_on is None]
    if not pending:
        return [Step(StepKind.LINKEDIN, "Connect on LinkedIn", State.DONE, "Connected.")]
    return [
        Step(
            StepKind.LINKEDIN,
            "Connect on LinkedIn",
            State.TO_DO,
            f"The process has ended; you can now connect with {', '.join(pending)}.",
        )
    ]


def _home_zone(opportunity: Opportunity, fallback: tzinfo | None) -> tzinfo | None:
    """The zone of the latest dated round, else the fallback (the zone `now` was given in)."""
    dated = [r for r in opportunity.rounds if r.starts_at is not None]
    return max(dated, key=lambda r: r.starts_at).zone if dated else fallback


def _after_rejection_due(opportunity: Opportunity, zone: tzinfo | None) -> datetime | None:
    if opportunity.outcome_on is None:
        return None
    return _end_of_day(
        opportunity.outcome_on + AFTER_REJECTION_WINDOW, _home_zone(opportunity, zone)
    )


def after_rejection_due(opportunity: Opportunity, now: datetime) -> datetime | None:
    """When the feedback request and the other-roles inquiry are due after a decision."""
    _require_aware(now)
    return _after_rejection_due(opportunity, now.tzinfo)


#: The outcomes after which the don't-give-up steps apply: a no, and a no said by silence.
DONT_GIVE_UP_STATUSES: frozenset[Status] = frozenset({Status.REJECTED, Status.NO_RESPONSE})


def _rejection_steps(opportunity: Opportunity, now: datetime, zone: tzinfo | None) -> list[Step]:
    if opportunity.status not in DONT_GIVE_UP_STATUSES:
        return []
    steps = []
    feedback = opportunity.feedback
    due = _after_rejection_due(opportunity, zone)
    if opportunity.status is Status.NO_RESPONSE:
        pass  # no decision was given, so there is no feedback to ask for
    elif feedback.received_on is not None:
        steps.append(Step(StepKind.FEEDBACK, "Ask for feedback", State.DONE, "Feedback received."))
    elif feedback.asked_on is not None:
        steps.append(
            Step(
                StepKind.FEEDBACK,
                "Ask for feedback",
                State.WAITING,
                f"Asked on {_fmt_day(feedback.asked_on)}; record what they say when it arrives.",
            )
        )
    else:
        names = [p.name for p in feedback_recipients(opportunity)]
        whom = f" Drafts for {', '.join(names)}." if names else ""
        steps.append(
            Step(
                StepKind.FEEDBACK,
                "Ask for feedback",
                state_for(due, now) if due else State.TO_DO,
                "Thank them for their time, say you remain interested in future roles, and ask "
                f"what you could have done better.{whom}",
                due=due,
            )
        )
    if opportunity.other_roles.asked_on is not None:
        steps.append(
            Step(
                StepKind.OTHER_ROLES,
                "Ask about similar roles",
                State.DONE,
                f"Asked on {_fmt_day(opportunity.other_roles.asked_on)}.",
            )
        )
    else:
        steps.append(
            Step(
                StepKind.OTHER_ROLES,
                "Ask about similar roles",
                state_for(due, now) if due else State.TO_DO,
                "Don't cross them off: ask the recruiter whether a similar or better-suited role "
                "is open.",
                due=due,
            )
        )
    steps.append(_talent_community_step(opportunity))
    return steps


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


def _talent_community_step(opportunity: Opportunity) -> Step:
    title = "Join their talent community"
    joined = opportunity.talent_community_joined_on
    if joined is not None:
        return Step(StepKind.TALENT_COMMUNITY, title, State.DONE, f"Joined on {_fmt_day(joined)}.")
    link = opportunity.talent_community_link
    where = (
        f"Sign up at {link} to hear of new openings."
        if link
        else "Ask the recruiter where to sign up for their talent community or job alerts."
    )
    return Step(StepKind.TALENT_COMMUNITY, title, State.TO_DO, f"{where} Mark it joined once done.")


def held_or_planned(opportunity: Opportunity) -> Opportunity:
    """The opportunity without its cancelled rounds: a round called off asks nothing of anyone."""
    if not any(r.cancelled for r in opportunity.rounds):
        return opportunity
    rounds = [r for r in opportunity.rounds if not r.cancelled]
    return opportunity.model_copy(update={"rounds": rounds})


def checklist(
    opportunity: Opportunity, now: datetime, *, no_response_after: timedelta = NO_RESPONSE_AFTER
) -> Checklist:
    """Every step of the follow-up checklist for one opportunity, most urgent first."""
    steps = _steps(opportunity, now, no_response_after)
    steps.sort(key=Step.sort_key)
    return Checklist(opportunity, steps)


def next_step(
    opportunity: Opportunity, now: datetime, *, no_response_after: timedelta = NO_RESPONSE_AFTER
) -> Step | None:
    """The checklist's first open step (the most urgent), or None when nothing is open.

    The same step as `checklist(...).open_steps[0]`, without sorting the rest: a comparison of
    thousands of opportunities asks only this of each.
    """
    steps = _steps(opportunity, now, no_response_after)
    return min((s for s in steps if s.state in _OPEN_STATES), key=Step.sort_key, default=None)


def _steps(opportunity: Opportunity, now: datetime, no_response_after: timedelta) -> list[Step]:
    _require_aware(now)
    zone = now.tzinfo
    # Compare in UTC: two times in the same zone would otherwise compare by wall clock.
    now = now.astimezone(UTC)
    opportunity = held_or_planned(opportunity)
    return [
        *_thank_you_steps(opportunity, now),
        *_debrief_steps(opportunity, now),
        *_research_step(opportunity, now),
        *_reflection_steps(opportunity, now),
        *_timeline_step(opportunity, now, no_response_after),
        *_linkedin_step(opportunity),
        *_rejection_steps(opportunity, now, zone),
    ]


def open_processes(opportunities: Iterable[Opportunity]) -> list[Opportunity]:
    """Opportunities whose hiring process has not ended."""
    return [o for o in opportunities if not o.status.ended]


def keep_searching(opportunities: Iterable[Opportunity], min_active: int = MIN_ACTIVE) -> Step:
    """The workbook-wide step: never let one opportunity be the whole pipeline.

    Silent once an offer is accepted; on an empty workbook it shows the way in instead.
    """
    opportunities = list(opportunities)
    title = "Keep searching"
    accepted = [o for o in opportunities if o.status is Status.ACCEPTED]
    if accepted:
        return Step(
            StepKind.KEEP_SEARCHING,
            title,
            State.NOT_APPLICABLE,
            f"You accepted the offer from {accepted[0].company}: no need to keep searching.",
        )
    if not opportunities:
        return Step(
            StepKind.KEEP_SEARCHING,
            title,
            State.TO_DO,
            "Start by recording an opportunity and its first round (the interview notebook, "
            "01_interview); the checklist takes it from there.",
        )
    count = len(open_processes(opportunities))
    if count >= min_active:
        return Step(
            StepKind.KEEP_SEARCHING,
            title,
            State.DONE,
            f"{formats.plural(count, 'open process')} (your aim: at least {min_active}).",
        )
    return Step(
        StepKind.KEEP_SEARCHING,
        title,
        State.TO_DO,
        f"Only {formats.plural(count, 'open process')}; aim for at least {min_active} so no "
        "single one is your whole pipeline.",
    )


@dataclass(frozen=True)
class Overview:
    """The whole workbook's checklists, most urgent opportunity first, and the pipeline warning."""

    checklists: list[Checklist]
    keep_searching: Step
    now: datetime

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


def overview(
    opportunities: Iterable[Opportunity],
    now: datetime,
    min_active: int = MIN_ACTIVE,
    *,
    no_response_after: timedelta = NO_RESPONSE_AFTER,
) -> Overview:
    """Checklists for every opportunity, sorted so the most urgent comes first."""
    opportunities = list(opportunities)
    lists = sorted(
        (checklist(o, now, no_response_after=no_response_after) for o in opportunities),
        key=Checklist.sort_key,
    )
    return Overview(lists, keep_searching(opportunities, min_active), now)


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
    _require_aware(now)
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
