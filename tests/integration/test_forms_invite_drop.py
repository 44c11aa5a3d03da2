"""The interview form's drop for invitations: a preview first, the workbook written on the button,
the same refusals as `followup import`, with real widgets and real files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from followup.forms.invite_drop import InviteDrop
from followup.storage.workbook import Workbook
from support import ROOT

INVITES = ROOT / "tests" / "data" / "invites"


def drop(folder: Path, name: str, seen: list[str] | None = None) -> InviteDrop:
    folder.mkdir(exist_ok=True)
    (folder / "settings.yaml").write_text(
        "your_email: alex.morgan@example.org\ntimezone: Europe/Berlin\n", encoding="utf-8"
    )
    form = InviteDrop(Workbook(folder), seen.append if seen is not None else None)
    data = (INVITES / name).read_bytes()
    form.upload.value = (
        {
            "name": name,
            "type": "text/calendar",
            "size": len(data),
            "last_modified": datetime(2026, 11, 29, tzinfo=UTC),
            "content": memoryview(data),
        },
    )
    return form


def test_a_dropped_invite_is_previewed_then_written_on_the_button(tmp_path):
    seen: list[str] = []
    form = drop(tmp_path / "workbook", "teams-tokyo.ics", seen)
    assert "Mon 30 Nov 2026 09:00 JST (Asia/Tokyo)" in form.preview.value
    assert form.add.layout.display is None
    assert not (tmp_path / "workbook" / "opportunities").exists()  # nothing written yet
    assert form.write() == ["hoshi-games"]
    assert seen == ["hoshi-games"]
    (opportunity,) = Workbook(tmp_path / "workbook").load().opportunities
    assert [p.name for p in opportunity.rounds[0].interviewers] == ["Yuki Mori"]
    assert opportunity.recruiter.name == "Kenji Sato"  # who sent it
    again = drop(tmp_path / "workbook", "teams-tokyo.ics")
    assert "already has all of it" in again.preview.value
    assert again.add.layout.display == "none"


def test_a_company_it_cannot_guess_is_asked_for_in_the_form(tmp_path):
    form = drop(tmp_path / "workbook", "floating-gmail.ics")
    assert "--company" in form.preview.value or "which company" in form.preview.value
    assert form.company.layout.display is None and form.add.layout.display == "none"
    form.company.value = "Harbor Bank"
    assert "new opportunity harbor-bank" in form.preview.value
    assert form.write() == ["harbor-bank"]


def test_a_file_that_is_not_an_invitation_says_so_and_writes_nothing(tmp_path):
    folder = tmp_path / "workbook"
    folder.mkdir()
    form = InviteDrop(Workbook(folder))
    form.load((INVITES / "bad" / "contact.vcf").read_bytes(), "contact.vcf")
    assert "not a calendar file" in form.preview.value
    assert form.add.layout.display == "none"
    assert form.write() == []
    assert not (folder / "opportunities").exists()


def test_the_interview_page_opens_on_what_the_drop_imported(tmp_path):
    from followup.forms.interview import NEW, InterviewPage

    folder = tmp_path / "workbook"
    seed = drop(folder, "zoom.ics")  # writes settings.yaml; nothing imported yet
    assert seed.plans and not (folder / "opportunities").exists()
    page = InterviewPage(Workbook(folder), datetime(2026, 11, 29, 12, tzinfo=UTC))
    assert page.picker.value == NEW
    data = (INVITES / "zoom.ics").read_bytes()
    page.drop.load(data, "zoom.ics")
    assert "Recruiter screen" in page.drop.preview.value
    assert page.drop.write() == ["lumen-health"]
    assert page.picker.value == "lumen-health"
    assert page.editor is not None and page.editor.stored.opportunity.rounds[0].name == (
        "Recruiter screen"
    )


def test_a_hostile_invitation_dropped_says_what_is_wrong_in_one_line_and_offers_no_button(
    tmp_path,
):
    folder = tmp_path / "workbook"
    form = drop(folder, "zoom.ics")
    zoom = (INVITES / "zoom.ics").read_text(encoding="utf-8")
    twice = zoom.replace("DTEND;", "DTSTART;TZID=America/New_York:20261203T140000\r\nDTEND;", 1)
    form.load(twice.encode(), "twice.ics")
    assert "gives DTSTART 2 times; expected it once" in form.preview.value
    assert form.add.layout.display == "none"
    people = "".join(f"ATTENDEE;CN=P {j}:mailto:p{j}@lumenhealth.example\r\n" for j in range(100))
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:r{i}@lumenhealth.example\r\nSUMMARY:Round {i}\r\n"
        f"DTSTART:20261203T1{i % 10}0000Z\r\n{people}END:VEVENT\r\n"
        for i in range(100)
    )
    form.load(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n".encode(), "big.ics")
    assert "expected at most 262,144" in form.preview.value
    assert form.add.layout.display == "none"
    assert not (folder / "opportunities").exists()


def test_the_drops_guesses_are_fields_and_what_they_say_is_written(tmp_path):
    folder = tmp_path / "workbook"
    folder.mkdir()
    (folder / "settings.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    form = InviteDrop(Workbook(folder))
    form.load((INVITES / "google-lumora.ics").read_bytes(), "google-lumora.ics")
    sam, mara = "sam.rivera.dev@gmail.com", "mara.lindqvist@lumoralabs.example"
    assert (form.company.value, form.role.value, form.round_name.value) == (
        "Lumora Labs",
        "Data Engineer",
        "Technical interview",
    )
    assert form.me.value == sam  # the one guest who has not answered: probably you
    assert form.recruiter.value == mara  # who sent it
    checked = {key for key, box in form.boxes.items() if box.value}
    assert checked == {"oskar.nyberg@lumoralabs.example", "wen.zhao@lumoralabs.example"}
    assert "--" not in form.preview.value  # the fields, not the command line's options
    form.role.value = "Senior Data Engineer"
    form.round_name.value = "Pairing"
    form.recruiter.value = ""
    form.boxes[mara].value = True
    form.boxes["wen.zhao@lumoralabs.example"].value = False
    form.zone.value = "America/New_York"
    assert "Senior Data Engineer" in form.preview.value
    assert form.write() == ["lumora-labs-senior-data-engineer"]
    (opportunity,) = Workbook(folder).load().opportunities
    assert opportunity.role == "Senior Data Engineer" and opportunity.recruiter is None
    (interview,) = opportunity.rounds
    assert interview.name == "Pairing"
    assert [p.name for p in interview.interviewers] == ["Mara Lindqvist", "Oskar Nyberg"]
    assert interview.timezone == "America/New_York"
    assert interview.starts_at.isoformat() == "2026-12-08T09:00:00-05:00"  # the same moment
    assert Workbook(folder).settings().my_addresses == [sam]  # remembered for next time
