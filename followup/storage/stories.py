"""The story bank (`stories.yaml`) and the practice deck (`practice.yaml`) at the workbook's root.

The same guarantees as every other file of the workbook: read only as a regular file within the
workbook and within the size limit, a broken file is one clear line naming the file, the line and
the field, writes are atomic under a lock and readable by the owner only, and each save keeps
the version before it in the history (`.history/_stories/`, `.history/_practice/`: an underscore
is never part of an opportunity's id, so these folders cannot meet one).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from filelock import FileLock
from filelock import Timeout as FileLockTimeout
from pydantic import BaseModel

from followup.core.errors import LockTimeout
from followup.core.stories import Deck, StoryBank
from followup.storage.files import (
    atomic_write,
    decode_utf8,
    dump_yaml,
    parse_record,
    private_dir,
    read_bytes,
)
from followup.storage.history import keep_saved, keep_unsaved, live_bytes

STORIES_FILE = "stories.yaml"
PRACTICE_FILE = "practice.yaml"
#: The history folders' names (not opportunity ids: those never hold an underscore).
STORIES_HISTORY = "_stories"
PRACTICE_HISTORY = "_practice"
LOCK_TIMEOUT = 10.0

Model = TypeVar("Model", bound=BaseModel)


def _read(root: Path, name: str, model: type[Model]) -> Model:
    path = Path(root) / name
    if not path.exists() and not path.is_symlink():
        return model()
    record = parse_record(decode_utf8(read_bytes(path, Path(root)), path), path, model)
    assert isinstance(record, model)
    return record


@contextlib.contextmanager
def _locked(root: Path, name: str) -> Iterator[None]:
    lock = FileLock(private_dir(Path(root), ".locks") / f"{name}.lock", timeout=LOCK_TIMEOUT)
    try:
        with lock:
            yield
    except FileLockTimeout:
        raise LockTimeout(
            f"{Path(root) / name}: another program is saving it; waited {LOCK_TIMEOUT:g} s. "
            "Try again in a moment."
        ) from None


def _write(root: Path, name: str, history: str, record: BaseModel) -> Path:
    root = Path(root)
    path = root / name
    data = dump_yaml(record).encode("utf-8")
    current = live_bytes(path, root)
    if current is not None:
        if current == data:
            return path
        keep_unsaved(root, history, path, current)
    atomic_write(path, data)
    keep_saved(root, history, path, data)
    return path


def _update(
    root: Path, name: str, history: str, model: type[Model], change: Callable[[Model], Model]
) -> Model:
    if not Path(root).is_dir():
        Path(root).mkdir(parents=True, mode=0o700)
    with _locked(root, name):
        changed = change(_read(root, name, model))
        _write(root, name, history, changed)
    return changed


def read_stories(root: Path) -> StoryBank:
    """The story bank (empty when there is no `stories.yaml`); InvalidRecord when it is broken."""
    return _read(root, STORIES_FILE, StoryBank)


def save_stories(root: Path, bank: StoryBank) -> Path:
    """Write `stories.yaml` whole, keeping the version before it."""
    with _locked(root, STORIES_FILE):
        return _write(root, STORIES_FILE, STORIES_HISTORY, bank)


def read_practice(root: Path) -> Deck:
    """The practice deck (empty when there is no `practice.yaml`)."""
    return _read(root, PRACTICE_FILE, Deck)


def update_practice(root: Path, change: Callable[[Deck], Deck]) -> Deck:
    """Read the deck, change it and write it back under the lock: two pages rating at once both
    count."""
    return _update(root, PRACTICE_FILE, PRACTICE_HISTORY, Deck, change)


def stories_version(root: Path) -> str:
    """A fingerprint of `stories.yaml` (empty when missing), for what a prep sheet depends on."""
    from followup.storage.files import version_of

    data = live_bytes(Path(root) / STORIES_FILE, Path(root))
    return version_of(data) if data is not None else ""
