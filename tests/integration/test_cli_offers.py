"""`followup offers` in a real process, on real files: every offer side by side as a table, CSV,
JSON and a page, with amounts in two currencies compared only through the settings' rates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml

from support import run_followup as run

NORTH = {
    "id": "north-analyst",
    "company": "North Labs",
    "role": "Analyst",
    "status": "offer",
    "salary_range": {"currency": "EUR", "minimum": 58000, "target": 64000, "stretch": 70000},
    "offer": {
        "currency": "EUR",
        "answer_by": "2026-12-10",
        "base": 61440,
        "sign_on": {"amount": 5000},
        "equity": [
            {"value": 200000, "vesting": {"years": 4, "cliff_months": 12, "every_months": 3}}
        ],
        "hours_per_week": 40,
        "pto_days": 25,
    },
}
SOUTH = {
    "id": "south-engineer",
    "company": "South & Co",
    "status": "offer",
    "offer": {
        "currency": "USD",
        "base": 90000,
        "equity": [{"kind": "options", "shares": 1000, "price": 10, "strike": 25}],
    },
}
STILL_TALKING = {"id": "west-pm", "company": "West", "status": "active"}


def workbook(folder: Path, *records: dict, settings: dict | None = None) -> Path:
    (folder / "opportunities").mkdir(parents=True)
    for record in records:
        path = folder / "opportunities" / f"{record['id']}.yaml"
        path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    if settings is not None:
        (folder / "settings.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    return folder


def offers(folder: Path, *args: str) -> str:
    result = run("offers", "--data", str(folder), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_lists_each_offer_with_its_rows_of_parts_and_scenario_totals(tmp_path):
    book = workbook(tmp_path / "book", NORTH, SOUTH, STILL_TALKING)
    data = json.loads(offers(book, "--format", "json"))
    assert [(o["id"], o["company"], o["currency"]) for o in data] == [
        ("north-analyst", "North Labs", "EUR"),
        ("south-engineer", "South & Co", "USD"),
    ]
    north = data[0]
    assert [row["year"] for row in north["years"]] == [1, 2, 3, 4]
    assert any("4% below your target" in line for line in north["verdict"])
    first = north["years"][0]
    assert set(first) >= {"year", "base", "bonus", "sign_on", "equity", "benefits", "total"}
    assert first["equity"] == {"0": 0, "1": 50000, "3": 150000}
    assert first["total"] == {"0": 66440, "1": 116440, "3": 216440}
    assert [row["sign_on"] for row in north["years"]] == [5000, 0, 0, 0]
    assert all(row["equity"]["1"] == 50000 for row in north["years"])
    south_equity = [row["equity"] for row in data[1]["years"]]
    assert south_equity[0] == {"0": 0, "1": 0, "3": 1000 * (30 - 25) / 4}


def test_years_and_equity_scenarios_can_be_chosen(tmp_path):
    book = workbook(tmp_path / "book", NORTH)
    data = json.loads(offers(book, "--format", "json", "--years", "2", "--equity", "0.5,2"))
    assert [row["year"] for row in data[0]["years"]] == [1, 2]
    assert data[0]["years"][1]["equity"] == {"0.5": 25000, "2": 100000}


def test_the_verdict_measures_the_base_against_your_target_in_words(tmp_path):
    book = workbook(tmp_path / "book", NORTH)
    shown = offers(book)
    assert "Base 61,440 EUR: 4% below your target (64,000 EUR)" in shown
    assert "reaches your stretch only if the equity is worth the grant" in shown
    assert "Answer by Thu 10 Dec 2026." in shown


def test_offers_in_two_currencies_are_compared_only_through_the_settings_rates(tmp_path):
    alone = workbook(tmp_path / "alone", NORTH, SOUTH)
    assert "Not compared with South & Co's offer: it is in USD" in offers(alone)
    rated = workbook(
        tmp_path / "rated", NORTH, SOUTH, settings={"home_currency": "EUR", "rates": {"USD": 0.9}}
    )
    shown = offers(rated)
    assert "Not compared" not in shown
    assert (
        "Over 4 years, worth more than South & Co's offer only if the equity is worth the grant."
        in shown
    )


def test_csv_has_a_line_per_year_and_scenario_and_no_cell_runs_as_a_formula(tmp_path):
    hostile = {**SOUTH, "company": '=HYPERLINK("http://evil.example")'}
    book = workbook(tmp_path / "book", NORTH, hostile)
    rows = list(csv.DictReader(io.StringIO(offers(book, "--format", "csv"))))
    assert len(rows) == 2 * 4 * 3
    assert {r["company"] for r in rows} == {"North Labs", '\'=HYPERLINK("http://evil.example")'}
    first = rows[0]
    assert (first["year"], first["scenario"], first["total"]) == ("1", "0", "66440")


def test_the_page_draws_each_offer_without_asking_another_host(tmp_path):
    script = {**SOUTH, "company": "<script>alert(1)</script>"}
    book = workbook(tmp_path / "book", NORTH, script)
    out = tmp_path / "offers.html"
    result = run("offers", "--data", str(book), "--format", "html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count('<img src="data:image/png;base64,') == 2
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert "4% below your target" in page


def test_no_offer_yet_says_how_to_add_one(tmp_path):
    book = workbook(tmp_path / "book", STILL_TALKING)
    assert "No offers recorded yet" in offers(book)
    assert json.loads(offers(book, "--format", "json")) == []


def test_a_wrong_option_is_one_line_and_exit_code_two(tmp_path):
    book = workbook(tmp_path / "book", NORTH)
    for args in (["--equity", "lots"], ["--years", "0"]):
        result = run("offers", "--data", str(book), *args)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_broken_offer_names_its_file_and_field_and_the_others_still_show(tmp_path):
    broken = {**SOUTH, "offer": {**SOUTH["offer"], "base": -5}}
    book = workbook(tmp_path / "book", NORTH, broken)
    result = run("offers", "--data", str(book))
    assert result.returncode == 1
    assert "south-engineer.yaml" in result.stderr and "offer.base" in result.stderr
    assert "North Labs" in result.stdout


def test_the_example_workbook_shows_fjord_energys_offer():
    shown = offers(Path(__file__).resolve().parents[2] / "data" / "example")
    assert "Fjord Energy · Energy Market Analyst (fjord-energy-analyst), in NOK" in shown


def test_an_offer_revised_after_a_counter_keeps_the_first_one_in_the_history(tmp_path):
    from followup.core.model import Opportunity
    from followup.storage.history import read_version
    from followup.storage.workbook import Workbook

    book = Workbook(tmp_path / "book")
    stored = book.create(Opportunity.model_validate(NORTH))
    revised = stored.opportunity.model_copy(deep=True)
    revised.offer.base = 64000
    revised.offer.countered_on = revised.offer.answer_by
    book.save(revised, stored.version)
    versions = book.versions("north-analyst")
    assert "offer.base:" in versions[-1].summary and "offer.countered_on:" in versions[-1].summary
    first = read_version(versions[0].path, book.root)
    assert first.offer.base == 61440 and first.offer.countered_on is None
    shown = offers(book.root)
    assert "Base 64,000 EUR: 9% below your stretch (70,000 EUR), equal to your target." in shown
