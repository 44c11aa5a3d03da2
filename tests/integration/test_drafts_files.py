"""Drafts on real files: golden texts for the example workbook, .eml files parsed back, template
overrides in the workbook, and `followup drafts` end to end.

Regenerate the golden files after an intended wording change with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/integration/test_drafts_files.py`, then read the
diff before committing it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from followup.cli.commands import main
from followup.clock import parse_now
from followup.core.errors import InvalidRecord
from followup.core.model import Opportunity
from followup.drafts.compose import TEMPLATES_FOLDER, drafts_for, kind_label
from followup.drafts.eml import PROBLEM_HEADER, format_sender, write_eml, write_text
from followup.steps import draft_kinds
from followup.storage.workbook import Workbook
from support import EXAMPLE, EXAMPLE_NOW, ROOT

GOLDEN = ROOT / "tests" / "golden" / "drafts"
SENDER = "Alex Morgan"
NOW = parse_now(EXAMPLE_NOW)
EXAMPLE_IDS = sorted(p.stem for p in (EXAMPLE / "opportunities").glob("*.yaml"))


def rendered(opportunity_id: str, templates_dir: Path | None = None) -> str:
    """Every draft for one example opportunity: those due now, then each kind asked for."""
    opportunity = Workbook(EXAMPLE).get(opportunity_id).opportunity
    parts = [f"# {opportunity_id} at {EXAMPLE_NOW}, signed {SENDER!r}\n"]
    for kind in [None, *draft_kinds()]:
        drafts = drafts_for(opportunity, NOW, kind=kind, templates_dir=templates_dir, sender=SENDER)
        parts.append(f"## {'due now' if kind is None else '--kind ' + kind}: {len(drafts)}\n")
        # As `followup drafts` prints them: a warning beside the copy-ready text, not in it.
        parts.extend(
            f"=== {d.title} ===\n" + (f"(!) {d.problem}\n" if d.problem else "") + d.as_text()
            for d in drafts
        )
    return "\n".join(parts)


@pytest.mark.parametrize("opportunity_id", EXAMPLE_IDS)
def test_the_drafts_for_the_example_match_the_golden_files(opportunity_id):
    text = rendered(opportunity_id)
    golden = GOLDEN / f"{opportunity_id}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert text == golden.read_text(encoding="utf-8")


def test_the_golden_files_cover_every_kind_of_draft():
    texts = "".join((GOLDEN / f"{i}.txt").read_text(encoding="utf-8") for i in EXAMPLE_IDS)
    for kind in draft_kinds():
        assert f"=== {kind_label(kind)} to " in texts, kind
    assert "no email address for Amélie Dubois" in texts


def all_example_drafts():
    for stored in Workbook(EXAMPLE).load().stored.values():
        for kind in draft_kinds():
            yield from drafts_for(stored.opportunity, NOW, kind=kind, sender=SENDER)


def test_every_example_email_draft_is_written_as_an_eml_that_parses_back(tmp_path):
    sender = format_sender(SENDER, "alex.morgan@example.com")
    written = 0
    for draft in all_example_drafts():
        if draft.kind == "card":
            continue
        path = write_eml(draft, tmp_path, sender=sender)
        assert path.parent == tmp_path and path.suffix == ".eml"
        assert path.stat().st_mode & 0o777 == 0o600
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert message["Subject"] == draft.subject
        assert message["From"].addresses[0].display_name == SENDER
        assert message["X-Unsent"] == "1"
        assert message.get_content_charset() == "utf-8"
        assert message.get_content().replace("\r\n", "\n") == draft.body
        if draft.to_email:
            (to,) = message["To"].addresses
            assert (to.display_name, to.addr_spec) == (draft.to_name, draft.to_email)
        else:
            assert "To" not in message
            assert draft.to_name in message[PROBLEM_HEADER]
        written += 1
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == written > 10
    assert not [n for n in names if n.startswith(".")], "a temporary file was left behind"
    assert "northwind-data-analyst_thank-you_onsite_jorg-muller.eml" in names


def test_non_ascii_names_survive_the_file_round_trip(tmp_path):
    ingrid = next(d for d in all_example_drafts() if d.person == "Ingrid Østby")
    message = BytesParser(policy=policy.default).parsebytes(
        write_eml(ingrid, tmp_path).read_bytes()
    )
    assert message["To"].addresses[0].display_name == "Ingrid Østby"
    assert "Hi Ingrid," in message.get_content()


def test_a_card_is_written_as_plain_text(tmp_path):
    card = next(d for d in all_example_drafts() if d.kind == "card")
    path = write_text(card, tmp_path)
    assert path.suffix == ".txt"
    assert path.read_text(encoding="utf-8") == card.as_text()


# Template overrides


def test_a_template_in_the_workbook_overrides_the_shipped_one(example_dir):
    folder = example_dir / TEMPLATES_FOLDER
    folder.mkdir()
    (folder / "thank-you.txt.j2").write_text(
        "Subject: Merci, {{ to_name }}\n\nBonjour {{ to_name }},\n{{ personal_note }}\n"
        "{{ sender }}\n",
        encoding="utf-8",
    )
    opportunity = Workbook(example_dir).get("northwind-data-analyst").opportunity
    jorg, amelie = drafts_for(opportunity, NOW, templates_dir=folder, sender=SENDER)
    assert jorg.subject == "Merci, Jörg Müller"
    assert jorg.body == (
        "Bonjour Jörg Müller,\nyour team's move from spreadsheets to dbt\nAlex Morgan\n"
    )
    assert amelie.problem and "Amélie Dubois" in amelie.problem
    # The other kinds still come from the package.
    card = drafts_for(opportunity, NOW, kind="card", templates_dir=folder)[0]
    assert card.body.startswith("Hi Jörg,")


def test_an_override_added_or_removed_later_is_noticed_in_the_same_process(example_dir):
    folder = example_dir / TEMPLATES_FOLDER
    opportunity = Workbook(example_dir).get("harbor-bank-pm").opportunity
    shipped = drafts_for(opportunity, NOW, templates_dir=folder)[0]
    folder.mkdir()
    (folder / "check-in.txt.j2").write_text("Subject: Any news?\n\nHello\n", encoding="utf-8")
    assert drafts_for(opportunity, NOW, templates_dir=folder)[0].subject == "Any news?"
    (folder / "check-in.txt.j2").unlink()
    assert drafts_for(opportunity, NOW, templates_dir=folder)[0] == shipped


def check_in_override(example_dir: Path, text: str) -> tuple[Path, Opportunity]:
    """A workbook template for the check-in, and Harbor Bank, whose check-in is due."""
    folder = example_dir / TEMPLATES_FOLDER
    folder.mkdir()
    (folder / "check-in.txt.j2").write_text(text, encoding="utf-8")
    return folder, Workbook(example_dir).get("harbor-bank-pm").opportunity


def test_a_broken_template_names_the_file_and_line(example_dir):
    folder, opportunity = check_in_override(
        example_dir, "Subject: Hello\n\nDear {{ to_name }},\n{% if %}\n"
    )
    with pytest.raises(InvalidRecord, match=r"check-in\.txt\.j2:4: template error"):
        drafts_for(opportunity, NOW, templates_dir=folder)


def test_a_template_using_an_unknown_name_says_which_names_exist(example_dir):
    folder, opportunity = check_in_override(example_dir, "Subject: x\n\n{{ recruiter_nme }}\n")
    with pytest.raises(InvalidRecord, match=r"check-in\.txt\.j2: .*recruiter_nme.*to_name"):
        drafts_for(opportunity, NOW, templates_dir=folder)


def test_a_template_without_a_subject_line_is_refused(example_dir):
    folder, opportunity = check_in_override(example_dir, "Dear {{ to_name }},\n")
    with pytest.raises(InvalidRecord, match="expected the first line to be 'Subject: …'"):
        drafts_for(opportunity, NOW, templates_dir=folder)


def test_a_template_cannot_smuggle_a_header_into_the_subject(example_dir):
    folder, opportunity = check_in_override(
        example_dir, "Subject: Hi{{ '\\r' }}Bcc: all@example.com\n\nHello\n"
    )
    with pytest.raises(InvalidRecord, match=r"subject: .* refused"):
        drafts_for(opportunity, NOW, templates_dir=folder)


# The command


def test_followup_drafts_prints_the_drafts_and_writes_eml_files(example_dir, tmp_path, capsys):
    (example_dir / "settings.yaml").write_text(
        "your_name: Alex Morgan\nyour_email: alex@example.com\n", encoding="utf-8"
    )
    out = tmp_path / "drafts"
    code = main(
        [
            "drafts",
            "northwind-data-analyst",
            "--data",
            str(example_dir),
            "--now",
            EXAMPLE_NOW,
            "--eml",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "=== Thank-you note to Jörg Müller (onsite) ===" in printed
    assert "(!) no email address for Amélie Dubois" in printed  # beside the text, not in it
    assert "Note:" not in printed
    assert "Nothing is sent" in printed
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [
        "northwind-data-analyst_thank-you_onsite_amelie-dubois.eml",
        "northwind-data-analyst_thank-you_onsite_jorg-muller.eml",
    ]
    message = BytesParser(policy=policy.default).parsebytes(files[1].read_bytes())
    assert str(message["From"]) == "Alex Morgan <alex@example.com>"
    assert message.get_content().rstrip().endswith("Alex Morgan")


def test_followup_drafts_writes_a_card_as_text(example_dir, tmp_path, capsys):
    code = main(
        [
            "drafts",
            "lumen-ux-researcher",
            "--data",
            str(example_dir),
            "--now",
            EXAMPLE_NOW,
            "--kind",
            "card",
            "--eml",
            str(tmp_path / "cards"),
            "--sender",
            "Sam",
        ]
    )
    assert code == 0
    assert sorted(p.suffix for p in (tmp_path / "cards").iterdir()) == [".txt"] * 3
    assert "Warm regards,\nSam" in capsys.readouterr().out


def test_followup_drafts_explains_when_there_is_nothing_to_draft(example_dir, capsys):
    lumen = example_dir / "opportunities" / "lumen-ux-researcher.yaml"
    before_the_offer = lumen.read_text(encoding="utf-8").replace("status: offer", "status: active")
    lumen.write_text(before_the_offer, encoding="utf-8")
    code = main(
        [
            "drafts",
            "lumen-ux-researcher",
            "--data",
            str(example_dir),
            "--now",
            EXAMPLE_NOW,
            "--kind",
            "check-in",
        ]
    )
    assert code == 0
    assert (
        "No check-in yet. Meet the team is scheduled; no need to chase." in capsys.readouterr().out
    )


def test_followup_drafts_for_an_unknown_id_is_one_clear_line(capsys):
    code = main(["drafts", "acme", "--data", str(EXAMPLE), "--now", EXAMPLE_NOW])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "no opportunity 'acme'" in err


def test_followup_drafts_runs_as_a_program():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "followup",
            "drafts",
            "harbor-bank-pm",
            "--data",
            str(EXAMPLE),
            "--now",
            EXAMPLE_NOW,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "=== Check-in to Marcus Reed ===" in result.stdout
    assert "news by Monday 16 November" in result.stdout


def test_followup_drafts_with_no_id_drafts_everything_due_across_the_workbook(
    example_dir, tmp_path, capsys
):
    out = tmp_path / "due"
    code = main(["drafts", "--data", str(example_dir), "--now", EXAMPLE_NOW, "--eml", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    book = Workbook(example_dir)
    expected = [d for o in book.load().opportunities for d in drafts_for(o, NOW, sender=None)]
    assert len(expected) >= 4  # the check-in, two thank-yous, feedback and other roles
    for draft in expected:
        assert f"=== {draft.title} ===" in printed
    assert sorted(p.stem for p in out.iterdir()) == sorted(d.file_stem() for d in expected)
    assert "already sent" not in printed  # sent notes are not due


def test_followup_drafts_kind_marks_a_note_already_sent(capsys):
    code = main(["drafts", "--data", str(EXAMPLE), "--now", EXAMPLE_NOW, "--kind", "thank-you"])
    printed = capsys.readouterr().out
    assert code == 0
    assert (
        "=== Thank-you note to Ingrid Østby (case-study) (already sent on Mon 16 Nov 2026) ==="
        in printed
    )
    assert "=== Thank-you note to Jörg Müller (onsite) ===" in printed  # not sent yet


def test_followup_drafts_greets_formally_when_settings_say_so(example_dir, capsys):
    (example_dir / "settings.yaml").write_text("formal_greetings: true\n", encoding="utf-8")
    main(["drafts", "northwind-data-analyst", "--data", str(example_dir), "--now", EXAMPLE_NOW])
    printed = capsys.readouterr().out
    assert "Dear Jörg Müller,\n" in printed
    assert "Hi Jörg" not in printed


def test_followup_drafts_takes_the_start_of_an_id_when_only_one_fits(example_dir, capsys):
    assert main(["drafts", "north", "--data", str(example_dir), "--now", EXAMPLE_NOW]) == 0
    assert "=== Thank-you note to Jörg Müller (onsite) ===" in capsys.readouterr().out
    (example_dir / "opportunities" / "northwind-data-analyst.yaml").rename(
        example_dir / "opportunities" / "north-star.yaml"
    )
    text = (example_dir / "opportunities" / "north-star.yaml").read_text(encoding="utf-8")
    (example_dir / "opportunities" / "north-star.yaml").write_text(
        text.replace("id: northwind-data-analyst", "id: north-star"), encoding="utf-8"
    )
    (example_dir / "opportunities" / "northwind.yaml").write_text(
        "id: northwind\ncompany: Northwind\n", encoding="utf-8"
    )
    assert main(["drafts", "nor", "--data", str(example_dir), "--now", EXAMPLE_NOW]) == 2
    assert "could be any of north-star, northwind: say which" in capsys.readouterr().err
