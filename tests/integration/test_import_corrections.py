"""`followup import` of an invitation a person can correct: the title read into company, round
and role, the organizer as the recruiter, the attendee who is probably you flagged, and every
guess changed by a flag the preview names (tests/data/invites/google-lumora.ics, from Google)."""

from __future__ import annotations

import io

import pytest
import yaml

from followup.cli.commands import main
from followup.imports.invite import plan_invites, read_invites
from followup.storage.workbook import Workbook
from support import ROOT

LUMORA = ROOT / "tests" / "data" / "invites" / "google-lumora.ics"
SAM = "sam.rivera.dev@gmail.com"


@pytest.fixture
def workbook(tmp_path):
    folder = tmp_path / "workbook"
    folder.mkdir()
    (folder / "settings.yaml").write_text("# mine\ntimezone: Europe/Berlin\n", encoding="utf-8")
    return folder


def test_a_google_invite_reads_company_round_role_and_the_organizer_as_the_recruiter():
    (invite,) = read_invites(LUMORA.read_bytes(), LUMORA, zone="Europe/Berlin")
    (plan,) = plan_invites([invite], [])
    opportunity = plan.opportunity
    assert (opportunity.company, opportunity.role) == ("Lumora Labs", "Data Engineer")
    assert opportunity.rounds[0].name == "Technical interview"
    assert opportunity.recruiter.email == "mara.lindqvist@lumoralabs.example"
    assert [p.name for p in opportunity.rounds[0].interviewers] == ["Oskar Nyberg", "Wen Zhao"]
    assert invite.probably_me.email == SAM  # the one guest who has not answered yet
    text = "\n".join(plan.lines)
    assert f"{SAM}> is probably you" in text and "--me EMAIL" in text
    for flag in ("--company NAME", "--role TEXT", "--round-name TEXT", "--recruiter EMAIL"):
        assert flag in text, flag


def test_every_guess_is_changed_by_its_flag_and_your_address_is_remembered(workbook, capsys):
    code = main(
        [
            *("import", str(LUMORA), "--data", str(workbook), "--yes"),
            *("--company", "Lumora Laboratories", "--role", "Senior Data Engineer"),
            *("--round-name", "Pairing session", "--me", SAM.upper()),
            *("--recruiter", "oskar.nyberg@lumoralabs.example"),
        ]
    )
    assert code == 0
    (opportunity,) = Workbook(workbook).load().opportunities
    assert (opportunity.company, opportunity.role) == (
        "Lumora Laboratories",
        "Senior Data Engineer",
    )
    (round_,) = opportunity.rounds
    assert round_.name == "Pairing session"
    assert opportunity.recruiter.name == "Oskar Nyberg"
    assert [p.name for p in round_.interviewers] == ["Wen Zhao"]
    text = (workbook / "settings.yaml").read_text(encoding="utf-8")
    assert text.startswith("# mine\n")  # the rest of settings.yaml kept as typed
    assert yaml.safe_load(text)["my_addresses"] == [SAM]
    assert "probably you" not in capsys.readouterr().out


def test_a_remembered_address_is_left_out_next_time_without_asking(workbook, capsys):
    (workbook / "settings.yaml").write_text(
        f"timezone: Europe/Berlin\nmy_addresses: [{SAM}]\n", encoding="utf-8"
    )
    assert main(["import", str(LUMORA), "--data", str(workbook), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Sam Rivera Dev (you)" in out and "probably you" not in out


def test_without_an_address_of_yours_it_asks_whether_the_likely_attendee_is_you(
    workbook, monkeypatch, capsys
):
    monkeypatch.setattr("sys.stdin", io.StringIO("y\ny\n"))
    assert main(["import", str(LUMORA), "--data", str(workbook)]) == 0
    assert f"Is Sam Rivera Dev <{SAM}> you?" in capsys.readouterr().out
    settings = Workbook(workbook).settings()
    assert settings.my_addresses == [SAM]


def test_invitation_flags_on_a_csv_are_refused_in_one_line(workbook, tmp_path, capsys):
    csv = tmp_path / "apps.csv"
    csv.write_text("Company\nAcme\n", encoding="utf-8")
    assert main(["import", str(csv), "--data", str(workbook), "--role", "X", "--yes"]) == 2
    assert "are for invitations, not a CSV" in capsys.readouterr().err


def test_the_calendar_an_export_was_saved_from_names_who_is_probably_you():
    text = LUMORA.read_text(encoding="utf-8")
    text = text.replace("PARTSTAT=NEEDS-ACTION", "PARTSTAT=ACCEPTED")  # Sam has answered
    text = text.replace("CALSCALE:GREGORIAN", f"CALSCALE:GREGORIAN\r\nX-WR-CALNAME:{SAM}")
    (invite,) = read_invites(text.encode(), LUMORA, zone="Europe/Berlin")
    assert invite.probably_me.email == SAM
    assert invite.why_me == "the calendar it was saved from is theirs"
    assert SAM not in [p.email for p in invite.interviewers]
