"""The earlier versions of an opportunity, kept under `<data dir>/.history/<id>/`.

Each save keeps a copy named by when it was saved (`STAMP_FORMAT`); `thin` decides which copies
stay as they age. A version is restored by saving it again, so a restore can be undone too.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from followup.core.errors import InvalidRecord, NotFound
from followup.core.merge import summary
from followup.core.model import Opportunity
from followup.storage.files import (
    atomic_write,
    decode_utf8,
    is_private_and_single,
    modified_at,
    parse_record,
    private_dir,
    read_bytes,
)

HISTORY = ".history"
#: Which saved versions history keeps (see `thin`): every one younger than the first age, then one
#: per hour up to a day, one per day up to 30 days, then one per week. The newest is always kept.
KEEP_EVERY = timedelta(hours=1)
KEEP_HOURLY = timedelta(days=1)
KEEP_DAILY = timedelta(days=30)
#: How a history file (and a trash folder) is named: the UTC time it was saved (or deleted) at.
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Version:
    """One saved version of an opportunity, as `followup history` lists it."""

    #: 1 is the oldest version kept; the newest (the file in use) comes last.
    number: int
    saved_at: datetime
    path: Path
    #: What changed against the version before, in one line.
    summary: str
    current: bool = False


def thin(stamps: Iterable[datetime], now: datetime) -> set[datetime]:
    """The save times of the versions to keep, given when each was saved and the time now.

    Every version from the last hour, then the newest of each clock hour for the last day, of
    each day (UTC) for the last 30 days, and of each week before that; never drops the newest.
    A version dropped now is never one that would be kept later (so thinning can run at any save).
    """
    kept: set[datetime] = set()
    seen: set[tuple] = set()
    for index, stamp in enumerate(sorted(set(stamps), reverse=True)):
        age = now - stamp
        utc = stamp.astimezone(UTC)
        hour = ("hour", utc.replace(minute=0, second=0, microsecond=0))
        day = ("day", utc.date())
        week = ("week", *utc.isocalendar()[:2])
        if index == 0 or age < KEEP_EVERY:
            keep = True
        elif age < KEEP_HOURLY:
            keep = hour not in seen
        elif age < KEEP_DAILY:
            keep = day not in seen
        else:
            keep = week not in seen
        if keep:
            kept.add(stamp)
        seen.update((hour, day, week))
    return kept


def stamp_of(path: Path) -> datetime | None:
    """When the history file (or trash folder) at `path` was written, read from its name; None
    when the name is not one this program writes."""
    try:
        return datetime.strptime(path.stem, STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def history_folder(root: Path, opportunity_id: str) -> Path:
    """Where the versions of a (checked) opportunity id are kept."""
    return root / HISTORY / opportunity_id


def history_files(root: Path, opportunity_id: str) -> list[Path]:
    """Every version kept in the history folder, oldest first (the newest save included)."""
    folder = history_folder(root, opportunity_id)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if stamp_of(p) is not None)


def newest_is(files: list[Path], data: bytes | None, root: Path) -> bool:
    """True when the newest of `files` holds exactly `data`."""
    if not files or data is None:
        return False
    try:
        return read_bytes(files[-1], root) == data
    except InvalidRecord:
        return False


def live_bytes(path: Path, root: Path) -> bytes | None:
    """The file in use, or None when it is missing or not a file that can be read."""
    try:
        return read_bytes(path, root) if path.exists() else None
    except InvalidRecord:
        return None


def read_version(path: Path, root: Path) -> Opportunity:
    """The opportunity a kept version holds (the file name need not match its id)."""
    opportunity = parse_record(decode_utf8(read_bytes(path, root), path), path, Opportunity)
    assert isinstance(opportunity, Opportunity)
    return opportunity


def earlier_versions(root: Path, opportunity_id: str, live: Path) -> list[Path]:
    """The files of the earlier versions kept of an opportunity, oldest first."""
    files = history_files(root, opportunity_id)
    if newest_is(files, live_bytes(live, root), root):
        files = files[:-1]
    return files


def list_versions(root: Path, opportunity_id: str, live: Path) -> list[Version]:
    """Every version kept, numbered from 1 (the oldest) to the file in use `live` (the newest).

    Each has a one-line summary of what changed against the version before it. A file
    changed by hand since followup last saved it is listed as the newest version.
    """
    found = [(stamp_of(p), p, False) for p in history_files(root, opportunity_id)]
    if live.exists():
        if newest_is([p for _, p, _ in found], live_bytes(live, root), root):
            found[-1] = (found[-1][0], live, True)
        else:
            found.append((modified_at(live), live, True))
    versions: list[Version] = []
    before: dict | None = None
    for number, (stamp, path, is_current) in enumerate(found, start=1):
        assert stamp is not None
        try:
            data = read_version(path, root).model_dump(mode="json")
        except InvalidRecord as exc:
            line = f"cannot be read: {str(exc).splitlines()[0]}"
            data = None
        else:
            line = "the oldest version kept" if before is None else summary(before, data)
        versions.append(Version(number, stamp, path, line, is_current))
        before = data if data is not None else before
    return versions


def version_to_restore(
    versions: list[Version], opportunity_id: str, number: int, root: Path
) -> Opportunity | None:
    """The opportunity that version `number` holds, to be saved again; None when it is the file
    in use already. NotFound for a number out of range, InvalidRecord for a copy of another id."""
    if not 1 <= number <= len(versions):
        raise NotFound(
            f"{opportunity_id}: no version {number}; expected 1 to {len(versions)} "
            f"(`followup history {opportunity_id}` lists them)"
        )
    chosen = versions[number - 1]
    if chosen.current:
        return None
    opportunity = read_version(chosen.path, root)
    if opportunity.id != opportunity_id:
        raise InvalidRecord(
            f"{chosen.path}: field id: is {opportunity.id!r}; expected {opportunity_id!r}",
            path=chosen.path,
            field="id",
        )
    return opportunity


def _new_target(root: Path, opportunity_id: str, saved_at: datetime) -> Path:
    """A history file name for a version saved at `saved_at`, unique and in order."""
    folder = private_dir(root, HISTORY, opportunity_id)
    target = folder / f"{saved_at.strftime(STAMP_FORMAT)}.yaml"
    while target.exists():  # two saves within the clock's resolution: keep their order
        saved_at += timedelta(microseconds=1)
        target = folder / f"{saved_at.strftime(STAMP_FORMAT)}.yaml"
    return target


def keep_unsaved(root: Path, opportunity_id: str, path: Path, current: bytes) -> None:
    """Before the file in use at `path` is replaced, keep it if the history lacks it (a hand
    edit, an old file).

    The file itself is kept (a link: no copy to write) only when it is readable by its owner only
    and has no other name; else a private copy is, so that the history is private whatever the
    file's mode and a file linked from elsewhere can never change a kept version.
    """
    if newest_is(history_files(root, opportunity_id), current, root):
        return
    target = _new_target(root, opportunity_id, modified_at(path))
    if is_private_and_single(path):
        with contextlib.suppress(OSError):
            os.link(path, target)  # safe: the file in use is about to be replaced, not changed
            return
    atomic_write(target, current)  # a copy, readable by its owner only


def keep_saved(root: Path, opportunity_id: str, path: Path, data: bytes) -> None:
    """Keep a copy of the version just saved at `path`, named by when it was saved; thin the rest.

    A copy, not a link, so that an editor that rewrites the file in place cannot change it.
    """
    atomic_write(_new_target(root, opportunity_id, modified_at(path)), data)
    now = datetime.now(UTC)
    stamps = {p: stamp_of(p) for p in history_files(root, opportunity_id)}
    kept = thin([s for s in stamps.values() if s is not None], now)
    for old, stamp in stamps.items():
        if stamp not in kept:
            with contextlib.suppress(OSError):
                old.unlink()
