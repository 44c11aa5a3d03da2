"""The stage history: derived for older files, recorded on each change, merged as a list."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from followup.core import stages
from followup.core.merge import merge
from followup.core.model import Opportunity, Stage, StageChange, Status

TODAY = date(2026, 12, 2)


def opportunity(**fields) -> Opportunity:
    return Opportunity.model_validate({"id": "acme", "company": "Acme", **fields})


def kinds(changes: list[StageChange]) -> list[str]:
    return [c.stage.value for c in changes]


def test_an_older_file_gets_its_history_from_the_day_applied_the_rounds_and_the_outcome():
    old = opportunity(
        applied_on="2026-10-01",
        rounds=[{"name": "Phone", "starts_at": "2026-10-09T10:00+02:00"}],
        status="rejected",
        outcome_on="2026-10-20",
    )
    assert [(c.stage, c.day) for c in stages.history(old)] == [
        (Stage.APPLIED, date(2026, 10, 1)),
        (Stage.INTERVIEWING, date(2026, 10, 9)),
        (Stage.REJECTED, date(2026, 10, 20)),
    ]
    assert old.stages == []  # derived, not written


def test_an_accepted_offer_counts_as_having_reached_the_offer():
    done = opportunity(status="accepted", outcome_on="2026-11-01")
    assert kinds(stages.history(done)) == ["offer", "accepted"]
    assert stages.reached(done, Stage.OFFER)


def test_a_rejection_without_a_round_never_reached_an_interview():
    rejected = opportunity(applied_on="2026-10-01", status="rejected", outcome_on="2026-10-05")
    assert not stages.reached(rejected, Stage.INTERVIEWING)


def test_an_imported_interviewing_row_with_no_rounds_stays_interviewing():
    row = opportunity(stages=[{"stage": "interviewing", "day": None}])
    assert stages.current_stage(row) is Stage.INTERVIEWING
    assert stages.sync(row, row, TODAY) is row


def test_a_status_change_records_the_new_stage_after_the_derived_history():
    before = opportunity(applied_on="2026-10-01")
    after = before.model_copy(update={"status": Status.REJECTED, "outcome_on": date(2026, 11, 30)})
    synced = stages.sync(before, after, TODAY)
    assert [(c.stage, c.day) for c in synced.stages] == [
        (Stage.APPLIED, date(2026, 10, 1)),
        (Stage.REJECTED, date(2026, 11, 30)),
    ]


def test_a_decision_day_left_from_an_earlier_stage_is_not_reused():
    before = opportunity(status="offer", outcome_on="2026-11-20", applied_on="2026-10-01")
    after = before.model_copy(update={"status": Status.ACCEPTED})
    synced = stages.sync(before, after, TODAY)
    assert (synced.stages[-1].stage, synced.stages[-1].day) == (Stage.ACCEPTED, TODAY)


def test_a_first_round_moves_an_application_to_interviewing_on_the_day_it_was_recorded():
    before = opportunity(applied_on="2026-10-01")
    after = opportunity(
        applied_on="2026-10-01",
        rounds=[{"name": "Phone", "starts_at": "2026-12-10T10:00+01:00"}],
    )
    synced = stages.sync(before, after, TODAY)
    assert [(c.stage, c.day) for c in synced.stages][-1] == (Stage.INTERVIEWING, TODAY)


def test_a_save_that_does_not_change_the_stage_writes_no_history():
    old = opportunity(applied_on="2026-10-01", notes="a")
    edited = old.model_copy(update={"notes": "b"})
    assert stages.sync(old, edited, TODAY) is edited
    assert edited.stages == []


def test_record_stage_keeps_the_history_and_does_not_repeat_the_last_stage():
    o = stages.record_stage(opportunity(applied_on="2026-10-01"), Stage.INTERVIEWING, TODAY)
    assert kinds(o.stages) == ["applied", "interviewing"]
    assert stages.record_stage(o, Stage.INTERVIEWING, TODAY) is o


def test_two_writers_adding_stage_changes_both_land_in_the_merge():
    base = opportunity(stages=[{"stage": "applied", "day": "2026-10-01"}])
    mine = stages.record_stage(base, Stage.INTERVIEWING, date(2026, 10, 8))
    theirs = stages.record_stage(base, Stage.WITHDRAWN, date(2026, 10, 9))
    result = merge(*(o.model_dump(mode="json") for o in (base, mine, theirs)))
    assert not result.conflicts
    merged = Opportunity.model_validate(result.merged)
    assert sorted(kinds(merged.stages)) == ["applied", "interviewing", "withdrawn"]


def test_the_same_stage_change_made_by_two_writers_lands_once():
    base = opportunity(applied_on="2026-10-01")  # no history written yet on either side
    mine = stages.record_stage(base, Stage.REJECTED, date(2026, 10, 9))
    theirs = stages.record_stage(base, Stage.REJECTED, date(2026, 10, 9))
    result = merge(*(o.model_dump(mode="json") for o in (base, mine, theirs)))
    assert kinds(Opportunity.model_validate(result.merged).stages) == ["applied", "rejected"]


statuses = st.sampled_from(list(Status))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))


@given(statuses, statuses, st.none() | days, st.none() | days, st.booleans())
def test_after_any_status_change_the_history_ends_at_the_current_stage(
    first, second, applied, outcome, with_round
):
    rounds = [{"name": "R1", "starts_at": "2026-10-09T10:00+02:00"}] if with_round else []
    before = opportunity(status=first, applied_on=applied, rounds=rounds)
    after = opportunity(status=second, applied_on=applied, rounds=rounds, outcome_on=outcome)
    synced = stages.sync(before, after, TODAY)
    current = stages.current_stage(synced)
    if current is not None:
        assert stages.history(synced)[-1].stage is current


def test_a_status_edited_by_hand_past_its_recorded_history_still_counts_as_reached():
    edited = opportunity(status="offer", stages=[{"stage": "applied", "day": "2026-10-01"}])
    assert stages.reached(edited, Stage.OFFER)
    assert stages.reached(edited, Stage.INTERVIEWING)
    assert not stages.reached(edited, Stage.ACCEPTED)
