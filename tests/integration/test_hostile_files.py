"""Broken and hostile input: each bad file is one clear line, and the other files still load.

Real files on disk, the real command line in-process (`main`), and once as a real program.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import yaml

from followup.cli.commands import main
from followup.core.errors import InvalidId, InvalidRecord
from followup.core.model import Opportunity
from followup.storage.files import parse_opportunity
from followup.storage.workbook import Workbook, check_id
from support import EXAMPLE_NOW

GOOD = "northwind-data-analyst"


def opportunity_file(book: Path, opportunity_id: str, text: str) -> Path:
    path = book / "opportunities" / f"{opportunity_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def example_text(example_dir: Path, opportunity_id: str = GOOD) -> str:
    return (example_dir / "opportunities" / f"{opportunity_id}.yaml").read_text(encoding="utf-8")


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# Values PyYAML builds before the model sees them


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("outcome_on: 2026-02-30", "outcome_on"),
        ("outcome_on: 2026-13-45", "outcome_on"),
        ("notes: 2026-02-30T10:00:00+01:00", "notes"),
    ],
)
def test_an_unquoted_impossible_date_is_one_problem_naming_file_line_and_field(
    example_dir, capsys, line, field
):
    path = opportunity_file(example_dir, "broken", f"id: broken\ncompany: Acme\n{line}\n")
    loaded = Workbook(example_dir).load()
    assert len(loaded.stored) == 5
    (problem,) = loaded.problems
    assert problem.path == path and problem.field == field
    assert problem.message.startswith(f"{path}:3: field {field}: ")
    assert "is not a real date or time" in problem.message
    code, out, err = cli(capsys, "status", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert code == 1
    assert "Northwind Logistics" in out and "Traceback" not in err
    assert f"{path}:3" in err


def test_an_impossible_start_in_a_round_keeps_the_rest_of_the_workbook_valid(example_dir, capsys):
    text = example_text(example_dir).replace(
        "starts_at: '2026-11-26T10:00:00+01:00'", "starts_at: 2026-02-30T10:00:00+01:00"
    )
    path = opportunity_file(example_dir, GOOD, text)
    line = text.splitlines().index("  starts_at: 2026-02-30T10:00:00+01:00") + 1
    code, _, err = cli(capsys, "validate", "--data", str(example_dir))
    assert code == 1
    assert err.splitlines()[0].startswith(
        f"{path}:{line}: field rounds[0].starts_at: '2026-02-30T10:00:00+01:00' is not a real date"
    )
    assert "1 problem; 4 opportunities are fine." in err


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:00-12:00",
        "'9999-12-31T23:30:00'",
    ],
)
def test_a_round_at_the_end_of_the_calendar_is_a_field_error(example_dir, capsys, value):
    text = example_text(example_dir).replace("'2026-11-26T10:00:00+01:00'", value)
    path = opportunity_file(example_dir, GOOD, text)
    line = text.splitlines().index(f"  starts_at: {value}") + 1
    code, _, err = cli(capsys, "status", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert code == 1
    assert (
        f"{path}:{line}: field rounds[0].starts_at: expected a date between the years 1900" in err
    )
    assert "Traceback" not in err and "OverflowError" not in err


@pytest.mark.parametrize("field", ["outcome_on", "talent_community_joined_on"])
def test_a_day_at_the_end_of_the_calendar_is_a_field_error(tmp_path, field):
    path = tmp_path / "acme.yaml"
    with pytest.raises(InvalidRecord, match=rf"acme.yaml:3: field {field}: .* got 9999-12-31"):
        parse_opportunity(f"id: acme\ncompany: Acme\n{field}: 9999-12-31\n", path)


@pytest.mark.parametrize("now", ["9999-12-31T23:59+00:00", "0001-01-01", "1899-12-31T12:00Z"])
def test_now_at_the_end_of_the_calendar_is_one_clear_line(example_dir, capsys, now):
    code, out, err = cli(capsys, "status", "--data", str(example_dir), "--now", now)
    assert code == 2 and out == ""
    assert err == (
        f"followup: --now: expected a time between the years 1900 and 2200, got {now!r}\n"
    )


def test_a_key_given_twice_is_refused_naming_both_lines(tmp_path):
    text = "id: acme\ncompany: Acme\nstatus: active\nrole: Analyst\nstatus: rejected\n"
    with pytest.raises(InvalidRecord) as caught:
        parse_opportunity(text, tmp_path / "acme.yaml")
    assert str(caught.value) == (
        f"{tmp_path / 'acme.yaml'}:5: field status: the key 'status' is given twice "
        "(first on line 3); expected each key once"
    )


def test_a_key_given_twice_deep_in_a_round_is_refused(example_dir):
    text = example_text(example_dir).replace(
        "    card_collected: true\n", "    card_collected: true\n    card_collected: false\n", 1
    )
    path = opportunity_file(example_dir, GOOD, text)
    line = text.splitlines().index("    card_collected: false") + 1
    (problem,) = Workbook(example_dir).load().problems
    assert problem.message.startswith(
        f"{path}:{line}: field rounds[0].interviewers[0].card_collected: the key 'card_collected'"
    )


def test_anchors_and_aliases_are_refused_so_a_small_file_cannot_explode(tmp_path):
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        laughs.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]")
    for text in ("\n".join(laughs) + "\n", "id: &a acme\ncompany: *a\n", "notes: &x [*x]\n"):
        with pytest.raises(InvalidRecord, match=r"an anchor \(&name\) is used again"):
            parse_opportunity(text, tmp_path / "acme.yaml")


@pytest.mark.parametrize(
    "text",
    [
        'id: acme\ncompany: !!binary "%%%"\n',
        "id: acme\ncompany: Acme\nrole: !!binary /w==\n",
        "id: acme\ncompany: !!set {a, b}\n",
        "id: acme\ncompany: !!python/object:os.system {}\n",
        "id: acme\ncompany: Acme\nrounds: !!omap [{a: 1}]\n",
        "id: acme\ncompany: Acme\n? [a, b]\n: c\n",
        "id: acme\ncompany: Acme\n1: 2\nnull: x\n",
        "id: acme\ncompany: Acme\nsalary_range: {currency: EUR, target: .inf}\n",
        "id: acme\ncompany: Acme\nsalary_range: {currency: EUR, minimum: .nan}\n",
        "id: acme\ncompany: Acme\nnotes: " + "[" * 5000 + "]" * 5000 + "\n",
        "- just\n- a list\n",
        "\ufeffid: acme\ncompany: [unclosed\n",
        "id: acme\ncompany: Acme\nstatus: 2026-11-26\n",
        "!!set id: acme\ncompany: Acme\n",
        "id: acme\ncompany: Acme\nrounds: !!omap [a, b]\n",
        "id: acme\ncompany: Acme\nnotes: !!pairs [[1, 2, 3]]\n",
    ],
)
def test_any_value_pyyaml_builds_ends_as_a_problem_for_that_file(tmp_path, text):
    path = tmp_path / "acme.yaml"
    with pytest.raises(InvalidRecord) as caught:
        parse_opportunity(text, path)
    assert str(caught.value).startswith(str(path))
    assert caught.value.path == path


def test_a_huge_bad_value_is_named_but_not_reprinted(tmp_path):
    text = "id: acme\ncompany: Acme\nstatus: " + "x" * 100_000 + "\n"
    with pytest.raises(InvalidRecord) as caught:
        parse_opportunity(text, tmp_path / "acme.yaml")
    message = str(caught.value)
    assert "field status:" in message and "…" in message
    assert len(message) < 400


def test_five_hundred_errors_each_name_their_own_line(tmp_path):
    lines = ["id: acme", "company: Acme", "rounds:"]
    for n in range(500):
        lines += [f"- name: Round {n}", "  duration_minutes: -1"]
    with pytest.raises(InvalidRecord) as caught:
        parse_opportunity("\n".join(lines) + "\n", tmp_path / "acme.yaml")
    reported = str(caught.value).splitlines()
    assert len(reported) == 500
    assert reported[0].startswith(f"{tmp_path / 'acme.yaml'}:5: field rounds[0].duration_minutes")
    assert reported[-1].startswith(f"{tmp_path / 'acme.yaml'}:1003: field rounds[499]")


# Things that are not regular files


def test_a_named_pipe_is_skipped_with_a_message_and_never_read(example_dir, capsys):
    fifo = example_dir / "opportunities" / "pipe.yaml"
    os.mkfifo(fifo)
    loaded = Workbook(example_dir).load()  # would block for ever if the pipe were opened to read
    assert len(loaded.stored) == 5
    (problem,) = loaded.problems
    assert problem.message == (
        f"{fifo}: is a named pipe (FIFO), not a regular file; skipped, never read"
    )
    code, _, err = cli(capsys, "drafts", "pipe", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert code == 2 and "named pipe" in err


def test_a_link_leading_out_of_the_workbook_is_not_followed(example_dir, tmp_path):
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("id: elsewhere\ncompany: Not yours\n", encoding="utf-8")
    links = example_dir / "opportunities"
    (links / "elsewhere.yaml").symlink_to(secret)
    (links / "zero.yaml").symlink_to("/dev/zero")
    loaded = Workbook(example_dir).load()
    messages = sorted(p.message for p in loaded.problems)
    assert messages == [
        f"{links / 'elsewhere.yaml'}: a link to {secret.resolve()}, outside the workbook; "
        "skipped, not followed",
        f"{links / 'zero.yaml'}: a link to /dev/zero, outside the workbook; skipped, not followed",
    ]
    assert "elsewhere" not in loaded.stored


def test_a_link_within_the_workbook_is_read(example_dir):
    folder = example_dir / "opportunities"
    kept = example_dir / "kept.yaml"
    (folder / "lumen-ux-researcher.yaml").rename(kept)
    (folder / "lumen-ux-researcher.yaml").symlink_to(kept)
    loaded = Workbook(example_dir).load()
    assert loaded.problems == [] and "lumen-ux-researcher" in loaded.stored


def test_a_folder_named_like_an_opportunity_is_skipped(example_dir):
    folder = example_dir / "opportunities" / "odd.yaml"
    folder.mkdir()
    (problem,) = Workbook(example_dir).load().problems
    assert problem.message == f"{folder}: is a folder, not a regular file; skipped, never read"


# --out and --eml of the wrong kind


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["schema", "--out", "{dir}"], "followup: --out {dir}: is a folder; expected a file name"),
        (
            ["compare", "--out", "{file}/ranking.txt"],
            "followup: --out {file}/ranking.txt: {file} is a file, so nothing can go inside it",
        ),
        (
            ["calendar", "--out", "/proc/no-such/followup.ics"],
            "followup: --out /proc/no-such/followup.ics: cannot be written:",
        ),
        (
            ["drafts", GOOD, "--eml", "{file}"],
            "followup: --eml {file}: is a file; expected a folder",
        ),
        (
            ["report", "--out", "{file}"],
            "followup: --out {file}: is a file; expected a folder",
        ),
    ],
)
def test_out_of_the_wrong_kind_is_one_clear_line(example_dir, tmp_path, capsys, args, expected):
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("mine\n", encoding="utf-8")
    a_dir = tmp_path / "a-dir"
    a_dir.mkdir()
    fill = {"dir": str(a_dir), "file": str(a_file)}
    needs_data = args[0] != "schema"
    extra = ["--data", str(example_dir), "--now", EXAMPLE_NOW] if needs_data else []
    code, _, err = cli(capsys, *[a.format(**fill) for a in args], *extra)
    assert code == 2
    assert err.startswith(expected.format(**fill)), err
    assert len(err.splitlines()) == 1
    assert a_file.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    "args",
    [
        ["drafts", "acme\n", "--eml", "{new}"],
        ["drafts", "no-such-opportunity", "--eml", "{new}"],
        ["report", "Bad_Id", "--out", "{new}"],
        ["report", "no-such-opportunity", "--out", "{new}"],
    ],
)
def test_a_rejected_id_creates_nothing(example_dir, tmp_path, capsys, args):
    new = tmp_path / "new" / "folder"
    code, _, err = cli(
        capsys,
        *[a.format(new=new) for a in args],
        "--data",
        str(example_dir),
        "--now",
        EXAMPLE_NOW,
    )
    assert code == 2 and len(err.splitlines()) == 1
    assert not (tmp_path / "new").exists()


def test_an_id_with_a_trailing_newline_is_refused():
    with pytest.raises(InvalidId):
        check_id("acme-data-analyst\n")


# The workbook's own folder


@contextlib.contextmanager
def umask(value: int):
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o277])
def test_the_workbook_root_is_created_owner_only_whatever_the_umask(tmp_path, mask):
    root = tmp_path / "deep" / "workbook"
    with umask(mask):
        Workbook(root).create(Opportunity(id="acme", company="Acme"))
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert Workbook(root).get("acme").opportunity.company == "Acme"


def test_opening_a_workbook_creates_nothing(tmp_path):
    book = Workbook(tmp_path / "none")
    assert book.load().stored == {}
    assert not (tmp_path / "none").exists()


# Mail headers: no value can add one


INJECTIONS = [
    "=?utf-8?q?Kim=0D=0ABcc:_x@example.com?=",
    "=?utf-8?b?S2ltDQpCY2M6IHhAZXhhbXBsZS5jb20=?=",
    "Ann =?UTF-8?Q?=0AX-Evil:_1?= Lee",
]


@pytest.mark.parametrize("evil", INJECTIONS)
def test_encoded_words_in_names_company_or_sender_never_become_header_lines(
    example_dir, tmp_path, capsys, evil
):
    path = example_dir / "opportunities" / f"{GOOD}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["company"] = evil
    data["rounds"][0]["interviewers"][0]["name"] = evil
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (example_dir / "settings.yaml").write_text(
        yaml.safe_dump({"your_name": evil, "your_email": "me@example.com"}), encoding="utf-8"
    )
    out = tmp_path / "eml"
    code, _, err = cli(
        capsys, "drafts", GOOD, "--data", str(example_dir), "--now", EXAMPLE_NOW, "--eml", str(out)
    )
    assert code == 0, err
    files = sorted(out.glob("*.eml"))
    assert files
    recipients = []
    for file in files:
        message = BytesParser(policy=policy.default).parsebytes(file.read_bytes())
        assert set(message.keys()) <= {
            "From",
            "To",
            "Subject",
            "X-Unsent",
            "X-Followup-Problem",
            "Content-Type",
            "Content-Transfer-Encoding",
            "MIME-Version",
        }, file.name
        assert message["From"].addresses[0].display_name == evil
        assert "Bcc" not in message and "X-Evil" not in message
        if message["To"]:
            recipients.append(message["To"].addresses[0].display_name)
    assert evil in recipients


def test_a_broken_file_is_one_line_from_the_real_program(example_dir):
    opportunity_file(example_dir, "broken", "id: broken\ncompany: Acme\noutcome_on: 2026-02-30\n")
    result = subprocess.run(
        [sys.executable, "-m", "followup", "validate", "--data", str(example_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(
        f"{example_dir / 'opportunities' / 'broken.yaml'}:3: field outcome_on: '2026-02-30'"
    )


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
def test_a_control_character_is_one_line_naming_the_file_and_its_line(
    example_dir, capsys, character
):
    path = opportunity_file(example_dir, "broken", f"id: broken\ncompany: A{character}B\n")
    (problem,) = Workbook(example_dir).load().problems
    assert problem.message == (
        f"{path}:2: holds the character #x{ord(character):04x}, which is not allowed in a text "
        "file; expected plain text"
    )
    code, _, err = cli(capsys, "validate", "--data", str(example_dir))
    assert code == 1 and err.splitlines()[0] == problem.message
    assert all(line.startswith(str(path)) for line in err.splitlines()[:-1])


def test_a_file_too_big_to_be_an_opportunity_is_skipped_unread(example_dir):
    path = opportunity_file(example_dir, "huge", "id: huge\ncompany: Huge\nnotes: " + "x" * 300_000)
    loaded = Workbook(example_dir).load()
    assert len(loaded.stored) == 5
    (problem,) = loaded.problems
    assert problem.message == (
        f"{path}: is 300,030 bytes; expected an opportunity file of at most 262,144 bytes"
    )


@pytest.mark.parametrize("kind", ["fifo", "link", "binary", "duplicate"])
def test_a_hostile_settings_file_is_one_clear_line(example_dir, tmp_path, capsys, kind):
    settings = example_dir / "settings.yaml"
    if kind == "fifo":
        os.mkfifo(settings)
    elif kind == "link":
        outside = tmp_path / "outside.yaml"
        outside.write_text("your_name: Someone Else\n", encoding="utf-8")
        settings.symlink_to(outside)
    elif kind == "binary":
        settings.write_bytes(b"your_name: \xff\xfe\n")
    else:
        settings.write_text("min_active: 2\nmin_active: 5\n", encoding="utf-8")
    code, _, err = cli(capsys, "status", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert code == 2
    assert err.startswith(f"followup: {settings}") and len(err.splitlines()) == 1
