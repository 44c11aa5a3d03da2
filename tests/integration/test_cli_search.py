"""`followup stats` and `followup export` in a real process, on the example and on files made
to test them: the JSON's shape, the page's order, CSV that parses back and is safe to open."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from followup.core.model import Opportunity
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW
from support import run_followup as run


def new_workbook(tmp_path: Path, **fields) -> Workbook:
    book = Workbook(tmp_path / "book")
    book.create(Opportunity.model_validate({"id": "acme", "company": "Acme", **fields}))
    return book


def test_export_csv_parses_back_with_one_row_per_application(example_dir):
    result = run("export", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    loaded = Workbook(example_dir).load().opportunities
    assert sorted(r["company"] for r in rows) == sorted(o.company for o in loaded)
    quill = next(r for r in rows if r["company"] == "Quill & Co.")
    assert quill["applied_on"] == "2026-10-26"
    assert quill["stage_history"] == (
        "applied 2026-10-26; interviewing 2026-11-04; rejected 2026-11-24"
    )


def test_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(tmp_path):
    book = new_workbook(tmp_path, role='=HYPERLINK("http://evil.example")')
    result = run("export", "--data", str(book.root))
    assert result.returncode == 0, result.stderr
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["role"].startswith("'=")


def test_export_writes_dates_in_the_pattern_asked_and_refuses_one_that_is_not(example_dir):
    result = run("export", "--data", str(example_dir), "--date-format", "%d.%m.%Y")
    assert "26.10.2026" in result.stdout
    bad = run("export", "--data", str(example_dir), "--date-format", "days")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "--date-format" in bad.stderr


def test_export_html_is_a_printable_page_of_every_application(example_dir, tmp_path):
    out = tmp_path / "search.html"
    result = run("export", "--data", str(example_dir), "--format", "html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr>") == 1 + 5
    assert "Quill &amp; Co." in page and "@media print" in page


def test_stats_json_has_the_documented_shape_on_the_example(example_dir):
    result = run("stats", "--data", str(example_dir), "--now", EXAMPLE_NOW, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["funnel"]["applied"] == 5
    first = data["durations"]["time_to_first_answer"]
    assert first["median"] == 10 and first["interval"]["confidence"] == 0.95
    decision = data["durations"]["time_from_last_interview_to_decision"]
    assert set(decision) >= {"median", "interval", "median_text"}
    assert all(s["comparable"] is False for s in data["sources"])
    assert any(f["source"] == "rule of thumb" for f in data["figures"])


def test_stats_html_has_today_first_and_charts_embedded(example_dir, tmp_path):
    out = tmp_path / "stats.html"
    result = run(
        "stats",
        "--data",
        str(example_dir),
        "--now",
        EXAMPLE_NOW,
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.index("What to do today") < page.index("<img")
    assert "data:image/png;base64," in page
    assert "Glassdoor" in page and "2015" in page


def test_stats_since_must_be_a_date(example_dir):
    result = run("stats", "--data", str(example_dir), "--since", "last tuesday")
    assert result.returncode == 2
    assert "--since" in result.stderr and result.stderr.count("\n") == 1
