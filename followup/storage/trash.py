"""Deleted opportunities, kept under `<data dir>/.trash/<id>/<time>/` until the trash is emptied.

A deletion moves the file and its history into a folder named for when it was deleted; a restore
moves them back. Nothing here takes the opportunity's lock: `Workbook` holds it around each move.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from followup.core.errors import AlreadyExists, NotFound
from followup.core.model import Opportunity, is_valid_id
from followup.storage.files import (
    atomic_write,
    fsync_dir,
    make_private,
    private_dir,
)
from followup.storage.history import (
    HISTORY,
    STAMP_FORMAT,
    history_folder,
    read_version,
    stamp_of,
)

TRASH = ".trash"


@dataclass(frozen=True)
class Deleted:
    """One deleted copy of an opportunity, waiting in the trash."""

    opportunity_id: str
    #: `<data>/.trash/<id>/<time>/`: the file and its history as they were deleted.
    folder: Path
    #: When it was deleted (None if the folder's name is not a time this program wrote).
    deleted_at: datetime | None


def trash_folders(root: Path, opportunity_id: str) -> list[Path]:
    """The trash folders holding a deleted copy of a (checked) opportunity id, oldest first."""
    folder = root / TRASH / opportunity_id
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if (p / f"{opportunity_id}.yaml").is_file())


def move_to_trash(root: Path, opportunity_id: str, path: Path) -> Path:
    """Move the file at `path` and its history to a new trash folder, and return that folder."""
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    folder = private_dir(root, TRASH, opportunity_id, stamp)
    history = history_folder(root, opportunity_id)
    if history.is_dir():
        os.replace(history, folder / "history")
    if path.is_symlink() or os.lstat(path).st_nlink == 1:
        os.replace(path, folder / path.name)
    else:  # another name elsewhere shares this file: keep a private copy, leave that name be
        atomic_write(folder / path.name, path.read_bytes())
        path.unlink()
    make_private(folder)  # a file made by hand may have been readable by others
    fsync_dir(path.parent)
    return folder


def list_deleted(root: Path) -> list[Deleted]:
    """Everything in the trash, deleted longest ago first (a linked folder is left out)."""
    trash = root / TRASH
    if not trash.is_dir() or trash.is_symlink():
        return []
    found = []
    for named in trash.iterdir():
        if is_valid_id(named.name) and named.is_dir() and not named.is_symlink():
            for folder in trash_folders(root, named.name):
                if not folder.is_symlink():
                    found.append(Deleted(named.name, folder, stamp_of(folder)))
    never = datetime.min.replace(tzinfo=UTC)
    return sorted(found, key=lambda d: (d.deleted_at or never, d.opportunity_id))


def read_deleted(item: Deleted, root: Path) -> Opportunity:
    """The opportunity as it was deleted (InvalidRecord if that file cannot be read)."""
    return read_version(item.folder / f"{item.opportunity_id}.yaml", root)


def remove_for_good(item: Deleted) -> bool:
    """Remove one deleted copy with its history; False when it was gone already."""
    if not item.folder.is_dir():
        return False
    shutil.rmtree(item.folder)
    with contextlib.suppress(OSError):
        item.folder.parent.rmdir()  # the opportunity's folder, once empty
    return True


def folder_to_restore(root: Path, opportunity_id: str, path: Path) -> Path:
    """The trash folder to restore `path` from; AlreadyExists or NotFound when there is none."""
    if path.exists():
        raise AlreadyExists(
            f"{path}: an opportunity with id {opportunity_id!r} exists now; delete or "
            "rename it before restoring the deleted one"
        )
    found = trash_folders(root, opportunity_id)
    if not found:
        raise NotFound(f"no deleted opportunity {opportunity_id!r} in {root / TRASH}")
    return found[-1]


def put_back(root: Path, opportunity_id: str, folder: Path, path: Path) -> None:
    """Move the file and history kept in the trash `folder` back to `path` and the history."""
    history = folder / "history"
    if history.is_dir():
        target = history_folder(root, opportunity_id)
        if target.is_dir():
            for old in history.iterdir():
                os.replace(old, target / old.name)
            history.rmdir()
        else:
            private_dir(root, HISTORY)
            os.replace(history, target)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.replace(folder / path.name, path)
    fsync_dir(path.parent)
    with contextlib.suppress(OSError):
        folder.rmdir()
        folder.parent.rmdir()
