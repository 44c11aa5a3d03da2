"""Tracker CSVs read from bytes: column names, statuses, dates, salaries, skipped rows with their
line numbers, and a loader that never raises anything but its one clear error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.core.errors import InvalidRecord, UsageError
from followup.core.model import Opportunity, Status
from followup.imports.tracker import (
    TrackerSource,
    parse_map,
    plan_tracker,
    preview_tracker,
    read_tracker,
)

PATH = Path("applications.csv")


def read(text: str, mapping: dict | None = None, encoding: str = "utf-8"):
    return read_tracker(text.encode(encoding), PATH, mapping)


def test_common_column_names_are_recognised_in_any_case_and_spacing():
    tracker = read(
        "JOB TITLE,company_name,Stage,Job URL,date applied\n"
        "Analyst,Acme,Offer,https://acme.example/1,2026-11-02\n"
    )
    (row,) = tracker.rows
    o = row.opportunity
    assert (o.company, o.role, o.status, o.link) == (
        "Acme",
        "Analyst",
        Status.OFFER,
        "https://acme.example/1",
    )
    assert o.applied_on == date(2026, 11, 2)
    assert o.id == "acme-analyst"


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Wishlist", Status.ACTIVE),
        ("Interviewing", Status.ACTIVE),
        ("Negotiating", Status.OFFER),
        ("Not Selected", Status.REJECTED),
        ("I Withdrew", Status.WITHDRAWN),
        ("No Response", Status.NO_RESPONSE),
        ("accepted", Status.ACCEPTED),
        ("", Status.ACTIVE),
    ],
)
def test_tracker_statuses_map_to_the_workbooks(word, status):
    (row,) = read(f"Company,Status\nAcme,{word}\n").rows
    assert row.opportunity.status is status


def test_a_column_of_dates_is_read_in_the_one_order_its_rows_allow():
    assert read_dates(["11/03/2026", "10/28/2026"]) == [date(2026, 11, 3), date(2026, 10, 28)]
    assert read_dates(["11/03/2026", "28/10/2026"]) == [date(2026, 3, 11), date(2026, 10, 28)]
    assert read_dates(["26.11.2026"]) == [date(2026, 11, 26)]
    assert read("Company,Date Applied\nA,03/11/2026\nB,10/28/2026\n").undecided == []


def test_mixed_formats_are_read_per_column_and_iso_always_as_iso():
    tracker = read(
        "Company,Date Applied,Decision Date,Status\n"
        "A,11/15/2026,2026-12-01,Rejected\n"
        "B,10/28/2026,,Applied\n"
        "C,2026-11-20,,Applied\n"
        "D,11/02/2026,02/12/2026,Rejected\n"
        "E,,25/12/2026,Rejected\n"
    )
    days = {r.opportunity.company: r.opportunity for r in tracker.rows}
    assert days["D"].applied_on == date(2026, 11, 2)  # month-first, as 11/15 and 10/28 say
    assert days["C"].applied_on == date(2026, 11, 20)
    assert days["A"].outcome_on == date(2026, 12, 1)
    assert days["D"].outcome_on == date(2026, 12, 2)  # its own column is day-first (25/12)
    assert tracker.undecided == [] and tracker.problems == []


def test_a_column_whose_every_date_reads_both_ways_is_flagged_never_guessed():
    text = "Company,Date Applied\nA,03/11/2026\nB,04/10/2026\n"
    either = read(text)
    assert either.undecided == [
        "column 'Date Applied': every date such as 03/11/2026 could be day/month or month/day; "
        "say which with --dates day-first or --dates month-first"
    ]
    assert [r.opportunity.applied_on for r in either.rows] == [None, None]
    told = read_tracker(text.encode(), PATH, dates="month-first")
    assert told.undecided == []
    assert [r.opportunity.applied_on for r in told.rows] == [date(2026, 3, 11), date(2026, 4, 10)]


def test_a_column_with_both_orders_needs_dates_and_then_skips_the_other_order():
    text = "Company,Date Applied\nA,28/10/2026\nB,10/28/2026\n"
    assert "only day-first (28/10/2026) and others only month-first" in read(text).undecided[0]
    told = read_tracker(text.encode(), PATH, dates="day-first")
    assert [r.opportunity.company for r in told.rows] == ["A"]
    assert told.problems == [
        "line 3: date '10/28/2026' does not read day-first like the rest of its column"
    ]


def test_a_big_file_is_previewed_from_disk_keeping_only_the_first_rows(tmp_path):
    path = tmp_path / "big.csv"
    body = "".join(f"Company {i},Applied\n" for i in range(3000))
    path.write_text("Company,Status\n" + body + ",Applied\n", encoding="utf-8")
    source = TrackerSource(path)
    preview = preview_tracker(source, [], keep=5)
    assert (preview.new, preview.known, preview.skipped) == (3000, 0, 1)
    assert [p.opportunity.company for p in preview.first] == [f"Company {i}" for i in range(5)]
    assert preview.problems == ["line 3002: no company"]


def read_dates(texts: list[str]) -> list[date]:
    body = "".join(f"Acme {i},{t}\n" for i, t in enumerate(texts))
    return [r.opportunity.applied_on for r in read("Company,Date Applied\n" + body).rows]


@pytest.mark.parametrize(
    ("cells", "low", "high", "currency"),
    [
        ('"€55,000 - €68,000"', 55000, 68000, "EUR"),
        ("55k-68k GBP", 55000, 68000, "GBP"),
        ('"$120,000"', 120000, None, "USD"),
        ('"55.000 – 60.000 CHF"', 55000, 60000, "CHF"),
    ],
)
def test_a_posted_salary_is_read_with_its_currency(cells, low, high, currency):
    (row,) = read(f"Company,Salary\nAcme,{cells}\n").rows
    salary = row.opportunity.salary_range
    assert (salary.posted_minimum, salary.posted_maximum, salary.currency) == (low, high, currency)


def test_bad_rows_are_listed_with_their_line_numbers_and_the_rest_imported():
    tracker = read(
        "Company,Status,URL\n"
        "Good,Applied,https://good.example\n"
        '"Multi\nline",Applied,\n'
        ",Applied,\n"
        "Odd,Dreaming,\n"
        "Good,Applied,https://good.example\n"
    )
    assert [r.opportunity.company for r in tracker.rows] == ["Good", "Multi line"]
    assert tracker.problems == [
        "line 5: no company",
        "line 6: status 'Dreaming' is not one the importer knows (for example Applied, "
        "Interviewing, Offer, Rejected, Withdrawn, No response)",
        "line 7: the same application as line 2",
    ]


def test_a_control_character_in_a_cell_is_a_skipped_row_with_a_plain_reason():
    tracker = read('Company,Role\nAcme,"Ana\x07lyst"\nBeta,Analyst\n')
    assert [r.opportunity.company for r in tracker.rows] == ["Beta"]
    assert tracker.problems == [
        "line 2: role: expected a single line of plain text (got 'Ana\\x07lyst')"
    ]


def test_a_map_names_the_columns_it_cannot_guess():
    tracker = read("Employer,Vacancy\nAcme,Analyst\n", parse_map("company=Employer,role=Vacancy"))
    assert tracker.rows[0].opportunity.title == "Acme · Analyst"
    with pytest.raises(UsageError, match="unknown field 'firm'"):
        parse_map("firm=Employer")
    with pytest.raises(InvalidRecord, match="--map company=Firm: no such column"):
        read("Employer\nAcme\n", {"company": "Firm"})


def test_semicolons_and_windows_1252_are_read_and_the_encoding_is_said():
    tracker = read("Company;Role\nMüller & Söhne;Analyst\n", encoding="cp1252")
    assert tracker.rows[0].opportunity.company == "Müller & Söhne"
    assert "read as Windows-1252" in tracker.notes[0]
    utf16 = read_tracker("Company\tRole\nÅre Bygg\tAnalyst\n".encode("utf-16"), PATH)
    assert utf16.rows[0].opportunity.company == "Åre Bygg" and utf16.notes == []


def test_re_importing_plans_nothing_new_and_ids_never_collide():
    existing = Opportunity(id="acme-analyst", company="Acme", role="Analyst", link=None)
    other = Opportunity(
        id="acme-analyst-2", company="Acme", role="Analyst", link="https://a.example/x"
    )
    tracker = read_tracker(
        b"Company,Role,URL\nAcme,Analyst,\nAcme,Analyst,https://a.example/y\n", PATH
    )
    plans = plan_tracker(tracker, [existing, other])
    assert [(p.created, p.opportunity.id) for p in plans] == [
        (False, "acme-analyst"),
        (True, "acme-analyst-3"),
    ]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "the file is empty"),
        (b"Acme,Analyst,Applied\nBeta,Engineer,Applied\n", "no company column in the header"),
        (b"Company\n\x81\x8d\n", "not UTF-8 text (nor Windows-1252)"),
        (b'Company\n"Acme\n', "not readable as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_one_line(data, says):
    with pytest.raises(InvalidRecord) as caught:
        read_tracker(data, PATH)
    assert says in str(caught.value)
    assert str(caught.value).startswith(str(PATH)) and "\n" not in str(caught.value)


cells = st.one_of(
    st.sampled_from(
        [
            "Company",
            "Role",
            "Status",
            "URL",
            "Date Applied",
            "Salary",
            "Acme",
            "€5k",
            "Applied",
            "Dreaming",
            "2026-02-30",
            "13/13/2026",
            "https://x.example",
            '"',
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cells, max_size=6), max_size=8), st.sampled_from([",", ";", "\t"]))
def test_the_csv_loader_never_raises_anything_but_its_clear_error(rows, separator):
    data = "\n".join(separator.join(r) for r in rows).encode("utf-8", "surrogatepass")
    try:
        tracker = read_tracker(data, PATH)
    except InvalidRecord as exc:
        assert str(exc).startswith(str(PATH))
        return
    for row in tracker.rows:
        assert row.opportunity.company
    for problem in tracker.problems:
        assert problem.startswith("line ")
