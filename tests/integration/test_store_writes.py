"""The store writes only what it can read back: a file small enough to read, private whatever it
came from, links that lead nowhere named in one line, and an import placed whole or not at all
even when Ctrl-C lands in the middle. Real files, the real command line, and a real program.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.cli.commands import main
from followup.core.errors import AlreadyExists, InvalidRecord, TooLarge
from followup.core.model import Debrief, Interview, Opportunity
from followup.imports.invite import Planned
from followup.imports.plan import write_plans
from followup.storage.files import MAX_FILE_BYTES
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW, ROOT

GOOD = "northwind-data-analyst"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (locks aside: taking one is not writing data) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".locks" not in p.parts
    }


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# The size limit: one constant, for reading and for writing


def test_a_save_too_big_to_read_back_is_refused_naming_file_field_and_limit_and_writes_nothing(
    tmp_path,
):
    book = Workbook(tmp_path / "book")
    stored = book.create(Opportunity(id="acme", company="Acme"))
    before = snapshot(book.root)
    huge = stored.opportunity.model_copy(update={"notes": "x" * 2_000_000})
    with pytest.raises(TooLarge) as raised:
        book.save(huge, stored.version)
    message = str(raised.value)
    assert message.startswith(f"{book.path_for('acme')}: would be 2,000,")
    assert f"{MAX_FILE_BYTES:,} bytes" in message and "field notes" in message
    assert message.endswith("nothing was saved") and "\n" not in message
    assert raised.value.field == "notes" and isinstance(raised.value, InvalidRecord)
    assert snapshot(book.root) == before
    assert book.get("acme").opportunity.notes == ""


def test_a_new_opportunity_too_big_to_read_back_is_never_created(tmp_path):
    book = Workbook(tmp_path / "book")
    rounds = [
        Interview(name=f"Round {i}", debrief=Debrief(notes="y" * (9_000 + i))) for i in range(40)
    ]
    with pytest.raises(TooLarge, match=r"field rounds\[39\]\.debrief\.notes alone is 9,039 char"):
        book.create(Opportunity(id="acme", company="Acme", rounds=rounds))
    assert not book.path_for("acme").exists() and book.load().stored == {}


def test_creating_many_refuses_them_all_when_one_is_too_big_to_read_back(tmp_path):
    book = Workbook(tmp_path / "book")
    made = [Opportunity(id=f"acme-{i}", company=f"Acme {i}") for i in range(5)]
    made[3] = made[3].model_copy(update={"notes": "z" * (MAX_FILE_BYTES + 1)})
    with pytest.raises(TooLarge, match=r"acme-3\.yaml: would be .*; nothing was imported"):
        book.create_many(made)
    assert snapshot(book.root) == {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=st.integers(min_value=-300, max_value=300), text=st.sampled_from(["a", "é", "日"]))
def test_a_save_succeeds_exactly_when_the_file_can_be_read_back(extra, text):
    """Around the limit, in one-, two- and three-byte characters: saved means readable."""
    with tempfile.TemporaryDirectory() as folder:
        book = Workbook(folder)
        stored = book.create(Opportunity(id="acme", company="Acme"))
        room = MAX_FILE_BYTES - len(stored.path.read_bytes()) - 20
        notes = text * max(0, (room + extra) // len(text.encode("utf-8")))
        try:
            saved = book.save(stored.opportunity.model_copy(update={"notes": notes}))
        except TooLarge:
            assert book.get("acme").opportunity.notes == ""
        else:
            assert saved.path.stat().st_size <= MAX_FILE_BYTES
            assert book.get("acme").opportunity.notes == notes


def test_a_tracker_row_too_big_to_read_back_is_one_line_and_nothing_is_imported(
    example_dir, tmp_path, capsys
):
    export = tmp_path / "applications.csv"
    export.write_text(
        "Company,Job Position,Notes\n"
        "Small Co,Analyst,fine\n"
        f"Big Co,Engineer,{'日' * 100_000}\n",  # 300 kB in UTF-8, under csv's field limit
        encoding="utf-8",
    )
    before = snapshot(example_dir)
    code, out, err = cli(capsys, "import", str(export), "--data", str(example_dir), "--yes")
    assert code == 2 and "Wrote" not in out
    assert err.startswith(f"followup: {example_dir / 'opportunities'}/big-co-")
    assert f"more than the {MAX_FILE_BYTES:,} bytes" in err and "field notes" in err
    assert err.endswith("nothing was imported\n") and err.count("\n") == 1
    assert snapshot(example_dir) == before


def test_an_import_that_would_make_an_existing_file_too_big_writes_none_of_its_plans(
    example_dir,
):
    book = Workbook(example_dir)
    loaded = book.load()
    grown = loaded.stored[GOOD].opportunity.model_copy(update={"notes": "g" * MAX_FILE_BYTES})
    plans = [
        Planned(Opportunity(id="new-co-analyst", company="New Co"), created=True),
        Planned(grown, created=False),
    ]
    before = snapshot(example_dir)
    with pytest.raises(TooLarge, match=f"{GOOD}.yaml: would be .*; nothing was imported"):
        write_plans(book, plans, {k: s.version for k, s in loaded.stored.items()})
    assert snapshot(example_dir) == before


# Private: every file the store writes, whatever the mode of the file it came from


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.lstat().st_mode) for p in folder.rglob("*")}


def test_every_file_the_store_writes_is_private_whatever_the_mode_of_its_source(tmp_path):
    with umask(0o022):
        root = tmp_path / "book"
        (root / "opportunities").mkdir(parents=True, mode=0o700)
        hand_made = root / "opportunities" / "acme.yaml"
        hand_made.write_text("id: acme\ncompany: Acme\n", encoding="utf-8")
        hand_made.chmod(0o644)  # made by hand, or copied from elsewhere
        book = Workbook(root)
        first = book.save(book.get("acme").opportunity.model_copy(update={"notes": "one"}))
        first.path.chmod(0o644)
        with first.path.open("a", encoding="utf-8") as edit:  # a hand edit, in place
            edit.write("role: Analyst\n")
        book.save(book.get("acme").opportunity.model_copy(update={"notes": "two"}))
        assert len(book.versions("acme")) == 4
        book.path_for("acme").chmod(0o644)
        folder = book.trash("acme")
        written = modes(root)
    assert not [name for name, mode in written.items() if mode & 0o077], written
    assert stat.S_IMODE((folder / "acme.yaml").stat().st_mode) == 0o600
    assert (root / ".locks" / "acme.lock").exists()
    assert stat.S_IMODE(book.restore("acme").path.stat().st_mode) == 0o600


def test_a_kept_version_never_shares_its_file_with_a_name_outside_the_workbook(tmp_path):
    book = Workbook(tmp_path / "book")
    stored = book.create(Opportunity(id="acme", company="Acme", notes="mine"))
    outside = tmp_path / "my-copy.yaml"
    os.link(stored.path, outside)  # the same file under a second name
    outside.chmod(0o644)
    book.save(stored.opportunity.model_copy(update={"notes": "saved"}))
    kept = [p.read_text(encoding="utf-8") for p in book.history("acme")]
    with outside.open("a", encoding="utf-8") as edit:
        edit.write("role: Changed outside\n")
    assert [p.read_text(encoding="utf-8") for p in book.history("acme")] == kept
    os.link(book.path_for("acme"), outside.with_name("second.yaml"))
    folder = book.trash("acme")
    assert stat.S_IMODE(outside.with_name("second.yaml").stat().st_mode) == 0o600
    assert outside.with_name("second.yaml").exists() and (folder / "acme.yaml").exists()
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # not the store's to change


# Links that lead nowhere


@pytest.mark.parametrize("kind", ["nowhere", "itself", "each-other"])
def test_a_link_that_leads_nowhere_or_round_in_a_loop_is_one_line_in_validate_and_status(
    example_dir, capsys, kind
):
    folder = example_dir / "opportunities"
    link = folder / "odd.yaml"
    if kind == "nowhere":
        link.symlink_to("gone.yaml")
        says = f"{link}: a link to {folder / 'gone.yaml'}, which does not exist; skipped"
    elif kind == "itself":
        link.symlink_to("odd.yaml")
        says = f"{link}: a link that leads round in a loop; skipped, not followed"
    else:
        link.symlink_to("even.yaml")
        (folder / "even.yaml").symlink_to("odd.yaml")
        says = f"{link}: a link that leads round in a loop; skipped, not followed"
    loaded = Workbook(example_dir).load()
    assert len(loaded.stored) == 5 and says in [p.message for p in loaded.problems]
    code, out, err = cli(capsys, "validate", "--data", str(example_dir))
    assert code == 1 and "Traceback" not in err and says in err.splitlines()
    code, out, err = cli(capsys, "status", "--data", str(example_dir), "--now", EXAMPLE_NOW)
    assert code == 1 and "Traceback" not in err and f"  {says}" in err.splitlines()
    assert "Northwind Logistics" in out


def test_a_link_loop_is_one_line_from_the_real_program(example_dir):
    link = example_dir / "opportunities" / "odd.yaml"
    link.symlink_to("odd.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "followup", "validate", "--data", str(example_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{link}: a link that leads round in a loop; skipped, not followed",
        "1 problem; 5 opportunities are fine.",
    ]


# An import placed whole, or not at all


def made(count: int) -> list[Opportunity]:
    return [Opportunity(id=f"new-{i}", company=f"New {i}") for i in range(count)]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("nth", [1, 2, 3])
def test_an_interrupt_at_any_placement_leaves_no_new_opportunity(
    example_dir, monkeypatch, nth, when
):
    """KeyboardInterrupt raised just before or just after the nth file gets its name."""
    book = Workbook(example_dir)
    before = snapshot(example_dir)
    real_link = os.link
    calls = []

    def link(source, target, *args, **kwargs):
        calls.append(target)
        if when == "before" and len(calls) == nth:
            raise KeyboardInterrupt
        real_link(source, target, *args, **kwargs)
        if when == "after" and len(calls) == nth:
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", link)
    with pytest.raises(KeyboardInterrupt):
        book.create_many(made(3))
    monkeypatch.undo()
    assert len(calls) == nth
    assert snapshot(example_dir) == before
    assert list(example_dir.rglob("*.tmp")) == []
    assert sorted(Workbook(example_dir).load().stored) == sorted(
        p.stem for p in (example_dir / "opportunities").glob("*.yaml")
    )


def test_ctrl_c_while_files_are_placed_waits_then_takes_every_new_one_back(
    example_dir, monkeypatch
):
    """A real SIGINT to this process during the second placement: the placing stops at the next
    file, takes both back, and only then is the KeyboardInterrupt raised."""
    book = Workbook(example_dir)
    before = snapshot(example_dir)
    real_link = os.link
    calls = []

    def link(source, target, *args, **kwargs):
        calls.append(target)
        real_link(source, target, *args, **kwargs)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)
            assert Path(target).exists()  # held: the handler has not run yet

    monkeypatch.setattr(os, "link", link)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            book.create_many(made(4))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert len(calls) == 2
    assert snapshot(example_dir) == before


def test_an_existing_file_met_while_placing_is_never_taken_back(example_dir, monkeypatch):
    book = Workbook(example_dir)
    real_link = os.link
    theirs = example_dir / "opportunities" / "new-2.yaml"

    def link(source, target, *args, **kwargs):
        if target == os.fspath(theirs):  # someone else creates it meanwhile
            theirs.write_text("id: new-2\ncompany: Theirs\n", encoding="utf-8")
        real_link(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    with pytest.raises(AlreadyExists, match=r"new-2\.yaml: was created by someone else meanwhile"):
        book.create_many(made(4))
    monkeypatch.undo()
    assert sorted(p.name for p in theirs.parent.glob("new-*")) == ["new-2.yaml"]
    assert book.get("new-2").opportunity.company == "Theirs"


SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from followup.cli.commands import main

    nth, calls, real_link = int(sys.argv[1]), [], os.link

    def link(source, target, *args, **kwargs):
        calls.append(target)
        real_link(source, target, *args, **kwargs)
        if len(calls) == nth:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, as a terminal sends it

    os.link = link
    sys.exit(main(sys.argv[2:]))
    """
)


@pytest.mark.parametrize("nth", [1, 3, 5])
def test_ctrl_c_during_an_import_from_the_real_program_writes_nothing(example_dir, nth):
    before = snapshot(example_dir)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            str(nth),
            "import",
            str(ROOT / "tests" / "data" / "trackers" / "teal.csv"),
            "--data",
            str(example_dir),
            "--yes",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 130, result.stderr
    assert result.stderr.splitlines() == ["followup: interrupted"]
    assert "Wrote" not in result.stdout
    assert snapshot(example_dir) == before
    assert list(example_dir.rglob("*.tmp")) == []
