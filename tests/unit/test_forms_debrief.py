"""The debrief form, driven headlessly: set values, click buttons, read what the store saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.clock import parse_now
from followup.core.errors import NotFound
from followup.forms.debrief import DebriefForm, notebook
from followup.forms.page import Notice, Page, remember
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)
ID = "northwind-data-analyst"


def _form(root: Path, opportunity_id: str = ID, **kwargs) -> DebriefForm:
    book = Workbook(root)
    return DebriefForm(book, book.get(opportunity_id), NOW, autosave_seconds=None, **kwargs)


def _yaml(root: Path, opportunity_id: str = ID) -> str:
    return (root / "opportunities" / f"{opportunity_id}.yaml").read_text(encoding="utf-8")


def test_save_button_writes_the_overall_feeling_and_reopening_shows_it(example_dir: Path) -> None:
    form = _form(example_dir)
    form.feeling.widget.value = "Tiring, but the dbt question went well."
    form.rating.widget.value = 4
    form.save_button.click()
    assert "overall_feeling: Tiring, but the dbt question went well." in _yaml(example_dir)
    assert "Saved at" in form.status.value
    again = _form(example_dir)
    assert again.feeling.widget.value == "Tiring, but the dbt question went well."
    assert again.rating.widget.value == 4


def test_nothing_is_written_until_autosave_flushes(example_dir: Path) -> None:
    before = _yaml(example_dir)
    form = _form(example_dir)
    form.notes.widget.value = "Ask about on-call."
    assert _yaml(example_dir) == before
    assert "Unsaved" in form.status.value
    assert form.flush() is True
    assert "notes: Ask about on-call." in _yaml(example_dir)
    assert "Saved automatically" in form.status.value


def test_added_answer_rows_are_saved_and_blank_ones_left_out(example_dir: Path) -> None:
    form = _form(example_dir)
    row = form.answers.add()
    row["question"].widget.value = "Why logistics?"
    row["key_point_clear"].widget.value = 5
    form.answers.add()
    form.save_button.click()
    saved = Workbook(example_dir).get(ID).opportunity.round("onsite").debrief.answers
    assert [a.question for a in saved] == [
        "Tell us about a time you cleaned up a messy data set.",
        "Why logistics?",
    ]
    assert saved[1].key_point_clear == 5


def test_removing_a_row_removes_it_from_the_file(example_dir: Path) -> None:
    form = _form(example_dir)
    form.answers.remove(0)
    form.save_button.click()
    assert Workbook(example_dir).get(ID).opportunity.round("onsite").debrief.answers == []


def _card_buttons(card) -> dict:
    import ipywidgets as w

    actions = card.children[-1]
    return {b.description: b for b in actions.children if isinstance(b, w.Button)}


def test_removing_an_answer_asks_first_naming_it_and_keep_changes_nothing(
    example_dir: Path,
) -> None:
    form = _form(example_dir)
    card = form.answers.box.children[0]
    _card_buttons(card)["Remove"].click()
    question = card.children[-1].children[0].value
    assert question == "Remove <b>Tell us about a time you cleaned up a messy data set</b>?"
    _card_buttons(card)["Keep it"].click()
    assert list(_card_buttons(card)) == ["Remove"]
    assert len(form.answers.rows) == 1
    _card_buttons(card)["Remove"].click()
    _card_buttons(card)["Yes, remove"].click()
    assert form.answers.rows == []
    assert form.flush() is True
    assert Workbook(example_dir).get(ID).opportunity.round("onsite").debrief.answers == []


def test_a_blank_row_is_removed_without_asking(example_dir: Path) -> None:
    form = _form(example_dir)
    form.answers.add()
    _card_buttons(form.answers.box.children[1])["Remove"].click()
    assert len(form.answers.rows) == 1


def test_a_research_row_without_a_topic_is_not_saved_and_done_ticks_are(example_dir: Path) -> None:
    form = _form(example_dir)
    form.research.rows[0]["done"].widget.value = True
    form.research.add()
    form.save_button.click()
    topics = Workbook(example_dir).get(ID).opportunity.round("onsite").debrief.research
    assert [(t.topic, t.done) for t in topics] == [
        ("How dbt tests work", True),
        ("Northwind's new Rotterdam hub", False),
    ]


def test_a_second_form_never_overwrites_the_first_and_asks_beside_the_field(
    example_dir: Path,
) -> None:
    first = _form(example_dir)
    second = _form(example_dir)
    first.feeling.widget.value = "Saved by the first notebook"
    assert first.save() is True
    second.feeling.widget.value = "Typed in the second notebook"
    assert second.save() is False
    assert "changed here and elsewhere (Overall › Overall feeling)" in second.status.value
    choice = second.feeling.conflict.children[0]
    assert "Typed in the second notebook" in choice.children[0].value
    assert "Saved by the first notebook" in choice.children[0].value
    assert second.tabs.titles[1] == "Overall ⚠ 1"
    assert "Saved by the first notebook" in _yaml(example_dir)
    assert "Typed in the second" not in _yaml(example_dir)
    [keep_mine] = [b for b in choice.children if getattr(b, "description", "") == "Keep mine"]
    keep_mine.click()
    assert "Typed in the second notebook" in _yaml(example_dir)
    assert second.feeling.conflict.children == ()
    assert second.tabs.titles[1] == "Overall"


def test_switching_rounds_saves_pending_edits_first(example_dir: Path) -> None:
    form = _form(example_dir, "lumen-ux-researcher", round="final-round")
    assert form.round_key == "final-round"
    form.notes.widget.value = "Kwame will be my manager."
    form.round_picker.value = "phone-screen"
    assert form.feeling.widget.value == "Relaxed and friendly; they liked the diary-study story."
    opportunity = Workbook(example_dir).get("lumen-ux-researcher").opportunity
    assert opportunity.round("final-round").debrief.notes == "Kwame will be my manager."


def test_open_topics_from_earlier_rounds_are_shown(example_dir: Path) -> None:
    book = Workbook(example_dir)

    def add_topic(opportunity):
        opportunity.rounds[0].debrief.research = [{"topic": "Their research ops tooling"}]

    book.update("lumen-ux-researcher", add_topic)
    form = _form(example_dir, "lumen-ux-researcher", round="final-round")
    assert "Their research ops tooling" in form.earlier.value
    assert "Phone screen" in form.earlier.value


def test_an_unknown_round_is_a_clear_error(example_dir: Path) -> None:
    with pytest.raises(NotFound, match="no round 'round-9'"):
        _form(example_dir, round="round-9")
    shown = notebook(str(example_dir), ID, "round-9", EXAMPLE_NOW)
    assert isinstance(shown, Notice) and "no round 'round-9'" in shown.message


def test_without_an_id_the_page_opens_on_the_remembered_opportunity(example_dir: Path) -> None:
    remember(Workbook(example_dir), "lumen-ux-researcher")
    page = notebook(str(example_dir), "", "", EXAMPLE_NOW, autosave_seconds=None)
    assert isinstance(page, Page)
    assert page.picker.value == "lumen-ux-researcher"
    assert page.editor.round_key == "final-round"
    page.picker.value = ID
    assert page.editor.opportunity.id == ID


def test_headless_shows_a_read_only_summary(example_dir: Path) -> None:
    shown = notebook(str(example_dir), ID, "", EXAMPLE_NOW, interactive=False)
    assert "Tell us about a time you cleaned up a messy data set." in shown.data
    assert "How dbt tests work" in shown.data


def test_removing_an_answer_removes_only_that_answer(example_dir: Path) -> None:
    form = _form(example_dir)
    row = form.answers.add()
    row["question"].widget.value = "Why logistics?"
    assert form.save() is True
    form.answers.remove(0)
    assert form.save() is True
    after = Workbook(example_dir).get(ID).opportunity.rounds[0].debrief.answers
    assert [a.question for a in after] == ["Why logistics?"]
    assert form.answers.rows[0]["question"].widget.value == "Why logistics?"


def test_one_to_five_ratings_say_what_their_ends_mean(example_dir: Path) -> None:
    form = _form(example_dir)
    row = form.answers.rows[0]
    assert "1 = not at all · 5 = fully" in row["example_compelling"].hint.value
    assert "5 = crystal clear" in row["key_point_clear"].hint.value


def test_who_asked_a_question_is_picked_from_the_round_and_reaches_their_thank_you(
    example_dir: Path,
) -> None:
    from followup.drafts.compose import drafts_for

    form = _form(example_dir)
    row = form.answers.add()
    assert list(row["asked_by"].widget.options) == ["Jörg Müller", "Amélie Dubois"]
    row["question"].widget.value = "How would you model late deliveries?"
    row["asked_by"].widget.value = "Amélie Dubois"
    assert form.flush() is True
    opportunity = Workbook(example_dir).get(ID).opportunity
    asked = {a.question: a.asked_by for a in opportunity.round("onsite").debrief.answers}
    assert asked["How would you model late deliveries?"] == "Amélie Dubois"
    again = _form(example_dir)
    assert "Amélie Dubois" in [r["asked_by"].widget.value for r in again.answers.rows]
    notes = {d.to_name: d.body for d in drafts_for(opportunity, NOW) if d.kind == "thank-you"}
    assert "late deliveries" in notes["Amélie Dubois"]
    assert "late deliveries" not in notes["Jörg Müller"]


def test_a_first_name_finds_its_interviewer_and_a_stranger_is_an_error_beside_the_field(
    example_dir: Path,
) -> None:
    from followup.drafts.compose import drafts_for

    form = _form(example_dir)
    row = form.answers.add()
    row["question"].widget.value = "What would you automate first?"
    row["asked_by"].widget.value = "amélie"
    assert form.flush() is True
    opportunity = Workbook(example_dir).get(ID).opportunity
    asked = {a.question: a.asked_by for a in opportunity.round("onsite").debrief.answers}
    assert asked["What would you automate first?"] == "Amélie Dubois"
    notes = {d.to_name: d.body for d in drafts_for(opportunity, NOW) if d.kind == "thank-you"}
    assert "automate first" in notes["Amélie Dubois"]
    stranger = form.answers.add()
    stranger["question"].widget.value = "Any questions for us?"
    stranger["asked_by"].widget.value = "Marco"
    form.flush()
    assert "Expected one of this round&#x27;s interviewers" in stranger["asked_by"].error.value
    saved = Workbook(example_dir).get(ID).opportunity.round("onsite").debrief.answers
    assert all(a.asked_by != "Marco" for a in saved)


def test_a_note_recalls_a_question_whose_asker_was_recorded_by_first_name() -> None:
    from followup.core.model import Interview, Interviewer

    round_ = Interview(
        name="Onsite",
        interviewers=[Interviewer(name="Marco Ruiz"), Interviewer(name="Marta Ruiz")],
    )
    assert round_.interviewer_named("marco").name == "Marco Ruiz"
    assert round_.interviewer_named("Marco  Ruiz").name == "Marco Ruiz"
    assert round_.interviewer_named("Ruiz") is None
    twins = Interview(name="x", interviewers=[Interviewer(name="Kim A"), Interviewer(name="Kim B")])
    assert twins.interviewer_named("Kim") is None  # two people: it names neither


def test_a_question_s_kind_chosen_in_the_form_is_saved_and_the_bank_uses_it(
    example_dir: Path,
) -> None:
    from followup.core.model import QuestionKind
    from followup.prep.questions import bank

    form = _form(example_dir)
    row = form.answers.add()
    row["question"].widget.value = "Do you like cats?"
    assert row["kind"].widget.value is None  # blank: guessed from the words
    row["kind"].widget.value = QuestionKind.MOTIVATION
    form.save_button.click()
    saved = Workbook(example_dir).get(ID).opportunity
    assert saved.round("onsite").debrief.answers[-1].kind is QuestionKind.MOTIVATION
    (asked,) = [q for q in bank([saved]) if q.question == "Do you like cats?"]
    assert asked.kind is QuestionKind.MOTIVATION
    assert _form(example_dir).answers.rows[-1]["kind"].widget.value is QuestionKind.MOTIVATION
