"""The workbook on disk: round trips, atomic saves, history, conflicts, locks and broken files."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from followup.core.errors import (
    AlreadyExists,
    ConflictError,
    InvalidId,
    InvalidRecord,
    MergeConflict,
    NotFound,
)
from followup.core.model import Interview, Interviewer, Opportunity, Timeline
from followup.storage.files import dump_opportunity, parse_opportunity
from followup.storage.workbook import Workbook, resolve_data_dir
from support import EXAMPLE, ROOT


def test_the_example_workbook_loads_with_no_problem():
    loaded = Workbook(EXAMPLE).load()
    assert loaded.problems == []
    assert len(loaded.stored) == 5
    currencies = {o.salary_range.currency for o in loaded.opportunities if o.salary_range}
    assert len(currencies) >= 2
    statuses = {o.status.value for o in loaded.opportunities}
    assert {"active", "rejected", "offer"} <= statuses


def test_example_files_are_in_the_stores_own_format(example_dir):
    for stored in Workbook(example_dir).load().stored.values():
        assert dump_opportunity(stored.opportunity) == stored.path.read_text(encoding="utf-8")


def test_non_ascii_names_round_trip(example_dir):
    book = Workbook(example_dir)
    stored = book.get("northwind-data-analyst")
    text = stored.path.read_text(encoding="utf-8")
    assert "Jörg Müller" in text and "Amélie Dubois" in text
    again = parse_opportunity(dump_opportunity(stored.opportunity), stored.path)
    assert again == stored.opportunity


def test_saving_an_unchanged_record_writes_nothing(example_dir):
    book = Workbook(example_dir)
    stored = book.get("lumen-ux-researcher")
    before = stored.path.stat().st_mtime_ns
    book.save(stored.opportunity, base_version=stored.version)
    assert stored.path.stat().st_mtime_ns == before
    assert book.history("lumen-ux-researcher") == []


def test_a_save_keeps_the_previous_version_and_private_permissions(example_dir):
    book = Workbook(example_dir)
    stored = book.get("lumen-ux-researcher")
    old_text = stored.path.read_text(encoding="utf-8")
    changed = stored.opportunity.model_copy(update={"notes": "Line one\nLine two"})
    saved = book.save(changed, base_version=stored.version)
    assert saved.version != stored.version
    assert "notes: |-\n  Line one\n  Line two" in saved.path.read_text(encoding="utf-8")
    history = book.history("lumen-ux-researcher")
    assert len(history) == 1
    assert history[0].read_text(encoding="utf-8") == old_text
    assert stat.S_IMODE(saved.path.stat().st_mode) == 0o600
    assert stat.S_IMODE((example_dir / ".history").stat().st_mode) == 0o700
    assert not list(saved.path.parent.glob("*.tmp"))


def test_history_is_thinned_as_versions_age(tmp_path):
    book = Workbook(tmp_path)
    stored = book.create(Opportunity(id="acme", company="Acme"))
    folder = book.history_dir("acme")
    now = datetime.now(UTC)
    # Fake saves over 60 days: one every 3 hours, then more in the last hour.
    for hours in range(60 * 24, 0, -3):
        stamp = (now - timedelta(hours=hours)).strftime("%Y%m%dT%H%M%S%fZ")
        (folder / f"{stamp}.yaml").parent.mkdir(parents=True, exist_ok=True)
        (folder / f"{stamp}.yaml").write_text("id: acme\ncompany: Acme\n", encoding="utf-8")
    for minutes in (50, 30, 10):
        stamp = (now - timedelta(minutes=minutes)).strftime("%Y%m%dT%H%M%S%fZ")
        (folder / f"{stamp}.yaml").write_text("id: acme\ncompany: Acme\n", encoding="utf-8")
    book.save(stored.opportunity.model_copy(update={"notes": "x"}), base_version=stored.version)
    kept = book.history("acme")
    # 3 + the one replaced from the last hour, 8 three-hourly in the last day, about 29 daily and
    # about 5 weekly before that.
    assert 40 <= len(kept) <= 52, len(kept)
    versions = book.versions("acme")
    assert versions[-1].current and versions[-1].summary == "notes: (empty) → x"


def test_a_new_workbook_is_private(tmp_path):
    book = Workbook(tmp_path / "mine")
    stored = book.create(Opportunity(id="acme", company="Acme"))
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(book.opportunities_dir.stat().st_mode) == 0o700
    with pytest.raises(AlreadyExists, match="already exists"):
        book.create(Opportunity(id="acme", company="Other"))


def test_a_save_over_a_file_changed_since_loading_is_refused(example_dir):
    book = Workbook(example_dir)
    first = book.get("harbor-bank-pm")
    second = book.get("harbor-bank-pm")
    book.save(first.opportunity.model_copy(update={"notes": "from notebook A"}), first.version)
    with pytest.raises(ConflictError, match="changed on disk since it was loaded"):
        book.save(second.opportunity.model_copy(update={"notes": "from B"}), second.version)
    assert book.get("harbor-bank-pm").opportunity.notes == "from notebook A"


def test_a_failed_write_leaves_the_old_file_whole(example_dir, monkeypatch):
    book = Workbook(example_dir)
    stored = book.get("harbor-bank-pm")
    before = stored.path.read_bytes()

    def crash(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="No space"):
        book.save(stored.opportunity.model_copy(update={"notes": "lost?"}), stored.version)
    monkeypatch.undo()
    assert stored.path.read_bytes() == before
    assert not list(stored.path.parent.glob(".*.tmp"))


def _bump_many(root: str, times: int) -> int:
    book = Workbook(root)
    conflicts = 0
    done = 0
    while done < times:
        stored = book.get("counter")
        count = int(stored.opportunity.notes or 0)
        try:
            book.save(
                stored.opportunity.model_copy(update={"notes": str(count + 1)}), stored.version
            )
        except ConflictError:
            conflicts += 1
            continue
        done += 1
    return conflicts


def test_two_processes_saving_never_lose_an_update(tmp_path):
    book = Workbook(tmp_path)
    book.create(Opportunity(id="counter", company="Counter", notes="0"))
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = [pool.apply_async(_bump_many, (str(tmp_path), 25)) for _ in range(2)]
        conflicts = [r.get(timeout=120) for r in results]
    assert book.get("counter").opportunity.notes == "50"
    assert all(c >= 0 for c in conflicts)


@pytest.mark.parametrize("bad", ["../escape", "/etc/passwd", "", "x" * 65, "Acme", "a/b", "a\nb"])
def test_ids_that_could_leave_the_folder_are_refused(tmp_path, bad):
    book = Workbook(tmp_path)
    with pytest.raises(InvalidId, match="id"):
        book.path_for(bad)
    with pytest.raises(InvalidId):
        book.get(bad)
    assert not (tmp_path.parent / "escape.yaml").exists()


def test_an_unknown_id_is_reported_with_the_known_ones(example_dir):
    with pytest.raises(NotFound, match="harbor-bank-pm"):
        Workbook(example_dir).get("nope")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / "opportunities" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_one_broken_file_does_not_hide_the_others(example_dir):
    write(example_dir, "bad-yaml.yaml", "id: bad-yaml\ncompany: [unclosed\nrole: x\n")
    write(
        example_dir,
        "bad-salary.yaml",
        "id: bad-salary\ncompany: A\nsalary_range:\n  currency: EUR\n  minimum: 90\n  target: 50\n",
    )
    write(
        example_dir, "typo.yaml", "id: typo\ncompany: A\nrecruiter:\n  name: R\n  emial: r@x.io\n"
    )
    write(example_dir, "wrong-name.yaml", "id: other\ncompany: A\n")
    write(example_dir, "Bad Name.yaml", "id: x\ncompany: A\n")
    write(
        example_dir,
        "bad-zone.yaml",
        "id: bad-zone\ncompany: A\nrounds:\n- name: R1\n  timezone: Nowhere\n",
    )
    loaded = Workbook(example_dir).load()
    assert len(loaded.stored) == 5
    messages = {p.path.name: p.message for p in loaded.problems}
    assert len(messages) == 6
    assert "bad-yaml.yaml:3: not valid YAML" in messages["bad-yaml.yaml"]
    assert (
        "bad-salary.yaml:3: field salary_range: the minimum (90) is above the target (50)"
        in (messages["bad-salary.yaml"])
    )
    assert "typo.yaml:5: field recruiter.emial: unknown field" in messages["typo.yaml"]
    assert "field id" in messages["wrong-name.yaml"] and "other.yaml" in messages["wrong-name.yaml"]
    assert "not a valid id" in messages["Bad Name.yaml"]
    assert (
        "bad-zone.yaml:5: field rounds[0].timezone: expected an IANA time zone"
        in (messages["bad-zone.yaml"])
    )


def test_a_non_mapping_and_non_utf8_file_are_explained(tmp_path):
    (tmp_path / "opportunities").mkdir()
    write(tmp_path, "list.yaml", "- a\n- b\n")
    (tmp_path / "opportunities" / "latin.yaml").write_bytes("company: caf\xe9\n".encode("latin-1"))
    messages = {p.path.name: p.message for p in Workbook(tmp_path).load().problems}
    assert "list.yaml: expected a mapping of fields" in messages["list.yaml"]
    assert "latin.yaml: byte 12: expected UTF-8 text" in messages["latin.yaml"]


def test_a_record_that_fails_on_load_raises_a_typed_error(tmp_path):
    with pytest.raises(InvalidRecord) as info:
        parse_opportunity("id: a\ncompany: A\nstatus: hired\n", tmp_path / "a.yaml")
    assert info.value.field == "status"
    assert "'active'" in str(info.value) and "'hired'" in str(info.value)


def test_the_data_folder_comes_from_the_flag_then_the_environment_then_data():
    assert resolve_data_dir("x", env={"FOLLOWUP_DATA": "y"}) == Path("x")
    assert resolve_data_dir(None, env={"FOLLOWUP_DATA": "y"}) == Path("y")
    assert resolve_data_dir(None, env={}) == Path("data")


def test_settings_are_read_and_checked(tmp_path):
    (tmp_path / "settings.yaml").write_text("min_active: 5\n", encoding="utf-8")
    assert Workbook(tmp_path).settings().min_active == 5
    (tmp_path / "settings.yaml").write_text("min_active: lots\n", encoding="utf-8")
    with pytest.raises(InvalidRecord, match=r"settings\.yaml:1: field min_active"):
        Workbook(tmp_path).settings()


def test_the_committed_schema_matches_the_model_and_the_examples():
    jsonschema = pytest.importorskip("jsonschema")
    from followup.core.schema import opportunity_schema

    committed = json.loads((ROOT / "data" / "opportunity.schema.json").read_text(encoding="utf-8"))
    assert committed == opportunity_schema()
    validator = jsonschema.Draft202012Validator(committed)
    for path in sorted((EXAMPLE / "opportunities").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))
        errors = list(validator.iter_errors(data))
        assert errors == [], (path, errors[:1])
    assert list(validator.iter_errors({"id": "x", "company": "A", "salary": 1}))


def test_update_loads_changes_and_saves_in_one_call(example_dir):
    book = Workbook(example_dir)

    def mark_feedback_asked(opportunity: Opportunity) -> None:
        opportunity.feedback.asked_on = "2026-11-27"

    saved = book.update("quill-software-engineer", mark_feedback_asked)
    assert "asked_on: '2026-11-27'" in saved.path.read_text(encoding="utf-8")
    assert book.get("quill-software-engineer").opportunity.feedback.asked_on.isoformat() == (
        "2026-11-27"
    )
    with pytest.raises(ValidationError, match="valid date"):
        book.update("quill-software-engineer", lambda o: setattr(o.feedback, "asked_on", "soon"))
    assert len(book.history("quill-software-engineer")) == 1


def _edit_after_both_loaded(root: str, field: str, value: str, barrier, results) -> None:
    """Load, wait until the other process has loaded too, then change one field and save."""
    book = Workbook(root)
    loaded = book.get("harbor-bank-pm")
    barrier.wait(timeout=60)
    mine = loaded.opportunity.model_copy(deep=True)
    setattr(mine, field, value)
    try:
        saved = book.save(mine, base_version=loaded.version, base=loaded.opportunity)
    except MergeConflict as exc:
        results.put(("conflict", [(c.path, c.mine, c.theirs) for c in exc.conflicts]))
    else:
        results.put(("saved", saved.merged_from_disk))


def _two_writers(root: Path, edits: list[tuple[str, str]]) -> list:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_edit_after_both_loaded, args=(str(root), f, v, barrier, results))
        for f, v in edits
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return outcomes


def test_two_processes_editing_different_fields_both_land(example_dir):
    outcomes = _two_writers(example_dir, [("location", "Lisbon"), ("notes", "Call on Monday")])
    assert sorted(outcomes) == [("saved", False), ("saved", True)]
    saved = Workbook(example_dir).get("harbor-bank-pm")
    assert (saved.opportunity.location, saved.opportunity.notes) == ("Lisbon", "Call on Monday")
    text = saved.path.read_text(encoding="utf-8")
    assert "location: Lisbon" in text and "notes: Call on Monday" in text


def test_two_processes_editing_the_same_field_get_a_conflict_with_both_values(example_dir):
    outcomes = _two_writers(example_dir, [("notes", "from A"), ("notes", "from B")])
    assert sorted(o[0] for o in outcomes) == ["conflict", "saved"]
    (conflict,) = next(o[1] for o in outcomes if o[0] == "conflict")
    path, mine, theirs = conflict
    assert path == ("notes",)
    assert {mine, theirs} == {"from A", "from B"}
    assert Workbook(example_dir).get("harbor-bank-pm").opportunity.notes == theirs


def test_a_merged_save_keeps_their_edit_and_mine_and_a_conflict_writes_nothing(example_dir):
    book = Workbook(example_dir)
    loaded = book.get("northwind-data-analyst")
    theirs = loaded.opportunity.model_copy(deep=True)
    theirs.rounds[0].interviewers[0].title = "Head of Data"
    book.save(theirs, base_version=loaded.version)
    mine = loaded.opportunity.model_copy(deep=True)
    mine.rounds[0].interviewers[0].email = "new@northwind.example"
    mine.notes = "mine"
    saved = book.save(mine, base_version=loaded.version, base=loaded.opportunity)
    assert saved.merged_from_disk
    person = book.get("northwind-data-analyst").opportunity.rounds[0].interviewers[0]
    assert (person.title, person.email) == ("Head of Data", "new@northwind.example")
    assert saved.opportunity == book.get("northwind-data-analyst").opportunity

    before = saved.path.read_bytes()
    clash = loaded.opportunity.model_copy(deep=True)
    clash.notes = "also mine"
    with pytest.raises(MergeConflict, match=r"notes \(yours 'also mine', theirs 'mine'\)") as info:
        book.save(clash, base_version=loaded.version, base=loaded.opportunity)
    assert saved.path.read_bytes() == before
    assert info.value.theirs.version == saved.version
    assert [c.path for c in info.value.conflicts] == [("notes",)]
    resolved = book.save(
        clash,
        base_version=loaded.version,
        base=loaded.opportunity,
        resolutions={("notes",): "mine"},
    )
    assert resolved.opportunity.notes == "also mine"
    assert resolved.opportunity.rounds[0].interviewers[0].title == "Head of Data"


def test_without_a_base_a_changed_file_is_still_refused(example_dir):
    book = Workbook(example_dir)
    loaded = book.get("lumen-ux-researcher")
    book.save(loaded.opportunity.model_copy(update={"notes": "theirs"}), loaded.version)
    with pytest.raises(ConflictError, match="changed on disk since it was loaded") as info:
        book.save(loaded.opportunity.model_copy(update={"role": "mine"}), loaded.version)
    assert not isinstance(info.value, MergeConflict)
    loaded.path.unlink()
    with pytest.raises(ConflictError, match="removed since it was loaded"):
        book.save(loaded.opportunity, loaded.version, base=loaded.opportunity)


def test_a_merge_that_breaks_the_model_is_a_clear_error_and_writes_nothing(tmp_path):
    book = Workbook(tmp_path)
    loaded = book.create(
        Opportunity.model_validate(
            {"id": "acme", "company": "Acme", "rounds": [{"name": "A"}, {"name": "B"}]}
        )
    )
    theirs = loaded.opportunity.model_copy(deep=True)
    theirs.rounds[0].name = "Final"
    book.save(theirs, loaded.version)
    before = loaded.path.read_bytes()
    mine = loaded.opportunity.model_copy(deep=True)
    mine.rounds[1].name = "Final"
    with pytest.raises(
        InvalidRecord, match=r"acme\.yaml: .*do not fit together: two rounds share the name 'final'"
    ) as info:
        book.save(mine, loaded.version, base=loaded.opportunity)
    assert "Nothing was saved" in str(info.value)
    assert loaded.path.read_bytes() == before


def test_update_merges_with_a_file_changed_while_it_ran(example_dir):
    book = Workbook(example_dir)

    def meanwhile(opportunity: Opportunity) -> None:
        other = book.get("quill-software-engineer")
        book.save(other.opportunity.model_copy(update={"location": "Remote"}), other.version)
        opportunity.notes = "checked"

    saved = book.update("quill-software-engineer", meanwhile)
    assert saved.merged_from_disk
    again = book.get("quill-software-engineer").opportunity
    assert (again.location, again.notes) == ("Remote", "checked")


def test_trash_and_restore_round_trip_with_the_history(example_dir):
    book = Workbook(example_dir)
    loaded = book.get("fjord-energy-analyst")
    book.save(loaded.opportunity.model_copy(update={"notes": "before deleting"}), loaded.version)
    text = loaded.path.read_text(encoding="utf-8")
    history = [p.read_bytes() for p in book.history("fjord-energy-analyst")]
    folder = book.trash("fjord-energy-analyst")
    assert folder.parent == example_dir / ".trash" / "fjord-energy-analyst"
    assert not loaded.path.exists() and not book.history_dir("fjord-energy-analyst").exists()
    assert "fjord-energy-analyst" not in Workbook(example_dir).load().stored
    assert stat.S_IMODE((example_dir / ".trash").stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    with pytest.raises(NotFound, match="to delete"):
        book.trash("fjord-energy-analyst")

    restored = book.restore("fjord-energy-analyst")
    assert restored.path.read_text(encoding="utf-8") == text
    assert restored.opportunity.notes == "before deleting"
    assert [p.read_bytes() for p in book.history("fjord-energy-analyst")] == history
    assert not folder.exists()
    book.trash("fjord-energy-analyst")
    book.create(restored.opportunity.model_copy(update={"notes": "a new one"}))
    with pytest.raises(AlreadyExists, match="exists now"):
        book.restore("fjord-energy-analyst")
    assert book.get("fjord-energy-analyst").opportunity.notes == "a new one"
    with pytest.raises(NotFound, match="no deleted opportunity 'acme'"):
        book.restore("acme")


def test_versions_are_numbered_oldest_first_with_what_changed(tmp_path):
    book = Workbook(tmp_path)
    stored = book.create(Opportunity(id="acme", company="Acme"))
    changed = stored.opportunity.model_copy(deep=True)
    changed.rounds = [Interview(name="Round 1", interviewers=[Interviewer(name="Priya Raman")])]
    stored = book.save(changed, stored.version)
    changed = stored.opportunity.model_copy(deep=True)
    changed.timeline = Timeline(decision_by="2026-12-03")
    stored = book.save(changed, stored.version)
    versions = book.versions("acme")
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.current for v in versions] == [False, False, True]
    assert versions[0].summary == "the oldest version kept"
    # A first round moves the application to 'interviewing': the save records that stage too.
    assert versions[1].summary == "stages: + stage change 1; rounds: + Round 1"
    assert versions[2].summary == (
        "timeline.given: (empty) → true; timeline.decision_by: (empty) → 2026-12-03"
    )
    assert versions[0].saved_at <= versions[1].saved_at <= versions[2].saved_at
    assert versions[2].path == stored.path


def test_restoring_a_version_is_itself_a_new_version_that_can_be_undone(tmp_path):
    book = Workbook(tmp_path)
    first = book.create(Opportunity(id="acme", company="Acme", notes="one"))
    second = book.save(first.opportunity.model_copy(update={"notes": "two"}), first.version)
    restored = book.restore_version("acme", 1)
    assert restored.opportunity.notes == "one"
    versions = book.versions("acme")
    assert len(versions) == 3 and versions[-1].summary == "notes: two → one"
    undone = book.restore_version("acme", 2)
    assert undone.opportunity == second.opportunity
    assert book.restore_version("acme", 4).opportunity.notes == "two"  # the current: no change
    with pytest.raises(NotFound, match="no version 9; expected 1 to 4"):
        book.restore_version("acme", 9)
    book.trash("acme")
    with pytest.raises(NotFound, match="in the trash: restore it first"):
        book.restore_version("acme", 1)


def test_a_broken_old_version_is_listed_and_not_restored(tmp_path):
    book = Workbook(tmp_path)
    first = book.create(Opportunity(id="acme", company="Acme"))
    book.save(first.opportunity.model_copy(update={"notes": "two"}), first.version)
    (old,) = book.history("acme")
    old.unlink()
    old.write_text("id: acme\ncompany: [broken\n", encoding="utf-8")
    versions = book.versions("acme")
    assert versions[0].summary.startswith("cannot be read: ") and "not valid YAML" in (
        versions[0].summary
    )
    with pytest.raises(InvalidRecord, match="not valid YAML"):
        book.restore_version("acme", 1)
    assert book.get("acme").opportunity.notes == "two"


def test_a_save_removes_leftovers_of_crashed_saves_but_not_fresh_ones(tmp_path):
    book = Workbook(tmp_path)
    stored = book.create(Opportunity(id="acme", company="Acme"))
    old = stored.path.parent / ".acme.yaml.abc123.tmp"
    fresh = stored.path.parent / ".acme.yaml.def456.tmp"
    for leftover in (old, fresh):
        leftover.write_text("half", encoding="utf-8")
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).timestamp()
    os.utime(old, (an_hour_ago, an_hour_ago))
    book.save(stored.opportunity.model_copy(update={"notes": "x"}), stored.version)
    assert not old.exists() and fresh.exists()


def test_quick_saves_are_all_kept_in_the_order_they_were_made(tmp_path):
    book = Workbook(tmp_path)
    stored = book.create(Opportunity(id="acme", company="Acme", notes="v0"))
    same_moment = stored.path.stat().st_mtime_ns
    for i in range(1, 6):
        os.utime(stored.path, ns=(same_moment, same_moment))  # a coarse clock: one stamp for all
        stored = book.save(stored.opportunity.model_copy(update={"notes": f"v{i}"}), stored.version)
    summaries = [v.summary for v in book.versions("acme")]
    assert summaries == ["the oldest version kept"] + [
        f"notes: v{i - 1} → v{i}" for i in range(1, 6)
    ]
    (book.history_dir("acme") / "notes.txt").write_text("not a version", encoding="utf-8")
    (book.history_dir("acme") / "copy of 1.yaml").write_text("id: acme\n", encoding="utf-8")
    assert len(book.versions("acme")) == 6


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_a_hostile_history_file_is_listed_never_raised_and_restoring_it_is_a_clear_error(
    tmp_path, content
):
    book = Workbook(tmp_path / "book")
    if not book.path_for("acme").exists():
        first = book.create(Opportunity(id="acme", company="Acme"))
        book.save(first.opportunity.model_copy(update={"notes": "kept"}), first.version)
    (oldest, *_) = book.versions("acme")
    oldest.path.write_bytes(content)
    versions = book.versions("acme")
    assert versions[-1].current and versions[-1].summary
    try:
        book.restore_version("acme", 1)
    except InvalidRecord as exc:
        assert str(oldest.path) in str(exc)
    assert book.get("acme").opportunity.company == "Acme"


def test_a_named_pipe_among_the_versions_is_listed_never_read(tmp_path):
    book = Workbook(tmp_path)
    first = book.create(Opportunity(id="acme", company="Acme"))
    book.save(first.opportunity.model_copy(update={"notes": "two"}), first.version)
    os.mkfifo(book.history_dir("acme") / "20260101T000000000000Z.yaml")
    versions = book.versions("acme")
    assert versions[0].summary.startswith("cannot be read: ") and "pipe" in versions[0].summary
    assert versions[-1].current and versions[-1].summary == "notes: (empty) → two"
    with pytest.raises(InvalidRecord, match="pipe"):
        book.restore_version("acme", 1)
    live = book.path_for("acme")
    live.unlink()
    os.mkfifo(live)
    with pytest.raises(InvalidRecord, match="pipe"):
        book.save(first.opportunity, first.version, base=first.opportunity)


def test_many_new_opportunities_are_created_together_and_the_first_save_keeps_the_import(
    tmp_path,
):
    book = Workbook(tmp_path / "book")
    made = [Opportunity(id=f"acme-{i}", company=f"Acme {i}") for i in range(30)]
    stored = book.create_many(made)
    assert [s.opportunity.id for s in stored] == [o.id for o in made]
    loaded = book.load()
    assert loaded.problems == [] and sorted(loaded.stored) == sorted(o.id for o in made)
    assert [v.current for v in book.versions("acme-7")] == [True]
    assert stat.S_IMODE(book.path_for("acme-7").stat().st_mode) == 0o600
    assert list((tmp_path / "book").rglob("*.tmp")) == []
    imported = book.path_for("acme-7").read_bytes()
    book.save(stored[7].opportunity.model_copy(update={"notes": "called"}), stored[7].version)
    versions = book.versions("acme-7")
    assert [v.current for v in versions] == [False, True]
    assert versions[0].path.read_bytes() == imported
    assert versions[1].summary == "notes: (empty) → called"


def test_creating_many_refuses_them_all_if_one_exists_and_leaves_the_workbook_as_it_was(tmp_path):
    book = Workbook(tmp_path / "book")
    book.create(Opportunity(id="acme-5", company="Already here"))
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "book").rglob("*"))
    made = [Opportunity(id=f"acme-{i}", company=f"Acme {i}") for i in range(10)]
    with pytest.raises(AlreadyExists, match="acme-5"):
        book.create_many(made)
    after = sorted(p.relative_to(tmp_path) for p in (tmp_path / "book").rglob("*"))
    assert after == before
    assert book.get("acme-5").opportunity.company == "Already here"


def test_loading_pauses_the_cycle_collector_only_while_it_reads(tmp_path):
    book = Workbook(tmp_path / "book")
    book.create(Opportunity(id="acme", company="Acme"))
    (book.opportunities_dir / "broken.yaml").write_text("company: [\n")
    assert gc.isenabled()
    assert len(book.load().problems) == 1
    assert gc.isenabled()
    gc.disable()
    try:
        book.load()
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
