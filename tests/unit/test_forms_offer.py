"""The offer form: the letter's numbers typed, saved and shown again; a value the model refuses is
marked beside its field while the rest saves; the year-by-year view and verdict below."""

from __future__ import annotations

from pathlib import Path

import yaml

from followup.clock import parse_now
from followup.core.model import EquityKind
from followup.forms.offer import OfferForm, notebook, summary_html
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW)
FJORD = "fjord-energy-analyst"
NORTHWIND = "northwind-data-analyst"


def _form(root: Path, opportunity_id: str) -> OfferForm:
    book = Workbook(root)
    return OfferForm(book, book.get(opportunity_id), NOW, autosave_seconds=None)


def _file(root: Path, opportunity_id: str) -> dict:
    path = root / "opportunities" / f"{opportunity_id}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_an_offer_typed_into_an_empty_form_is_saved_and_shown_the_same_after_a_reload(
    example_dir: Path,
) -> None:
    form = _form(example_dir, NORTHWIND)
    assert "Record the offer" in form.start.value
    assert form.currency.widget.value == "EUR"  # from the salary range, not yet an offer
    typed = {
        "received_on": "2026-11-27",
        "answer_by": "2026-12-04",
        "base": "63000",
        "bonus_percent": "8",
        "sign_on": "5000",
        "clawback": "12",
        "shares": "400",
        "price": "25",
        "strike": "10",
        "vesting_years": "4",
        "cliff": "12",
        "every": "3",
        "refresh": "2000",
        "retirement": "5",
        "benefits_value": "1200",
        "pto": "30",
        "hours": "38.5",
        "start_on": "2027-01-11",
        "remote": "Hybrid, two days in Rotterdam",
        "notes": "Letter signed by Dana",
    }
    form.kind.widget.value = EquityKind.OPTIONS
    form.bonus_guaranteed.widget.value = True
    for name, value in typed.items():
        getattr(form, name).widget.value = value
    assert form.save() is True, form.status.value

    offer = Workbook(example_dir).get(NORTHWIND).opportunity.offer
    assert (offer.currency, offer.base, offer.answer_by.isoformat()) == ("EUR", 63000, "2026-12-04")
    assert (offer.bonus.target_percent, offer.bonus.guaranteed) == (8, True)
    assert (offer.sign_on.amount, offer.sign_on.clawback_months) == (5000, 12)
    [grant] = offer.equity
    assert (grant.kind, grant.shares, grant.price, grant.strike) == (
        EquityKind.OPTIONS,
        400,
        25,
        10,
    )
    vesting = grant.vesting
    assert (vesting.years, vesting.cliff_months, vesting.every_months) == (4, 12, 3)
    assert (offer.benefits.retirement_percent, offer.benefits.yearly_value) == (5, 1200)
    assert (offer.pto_days, offer.hours_per_week, offer.remote) == (30, 38.5, typed["remote"])

    again = _form(example_dir, NORTHWIND)
    with_separators = {
        "base": "63,000",
        "sign_on": "5,000",
        "refresh": "2,000",
        "benefits_value": "1,200",
    }
    for name, value in typed.items():
        assert getattr(again, name).widget.value == with_separators.get(name, value), name
    assert again.kind.widget.value is EquityKind.OPTIONS
    assert again.bonus_guaranteed.widget.value is True
    assert "Year by year, in EUR" in again.view.value
    assert "Base 63,000 EUR: 2% below your target (64,000 EUR)" in again.view.value


def test_a_cliff_after_the_last_vesting_year_is_marked_beside_it_and_nothing_else_is_lost(
    example_dir: Path,
) -> None:
    before = _file(example_dir, FJORD)["offer"]
    form = _form(example_dir, FJORD)
    form.cliff.widget.value = "48"
    form.base.widget.value = "800000"
    form.pto.widget.value = "27"
    assert form.save() is False
    assert "cliff_months is 48, after the last of its 3 years" in form.cliff.message
    assert form.cliff.widget.value == "48"  # the text stays for the person to fix
    assert [f.label for f in form.bad] == ["Cliff months"]
    assert "needs a look" in form.status.value

    after = _file(example_dir, FJORD)["offer"]
    assert after["equity"] == before["equity"]  # the stored cliff is kept
    assert (after["base"], after["pto_days"]) == (800000, 27)
    assert after["sign_on"] == before["sign_on"] and after["benefits"] == before["benefits"]

    form.cliff.widget.value = "6"
    assert form.save() is True
    assert form.cliff.message == ""
    assert _file(example_dir, FJORD)["offer"]["equity"][0]["vesting"]["cliff_months"] == 6


def test_a_bonus_given_both_ways_is_marked_at_the_amount_and_not_written(example_dir: Path) -> None:
    form = _form(example_dir, FJORD)
    form.bonus_amount.widget.value = "50000"
    assert form.save() is False
    assert "both target_percent and amount" in form.bonus_amount.message
    assert _file(example_dir, FJORD)["offer"]["bonus"] == {"target_percent": 10}


def test_text_in_the_base_is_marked_beside_it_and_the_stored_base_kept(example_dir: Path) -> None:
    form = _form(example_dir, FJORD)
    form.base.widget.value = "a lot"
    form.remote.widget.value = "Remote"
    assert form.save() is False
    assert "Expected a number" in form.base.message
    offer = _file(example_dir, FJORD)["offer"]
    assert (offer["base"], offer["remote"]) == (780000, "Remote")


def test_a_second_grant_and_a_counter_day_not_on_the_form_are_kept(example_dir: Path) -> None:
    book = Workbook(example_dir)
    stored = book.get(FJORD)
    opportunity = stored.opportunity.model_copy(deep=True)
    extra = opportunity.offer.equity[0].model_copy(update={"value": 1000})
    opportunity.offer.equity.append(extra)
    opportunity.offer.countered_on = opportunity.offer.received_on
    book.save(opportunity, base_version=stored.version)
    form = _form(example_dir, FJORD)
    form.value.widget.value = "250000"
    assert form.save() is True
    offer = Workbook(example_dir).get(FJORD).opportunity.offer
    assert [g.value for g in offer.equity] == [250000, 1000]
    assert offer.countered_on == offer.received_on


def test_the_view_below_shows_the_years_the_chart_the_verdict_and_the_links(
    example_dir: Path,
) -> None:
    view = _form(example_dir, FJORD).view.value
    assert view.count("<tbody><tr><td>1</td>") == 1
    assert 'src="data:image/png;base64,' in view
    assert "The sign-on is paid back if you leave within 12 months." in view
    assert "04_follow_up.ipynb" in view and "05_compare.ipynb" in view
    assert "://" not in view.replace("data:image/png", "")


def test_a_new_offer_left_empty_writes_nothing(example_dir: Path) -> None:
    before = (example_dir / "opportunities" / f"{NORTHWIND}.yaml").read_bytes()
    form = _form(example_dir, NORTHWIND)
    form.currency.widget.value = "GBP"
    form.save()
    assert (example_dir / "opportunities" / f"{NORTHWIND}.yaml").read_bytes() == before
    assert "Once the offer is recorded" in form.view.value


def test_the_headless_summary_shows_the_offer_or_says_there_is_none(example_dir: Path) -> None:
    book = Workbook(example_dir)
    assert "No offer recorded." in summary_html(book.get(NORTHWIND).opportunity)
    assert "Pay per hour worked in year one" in summary_html(book.get(FJORD).opportunity)
    shown = notebook(str(example_dir), FJORD, EXAMPLE_NOW, interactive=False)
    assert "Offer · Fjord Energy" in shown.data
