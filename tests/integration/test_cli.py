"""The command line as a person runs it: a real process, real files, one clear line on bad input."""

from __future__ import annotations

import json

from support import EXAMPLE_NOW
from support import run_followup as run


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("status", "validate", "schema"):
        assert command in result.stdout


def test_status_shows_overdue_first_and_the_pipeline(example_dir):
    result = run("status", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # Each opportunity's heading ends with its id; Lumen also has the upcoming interview line.
    assert out.index("(harbor-bank-pm,") < out.index("(northwind-data-analyst,")
    assert out.index("(northwind-data-analyst,") < out.index("(lumen-ux-researcher,")
    assert "Prepare for Meet the team [to do]" in out
    assert "!! Check in with the recruiter [overdue]" in out
    assert "Thank-you note to Amélie Dubois" in out
    assert "No email address" in out
    assert "give them until Thu 10 Dec 2026 before a polite check-in" in out
    assert "Counter the offer [to do]  due end of Fri 04 Dec 2026" in out
    assert "Keep searching: 4 open processes" in out


def test_status_json_is_machine_readable(example_dir):
    result = run("status", "--data", str(example_dir), "--now", EXAMPLE_NOW, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["opportunities"][0]["id"] == "harbor-bank-pm"
    assert data["opportunities"][0]["next"][0]["state"] == "overdue"
    quill = next(o for o in data["opportunities"] if o["id"] == "quill-software-engineer")
    assert {s["kind"] for s in quill["next"]} >= {"feedback", "other_roles", "talent_community"}
    assert data["problems"] == []


def test_min_active_comes_from_settings_or_the_flag(example_dir):
    (example_dir / "settings.yaml").write_text("min_active: 6\n", encoding="utf-8")
    out = run("status", "--data", str(example_dir), "--now", EXAMPLE_NOW).stdout
    assert "Only 4 open processes; aim for at least 6" in out
    out = run(
        "status", "--data", str(example_dir), "--now", EXAMPLE_NOW, "--min-active", "2"
    ).stdout
    assert "4 open processes (your aim: at least 2)" in out


def test_the_data_folder_can_come_from_the_environment(example_dir, tmp_path):
    result = run(
        "status", "--now", EXAMPLE_NOW, env={"FOLLOWUP_DATA": str(example_dir)}, cwd=tmp_path
    )
    assert result.returncode == 0
    assert "Harbor Bank" in result.stdout


def test_an_empty_workbook_says_how_to_start(tmp_path):
    result = run("status", "--now", EXAMPLE_NOW, cwd=tmp_path)
    assert result.returncode == 0
    assert "No opportunities yet" in result.stdout


def test_validate_on_an_empty_workbook_says_it_is_empty_and_how_to_start(tmp_path):
    (tmp_path / "book").mkdir()
    result = run("validate", "--data", str(tmp_path / "book"))
    assert result.returncode == 0
    assert result.stdout.startswith(f"{tmp_path / 'book'} is empty: no opportunities yet")
    assert f"followup app --data {tmp_path / 'book'}" in result.stdout
    assert "All 0" not in result.stdout


def test_validate_lists_every_problem_and_exits_1(example_dir):
    assert run("validate", "--data", str(example_dir)).returncode == 0
    (example_dir / "opportunities" / "bad.yaml").write_text("id: bad\ncompany: A\nstatus: hired\n")
    (example_dir / "settings.yaml").write_text("min_active: -1\n")
    result = run("validate", "--data", str(example_dir))
    assert result.returncode == 1
    assert "bad.yaml:3: field status" in result.stderr
    assert "settings.yaml:1: field min_active" in result.stderr
    assert "2 problems; 5 opportunities are fine." in result.stderr
    assert "Traceback" not in result.stderr


def test_status_still_shows_the_good_files_when_one_is_broken(example_dir):
    (example_dir / "opportunities" / "bad.yaml").write_text("id: bad\ncompany: [\n")
    result = run("status", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert result.returncode == 1
    assert "Harbor Bank" in result.stdout
    assert "bad.yaml:" in result.stderr and "not valid YAML" in result.stderr


def test_bad_input_is_one_clear_line_and_exit_2(example_dir, tmp_path):
    cases = [
        (
            ("status", "--data", str(example_dir), "--now", "yesterday"),
            "--now: expected an ISO 8601",
        ),
        (("status", "--data", str(tmp_path / "missing")), "no such folder"),
        (("status", "--min-active", "many"), "invalid int value"),
        (("frobnicate",), "invalid choice"),
    ]
    for args, expected in cases:
        result = run(*args)
        assert result.returncode == 2, args
        assert expected in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_schema_is_printed_or_written(tmp_path):
    result = run("schema")
    assert json.loads(result.stdout)["properties"]["id"]["pattern"]
    out = tmp_path / "opportunity.schema.json"
    assert run("schema", "--out", str(out)).returncode == 0
    assert json.loads(out.read_text())["title"].startswith("followup opportunity file")


def test_a_new_person_with_an_empty_workbook_gets_answers_not_tracebacks(tmp_path):
    for args in (("compare",), ("report",), ("calendar",)):
        result = run(*args, "--now", EXAMPLE_NOW, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert "(nothing yet)" in run("compare", cwd=tmp_path).stdout
    assert (tmp_path / "reports" / "index.html").is_file()


def test_status_names_your_zone_once_and_explains_its_marks(example_dir):
    (example_dir / "settings.yaml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    out = run("status", "--data", str(example_dir), "--now", EXAMPLE_NOW).stdout
    lines = out.splitlines()
    assert lines[1] == "Times are in Asia/Tokyo (JST)."
    assert lines[2].startswith("Marks: !! overdue")
    assert "Thank-you note to Jörg Müller [to do]  due Fri 27 Nov 2026 19:30" in out
    assert out.count("JST") == 1
    assert "[blocked]" not in out


def test_status_json_lists_the_upcoming_interviews(tmp_path):
    from support import ROOT

    book = tmp_path / "workbook"
    book.mkdir()
    invite = ROOT / "tests" / "data" / "invites" / "zoom.ics"
    assert run("import", str(invite), "--data", str(book), "--yes").returncode == 0
    result = run("status", "--data", str(book), "--now", "2026-11-30T12:00+01:00", "--json")
    (upcoming,) = json.loads(result.stdout)["upcoming"]
    assert upcoming["starts_at"] == "2026-12-02T14:00:00-05:00"
    assert upcoming["name"] == "Recruiter screen"
    one = run(
        "calendar",
        "--data",
        str(book),
        "--now",
        "2026-11-30T12:00+01:00",
        "--out",
        str(tmp_path / "c.ics"),
    )
    assert "Wrote 2 entries to" in one.stdout  # the interview, and preparing for it


def test_drafts_offers_every_kind_of_draft():
    from followup.drafts.compose import DraftKind
    from followup.steps import draft_kinds

    assert {k.value for k in DraftKind} <= set(draft_kinds())
    result = run("drafts", "--help")
    for kind in draft_kinds():
        assert kind in result.stdout


def test_a_command_run_in_process_leaves_the_cycle_collector_running(example_dir, capsys):
    import gc

    from followup.cli.commands import main

    assert main(["validate", "--data", str(example_dir)]) == 0
    assert main(["status", "--data", "/nonexistent/followup"]) == 2
    assert gc.isenabled()
    capsys.readouterr()
