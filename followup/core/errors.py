"""The package's own exceptions, so callers can react and people read a clear message."""

from __future__ import annotations

from pathlib import Path


class FollowupError(Exception):
    """Base class: the message is one clear line meant for a person."""


class InvalidRecord(FollowupError):
    """A record breaks the model: names the file, the field, the value and what was expected."""

    def __init__(self, message: str, *, path: Path | None = None, field: str | None = None):
        self.path = path
        self.field = field
        super().__init__(message)


class InvalidId(FollowupError):
    """An opportunity id that is not a safe slug (it could leave the data folder)."""


class NotFound(FollowupError):
    """No opportunity (or round) with that id."""


class AlreadyExists(FollowupError):
    """Creating a record whose file is already on disk."""


class ConflictError(FollowupError):
    """The file changed on disk since it was loaded: saving would overwrite someone's work."""


class MergeConflict(ConflictError):
    """The same field changed here and on disk: the person chooses, nothing was written.

    `conflicts` holds each field with both values (`followup.core.merge.Conflict`); `theirs` is the
    `Stored` opportunity now on disk, to reload from or to save again with `resolutions`.
    """

    def __init__(self, message: str, *, conflicts: tuple = (), theirs: object = None):
        self.conflicts = tuple(conflicts)
        self.theirs = theirs
        super().__init__(message)


class LockTimeout(FollowupError):
    """Another process holds the opportunity's lock for too long."""


class UsageError(FollowupError):
    """A command-line value that cannot be understood (a date, a weight, a path)."""


class TooLarge(InvalidRecord):
    """A record whose file would be bigger than the store reads back: refused before writing."""
