"""What the commands share: the workbook a command works on, where output goes, and the one
line that names a file that could not be read."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from followup.core.errors import FollowupError, NotFound, UsageError
from followup.core.model import Opportunity
from followup.storage.files import atomic_write
from followup.storage.workbook import Problem, Workbook, resolve_data_dir

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def workbook_from_args(args: argparse.Namespace, *, new_ok: bool = False) -> Workbook:
    """The workbook the command works on; `new_ok` for commands that may start one."""
    root = resolve_data_dir(args.data)
    book = Workbook(root)
    explicit = args.data is not None
    if explicit and not new_ok and not root.is_dir():
        raise UsageError(f"--data {root}: no such folder (expected a workbook folder)")
    if root.exists() and not root.is_dir():
        raise UsageError(f"--data {root}: is a file; expected a workbook folder")
    return book


def out_file(out: str, flag: str = "--out") -> Path:
    """The file `flag` names, checked before anything is written: one clear line if it cannot be."""
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"{flag} {out}: is a folder; expected a file name such as {path / 'x'}")
    _out_parent(path, flag)
    return path


def out_folder(out: str, flag: str = "--out") -> Path:
    """The folder `flag` names, checked (not created) before anything is written."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {out}: is a file; expected a folder (or a name for a new one)")
    _out_parent(path, flag)
    return path


def _out_parent(path: Path, flag: str) -> None:
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"{flag} {path}: {parent} is a file, so nothing can go inside it")
            return


def written(path: Path, flag: str, write: Callable[[], Path | None]) -> Path | None:
    """Run `write`, turning a failure to write `path` into one clear line naming `flag`."""
    try:
        return write()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"{flag} {path}: cannot be written: {reason}") from None


def output(text: str, out: str | None, *, what: str = "") -> None:
    """Print `text`, or write it atomically to `out` and say so."""
    if out:
        path = out_file(out)
        written(path, "--out", lambda: atomic_write(path, text.encode("utf-8")))
        print(f"Wrote {what + ' to ' if what else ''}{out}")
    else:
        print(text, end="")


def skipped(problems: Iterable[Problem], book: Workbook | None = None) -> int:
    """Name each file that could not be read, and how to repair it from the last version that
    could; the exit code says whether there were any."""
    problems = list(problems)
    for problem in problems:
        print(f"Skipped a file that could not be read:\n  {problem}", file=sys.stderr)
        hint = repair_hint(book, problem) if book is not None else None
        if hint:
            print(f"  {hint}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def repair_hint(book: Workbook, problem: Problem) -> str | None:
    """'To repair it: followup restore ID --version N' for an opportunity file with a readable
    earlier version kept."""
    if problem.path.parent != book.opportunities_dir or problem.path.suffix != ".yaml":
        return None
    try:
        version = book.last_readable_version(problem.path.stem)
    except FollowupError:
        return None
    if version is None:
        return None
    from followup.core.formats import moment

    return (
        f"To repair it from the last version that could be read (saved "
        f"{moment(version.saved_at)}): followup restore {problem.path.stem} "
        f"--version {version.number}"
    )


def expand_id(book: Workbook, text: str) -> str:
    """The id itself, or the one id that starts with it ('northwind' -> 'northwind-data-analyst');
    for commands that only read, never for one that deletes."""
    ids = [p.stem for p in book.files()]
    if text in ids:
        return text
    starting = [i for i in ids if i.startswith(text)]
    if len(starting) > 1:
        raise UsageError(f"{text!r} could be any of {', '.join(starting)}: say which")
    return starting[0] if starting else text


def opportunity_named(book: Workbook, opportunity_id: str) -> Opportunity:
    """The opportunity, or a NotFound that says when it is in the trash and how to restore it."""
    try:
        return book.get(opportunity_id).opportunity
    except NotFound as exc:
        if book.trashed(opportunity_id):
            raise NotFound(
                f"{opportunity_id!r} was deleted; bring it back with: "
                f"followup restore {opportunity_id}"
            ) from exc
        raise
