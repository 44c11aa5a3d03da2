"""4. Be patient: the recruiter's timeline, and a polite check-in only once it has passed.

This module also decides when the silence has lasted long enough to suggest marking the process
'no response' (the step itself is `followup.steps.no_response`): one computation, two steps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from followup.core.model import Interview, Opportunity, Status, Timeline
from followup.core.policy import DEFAULT_POLICY, NO_RESPONSE_AFTER, Policy
from followup.steps.base import (
    Situation,
    State,
    Step,
    StepKind,
    StepType,
    declare_actions,
    end_of_day,
    fmt_day,
    held_or_planned,
    local,
    next_round,
    past_rounds,
    require_aware,
    state_for,
)
from followup.steps.entries import Entry, at, describe, drafts_hint, entry, span, whole_day

KIND = StepKind.TIMELINE
NO_RESPONSE_KIND = StepKind.NO_RESPONSE
#: With no date from the recruiter, a polite check-in becomes reasonable this long after the round.
NO_DATE_WAIT = timedelta(days=14)
#: Days allowed for the check-in once the recruiter's date has passed.
CHECK_IN_GRACE = timedelta(days=3)
#: After a check-in, wait this long before the next one.
CHECK_IN_INTERVAL = timedelta(days=7)
#: The title of the step that asks for a check-in; the one that suggests 'no response'.
CHECK_IN_TITLE = "Check in with the recruiter"
NO_RESPONSE_TITLE = "No news: mark it 'no response'?"


def timeline_overtaken(opportunity: Opportunity, now: datetime) -> Interview | None:
    """The latest round held after the recruiter's date, when one was (else None).

    A date given before a later round (16 Nov, then round 2 on 25 Nov) says nothing about the
    news after that round: the person records the new timeline instead of chasing the old one.
    """
    timeline = opportunity.timeline
    if timeline is None or timeline.decision_by is None:
        return None
    past = past_rounds(held_or_planned(opportunity), now)
    if not past:
        return None
    last = max(past, key=lambda r: r.starts_at)
    return last if local(last.starts_at, last.zone).date() > timeline.decision_by else None


def next_steps_reason(opportunity: Opportunity, now: datetime) -> str | None:
    """Why a thank-you note should ask about next steps, or None when the timeline is known."""
    timeline = opportunity.timeline
    if timeline is None:
        return "No timeline recorded yet: ask about next steps in the note."
    if not timeline.given:
        return "No timeline was given: ask about next steps in the note."
    if timeline_overtaken(opportunity, now) is not None:
        return "The recruiter's date came before this round: ask about next steps in the note."
    return None


def asks_about_next_steps(opportunity: Opportunity, now: datetime) -> bool:
    """True when the thank-you note should ask about next steps: nothing known was said.

    That is when no timeline is recorded, when the recruiter gave none, or when a later round
    has overtaken the date they gave.
    """
    require_aware(now)
    return next_steps_reason(opportunity, now.astimezone(UTC)) is not None


def timeline_steps(
    opportunity: Opportunity, now: datetime, no_response_after: timedelta = NO_RESPONSE_AFTER
) -> list[Step]:
    """The one timeline step of an active process (waiting, check in, or 'no response?').

    `opportunity` without its cancelled rounds, `now` in UTC.
    """
    title = "Recruiter's timeline"
    if opportunity.status is not Status.ACTIVE:
        return []
    past = past_rounds(opportunity, now)
    if not past:
        return []
    timeline = opportunity.timeline
    last = max(past, key=lambda r: r.starts_at)
    if timeline is None:
        return [
            Step(
                KIND,
                title,
                State.TO_DO,
                "Record what the recruiter said about next steps, or that they said nothing.",
            )
        ]
    upcoming = next_round(opportunity, now)
    if upcoming is not None:
        return [
            Step(
                KIND,
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
                KIND,
                "Record the new timeline",
                State.TO_DO,
                f"The recruiter's date ({fmt_day(timeline.decision_by)}) came before "
                f"{overtaken.name}: record what they said about next steps since, or that they "
                "said nothing (your thank-you note can ask). No need to chase the old date.",
                round=overtaken.key,
            )
        ]
    if timeline.decision_by is not None:
        news_by = end_of_day(timeline.decision_by, zone)
        if now < news_by:
            return [
                Step(
                    KIND,
                    title,
                    State.WAITING,
                    f"Waiting until {fmt_day(timeline.decision_by)}, as the recruiter said; "
                    "don't reach out before then.",
                    due=news_by,
                )
            ]
        earliest = news_by
    else:
        earliest = local(last.ends_at, zone) + NO_DATE_WAIT
        if now < earliest:
            ask = (
                " No timeline was given: your thank-you note asks about next steps."
                if not timeline.given
                else ""
            )
            return [
                Step(
                    KIND,
                    title,
                    State.WAITING,
                    f"No date was given; give them until {fmt_day(earliest.date())} before a "
                    f"polite check-in.{ask}",
                    due=earliest,
                )
            ]
    if checked is not None and end_of_day(checked, zone) > earliest:
        silent_since = end_of_day(checked, zone)
        if now >= silent_since + no_response_after:
            return [
                Step(
                    NO_RESPONSE_KIND,
                    NO_RESPONSE_TITLE,
                    State.TO_DO,
                    f"You checked in on {fmt_day(checked)} and have heard nothing since. "
                    "Silence is an answer too: mark the process 'no response', then ask about "
                    "other roles and keep your search moving. You can reopen it if they write.",
                )
            ]
        next_check = end_of_day(checked, zone) + CHECK_IN_INTERVAL - timedelta(days=1)
        if now < next_check:
            return [
                Step(
                    KIND,
                    title,
                    State.WAITING,
                    f"You checked in on {fmt_day(checked)}; give them until "
                    f"{fmt_day(next_check.date())} before asking again.",
                    due=next_check,
                )
            ]
        earliest = next_check
    due = earliest + CHECK_IN_GRACE
    return [
        Step(
            KIND,
            CHECK_IN_TITLE,
            state_for(due, now),
            "The date has passed with no news: send a short, polite check-in."
            if timeline.decision_by
            else "It has been a while with no news: send a short, polite check-in.",
            due=due,
        )
    ]


def situation_steps(situation: Situation) -> list[Step]:
    """`timeline_steps` for a situation, worked out once for this step and 'no response'."""
    memo = situation.memo
    if "timeline" not in memo:
        memo["timeline"] = timeline_steps(
            situation.opportunity, situation.now, situation.policy.no_response_after
        )
    return memo["timeline"]


def _check_in(steps: list[Step]) -> Step | None:
    # Only the check-in is actionable with a due time; waiting steps are not actionable.
    return next((s for s in steps if s.state.actionable and s.due is not None), None)


def check_in_step(
    opportunity: Opportunity, now: datetime, policy: Policy = DEFAULT_POLICY
) -> Step | None:
    """The polite check-in with the recruiter when it is due, else None.

    None before the recruiter's date (or the default wait) has passed, while a round is scheduled,
    when no timeline is recorded, once the silence suggests 'no response', and once the process
    is no longer active.
    """
    require_aware(now)
    steps = timeline_steps(
        held_or_planned(opportunity), now.astimezone(UTC), policy.no_response_after
    )
    return _check_in([s for s in steps if s.kind == KIND])


def suggests_no_response(
    opportunity: Opportunity, now: datetime, after: timedelta = NO_RESPONSE_AFTER
) -> bool:
    """True when the checklist suggests marking an active process 'no response'.

    That is when the recruiter's date (or, with no date, the default wait) has passed, the person
    then checked in, and nothing has come back for `after` since that check-in.
    """
    require_aware(now)
    steps = timeline_steps(held_or_planned(opportunity), now.astimezone(UTC), after)
    return any(s.kind == NO_RESPONSE_KIND and s.state is State.TO_DO for s in steps)


def mark_checked_in(
    opportunity: Opportunity, at_: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """A check-in with the recruiter recorded on the day of `at_`."""
    changed = opportunity.model_copy(deep=True)
    if changed.timeline is None:
        changed.timeline = Timeline()
    changed.timeline.checked_in_on = at_.date()
    return changed


def unmark_checked_in(
    opportunity: Opportunity, at_: datetime, *, round: str | None = None, person: str | None = None
) -> Opportunity:
    """The check-in was not sent after all."""
    changed = opportunity.model_copy(deep=True)
    if changed.timeline is not None:
        changed.timeline.checked_in_on = None
    return changed


class RecruitersTimeline(StepType):
    kind = KIND
    number = 4
    label = "Recruiter's timeline and check-in"
    draft_kinds = ("check-in",)
    actions = declare_actions(done=mark_checked_in, undo=unmark_checked_in)

    def steps(self, situation: Situation) -> list[Step]:
        return [s for s in situation_steps(situation) if s.kind == KIND]

    def drafts(
        self, situation: Situation, steps: list[Step], drafter: Any, asked: str | None
    ) -> list[Any]:
        # A check-in is drafted only once it is due, even when asked for by name.
        return [drafter.to_recruiter("check-in")] if _check_in(steps) is not None else []

    def calendar(self, situation: Situation, steps: list[Step]) -> list[Entry]:
        o = situation.opportunity
        entries = []
        timeline = o.timeline
        if timeline is not None and timeline.decision_by is not None:
            entries.append(
                entry(
                    o.id,
                    o.company,
                    o.link,
                    "recruiter_date",
                    "The recruiter's date",
                    describe(None, timeline.next_step, "Don't reach out before then."),
                    whole_day(timeline.decision_by),
                    done=o.status.ended,
                )
            )
        check_in = _check_in(steps)
        if check_in is None:
            waiting = [s for s in steps if s.state is State.WAITING]
            if waiting and waiting[0].due is not None and waiting[0].round is None:
                # The check-in that becomes due when the wait ends, if no news comes first.
                later = timeline_steps(
                    o, waiting[0].due.astimezone(UTC), situation.policy.no_response_after
                )
                check_in = _check_in([s for s in later if s.kind == KIND])
        if check_in is not None:
            when = span(check_in.due)
            zone = check_in.due.tzinfo
            start = when[0]
            day = start.astimezone(zone).date() if isinstance(start, datetime) else start
            entries.append(
                entry(
                    o.id,
                    o.company,
                    o.link,
                    "check_in",
                    "Check in with the recruiter if there is no news",
                    describe(check_in.why, drafts_hint(o.id, "check-in")),
                    when,
                    alarm=at(day, situation.policy.reminders.check_in_at, zone),
                )
            )
        elif timeline is not None and timeline.checked_in_on is not None:
            entries.append(
                entry(
                    o.id,
                    o.company,
                    o.link,
                    "check_in",
                    CHECK_IN_TITLE,
                    f"You checked in on {timeline.checked_in_on:%a %d %b %Y}.",
                    whole_day(timeline.checked_in_on),
                    done=True,
                )
            )
        return entries


STEP = RecruitersTimeline()
