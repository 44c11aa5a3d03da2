"""Every face reads one checklist: the command line's status, drafts and calendar agree with
each other and with the settings, and `followup done`/`undo` call the forms' own actions."""

from __future__ import annotations

from pathlib import Path

import yaml
from icalendar import Calendar

from support import EXAMPLE_NOW
from support import run_followup as run

HARBOR = "harbor-bank-pm"


def _checked_in(example_dir: Path, day: str) -> None:
    path = example_dir / "opportunities" / f"{HARBOR}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["timeline"]["checked_in_on"] = day
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_status_drafts_and_calendar_all_follow_the_workbooks_no_response_wait(example_dir):
    _checked_in(example_dir, "2026-11-18")  # 8 days before the example's evening
    (example_dir / "settings.yaml").write_text("no_response_after_days: 7\n", encoding="utf-8")
    data, now = ("--data", str(example_dir)), ("--now", EXAMPLE_NOW)
    status = run("status", *data, *now)
    assert "No news: mark it 'no response'?" in status.stdout, status.stderr
    drafts = run("drafts", HARBOR, *data, *now)
    assert "Check-in to" not in drafts.stdout, drafts.stdout
    out = example_dir / "cal.ics"
    assert run("calendar", *data, *now, "--out", str(out)).returncode == 0
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    open_check_ins = [
        e for e in events if "Check in" in str(e["SUMMARY"]) and "Harbor" in str(e["SUMMARY"])
    ]
    assert all(str(e["SUMMARY"]).startswith("Done: ") for e in open_check_ins), open_check_ins


def test_with_the_default_wait_the_same_day_drafts_the_check_in(example_dir):
    _checked_in(example_dir, "2026-11-18")
    drafts = run("drafts", HARBOR, "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert "Check-in to" in drafts.stdout, drafts.stdout


def test_done_and_undo_record_and_clear_a_note_at_the_time_given(example_dir):
    data = ("--data", str(example_dir))
    done = run(
        "done", "northwind", "thank-you", "--person", "Jörg Müller",
        "--at", "2026-11-26T19:05:00+01:00", *data,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Thank-you note (Jörg Müller) marked done" in done.stdout
    path = example_dir / "opportunities" / "northwind-data-analyst.yaml"
    text = path.read_text(encoding="utf-8")
    assert "sent_at: '2026-11-26T19:05:00+01:00'" in text
    status = run("status", *data, "--now", EXAMPLE_NOW)
    assert "Thank-you note to Jörg Müller" not in status.stdout
    undo = run("undo", "northwind", "thank-you", "--person", "Jörg Müller", *data)
    assert undo.returncode == 0, undo.stderr
    assert "2026-11-26T19:05" not in path.read_text(encoding="utf-8")


def test_done_refuses_what_it_cannot_do_in_one_line_and_writes_nothing(example_dir):
    data = ("--data", str(example_dir))
    path = example_dir / "opportunities" / "northwind-data-analyst.yaml"
    before = path.read_bytes()
    for args, said in (
        (("northwind", "thank-you", "--person", "Nobody"), "no interviewer named 'Nobody'"),
        (("northwind", "linkedin"), "only once the process has ended"),
        (("northwind", "debrief"), "invalid choice"),
    ):
        result = run("done", *args, *data)
        assert result.returncode != 0
        assert said in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert path.read_bytes() == before


def test_done_on_the_talent_community_marks_the_day_joined(example_dir):
    data = ("--data", str(example_dir))
    result = run("done", "quill", "talent-community", "--at", "2026-11-27T09:00:00+01:00", *data)
    assert result.returncode == 0, result.stderr
    text = (example_dir / "opportunities" / "quill-software-engineer.yaml").read_text()
    assert "talent_community_joined_on: '2026-11-27'" in text
