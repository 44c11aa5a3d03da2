"""The follow-up form: the checklist with a button for each step, and the drafts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ipywidgets as w
import yaml

from followup.clock import parse_now
from followup.core.model import Channel, Status, ThankYou
from followup.forms.follow_up import FollowUpForm, notebook
from followup.steps import State, asks_about_next_steps, checklist
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)
ID = "northwind-data-analyst"


class _Stopped:
    """A clock that stays at NOW, so a click's time is known to the second however slow the
    machine is (tests/unit/test_forms_one_clock.py checks the page's own clock)."""

    def now(self):
        return NOW


def _form(root: Path, opportunity_id: str = ID) -> FollowUpForm:
    book = Workbook(root)
    form = FollowUpForm(book, book.get(opportunity_id), NOW, autosave_seconds=None)
    form.clock = _Stopped()
    return form


def _data(root: Path, opportunity_id: str = ID) -> dict:
    path = root / "opportunities" / f"{opportunity_id}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _buttons(box: w.Widget) -> list[w.Button]:
    found = []
    for child in getattr(box, "children", ()):
        if isinstance(child, w.Button):
            found.append(child)
        found += _buttons(child)
    return found


def test_the_checklist_shows_due_thank_yous(example_dir: Path) -> None:
    form = _form(example_dir)
    assert "Thank-you note to Jörg Müller" in form.checks.value
    assert "due soon" in form.checks.value or "to do" in form.checks.value


def test_writing_down_the_next_step_stops_the_notes_asking_for_it(example_dir: Path) -> None:
    assert _data(example_dir)["timeline"]["given"] is False
    form = _form(example_dir)
    assert asks_about_next_steps(form.opportunity, NOW)
    form.next_step.widget.value = "A call with the CFO"
    assert form.save() is True
    timeline = _data(example_dir)["timeline"]
    assert timeline["next_step"] == "A call with the CFO"
    assert timeline.get("given", True) is True  # given: true is the default, left out of the file
    assert not asks_about_next_steps(Workbook(example_dir).get(ID).opportunity, NOW)


def test_mark_sent_records_the_time_in_the_rounds_zone(example_dir: Path) -> None:
    form = _form(example_dir)
    buttons = _buttons(form.thanks)
    assert [b.description for b in buttons] == ["Mark sent", "Mark card mailed"] * 2
    buttons[0].click()
    joerg = _data(example_dir)["rounds"][0]["interviewers"][0]
    assert joerg["thank_you"]["sent_at"] == "2026-11-26T18:00:00+01:00"
    assert "✓ sent" in form.thanks.children[0].children[1].children[0].value
    assert [b.description for b in _buttons(form.thanks)] == [
        "Undo",
        "Mark card mailed",
        "Mark sent",
        "Mark card mailed",
    ]


def test_a_card_is_marked_beside_the_email_and_the_note_stays_to_do(example_dir: Path) -> None:
    form = _form(example_dir)
    assert form.mark_card(0, "Jörg Müller") is True
    joerg = _data(example_dir)["rounds"][0]["interviewers"][0]
    assert joerg["thank_you"] == {"card_sent_on": "2026-11-26"}
    steps = {(str(s.kind), s.person): s.state for s in checklist(form.opportunity, NOW).steps}
    assert steps[("card", "Jörg Müller")] is State.DONE
    assert steps[("thank_you", "Jörg Müller")].open
    row = form.thanks.children[0]
    assert "✓ card mailed Thu 26 Nov 2026" in row.children[2].children[0].value
    assert [b.description for b in _buttons(row)] == ["Mark sent", "Undo"]
    assert form.mark_thank_you(0, "Jörg Müller") is True
    joerg = _data(example_dir)["rounds"][0]["interviewers"][0]
    assert joerg["thank_you"] == {
        "sent_at": "2026-11-26T18:00:00+01:00",
        "card_sent_on": "2026-11-26",
    }
    steps = {(str(s.kind), s.person): s.state for s in checklist(form.opportunity, NOW).steps}
    assert steps[("thank_you", "Jörg Müller")] is State.DONE


def test_a_card_to_someone_without_an_email_completes_their_thank_you(example_dir: Path) -> None:
    form = _form(example_dir)
    assert form.mark_card(0, "Amélie Dubois") is True
    steps = {(str(s.kind), s.person): s.state for s in checklist(form.opportunity, NOW).steps}
    assert steps[("thank_you", "Amélie Dubois")] is State.DONE


def test_a_card_recorded_as_the_notes_channel_keeps_its_day_when_the_email_goes_out(
    example_dir: Path,
) -> None:
    form = _form(example_dir)
    assert form.act(
        lambda o: setattr(
            o.rounds[0].interviewers[1],
            "thank_you",
            ThankYou(channel=Channel.CARD, sent_at="2026-11-26T17:00:00+01:00"),
        )
    )
    row = form.thanks.children[1]
    assert [b.description for b in _buttons(row)] == ["Mark sent", "Undo"]
    assert form.mark_thank_you(0, "Amélie Dubois") is True
    thank_you = _data(example_dir)["rounds"][0]["interviewers"][1]["thank_you"]
    assert thank_you["card_sent_on"] == "2026-11-26"
    assert thank_you["sent_at"] == "2026-11-26T18:00:00+01:00"
    assert thank_you.get("channel", "email") == "email"
    assert form.unmark_card(0, "Amélie Dubois") is True
    assert "card_sent_on" not in _data(example_dir)["rounds"][0]["interviewers"][1]["thank_you"]


def test_linkedin_is_offered_only_once_the_process_has_ended(example_dir: Path) -> None:
    form = _form(example_dir)
    assert _buttons(form.linkedin) == []
    assert "Not yet" in form.linkedin.children[0].value
    assert form.mark_connected("Jörg Müller") is False
    assert "linkedin_connected_on" not in str(_data(example_dir))
    ended = _form(example_dir, "quill-software-engineer")
    [connect] = _buttons(ended.linkedin)
    connect.click()
    ravi = _data(example_dir, "quill-software-engineer")["rounds"][0]["interviewers"][0]
    assert ravi["linkedin_connected_on"] == "2026-11-26"


def test_recording_a_rejection_fills_the_decision_day_and_saves(example_dir: Path) -> None:
    form = _form(example_dir)
    form.status_field.widget.value = Status.REJECTED
    assert form.outcome_on.widget.value == "2026-11-26"
    assert form.flush() is True
    data = _data(example_dir)
    assert (data["status"], data["outcome_on"]) == ("rejected", "2026-11-26")
    labels = [b.description for b in _buttons(form.after)]
    assert "I asked for feedback today" in labels


def test_after_a_no_each_step_has_a_button(example_dir: Path) -> None:
    form = _form(example_dir, "quill-software-engineer")
    for label in (
        "I asked for feedback today",
        "I asked about similar roles today",
        "I joined their talent community",
    ):
        [button] = [b for b in _buttons(form.after) if b.description == label]
        button.click()
    data = _data(example_dir, "quill-software-engineer")
    assert data["feedback"]["asked_on"] == "2026-11-26"
    assert data["other_roles"]["asked_on"] == "2026-11-26"
    assert data["talent_community_joined_on"] == "2026-11-26"
    assert [b.description for b in _buttons(form.after)] == ["Undo", "Undo", "Undo"]


def test_the_talent_community_link_is_kept_with_https_and_the_step_carries_it(
    example_dir: Path,
) -> None:
    form = _form(example_dir, "quill-software-engineer")
    assert form.community_link.box in form.after.children
    form.community_link.widget.value = "careers.quill.example/community"
    assert form.flush() is True
    data = _data(example_dir, "quill-software-engineer")
    assert data["talent_community_link"] == "https://careers.quill.example/community"
    steps = [s for s in checklist(form.opportunity, NOW).steps if s.kind == "talent_community"]
    assert "https://careers.quill.example/community" in steps[0].why


def test_a_check_in_is_recorded_with_todays_date(example_dir: Path) -> None:
    form = _form(example_dir, "harbor-bank-pm")
    form.check_in_button.click()
    assert _data(example_dir, "harbor-bank-pm")["timeline"]["checked_in_on"] == "2026-11-26"
    assert "Last check-in: Thu 26 Nov 2026" in form.checked_in.value


def test_an_action_keeps_edits_typed_before_it(example_dir: Path) -> None:
    form = _form(example_dir, "quill-software-engineer")
    form.feedback_said.widget.value = "More system design practice."
    form.mark_feedback_asked()
    assert _data(example_dir, "quill-software-engineer")["feedback"] == {
        "asked_on": "2026-11-26",
        "what_they_said": "More system design practice.",
    }


def test_drafts_show_a_copyable_text_and_a_mail_link(example_dir: Path) -> None:
    form = _form(example_dir)
    texts = [c.children[1].value for c in form.drafts.children]
    headers = [c.children[0].value for c in form.drafts.children]
    assert any("To: Jörg Müller <joerg.mueller@northwind.example>" in t for t in texts)
    assert any("mailto:joerg.mueller@northwind.example?subject=" in h for h in headers)
    assert any("Amélie Dubois" in h and "⚠" in h for h in headers)


def test_headless_summary_has_the_checklist_and_drafts(example_dir: Path) -> None:
    shown = notebook(str(example_dir), ID, EXAMPLE_NOW, interactive=False)
    assert "Thank-you note to Jörg Müller" in shown.data
    assert "<pre>To: Jörg Müller" in shown.data


def test_each_marked_step_can_be_unmarked(example_dir: Path) -> None:
    form = _form(example_dir, "quill-software-engineer")
    for label in ("I asked for feedback today", "I joined their talent community"):
        [button] = [b for b in _buttons(form.after) if b.description == label]
        button.click()
    undo = [b for b in _buttons(form.after) if b.description == "Undo"]
    assert len(undo) == 2
    undo[0].click()
    data = _data(example_dir, "quill-software-engineer")
    assert "asked_on" not in data.get("feedback", {})
    assert data["talent_community_joined_on"] == "2026-11-26"
    assert "I asked for feedback today" in [b.description for b in _buttons(form.after)]


def test_a_sent_note_shows_its_time_in_the_zone_the_page_names_and_can_be_unmarked(
    example_dir: Path,
) -> None:
    (example_dir / "settings.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    form = _form(example_dir)
    _buttons(form.thanks)[0].click()
    row = form.thanks.children[0]
    assert "sent Thu 26 Nov 2026 18:00" in row.children[1].children[0].value
    assert "Times in Europe/Berlin (CET)" in form.checks.value
    [undo] = [b for b in _buttons(row) if b.description == "Undo"]
    undo.click()
    joerg = _data(example_dir)["rounds"][0]["interviewers"][0]
    assert "sent_at" not in joerg.get("thank_you", {})
    assert [b.description for b in _buttons(form.thanks)] == ["Mark sent", "Mark card mailed"] * 2


def test_a_check_in_can_be_unmarked(example_dir: Path) -> None:
    form = _form(example_dir, "harbor-bank-pm")
    assert form.undo_check_in.layout.display == "none"
    form.check_in_button.click()
    assert form.undo_check_in.layout.display is None
    form.undo_check_in.click()
    assert "checked_in_on" not in _data(example_dir, "harbor-bank-pm")["timeline"]
    assert form.checked_in.value == ""


def test_an_impossible_decision_date_is_marked_and_other_edits_still_save(
    example_dir: Path,
) -> None:
    form = _form(example_dir, "harbor-bank-pm")
    form.decision_by.widget.value = "2026-02-31"
    form.next_step.widget.value = "A call with the CFO"
    assert form.save() is False
    timeline = _data(example_dir, "harbor-bank-pm")["timeline"]
    assert timeline["next_step"] == "A call with the CFO"
    assert "decision_by" not in timeline or timeline["decision_by"] != "2026-02-03"
    assert "February 2026 has 28 days" in form.decision_by.message
    assert form.tabs.titles[2] == "Recruiter ⚠ 1"
    assert "Recruiter › News expected by" in form.status.value


def test_the_checklist_suggests_no_response_after_the_workbooks_own_wait(example_dir: Path) -> None:
    form = _form(example_dir, "harbor-bank-pm")
    assert form.act(lambda o: setattr(o.timeline, "checked_in_on", date(2026, 11, 17)))
    assert "No news: mark it" not in form.checks.value
    (example_dir / "settings.yaml").write_text("no_response_after_days: 7\n", encoding="utf-8")
    form.refresh()
    assert "No news: mark it" in form.checks.value


def test_news_expected_by_takes_a_days_name_and_shows_the_date_it_means(example_dir: Path) -> None:
    form = _form(example_dir)  # Thu 26 Nov 2026
    form.decision_by.widget.value = "Friday"
    form.flush()
    assert _data(example_dir)["timeline"]["decision_by"] == "2026-11-27"
    assert form.decision_by.widget.value == "2026-11-27"
    form.decision_by.widget.value = "thursday"  # today is Thursday: the next one, a week on
    form.flush()
    assert _data(example_dir)["timeline"]["decision_by"] == "2026-12-03"
