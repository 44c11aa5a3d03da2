"""`followup import applications.csv` decides dates per column and never guesses one silently,
and asks twice before writing more than a thousand opportunities (real files, the real CLI)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from followup.cli.commands import MANY_ROWS, main
from followup.storage.workbook import Workbook
from support import ROOT

TRACKERS = ROOT / "tests" / "data" / "trackers"


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    folder = tmp_path / "workbook"
    folder.mkdir()
    return folder


def test_mixed_date_formats_read_11_02_as_2_november_in_a_month_first_column(workbook):
    assert (
        main(["import", str(TRACKERS / "mixed-dates.csv"), "--data", str(workbook), "--yes"]) == 0
    )
    applied = {o.company: o.applied_on for o in Workbook(workbook).load().opportunities}
    assert applied == {
        "Lumora Labs": date(2026, 11, 15),
        "Brightline": date(2026, 10, 28),
        "Copperleaf": date(2026, 11, 2),
        "Quill & Co.": date(2026, 11, 20),
    }


def test_a_column_that_reads_both_ways_writes_nothing_until_dates_says_the_order(workbook, capsys):
    either = str(TRACKERS / "either-dates.csv")
    assert main(["import", either, "--data", str(workbook), "--yes"]) == 2
    captured = capsys.readouterr()
    assert "not sure: column 'Date Applied'" in captured.out
    assert "--dates day-first or --dates month-first" in captured.err
    assert captured.err.count("\n") == 1
    assert not (workbook / "opportunities").exists()
    args = ["import", either, "--data", str(workbook), "--yes", "--dates", "day-first"]
    assert main(args) == 0
    applied = sorted(o.applied_on for o in Workbook(workbook).load().opportunities)
    assert applied == [date(2026, 10, 4), date(2026, 11, 3)]


def many_rows(tmp_path: Path) -> Path:
    path = tmp_path / "many.csv"
    rows = "".join(f"Company {i},Applied\n" for i in range(MANY_ROWS + 1))
    path.write_text("Company,Status\n" + rows, encoding="utf-8")
    return path


def test_more_than_a_thousand_new_opportunities_need_yes_and_many(workbook, tmp_path, capsys):
    path = str(many_rows(tmp_path))
    assert main(["import", path, "--data", str(workbook), "--yes"]) == 2
    assert "say --yes --many" in capsys.readouterr().err
    assert not (workbook / "opportunities").exists()
    assert main(["import", path, "--data", str(workbook), "--yes", "--many"]) == 0
    assert len(list((workbook / "opportunities").glob("*.yaml"))) == MANY_ROWS + 1


def test_without_yes_a_big_import_asks_a_second_time(workbook, tmp_path, monkeypatch, capsys):
    import io

    path = str(many_rows(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("y\nn\n"))
    assert main(["import", path, "--data", str(workbook)]) == 0
    assert "really write them all?" in capsys.readouterr().out
    assert not (workbook / "opportunities").exists()
