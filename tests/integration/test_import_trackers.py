"""`followup import applications.csv`: hand-made exports shaped like Huntr's, Teal's, JobSync's
and a spreadsheet's (tests/data/trackers/), previewed, written once accepted, never duplicated."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from followup.cli.commands import main
from followup.core.model import Status
from followup.storage.workbook import Workbook
from support import ROOT

TRACKERS = ROOT / "tests" / "data" / "trackers"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".locks" not in p.parts
    }


def imported(workbook: Path, name: str, *extra: str) -> int:
    return main(["import", str(TRACKERS / name), "--data", str(workbook), "--yes", *extra])


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    folder = tmp_path / "workbook"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    ("name", "companies"),
    [
        ("huntr.csv", ["Harbor Bank", "Kestrel Robotics", "Northwind Logistics", "Sol Energy"]),
        ("teal.csv", ["Atlas Freight", "Brightline", "Copperleaf", "Lumen Health", "Quill & Co."]),
        ("jobsync.csv", ["Orbit Labs", "Orbit Labs"]),
    ],
)
def test_each_trackers_export_becomes_opportunities(workbook, name, companies):
    assert imported(workbook, name) == 0
    found = Workbook(workbook).load()
    assert found.problems == []
    assert sorted(o.company for o in found.opportunities) == companies


def test_what_the_tracker_knew_is_kept(workbook):
    imported(workbook, "huntr.csv")
    imported(workbook, "teal.csv")
    book = Workbook(workbook)
    kestrel = book.get("kestrel-robotics-data-engineer").opportunity
    assert kestrel.link == "https://jobs.kestrel-robotics.example/de-114"
    assert (kestrel.location, kestrel.notes) == ("Berlin, Germany", "Referred by Tom")
    assert kestrel.salary_range.posted_minimum == 65000 and kestrel.salary_range.currency == "EUR"
    northwind = book.get("northwind-logistics-data-analyst").opportunity
    assert northwind.status is Status.OFFER
    assert northwind.notes == "Multi-line note:\nasked for the salary band"
    lumen = book.get("lumen-health-ux-researcher").opportunity
    assert str(lumen.applied_on) == "2026-11-03"  # 11/03/2026 beside 10/28/2026: US order
    assert book.get("brightline-product-analyst").opportunity.status is Status.NO_RESPONSE


def test_re_importing_never_duplicates(workbook, capsys):
    assert imported(workbook, "huntr.csv") == 0
    before = snapshot(workbook)
    capsys.readouterr()
    assert imported(workbook, "huntr.csv") == 0
    out = capsys.readouterr().out
    assert "0 new opportunities, 4 already in the workbook" in out
    assert "Nothing to change" in out
    assert snapshot(workbook) == before


def test_bad_rows_are_listed_by_line_and_the_good_ones_imported(workbook, capsys):
    assert imported(workbook, "bad-rows.csv") == 0
    out = capsys.readouterr().out
    for line in (3, 4, 5, 6, 7, 8):
        assert f"skipped line {line}: " in out
    assert "2 new opportunities, 0 already in the workbook, 6 rows skipped" in out
    assert sorted(o.company for o in Workbook(workbook).load().opportunities) == [
        "Good One",
        "Good Two",
    ]


def test_a_windows_1252_spreadsheet_is_read_and_said_so(workbook, capsys):
    assert imported(workbook, "spreadsheet-cp1252.csv") == 0
    assert "read as Windows-1252" in capsys.readouterr().out
    companies = sorted(o.company for o in Workbook(workbook).load().opportunities)
    assert companies == ["Bäckerei Krüger", "Müller & Söhne"]


def test_columns_it_cannot_guess_are_named_with_map(workbook, capsys):
    assert imported(workbook, "custom-columns.csv") == 2
    assert "no company column in the header (it has: Firm, Vacancy" in capsys.readouterr().err
    assert imported(workbook, "custom-columns.csv", "--map", "company=Firm,role=Vacancy") == 0
    titles = sorted(o.title for o in Workbook(workbook).load().opportunities)
    assert titles == ["Fjordkraft · Market Analyst", "Nordlys · Trader"]


def test_nothing_is_written_until_the_preview_is_accepted(workbook, monkeypatch, capsys):
    before = snapshot(workbook)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main(["import", str(TRACKERS / "teal.csv"), "--data", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "+ Lumen Health · UX Researcher (lumen-health-ux-researcher)" in out
    assert "Write 5 opportunities? [y/N]" in out and "Nothing was written." in out
    assert snapshot(workbook) == before


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("no-header.csv", "no company column in the header"),
        ("empty.csv", "the file is empty"),
        ("not-text.csv", "not UTF-8 text (nor Windows-1252)"),
        ("unclosed-quote.csv", "line 2: not readable as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_writes_nothing_and_says_why_in_one_line(
    example_dir, capsys, name, says
):
    before = snapshot(example_dir)
    assert imported(example_dir, name) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"followup: {TRACKERS / name}: ") and err.count("\n") == 1
    assert says in err
    assert snapshot(example_dir) == before


def test_a_workbook_that_cannot_be_written_to_gets_one_line_and_keeps_nothing_half_made(
    workbook, capsys
):
    (workbook / "opportunities").write_text("a file where the folder should be\n")
    before = snapshot(workbook)
    assert imported(workbook, "huntr.csv") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"followup: {workbook / 'opportunities'}: cannot write there: ")
    assert err.endswith("the import was not saved\n") and err.count("\n") == 1
    assert snapshot(workbook) == before
