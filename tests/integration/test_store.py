"""The workbook on disk: round trips, atomic saves, history, conflicts, locks and broken files."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from followup.errors import AlreadyExists, ConflictError, InvalidId, InvalidRecord, NotFound
from followup.model import Opportunity
from followup.store import (
    HISTORY_KEEP,
    Workbook,
    dump_opportunity,
    parse_opportunity,
    resolve_data_dir,
)
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


def test_history_is_bounded(tmp_path):
    book = Workbook(tmp_path)
    stored = book.create(Opportunity(id="acme", company="Acme"))
    for i in range(HISTORY_KEEP + 5):
        stored = book.save(
            stored.opportunity.model_copy(update={"notes": f"v{i}"}), base_version=stored.version
        )
    assert len(book.history("acme")) == HISTORY_KEEP


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
    from followup.schema import opportunity_schema

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
