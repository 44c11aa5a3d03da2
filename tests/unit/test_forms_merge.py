"""Two forms on one opportunity: edits to different fields both land, the same field is asked.

Each test opens two forms on the same file, as two notebooks (or a notebook and the app) would,
and saves through the store's three-way merge.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.clock import parse_now
from followup.forms.debrief import DebriefForm
from followup.forms.follow_up import FollowUpForm
from followup.forms.interview import InterviewForm, InterviewPage
from followup.storage.workbook import Workbook
from support import EXAMPLE, EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)
ID = "northwind-data-analyst"


def _interview(root: Path) -> InterviewForm:
    book = Workbook(root)
    return InterviewForm(book, book.get(ID), NOW, autosave_seconds=None)


def _follow_up(root: Path) -> FollowUpForm:
    book = Workbook(root)
    return FollowUpForm(book, book.get(ID), NOW, autosave_seconds=None)


def _data(root: Path) -> dict:
    return yaml.safe_load((root / "opportunities" / f"{ID}.yaml").read_text(encoding="utf-8"))


def _button(box, label: str):
    for child in getattr(box, "children", ()):
        if getattr(child, "description", None) == label:
            return child
        found = _button(child, label)
        if found is not None:
            return found
    return None


def _marked(field) -> bool:
    """Whether the field says its value was just changed elsewhere."""
    return any("changed elsewhere" in getattr(c, "value", "") for c in field.conflict.children)


def test_edits_to_different_fields_in_two_forms_both_land(example_dir: Path) -> None:
    interview = _interview(example_dir)
    follow_up = _follow_up(example_dir)
    follow_up.next_step.widget.value = "A call with the team lead"
    assert follow_up.save() is True
    interview.location.widget.value = "Hamburg, hybrid"
    assert interview.save() is True
    data = _data(example_dir)
    assert data["location"] == "Hamburg, hybrid"
    assert data["timeline"]["next_step"] == "A call with the team lead"
    assert re.search(
        r"Saved (automatically )?at \d\d:\d\d:\d\d, together with changes saved elsewhere\.",
        interview.status.value,
    )
    assert interview.next_step.widget.value == "A call with the team lead"
    assert _marked(interview.next_step) and not _marked(interview.location)
    interview.next_step.widget.value = "A call with the team lead, then a case"
    assert not _marked(interview.next_step)  # seen and edited: the mark has done its job


def test_different_interviewers_edited_in_two_forms_both_land(example_dir: Path) -> None:
    first = _interview(example_dir)
    second = _interview(example_dir)
    first.interviewers.rows[0]["title"].widget.value = "VP Analytics"
    assert first.save() is True
    row = second.interviewers.add()
    row["name"].widget.value = "Kim Lee"
    second.interviewers.rows[1]["email"].widget.value = "amelie@northwind.example"
    assert second.save() is True
    people = _data(example_dir)["rounds"][0]["interviewers"]
    assert [p["name"] for p in people] == ["Jörg Müller", "Amélie Dubois", "Kim Lee"]
    assert people[0]["title"] == "VP Analytics"
    assert people[1]["email"] == "amelie@northwind.example"
    assert second.interviewers.rows[0]["title"].widget.value == "VP Analytics"


def test_taking_theirs_shows_their_value_and_keeps_it(example_dir: Path) -> None:
    first = _follow_up(example_dir)
    second = _follow_up(example_dir)
    first.next_step.widget.value = "Their words"
    assert first.save() is True
    second.next_step.widget.value = "My words"
    assert second.save() is False
    assert "Not saved yet: 1 field changed here and elsewhere" in second.status.value
    assert "yours is only on this page" in second.status.value
    assert "My words" in second.next_step.conflict.children[0].children[0].value
    second.next_step.widget.value = "My words, and more"  # the row quotes what the field holds
    assert "My words, and more" in second.next_step.conflict.children[0].children[0].value
    assert second.save() is False
    assert "Nothing else to save: 1 field changed here and elsewhere" in second.status.value
    first.feedback_said.widget.value = "Call next week"  # a later change elsewhere is shown …
    assert first.save() is True
    assert second.check_disk() is True
    assert second.feedback_said.widget.value == "Call next week"
    assert second.next_step.widget.value == "My words, and more"  # … and the waiting text stays
    _button(second.next_step.conflict, "Take theirs").click()
    assert _data(example_dir)["timeline"]["next_step"] == "Their words"
    assert second.next_step.widget.value == "Their words"
    assert second.next_step.conflict.children == ()


def test_a_conflict_holds_back_only_its_own_field(example_dir: Path) -> None:
    first = _follow_up(example_dir)
    second = _follow_up(example_dir)
    first.next_step.widget.value = "Their words"
    assert first.save() is True
    second.next_step.widget.value = "My words"  # saved at once: the file changed meanwhile
    second.feedback_said.widget.value = "They liked the case study"
    assert second.save() is False
    saved = _data(example_dir)
    assert saved["timeline"]["next_step"] == "Their words"
    assert saved["feedback"]["what_they_said"] == "They liked the case study"
    assert second.next_step.widget.value == "My words"
    assert "until then the file keeps theirs" in second.status.value
    assert "(Recruiter › What happens next)" in second.status.value

    # Later edits keep saving while the choice waits; the held field stays as typed.
    second.other_roles_answer.widget.value = "They will send two listings"
    assert second.save() is False
    saved = _data(example_dir)
    assert saved["other_roles"]["answer"] == "They will send two listings"
    assert saved["timeline"]["next_step"] == "Their words"
    assert second.next_step.widget.value == "My words"

    # Closing the tab now loses nothing but the one unanswered value.
    reopened = _follow_up(example_dir)
    assert reopened.feedback_said.widget.value == "They liked the case study"
    assert reopened.other_roles_answer.widget.value == "They will send two listings"

    _button(second.next_step.conflict, "Keep mine").click()
    assert _data(example_dir)["timeline"]["next_step"] == "My words"
    assert second.next_step.conflict.children == ()
    assert "Saved" in second.status.value and "elsewhere (" not in second.status.value
    assert second.save() is True


def test_taking_theirs_while_other_edits_wait_keeps_them(example_dir: Path) -> None:
    first = _follow_up(example_dir)
    second = _follow_up(example_dir)
    second.next_step.widget.value = "My words"
    second.other_roles_answer.widget.value = "Mine too"
    first.next_step.widget.value = "Their words"
    first.other_roles_answer.widget.value = "Theirs too"
    assert first.save() is True
    assert second.save() is False
    assert len(second.conflicts) == 2
    _button(second.next_step.conflict, "Take theirs").click()
    assert second.next_step.widget.value == "Their words"
    assert second.other_roles_answer.widget.value == "Mine too"
    assert "Still 1 field changed here and elsewhere" in second.status.value
    _button(second.other_roles_answer.conflict, "Keep mine").click()
    saved = _data(example_dir)
    assert saved["timeline"]["next_step"] == "Their words"
    assert saved["other_roles"]["answer"] == "Mine too"
    assert second.conflicts == [] and second.saved_around is False


def test_a_waiting_choice_outlives_a_conflict_that_holds_the_whole_save(example_dir: Path) -> None:
    mine = _interview(example_dir)
    mine.next_step.widget.value = "My words"
    theirs = _follow_up(example_dir)
    theirs.next_step.widget.value = "Their words"
    assert theirs.save() is True
    assert mine.save() is False and mine.saved_around

    # An interviewer deleted here and edited elsewhere has no field to wait beside: that save
    # waits as a whole, and the choice already waiting stays as it was.
    elsewhere = _interview(example_dir)
    elsewhere.interviewers.rows[0]["title"].widget.value = "VP Analytics"
    assert elsewhere.save() is True
    mine.interviewers.remove(0)
    assert mine.save() is False
    assert mine.other_conflicts.children and mine.saved_around
    assert _data(example_dir)["timeline"]["next_step"] == "Their words"
    _button(mine.other_conflicts, "Keep mine").click()
    people = _data(example_dir)["rounds"][0]["interviewers"]
    assert [p["name"] for p in people] == ["Amélie Dubois"]
    assert _data(example_dir)["timeline"]["next_step"] == "Their words"
    assert mine.next_step.widget.value == "My words"
    _button(mine.next_step.conflict, "Keep mine").click()
    assert _data(example_dir)["timeline"]["next_step"] == "My words"
    assert not mine.saved_around and mine.conflicts == []


def test_a_form_used_again_shows_what_was_saved_elsewhere(example_dir: Path) -> None:
    first = _follow_up(example_dir)
    second = _follow_up(example_dir)
    first.next_step.widget.value = "Decision next week"
    assert first.save() is True
    assert second.next_step.widget.value == ""
    second.feedback_said.widget.value = "Nothing yet"
    assert second.next_step.widget.value == "Decision next week"
    assert second.feedback_said.widget.value == "Nothing yet"
    data = _data(example_dir)
    assert data["timeline"]["next_step"] == "Decision next week"
    assert data["feedback"]["what_they_said"] == "Nothing yet"


def test_check_for_changes_refreshes_an_idle_form(example_dir: Path) -> None:
    first = DebriefForm(
        Workbook(example_dir), Workbook(example_dir).get(ID), NOW, autosave_seconds=None
    )
    second = DebriefForm(
        Workbook(example_dir), Workbook(example_dir).get(ID), NOW, autosave_seconds=None
    )
    first.notes.widget.value = "Ask about on-call"
    assert first.save() is True
    second.refresh_button.click()
    assert second.notes.widget.value == "Ask about on-call"
    assert _marked(second.notes) and not _marked(second.feeling)
    assert "saved elsewhere" in second.status.value


def test_moving_an_opportunity_to_the_trash_asks_and_can_be_restored(example_dir: Path) -> None:
    page = InterviewPage(Workbook(example_dir), NOW, opportunity_id="", autosave_seconds=None)
    page.picker.value = ID
    form = page.editor
    form.trash.button.click()
    assert "Northwind Logistics · Data Analyst" in form.trash.text.value
    assert "bring it back from this page or the dashboard" in form.trash.text.value
    form.trash.yes.click()
    assert not (example_dir / "opportunities" / f"{ID}.yaml").exists()
    assert list((example_dir / ".trash" / ID).iterdir())
    assert ID not in [value for _, value in page.picker.options]
    assert form.trash_shelf.widget in form.widget.children
    # Bring it back from the page itself: picked and shown again, the file as it was.
    form.trash_shelf.rows[ID].children[1].click()
    assert (example_dir / "opportunities" / f"{ID}.yaml").is_file()
    assert page.picker.value == ID and ID in [value for _, value in page.picker.options]
    assert page.editor is not form and page.editor.opportunity.company == "Northwind Logistics"
    assert page.body.children == (page.editor.widget,)
    assert "Brought back from the trash" in page.editor.status.value


def test_a_page_named_for_one_in_the_trash_says_so_and_offers_it_back(
    example_dir: Path, monkeypatch
) -> None:
    book = Workbook(example_dir)
    book.trash(ID)
    monkeypatch.setattr("followup.forms.page.page_opportunity", lambda: ID)
    page = InterviewPage(book, NOW, autosave_seconds=None)
    assert page.picker.value == "__new__"
    shelf = page.trash
    assert shelf is not None and shelf.widget in page.widget.children
    assert "Northwind Logistics · Data Analyst" in shelf.rows[ID].children[0].value
    shelf.rows[ID].children[1].click()
    assert page.picker.value == ID and page.editor.opportunity.id == ID
    assert "Brought back Northwind Logistics · Data Analyst" in shelf.status.value


def test_bringing_back_what_came_back_elsewhere_says_why_not(example_dir: Path) -> None:
    page = InterviewPage(Workbook(example_dir), NOW, opportunity_id=ID, autosave_seconds=None)
    form = page.editor
    form.trash.button.click()
    form.trash.yes.click()
    Workbook(example_dir).restore(ID)  # in another window, say
    shelf = form.trash_shelf
    shelf.rows[ID].children[1].click()
    assert "Not brought back" in shelf.status.value and "exists now" in shelf.status.value
    assert shelf.widget in form.widget.children


def test_a_round_renamed_elsewhere_keeps_the_debrief_form_working(example_dir: Path) -> None:
    book = Workbook(example_dir)
    form = DebriefForm(book, book.get(ID), NOW, autosave_seconds=None)
    renamer = _interview(example_dir)
    renamer.round_name.widget.value = "Onsite day"
    assert renamer.save() is True
    form.notes.widget.value = "Written after the rename"
    assert form.round_picker.options[0][0].startswith("Onsite day")
    assert form.round_picker.value == "onsite-day"
    debrief = _data(example_dir)["rounds"][0]["debrief"]
    assert debrief["notes"] == "Written after the rename"


def test_a_file_removed_elsewhere_is_said_plainly(example_dir: Path) -> None:
    form = _follow_up(example_dir)
    Workbook(example_dir).trash(ID)
    form.next_step.widget.value = "Too late"
    assert form.save() is False
    assert "removed" in form.status.value
    form.reload_button.click()
    assert "Could not reload" in form.status.value


FIELDS = ("next_step", "feedback_said", "other_roles_answer")
STORED_AS = {
    "next_step": ("timeline", "next_step"),
    "feedback_said": ("feedback", "what_they_said"),
    "other_roles_answer": ("other_roles", "answer"),
}
edit = st.one_of(st.none(), st.sampled_from(["Call on Monday", "A panel", "Two listings"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    theirs=st.fixed_dictionaries({f: edit for f in FIELDS}),
    mine=st.fixed_dictionaries({f: edit for f in FIELDS}),
    keep_mine=st.fixed_dictionaries({f: st.booleans() for f in FIELDS}),
)
def test_two_forms_edits_all_land_and_each_clash_is_the_persons_choice(theirs, mine, keep_mine):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "workbook"
        shutil.copytree(EXAMPLE, root)
        first, second = _follow_up(root), _follow_up(root)
        for name, value in mine.items():  # typed here first, not saved yet
            if value is not None:
                getattr(second, name).widget.value = value
        for name, value in theirs.items():
            if value is not None:
                getattr(first, name).widget.value = value
        assert first.save() is True
        second.save()
        clashes = {n for n in FIELDS if None not in (mine[n], theirs[n]) and mine[n] != theirs[n]}
        assert {c.path for c, _ in second.conflicts} == {STORED_AS[n] for n in clashes}
        before_choosing = _data(root)
        for name in FIELDS:  # every edit that clashes with nothing is on disk already
            section, key = STORED_AS[name]
            if name not in clashes and mine[name] is not None:
                assert (before_choosing.get(section) or {}).get(key) == mine[name], name
        for name in clashes:
            assert getattr(second, name).widget.value == mine[name]
            label = "Keep mine" if keep_mine[name] else "Take theirs"
            _button(getattr(second, name).conflict, label).click()
        assert second.conflicts == [] and second.save() is True
        second.check_disk()  # an untouched form shows what was saved elsewhere once it looks
        data = _data(root)
        for name in FIELDS:
            if name in clashes:
                expected = mine[name] if keep_mine[name] else theirs[name]
            else:
                expected = mine[name] if mine[name] is not None else theirs[name]
            section, key = STORED_AS[name]
            stored = (data.get(section) or {}).get(key)
            assert (stored or None) == expected, name
            assert (getattr(second, name).widget.value or None) == expected, name
