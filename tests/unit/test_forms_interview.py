"""The interview form: new opportunities, rounds in their own time zone, the people met."""

from __future__ import annotations

from pathlib import Path

import yaml

from followup.clock import parse_now
from followup.core.model import Opportunity
from followup.forms.interview import NEW, NEW_ROUND, InterviewForm, InterviewPage, notebook
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)
ID = "northwind-data-analyst"


def _form(root: Path, opportunity_id: str = ID, **kwargs) -> InterviewForm:
    book = Workbook(root)
    return InterviewForm(book, book.get(opportunity_id), NOW, autosave_seconds=None, **kwargs)


def _data(root: Path, opportunity_id: str = ID) -> dict:
    path = root / "opportunities" / f"{opportunity_id}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_new_opportunity_is_created_with_a_suggested_id(example_dir: Path) -> None:
    page = InterviewPage(Workbook(example_dir), NOW, autosave_seconds=None)
    assert page.picker.value == NEW
    creator = page.creator
    creator.company.widget.value = "Jörg's Café"
    creator.role.widget.value = "Barista"
    assert creator.id.widget.value == "jorgs-cafe-barista"
    creator.create_button.click()
    assert _data(example_dir, "jorgs-cafe-barista")["company"] == "Jörg's Café"
    assert page.picker.value == "jorgs-cafe-barista"
    assert page.editor.round_index == NEW_ROUND
    assert "Created and saved as jorgs-cafe-barista.yaml" in page.editor.status.value


def test_create_builds_the_new_opportunitys_form_once(example_dir: Path) -> None:
    built: list[str] = []

    class Counted(InterviewPage):
        def _editor(self, stored):
            built.append(stored.opportunity.id)
            return super()._editor(stored)

    page = Counted(Workbook(example_dir), NOW, autosave_seconds=None)
    page.creator.company.widget.value = "Acme Maps"
    page.creator.role.widget.value = "GIS Analyst"
    page.creator.create_button.click()
    assert built == ["acme-maps-gis-analyst"], "the form is built once, for the new opportunity"
    assert page.editor.opportunity.id == "acme-maps-gis-analyst"


def test_a_first_round_starts_in_the_zone_its_location_names(example_dir: Path) -> None:
    book = Workbook(example_dir)
    book.create(
        Opportunity(id="fjell-analyst", company="Fjell", role="Analyst", location="Paris, hybrid")
    )
    form = _form(example_dir, "fjell-analyst")
    assert form.round_index == NEW_ROUND
    assert form.zone.widget.value.startswith("Europe/Paris (UTC+01:00)")
    form.round_name.widget.value = "Phone screen"
    form.day.widget.value = "2026-12-03"
    form.clock.widget.value = "09:30"
    assert form.save() is True
    [interview] = _data(example_dir, "fjell-analyst")["rounds"]
    assert interview["timezone"] == "Europe/Paris"
    assert interview["starts_at"].startswith("2026-12-03T09:30:00+01:00")


def test_an_existing_id_is_refused_beside_the_field(example_dir: Path) -> None:
    before = (example_dir / "opportunities" / f"{ID}.yaml").read_bytes()
    page = InterviewPage(Workbook(example_dir), NOW, autosave_seconds=None)
    page.creator.company.widget.value = "Someone else"
    page.creator.role.widget.value = "Analyst"
    page.creator.id.widget.value = ID
    page.creator.create_button.click()
    assert "already exists" in page.creator.id.message
    assert (example_dir / "opportunities" / f"{ID}.yaml").read_bytes() == before


def test_a_new_round_is_stored_aware_in_the_chosen_time_zone(example_dir: Path) -> None:
    form = _form(example_dir, round="Final round")
    assert form.round_index == NEW_ROUND
    assert form.round_name.widget.value == "Final round"
    form.day.widget.value = "2026-12-03"
    form.clock.widget.value = "09:30"
    form.zone.widget.value = "America/New_York"
    assert "thank-you notes due by Fri 04 Dec 2026 10:30 EST" in form.when_note.value
    row = form.interviewers.add()
    row["name"].widget.value = "Kim Lee"
    row["personal_note"].widget.value = "her marathon"
    form.save_button.click()
    final = _data(example_dir)["rounds"][1]
    assert final["starts_at"] == "2026-12-03T09:30:00-05:00"
    assert final["timezone"] == "America/New_York"
    assert final["interviewers"] == [{"name": "Kim Lee", "personal_note": "her marathon"}]
    assert form.round_index == 1
    assert form.round_picker.value == 1


def test_summer_time_gets_the_summer_offset(example_dir: Path) -> None:
    form = _form(example_dir)
    form.day.widget.value = "2026-07-01"
    form.clock.widget.value = "10:00"
    form.save()
    assert _data(example_dir)["rounds"][0]["starts_at"] == "2026-07-01T10:00:00+02:00"


def test_reopening_shows_the_round_in_its_own_zone(example_dir: Path) -> None:
    form = _form(example_dir, "harbor-bank-pm")
    assert form.day.widget.value == "2026-11-02"
    assert form.clock.widget.value == "15:00"
    assert form.zone.widget.value == "America/New_York (UTC-05:00)"


def test_a_time_without_a_day_is_marked_and_no_start_is_written(example_dir: Path) -> None:
    form = _form(example_dir, round="Round 2")
    form.clock.widget.value = "14:00"
    assert form.save() is False
    assert "Add the day" in form.day.message
    assert "Round › Day" in form.status.value
    assert "starts_at" not in _data(example_dir)["rounds"][1]
    assert form.clock.widget.value == "14:00"


def test_a_bad_email_is_marked_beside_the_interviewer(example_dir: Path) -> None:
    before = (example_dir / "opportunities" / f"{ID}.yaml").read_bytes()
    form = _form(example_dir)
    form.interviewers.rows[1]["email"].widget.value = "amelie at northwind"
    form.save_button.click()
    assert "Expected an email address" in form.interviewers.rows[1]["email"].message
    assert form.interviewers.rows[0]["email"].message == ""
    assert (example_dir / "opportunities" / f"{ID}.yaml").read_bytes() == before


def test_an_interviewer_needs_a_name(example_dir: Path) -> None:
    form = _form(example_dir)
    row = form.interviewers.add()
    row["title"].widget.value = "CTO"
    assert form.save() is False
    assert row["name"].message == "This can't be empty"


def test_keeping_thank_you_state_when_editing_an_interviewer(example_dir: Path) -> None:
    form = _form(example_dir, "lumen-ux-researcher", round="final-round")
    form.interviewers.rows[0]["title"].widget.value = "Head of UX Research"
    assert form.save() is True
    kwame = _data(example_dir, "lumen-ux-researcher")["rounds"][1]["interviewers"][0]
    assert kwame["title"] == "Head of UX Research"
    assert kwame["thank_you"]["sent_at"] == "2026-11-18T19:05:00Z"


def test_nothing_said_about_next_steps_is_recorded(example_dir: Path) -> None:
    form = _form(example_dir, "harbor-bank-pm")
    form.nothing_said.widget.value = True
    form.decision_by.widget.value = ""
    assert form.save() is True
    assert _data(example_dir, "harbor-bank-pm")["timeline"]["given"] is False


def test_a_date_with_nothing_said_is_refused_beside_the_date(example_dir: Path) -> None:
    form = _form(example_dir)
    form.decision_by.widget.value = "2026-12-10"
    assert form.save() is False
    assert "untick the box" in form.decision_by.message


def test_the_recruiter_and_company_details_are_saved(example_dir: Path) -> None:
    form = _form(example_dir)
    form.role.widget.value = "Senior Data Analyst"
    form.recruiter["phone"].widget.value = "+49 30 1234567"
    form.save()
    data = _data(example_dir)
    assert data["role"] == "Senior Data Analyst"
    assert data["recruiter"]["phone"] == "+49 30 1234567"
    assert data["recruiter"]["title"] == "Talent Partner"


def test_headless_summary_lists_rounds_and_people(example_dir: Path) -> None:
    shown = notebook(str(example_dir), ID, "", EXAMPLE_NOW, interactive=False)
    assert "Jörg Müller" in shown.data
    assert "Thu 26 Nov 2026 10:00 CET" in shown.data
    assert "nothing was said" in shown.data


def test_an_invalid_field_blocks_only_itself_and_its_tab_says_so(example_dir: Path) -> None:
    form = _form(example_dir)
    form.interviewers.rows[1]["email"].widget.value = "amelie at northwind"
    form.location.widget.value = "Hamburg, hybrid"
    assert form.save() is False
    data = _data(example_dir)
    assert data["location"] == "Hamburg, hybrid"
    assert "email" not in data["rounds"][0]["interviewers"][1]
    assert form.tabs.titles == ("Opportunity", "Round", "People ⚠ 1", "Next steps")
    assert "People › Email" in form.status.value and "Saved" in form.status.value
    assert form.interviewers.rows[1]["email"].widget.value == "amelie at northwind"
    form.interviewers.rows[1]["email"].widget.value = "amelie@northwind.example"
    assert form.save() is True
    assert form.tabs.titles == ("Opportunity", "Round", "People", "Next steps")
    assert _data(example_dir)["rounds"][0]["interviewers"][1]["email"] == "amelie@northwind.example"


def test_an_impossible_round_day_is_marked_and_the_stored_start_kept(example_dir: Path) -> None:
    form = _form(example_dir)
    form.day.widget.value = "2026-02-31"
    form.round_name.widget.value = "Onsite, final"
    assert form.save() is False
    assert "February 2026 has 28 days" in form.day.message
    interview = _data(example_dir)["rounds"][0]
    assert interview["starts_at"] == "2026-11-26T10:00:00+01:00"
    assert interview["name"] == "Onsite, final"
    assert form.day.widget.value == "2026-02-31"
    assert form.tabs.titles[1] == "Round ⚠ 1"


def test_a_job_posting_without_https_gets_it_and_shows_it(example_dir: Path) -> None:
    form = _form(example_dir)
    form.link.widget.value = "www.kestrel.example/jobs/7"
    assert form.save() is True
    assert _data(example_dir)["link"] == "https://www.kestrel.example/jobs/7"
    assert form.link.widget.value == "https://www.kestrel.example/jobs/7"


def test_a_new_round_defaults_to_the_zone_of_the_last_round(example_dir: Path) -> None:
    form = _form(example_dir, "harbor-bank-pm", round="Final")
    assert form.round_index == NEW_ROUND
    assert form.zone.widget.value == "America/New_York (UTC-05:00)"
    form.zone.widget.value = "Tokyo"
    form.day.widget.value = "2026-12-03"
    form.clock.widget.value = "9:00"
    assert form.save() is True
    assert _data(example_dir, "harbor-bank-pm")["rounds"][-1]["timezone"] == "Asia/Tokyo"
    assert form.zone.widget.value == "Asia/Tokyo (UTC+09:00)"


def test_removing_a_round_asks_naming_it_then_removes_it(example_dir: Path) -> None:
    form = _form(example_dir, "lumen-ux-researcher", round="final-round")
    form.remove_round.button.click()
    assert "Final round" in form.remove_round.text.value
    assert "2 interviewers and its debrief" in form.remove_round.text.value
    form.remove_round.no.click()
    assert len(_data(example_dir, "lumen-ux-researcher")["rounds"]) == 3
    form.remove_round.button.click()
    form.remove_round.yes.click()
    rounds = _data(example_dir, "lumen-ux-researcher")["rounds"]
    assert [r["name"] for r in rounds] == ["Phone screen", "Meet the team"]
    assert form.round_index == 1  # the round that took its place
    assert form.round_name.widget.value == "Meet the team"
    assert [label for label, _ in form.round_picker.options][-1] == "+ Add a new round…"
    assert len(form.round_picker.options) == 3


def test_the_new_opportunity_form_requires_the_role_and_clears_errors_once_filled(
    example_dir: Path,
) -> None:
    page = InterviewPage(Workbook(example_dir), NOW, autosave_seconds=None)
    creator = page.creator
    creator.create_button.click()
    assert creator.company.message == "This can't be empty"
    assert creator.role.message.startswith("This is needed")
    creator.company.widget.value = "Kestrel"
    assert creator.company.message == ""
    assert "Not created" in creator.status.value
    creator.role.widget.value = "Analyst"
    assert creator.role.message == "" and creator.status.value == ""
    creator.create_button.click()
    assert _data(example_dir, "kestrel-analyst")["role"] == "Analyst"


def test_a_blank_row_never_leaves_the_status_saying_unsaved(example_dir: Path) -> None:
    form = _form(example_dir)
    before = (example_dir / "opportunities" / f"{ID}.yaml").read_bytes()
    form.interviewers.add()
    assert "Unsaved changes" in form.status.value
    assert form.flush() is True
    assert "Unsaved" not in form.status.value
    assert (example_dir / "opportunities" / f"{ID}.yaml").read_bytes() == before


def test_the_people_tab_says_which_round_it_lists(example_dir) -> None:
    book = Workbook(example_dir)
    form = InterviewForm(book, book.get("northwind-data-analyst"), NOW, autosave_seconds=None)
    interview = form.opportunity.rounds[form.round_index]
    assert interview.name in form.people_round.value
    assert "Thu 26 Nov 2026" in form.people_round.value
    form.round_picker.value = NEW_ROUND
    assert "the new round" in form.people_round.value


def test_a_half_typed_time_shows_what_is_stored_marked_not_saved(example_dir: Path) -> None:
    form = _form(example_dir)
    form.clock.widget.value = "14:"
    form.after_change()
    note = form.when_note.value
    assert "Not saved yet" in note and "00:00" not in note
    assert "Stored: Thu 26 Nov 2026 10:00" in note
    form.clock.widget.value = "14:30"
    form.after_change()
    assert "Starts Thu 26 Nov 2026 14:30" in form.when_note.value
