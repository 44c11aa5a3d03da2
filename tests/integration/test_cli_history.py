"""`followup delete`, `restore` and `history` on real files, through the CLI's `main`."""

from __future__ import annotations

import io
import re

import pytest

from followup.cli.commands import main
from followup.storage.workbook import Workbook

ID = "harbor-bank-pm"


def run(capsys, *args: str, answer: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if answer is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_delete_asks_naming_the_opportunity_and_keeps_it_on_no(example_dir, capsys, monkeypatch):
    data = str(example_dir)
    code, out, _ = run(capsys, "delete", ID, "--data", data, answer="n\n", monkeypatch=monkeypatch)
    assert code == 1
    assert "Delete Harbor Bank · Product Manager, Payments (harbor-bank-pm)?" in out
    assert "Nothing was deleted." in out
    assert Workbook(example_dir).get(ID)
    code, out, _ = run(capsys, "delete", ID, "--data", data, answer="", monkeypatch=monkeypatch)
    assert code == 1 and "Nothing was deleted." in out


def test_delete_then_restore_brings_the_same_file_back(example_dir, capsys, monkeypatch):
    data = str(example_dir)
    path = Workbook(example_dir).path_for(ID)
    text = path.read_text(encoding="utf-8")
    code, out, _ = run(
        capsys, "delete", ID, "--data", data, answer="yes\n", monkeypatch=monkeypatch
    )
    assert code == 0
    assert "Deleted Harbor Bank · Product Manager" in out
    assert f"To bring it back: followup restore {ID}" in out
    assert not path.exists()

    code, _, err = run(capsys, "history", ID, "--data", data)
    assert code == 2
    assert err == f"followup: {ID!r} was deleted; bring it back with: followup restore {ID}\n"

    code, out, _ = run(capsys, "restore", ID, "--data", data)
    assert code == 0 and "from the trash" in out
    assert path.read_text(encoding="utf-8") == text
    code, _, err = run(capsys, "restore", ID, "--data", data)
    assert code == 2 and err.count("\n") == 1 and "exists now" in err


def test_history_lists_numbered_versions_and_restore_version_brings_one_back(example_dir, capsys):
    book = Workbook(example_dir)
    stored = book.get(ID)
    book.save(stored.opportunity.model_copy(update={"location": "Leeds"}), stored.version)
    data = str(example_dir)
    code, out, _ = run(capsys, "history", ID, "--data", data)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Saved versions of Harbor Bank · Product Manager, Payments, oldest first:"
    assert re.fullmatch(
        r"1\. \w{3} \d\d \w{3} \d{4} \d\d:\d\d:\d\d \S+  the oldest version kept", lines[1]
    )
    assert lines[2].endswith("location: New York, NY → Leeds  (now)")
    assert lines[3] == f"Bring one back with: followup restore {ID} --version N"

    code, out, _ = run(capsys, "restore", ID, "--version", "1", "--data", data)
    assert code == 0 and "Restored version 1" in out
    assert book.get(ID).opportunity == stored.opportunity
    assert len(book.versions(ID)) == 3
    assert f"To undo: followup restore {ID} --version 2" in out
    assert run(capsys, "restore", ID, "--version", "2", "--data", data)[0] == 0
    assert book.get(ID).opportunity.location == "Leeds"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["restore", ID, "--version", "two"], "--version: expected a version number such as 3"),
        (["restore", ID, "--version", "9"], "no version 9; expected 1 to 1"),
        (["delete", "nope", "--yes"], "no opportunity 'nope'"),
        (["history", "../x"], "opportunity id '../x' is not allowed"),
        (["restore", "nope"], "no deleted opportunity 'nope'"),
    ],
)
def test_every_error_is_one_clear_line(example_dir, capsys, args, message):
    code, _, err = run(capsys, *args, "--data", str(example_dir))
    assert code == 2
    assert err.startswith("followup: ") and err.count("\n") == 1
    assert message in err


def test_a_file_broken_by_hand_is_listed_and_an_earlier_version_repairs_it(example_dir, capsys):
    book = Workbook(example_dir)
    stored = book.get(ID)
    book.save(stored.opportunity.model_copy(update={"location": "Leeds"}), stored.version)
    stored.path.write_text("id: harbor-bank-pm\ncompany: [broken\n", encoding="utf-8")
    code, out, err = run(capsys, "history", ID, "--data", str(example_dir))
    assert code == 0
    assert "harbor-bank-pm.yaml:3: not valid YAML" in err and err.count("\n") == 1
    assert re.search(r"^3\. .*cannot be read: .*not valid YAML.*\(now\)$", out, re.MULTILINE)
    code, out, _ = run(capsys, "restore", ID, "--version", "2", "--data", str(example_dir))
    assert code == 0
    assert book.get(ID).opportunity.location == "Leeds"
    assert "company: [broken" in book.history(ID)[-1].read_text(encoding="utf-8")


def test_a_broken_file_can_still_be_deleted_and_restored(example_dir, capsys, monkeypatch):
    path = Workbook(example_dir).path_for(ID)
    path.write_text("id: harbor-bank-pm\nrole: [broken\n", encoding="utf-8")
    data = str(example_dir)
    code, out, err = run(
        capsys, "delete", ID, "--data", data, answer="y\n", monkeypatch=monkeypatch
    )
    assert code == 0 and not path.exists()
    assert f"Delete {ID} (its file cannot be read)?" in out and "not valid YAML" in err
    code, out, err = run(capsys, "restore", ID, "--data", data)
    assert (code, path.read_text(encoding="utf-8")) == (2, "id: harbor-bank-pm\nrole: [broken\n")
    assert err.startswith(f"followup: restored {path} from the trash, but it has a problem: ")
    assert "not valid YAML" in err and err.count("\n") == 1


def test_history_of_a_file_never_saved_by_followup_offers_nothing_to_bring_back(
    example_dir, capsys
):
    code, out, _ = run(capsys, "history", ID, "--data", str(example_dir))
    assert code == 0
    assert out.splitlines()[1].endswith("the oldest version kept  (now)")
    assert "Bring one back" not in out


def test_the_trash_lists_what_was_deleted_and_empties_only_when_told(
    example_dir, capsys, monkeypatch
):
    data = str(example_dir)
    book = Workbook(example_dir)
    other = "northwind-data-analyst"
    code, out, _ = run(capsys, "trash", "--data", data)
    assert (code, out) == (0, "The trash is empty.\n")
    book.save(book.get(ID).opportunity.model_copy(update={"notes": "a second version"}))
    for oid in (ID, other):
        assert run(capsys, "delete", oid, "--data", data, "--yes")[0] == 0
    kept = sorted(p.name for p in example_dir.joinpath("opportunities").iterdir())

    code, out, _ = run(capsys, "trash", "--data", data)
    assert code == 0
    assert out.startswith("In the trash (2 deleted opportunities), deleted longest ago first:")
    assert re.search(rf"{ID}\s+deleted .+ Harbor Bank · Product Manager, Payments\n", out)
    assert "Remove for good with: followup trash --empty" in out

    # "No" (or no answer) removes nothing; the question names what would go.
    for answer in ("n\n", ""):
        code, out, _ = run(
            capsys, "trash", "--empty", "--data", data, answer=answer, monkeypatch=monkeypatch
        )
        assert code == 1 and "Nothing was removed." in out
        assert "Remove 2 deleted opportunities (Harbor Bank · Product Manager" in out
    assert len(book.deleted()) == 2

    # One opportunity's copies go, with its history; the other's and the workbook stay.
    code, out, _ = run(capsys, "trash", ID, "--empty", "--yes", "--data", data)
    assert (code, out) == (0, "Removed 1 deleted opportunity for good.\n")
    assert [d.opportunity_id for d in book.deleted()] == [other]
    assert not (example_dir / ".trash" / ID).exists()
    assert sorted(p.name for p in example_dir.joinpath("opportunities").iterdir()) == kept
    code, _, err = run(capsys, "restore", ID, "--data", data)
    assert code == 2 and "no deleted opportunity" in err
    assert run(capsys, "restore", other, "--data", data)[0] == 0
    # Nothing left on disk names the opportunity removed for good (its id holds the company).
    assert not [p for p in example_dir.rglob("*") if ID in p.name]


def test_emptying_the_trash_forgets_it_as_the_last_one_chosen(example_dir, capsys):
    (example_dir / ".last-opportunity").write_text(ID, encoding="utf-8")
    assert run(capsys, "delete", ID, "--data", str(example_dir), "--yes")[0] == 0
    assert (example_dir / ".last-opportunity").is_file()  # still in the trash: kept
    assert run(capsys, "trash", "--empty", "--yes", "--data", str(example_dir))[0] == 0
    assert not (example_dir / ".last-opportunity").exists()
    assert not [p for p in example_dir.rglob("*") if ID in p.name]


def test_emptying_the_trash_never_follows_a_link_out_of_it(example_dir, tmp_path, capsys):
    outside = tmp_path / "elsewhere" / "20260101T000000000000Z"
    outside.mkdir(parents=True)
    (outside / f"{ID}.yaml").write_text("id: harbor-bank-pm\n", encoding="utf-8")
    trash = example_dir / ".trash"
    trash.mkdir()
    (trash / ID).symlink_to(outside.parent)
    (trash / "northwind-data-analyst").mkdir()
    (trash / "northwind-data-analyst" / "20260101T000000000000Z").symlink_to(outside)
    assert Workbook(example_dir).deleted() == []
    code, out, _ = run(capsys, "trash", "--empty", "--yes", "--data", str(example_dir))
    assert (code, out) == (0, "The trash is empty.\n")
    assert (outside / f"{ID}.yaml").is_file()
