"""`followup import invite.ics`: hand-made invitations shaped like Google Calendar, Outlook, Teams
and Zoom send them (tests/data/invites/), read into rounds, previewed, then written if accepted."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.cli.commands import main
from followup.core.errors import InvalidRecord
from followup.core.model import Format
from followup.imports.invite import plan_invites, read_invites
from followup.storage.workbook import Workbook
from support import ROOT

INVITES = ROOT / "tests" / "data" / "invites"
BAD = INVITES / "bad"
ME = "alex.morgan@example.org"


def read(name: str, zone: str | None = "Europe/Berlin"):
    path = INVITES / name
    return read_invites(path.read_bytes(), path, me={ME}, zone=zone)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".locks" not in p.parts
    }


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    folder = tmp_path / "workbook"
    folder.mkdir()
    (folder / "settings.yaml").write_text(
        f"your_email: {ME}\ntimezone: Europe/Berlin\n", encoding="utf-8"
    )
    return folder


# Reading each sender's shape


def test_an_outlook_invite_with_a_windows_zone_becomes_an_onsite_round_in_berlin():
    (invite,) = read("outlook-onsite.ics")
    assert invite.timezone == "Europe/Berlin"
    assert invite.starts_at.isoformat() == "2026-12-03T10:00:00+01:00"
    assert invite.duration_minutes == 90
    assert invite.format is Format.ONSITE
    assert "Friedrichstraße 10" in invite.location
    assert [(p.name, p.email) for p in invite.interviewers] == [
        ("Jörg Müller", "joerg.mueller@northwind.example"),
        ("Amélie Dubois", "amelie.dubois@northwind.example"),  # Outlook's "Dubois, Amélie"
    ]
    assert invite.left_out == (
        "Alex Morgan (you)",
        "Lars Becker (declined)",
        "BER Room 4.12 (8) (a room or resource)",
    )


def test_a_teams_invite_from_tokyo_keeps_its_zone_and_finds_the_link_in_the_text():
    (invite,) = read("teams-tokyo.ics")
    assert invite.timezone == "Asia/Tokyo"
    assert invite.starts_at.hour == 9 and invite.starts_at.tzinfo == ZoneInfo("Asia/Tokyo")
    assert invite.format is Format.VIDEO
    assert invite.link.startswith("https://teams.microsoft.com/l/meetup-join/")
    assert "ALEX.MORGAN" not in str(invite.interviewers)  # your address in capitals is still you
    # Kenji sent it and accepted it, as every sender does: the recruiter, not an interviewer.
    assert [p.name for p in invite.interviewers] == ["Yuki Mori"]
    assert invite.company_guess() == "Hoshi Games"
    (plan,) = plan_invites([invite], [])
    assert plan.opportunity.recruiter.name == "Kenji Sato"


def test_a_google_invite_in_utc_is_shown_in_your_zone_with_the_meet_link():
    (invite,) = read("google-meet.ics")
    assert invite.timezone == "Europe/Berlin"
    assert invite.starts_at.isoformat() == "2026-12-01T10:00:00+01:00"
    assert invite.link == "https://meet.google.com/abc-defg-hij"
    # A CN that is only an address becomes a readable name.
    assert [p.name for p in invite.interviewers] == ["Tom Okafor"]  # Priya sent it


def test_a_zoom_invite_has_the_organizer_as_interviewer_and_the_link_not_as_a_place():
    (invite,) = read("zoom.ics")
    assert invite.timezone == "America/New_York"
    assert invite.starts_at.isoformat() == "2026-12-02T14:00:00-05:00"
    assert invite.link.startswith("https://us02web.zoom.us/j/870")
    assert invite.location == ""
    assert [p.name for p in invite.interviewers] == ["Hannah Cole"]
    assert invite.company_guess() == "Lumen Health"  # 'lumenhealth', spelled as the title has it


def test_a_floating_time_is_read_in_your_zone_and_says_so():
    (invite,) = read("floating-gmail.ics", zone="Asia/Tokyo")
    assert invite.starts_at.isoformat() == "2026-12-07T11:00:00+09:00"
    assert invite.format is Format.PHONE
    assert invite.notes == ("the start has no time zone: read as Asia/Tokyo time",)
    assert invite.company_guess() is None  # a gmail address says nothing about the employer


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("not-a-calendar.txt", "not a calendar file"),
        ("contact.vcf", "not a calendar file"),
        ("no-event.ics", "has no event (VEVENT)"),
        ("truncated.ics", "has no event (VEVENT)"),
        ("no-start.ics", "has no start (DTSTART)"),
        ("all-day.ics", "no time of day"),
        ("unknown-zone.ics", "unknown time zone name 'Mars Standard Time'"),
        ("latin1.ics", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_usable_invite_is_refused_in_one_line(name, says):
    path = BAD / name
    with pytest.raises(InvalidRecord) as caught:
        read_invites(path.read_bytes(), path, zone="Europe/Berlin")
    message = str(caught.value)
    assert says in message
    assert message.startswith(str(path))
    assert "\n" not in message


# Planning and writing


def test_an_invite_for_a_known_company_adds_a_round_to_its_opportunity(example_dir):
    opportunities = Workbook(example_dir).load().opportunities
    (plan,) = plan_invites(read("outlook-onsite.ics"), opportunities)
    assert plan.opportunity.id == "northwind-data-analyst"  # found by the recruiter's domain
    assert not plan.created
    added = plan.opportunity.rounds[-1]
    assert added.uid.startswith("040000008200E000")
    # The title's role is the opportunity's, not the round's.
    assert added.name == "Onsite interview"
    # Jörg was already recorded: his personal note is kept and he is not added twice.
    names = [p.name for p in added.interviewers]
    assert names == ["Jörg Müller", "Amélie Dubois"]


def test_importing_the_same_invite_again_updates_the_round_and_a_cancel_marks_it(workbook):
    data = ["--data", str(workbook), "--yes"]
    assert (
        main(["import", str(INVITES / "outlook-onsite.ics"), "--company", "Northwind", *data]) == 0
    )
    book = Workbook(workbook)
    (stored,) = book.load().stored.values()
    first = stored.opportunity.rounds[0]
    # Sofia sent the invitation without taking part: she is taken as the recruiter.
    assert stored.opportunity.recruiter.email == "sofia.brandt@northwind.example"
    assert "Sofia Brandt" not in [p.name for p in first.interviewers]
    stored.opportunity.rounds[0].interviewers[0].personal_note = "the Rotterdam hub"
    book.save(stored.opportunity, base_version=stored.version)

    assert main(["import", str(INVITES / "outlook-onsite-moved.ics"), *data]) == 0
    (moved,) = book.load().opportunities
    assert len(moved.rounds) == 1
    again = moved.rounds[0]
    assert again.uid == first.uid and again.name == first.name
    assert again.starts_at.isoformat() == "2026-12-04T14:00:00+01:00"
    assert [p.name for p in again.interviewers] == ["Jörg Müller", "Amélie Dubois", "Mei Tanaka"]
    assert again.interviewers[0].personal_note == "the Rotterdam hub"  # what you wrote is kept

    assert main(["import", str(INVITES / "outlook-onsite-cancel.ics"), *data]) == 0
    (cancelled,) = book.load().opportunities
    assert cancelled.rounds[0].cancelled
    assert cancelled.rounds[0].starts_at == again.starts_at
    assert [p.name for p in cancelled.rounds[0].interviewers] == [
        "Jörg Müller",
        "Amélie Dubois",
        "Mei Tanaka",
    ]


def test_a_second_import_of_the_same_file_changes_nothing(workbook, capsys):
    args = ["import", str(INVITES / "two-rounds.ics"), "--data", str(workbook), "--yes"]
    assert main(args) == 0
    before = snapshot(workbook)
    capsys.readouterr()
    assert main(args) == 0
    assert "Nothing to change" in capsys.readouterr().out
    assert snapshot(workbook) == before
    (opportunity,) = Workbook(workbook).load().opportunities
    assert [r.name for r in opportunity.rounds] == ["Case study", "Meet the team"]
    assert opportunity.rounds[0].timezone == "Europe/Oslo"


def test_a_cancellation_for_an_invite_never_imported_writes_nothing(workbook, capsys):
    before = snapshot(workbook)
    assert (
        main(["import", str(INVITES / "outlook-onsite-cancel.ics"), "--data", str(workbook)]) == 0
    )
    assert "Nothing to change" in capsys.readouterr().out
    assert snapshot(workbook) == before


def run(*args: str, answer: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "followup", *args],
        input=answer,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nothing_is_written_until_the_preview_is_accepted(workbook):
    before = snapshot(workbook)
    refused = run("import", str(INVITES / "teams-tokyo.ics"), "--data", str(workbook), answer="n\n")
    assert refused.returncode == 0, refused.stderr
    assert "Mon 30 Nov 2026 09:00 JST (Asia/Tokyo)" in refused.stdout
    assert "Write 1 opportunity? [y/N]" in refused.stdout
    assert "Nothing was written." in refused.stdout
    assert snapshot(workbook) == before

    accepted = run(
        "import", str(INVITES / "teams-tokyo.ics"), "--data", str(workbook), answer="y\n"
    )
    assert accepted.returncode == 0, accepted.stderr
    (opportunity,) = Workbook(workbook).load().opportunities
    assert (opportunity.id, opportunity.company) == ("hoshi-games", "Hoshi Games")
    assert opportunity.rounds[0].link.startswith("https://teams.microsoft.com/")


def test_a_company_it_cannot_guess_is_asked_for(workbook, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("Harbor Bank\ny\n"))
    assert main(["import", str(INVITES / "floating-gmail.ics"), "--data", str(workbook)]) == 0
    assert "Which company is this interview with?" in capsys.readouterr().out
    (opportunity,) = Workbook(workbook).load().opportunities
    assert (opportunity.id, opportunity.company) == ("harbor-bank", "Harbor Bank")


def test_with_yes_and_no_company_the_import_refuses_in_one_line(workbook):
    before = snapshot(workbook)
    result = run(
        "import", str(INVITES / "floating-gmail.ics"), "--data", str(workbook), "--yes", answer=""
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "--company NAME" in result.stderr
    assert snapshot(workbook) == before


def test_a_bad_invite_leaves_the_workbook_as_it_was(example_dir, capsys):
    before = snapshot(example_dir)
    for path in sorted(BAD.iterdir()):
        assert main(["import", str(path), "--data", str(example_dir), "--yes"]) == 2, path
        err = capsys.readouterr().err
        assert err.startswith(f"followup: {path}: ") and err.count("\n") == 1, err
    assert snapshot(example_dir) == before


@pytest.mark.parametrize(
    "name", ["google-meet.ics", "teams-tokyo.ics", "zoom.ics", "two-rounds.ics"]
)
def test_what_the_preview_shows_is_what_is_saved_and_read_back(workbook, name):
    settings = Workbook(workbook).settings()
    invites = read_invites(
        (INVITES / name).read_bytes(),
        INVITES / name,
        me={settings.your_email},
        zone="Europe/Berlin",
    )
    (plan,) = plan_invites(invites, [])
    assert main(["import", str(INVITES / name), "--data", str(workbook), "--yes"]) == 0
    assert Workbook(workbook).get(plan.opportunity.id).opportunity == plan.opportunity


def test_followups_own_calendar_is_not_taken_for_an_invitation(example_dir, tmp_path, capsys):
    own = tmp_path / "followup.ics"
    assert main(["calendar", "--data", str(example_dir), "--out", str(own)]) == 0
    before = snapshot(example_dir)
    assert main(["import", str(own), "--data", str(example_dir), "--yes"]) == 2
    assert "this is followup's own calendar" in capsys.readouterr().err
    assert snapshot(example_dir) == before


def test_a_first_import_starts_a_new_private_workbook(tmp_path):
    folder = tmp_path / "new-workbook"
    args = ["--data", str(folder), "--company", "Northwind", "--yes"]
    assert main(["import", str(INVITES / "outlook-onsite.ics"), *args]) == 0
    (stored,) = Workbook(folder).load().stored.values()
    assert stored.opportunity.company == "Northwind"
    assert (folder.stat().st_mode & 0o777) == 0o700


def test_an_import_into_a_file_named_as_the_workbook_is_one_clear_line(tmp_path, capsys):
    folder = tmp_path / "not-a-folder"
    folder.write_text("x", encoding="utf-8")
    assert main(["import", str(INVITES / "outlook-onsite.ics"), "--data", str(folder)]) == 2
    assert capsys.readouterr().err.strip().endswith("is a file; expected a workbook folder")
