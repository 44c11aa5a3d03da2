"""The reflection form: ratings, what you want, and the salary range with its live checks."""

from __future__ import annotations

from pathlib import Path

from followup.clock import parse_now
from followup.forms.reflect import ReflectForm, notebook, range_checks
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)
ID = "northwind-data-analyst"


def _form(root: Path, opportunity_id: str = ID) -> ReflectForm:
    book = Workbook(root)
    return ReflectForm(book, book.get(opportunity_id), NOW, autosave_seconds=None)


def _bytes(root: Path, opportunity_id: str = ID) -> bytes:
    return (root / "opportunities" / f"{opportunity_id}.yaml").read_bytes()


def test_ratings_notes_and_dealbreakers_are_saved(example_dir: Path) -> None:
    form = _form(example_dir)
    form.scores["people"].widget.value = 5
    form.area_notes["people"].widget.value = "Jörg listened more than he talked."
    form.dealbreakers.widget.value = "No remote days\n\n  Unpaid overtime  "
    form.save_button.click()
    reflection = Workbook(example_dir).get(ID).opportunity.reflection
    assert reflection.people.score == 5
    assert reflection.people.note == "Jörg listened more than he talked."
    assert reflection.dealbreakers == ["No remote days", "Unpaid overtime"]


def test_a_minimum_above_the_target_is_shown_live_and_never_written(example_dir: Path) -> None:
    before = _bytes(example_dir)
    form = _form(example_dir)
    form.money["minimum"].widget.value = "66000"
    assert "The minimum (66,000) is above the target (64,000)" in form.money["minimum"].message
    form.save_button.click()
    assert _bytes(example_dir) == before
    assert "Not saved" in form.status.value
    assert form.money["minimum"].widget.value == "66000"
    assert form.flush() is False
    assert _bytes(example_dir) == before


def test_fixing_the_order_clears_the_check_and_saves(example_dir: Path) -> None:
    form = _form(example_dir)
    form.money["minimum"].widget.value = "66000"
    form.money["target"].widget.value = "67,000"
    assert form.money["minimum"].message == ""
    assert form.save() is True
    salary = Workbook(example_dir).get(ID).opportunity.salary_range
    assert (salary.minimum, salary.target, salary.stretch) == (66000, 67000, 70000)


def test_text_in_a_number_field_is_marked_beside_it_and_not_written(example_dir: Path) -> None:
    before = _bytes(example_dir)
    form = _form(example_dir)
    form.money["stretch"].widget.value = "a lot"
    assert "Expected a number" in form.money["stretch"].message
    assert form.save() is False
    assert "Expected a number" in form.money["stretch"].message
    assert _bytes(example_dir) == before


def test_a_range_without_a_currency_is_marked_at_the_currency(example_dir: Path) -> None:
    form = _form(example_dir)
    form.currency.widget.value = ""
    assert form.save() is False
    assert "ISO 4217" in form.currency.message


def test_the_posted_range_is_compared_with_the_target() -> None:
    values = dict(minimum=58000, target=64000, stretch=70000, posted_minimum=55000)
    _, inside = range_checks({**values, "posted_maximum": 68000}, "EUR")
    assert "Posted range: 55,000 to 68,000 EUR." in inside
    assert "Your target sits inside the posted range." in inside
    _, above = range_checks({**values, "posted_maximum": 60000})
    assert any("above the posted range" in r for r in above)


def test_reopening_shows_the_saved_range_formatted(example_dir: Path) -> None:
    form = _form(example_dir)
    assert form.money["target"].widget.value == "64,000"
    assert form.currency.widget.value == "EUR"
    assert "sits inside the posted range" in form.remarks.value


def test_clearing_every_salary_field_removes_the_range(example_dir: Path) -> None:
    form = _form(example_dir)
    form.currency.widget.value = ""
    for field in form.money.values():
        field.widget.value = ""
    assert form.save() is True
    assert Workbook(example_dir).get(ID).opportunity.salary_range is None


def test_a_first_range_can_be_entered_where_none_was(example_dir: Path) -> None:
    form = _form(example_dir, "fjord-energy-analyst")
    assert form.money["target"].widget.value == ""
    form.currency.widget.value = "nok"
    form.money["target"].widget.value = "720k"
    assert form.save() is True
    salary = Workbook(example_dir).get("fjord-energy-analyst").opportunity.salary_range
    assert (salary.currency, salary.target) == ("NOK", 720000)


def test_headless_summary_shows_ratings_and_range(example_dir: Path) -> None:
    shown = notebook(str(example_dir), "harbor-bank-pm", EXAMPLE_NOW, interactive=False)
    assert "Long hours came up twice." in shown.data
    assert "target 150,000" in shown.data


def test_a_salary_problem_shows_beside_the_number_at_fault_and_hides_the_comparison(
    example_dir: Path,
) -> None:
    form = _form(example_dir)
    assert "inside the posted range" in form.remarks.value
    form.money["target"].widget.value = "75000"
    assert "The target (75,000) is above the stretch" in form.money["target"].message
    assert form.money["minimum"].message == "" and form.money["stretch"].message == ""
    assert form.remarks.value == ""
    form.money["target"].widget.value = "66000"
    assert form.money["target"].message == ""
    assert "inside the posted range" in form.remarks.value
    form.money["posted_maximum"].widget.value = "lots"
    assert form.remarks.value == ""


def test_other_reflection_edits_save_while_the_range_is_out_of_order(example_dir: Path) -> None:
    form = _form(example_dir)
    form.money["minimum"].widget.value = "99000"
    form.area_notes["growth"].widget.value = "A clear path to lead."
    assert form.save() is False
    opportunity = Workbook(example_dir).get(ID).opportunity
    assert opportunity.reflection.growth.note == "A clear path to lead."
    assert opportunity.salary_range.minimum == 58000
    assert form.tabs.titles == ("Reflection", "Salary range ⚠ 1")
    assert form.money["minimum"].widget.value == "99000"
