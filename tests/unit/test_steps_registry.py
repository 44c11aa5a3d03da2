"""One checklist behind every face: drafts and calendar entries come from the same computed
checklist as the status, and a step registered from outside shows in every face."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.calendar.ics import entries_for, event_for
from followup.cli.render import overview_text
from followup.core.model import Opportunity
from followup.core.policy import Policy
from followup.drafts.compose import drafts_for
from followup.reports import round_report
from followup.steps import (
    CHECK_IN_TITLE,
    State,
    Step,
    StepKind,
    StepType,
    act,
    checklist,
    draft_kinds,
    overview,
    register,
    step_type,
    step_types,
    unregister,
)
from followup.steps.entries import entry, span
from strategies import moments, opportunities

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 26, 18, tzinfo=BERLIN)

#: Which step kind each draft kind belongs to.
DRAFTED_BY = {kind: t.kind for t in step_types() for kind in t.draft_kinds}
#: Calendar entries that belong to no step's state: the interview itself, the recruiter's date.
NOT_STEPS = {"interview", "recruiter_date"}
#: Entry names that are not a step kind: the check-in is the timeline step's entry.
ENTRY_KIND = {"check_in": StepKind.TIMELINE}

policies = st.builds(
    Policy,
    min_active=st.integers(0, 5),
    no_response_after=st.integers(1, 40).map(lambda d: timedelta(days=d)),
)


@settings(max_examples=150, deadline=None)
@given(opportunity=opportunities(), now=moments(), policy=policies)
def test_every_draft_and_calendar_entry_belongs_to_an_open_step_of_the_same_checklist(
    opportunity: Opportunity, now: datetime, policy: Policy
) -> None:
    checks = checklist(opportunity, now, policy)
    drafts = drafts_for(opportunity, now, policy=policy)
    actionable = [s for s in checks.steps if s.state.actionable]
    for draft in drafts:
        kind = DRAFTED_BY[str(draft.kind)]
        owners = [s for s in actionable if s.kind == kind]
        assert owners, f"a {draft.kind} draft with no open {kind} step: {checks.steps}"
        if kind == StepKind.THANK_YOU:
            assert any(s.person == draft.person and s.round == draft.round for s in owners)
    # An open step with a note to draft gets its note.
    for step in actionable:
        declared = step_type(step.kind)
        if not declared.draft_kinds or (step.kind == StepKind.THANK_YOU and not step.person):
            continue
        if step.kind == StepKind.TALENT_COMMUNITY and opportunity.talent_community_link:
            continue  # the sign-up link is known: nothing to ask
        if step.kind == StepKind.TIMELINE and step.title != CHECK_IN_TITLE:
            continue  # recording what the recruiter said is not a note to send
        mine = [d for d in drafts if DRAFTED_BY[str(d.kind)] == step.kind]
        if step.person:
            mine = [d for d in mine if d.person == step.person and d.round == step.round]
        assert mine, f"the open step {step} has no draft"
    for item in entries_for(opportunity, now, policy):
        if item.step in NOT_STEPS:
            continue
        kind = ENTRY_KIND.get(item.step, item.step)
        steps = [s for s in checks.steps if s.kind == kind]
        if item.done:
            assert not event_for(item, now).walk("VALARM"), "a done entry never rings"
            continue
        # An open entry is an open step: to do, or (for the check-in) the wait before it.
        assert any(s.state.open for s in steps), f"{item.title} for steps {steps}"


def test_drafts_and_calendar_follow_the_workbooks_no_response_wait():
    """With `no_response_after_days: 7` and a check-in 8 days ago, status says 'no response?';
    no face drafts or schedules another check-in (they used the default 21 days)."""
    opportunity = Opportunity.model_validate(
        {
            "id": "acme",
            "company": "Acme",
            "recruiter": {"name": "Rae Cruz", "email": "rae@x.example"},
            "timeline": {"decision_by": "2026-11-01", "checked_in_on": "2026-11-18"},
            "rounds": [
                {
                    "name": "Onsite",
                    "starts_at": "2026-10-20T10:00:00+02:00",
                    "timezone": "Europe/Berlin",
                    "interviewers": [
                        {
                            "name": "Kim Lee",
                            "email": "kim@x.example",
                            "thank_you": {"sent_at": "2026-10-20T18:00:00+02:00"},
                        }
                    ],
                    "debrief": {"notes": "Went well."},
                }
            ],
        }
    )
    policy = Policy(no_response_after=timedelta(days=7))
    titles = [s.title for s in checklist(opportunity, NOW, policy).open_steps]
    assert "No news: mark it 'no response'?" in titles
    assert [d.kind for d in drafts_for(opportunity, NOW, policy=policy)] == []
    open_entries = [e.step for e in entries_for(opportunity, NOW, policy) if not e.done]
    assert "check_in" not in open_entries
    # With the default wait (21 days) the same day still asks for a check-in.
    assert "check-in" in [str(d.kind) for d in drafts_for(opportunity, NOW)]


class Toy(StepType):
    """A step registered from outside the package, as a plug-in would."""

    kind = "toy"
    number = 9
    label = "Water the plant"
    draft_kinds: ClassVar[tuple[str, ...]] = ("toy-note",)

    def steps(self, situation: Any) -> list[Step]:
        due = situation.now + timedelta(hours=2)
        return [Step(self.kind, "Water the plant", State.DUE_SOON, "It looks dry.", due=due)]

    def drafts(self, situation: Any, steps: list[Step], drafter: Any, asked: Any) -> list[Any]:
        return [drafter.note("toy-note", None, {"plant": "fern"})] if steps else []

    def calendar(self, situation: Any, steps: list[Step]) -> list[Any]:
        o = situation.opportunity
        return [entry(o.id, o.company, None, self.kind, s.title, s.why, span(s.due)) for s in steps]

    def report_line(self, step: Step, zone: Any) -> str:
        return "Toy line in the report."


@pytest.fixture
def toy():
    register(Toy())
    yield
    unregister("toy")


def test_a_step_registered_from_outside_shows_in_status_drafts_calendar_and_the_report(
    toy, tmp_path: Path
):
    opportunity = Opportunity.model_validate(
        {
            "id": "acme",
            "company": "Acme",
            "rounds": [{"name": "Onsite", "starts_at": "2026-11-26T10:00:00+01:00"}],
        }
    )
    assert "toy-note" in draft_kinds()
    assert "Water the plant" in overview_text(overview([opportunity], NOW), BERLIN)
    (tmp_path / "toy-note.txt.j2").write_text(
        "Subject: About the {{ plant }}\n\nThe {{ plant }} needs water.\n", encoding="utf-8"
    )
    (note,) = drafts_for(opportunity, NOW, kind="toy-note", templates_dir=tmp_path)
    assert note.subject == "About the fern" and "Water the plant" not in note.body
    assert note.title.startswith("Toy note to Hiring team")
    assert "Water the plant · Acme" in [e.title for e in entries_for(opportunity, NOW)]
    frame = round_report.build(opportunity, "", NOW).checklist_frame()
    assert "Toy line in the report." in frame["Why"].tolist()


def test_the_toy_step_is_gone_once_unregistered():
    assert "toy" not in [t.kind for t in step_types()]
    assert "toy-note" not in draft_kinds()


@given(opportunity=opportunities(), at=moments())
@settings(max_examples=60, deadline=None)
def test_every_done_action_is_undone_by_its_undo(opportunity: Opportunity, at: datetime):
    """Done then undo leaves a step as it was, for every step with actions (people: the first)."""
    person = next((p.name for r in opportunity.rounds for p in r.interviewers), None)
    for declared in step_types():
        if "done" not in declared.actions:
            continue
        needs_person = declared.kind in (StepKind.THANK_YOU, StepKind.CARD)
        if needs_person and person is None:
            continue
        who = person if needs_person else None
        try:
            done = act(opportunity, declared.kind, "done", at, person=who)
        except Exception as exc:  # the only refusal: LinkedIn while the process is open
            assert declared.kind == StepKind.LINKEDIN and not opportunity.status.ended, exc
            continue
        assert done is not opportunity
        undone = act(done, declared.kind, "undo", at, person=who)
        again = act(undone, declared.kind, "done", at, person=who)
        kind = declared.kind
        twice = act(undone, kind, "undo", at, person=who)
        assert checklist(again, at).of_kind(kind) == checklist(done, at).of_kind(kind)
        assert checklist(twice, at).of_kind(kind) == checklist(undone, at).of_kind(kind)
