"""The workbook on disk: one human-readable YAML file per opportunity.

`<data dir>/opportunities/<id>.yaml` holds an opportunity and its rounds. Writes are atomic and
keep the previous versions under `<data dir>/.history/<id>/` (thinned by `thin`), files are
readable by their owner only, and a save never overwrites a file that changed on disk since it was
loaded: given what the caller loaded, it merges field by field (`followup.core.merge`) and asks only
about a field changed on both sides. A deleted opportunity goes to `<data dir>/.trash/`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from filelock import FileLock
from filelock import Timeout as FileLockTimeout
from pydantic import ValidationError

from followup.core.errors import (
    AlreadyExists,
    ConflictError,
    FollowupError,
    InvalidId,
    InvalidRecord,
    LockTimeout,
    MergeConflict,
    NotFound,
)
from followup.core.merge import merge
from followup.core.model import ID_MAX_LENGTH, Opportunity, Settings, is_valid_id
from followup.core.stages import current_stage, sync
from followup.storage.files import (
    atomic_write,
    collector_paused,
    create_all,
    decode_utf8,
    explain,
    field_name,
    opportunity_bytes,
    parse_opportunity,
    parse_record,
    place_all,
    private_dir,
    read_bytes,
    remove_leftovers,
    version_of,
)
from followup.storage.history import (
    Version,
    earlier_versions,
    history_folder,
    keep_saved,
    keep_unsaved,
    list_versions,
    read_version,
    version_to_restore,
)
from followup.storage.trash import (
    Deleted,
    folder_to_restore,
    list_deleted,
    move_to_trash,
    put_back,
    read_deleted,
    remove_for_good,
    trash_folders,
)

ENV_VAR = "FOLLOWUP_DATA"
DEFAULT_DATA_DIR = "data"
OPPORTUNITIES = "opportunities"
LOCKS = ".locks"
#: The opportunity last chosen in a form, so the next page opens on it (written by the forms).
LAST_CHOICE_FILE = ".last-opportunity"
SETTINGS_FILE = "settings.yaml"
#: An import makes its files in this many threads, this many files at a time.
STAGING_THREADS = 2
STAGING_BATCH = 256

#: Seconds to wait for another process's lock on the same opportunity.
LOCK_TIMEOUT = 10.0


def resolve_data_dir(
    explicit: str | os.PathLike | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """`--data`, else $FOLLOWUP_DATA, else ./data."""
    env = os.environ if env is None else env
    chosen = explicit or env.get(ENV_VAR) or DEFAULT_DATA_DIR
    return Path(chosen).expanduser()


def check_id(opportunity_id: str) -> str:
    """Refuse an id that could leave the data folder or make a bad file name."""
    if not isinstance(opportunity_id, str) or not opportunity_id:
        raise InvalidId("an opportunity id is required (for example 'acme-data-analyst')")
    if len(opportunity_id) > ID_MAX_LENGTH:
        raise InvalidId(
            f"opportunity id {opportunity_id[:20]!r}… is {len(opportunity_id)} characters; "
            f"expected at most {ID_MAX_LENGTH}"
        )
    if not is_valid_id(opportunity_id):
        raise InvalidId(
            f"opportunity id {opportunity_id!r} is not allowed: expected lowercase letters, digits "
            "and '-' only (for example 'acme-data-analyst')"
        )
    return opportunity_id


@dataclass(frozen=True)
class Stored:
    """An opportunity as read from (or written to) disk, with the version it was read at."""

    opportunity: Opportunity
    path: Path
    version: str
    #: True when the save merged the caller's changes with a newer file on disk.
    merged_from_disk: bool = False


@dataclass(frozen=True)
class Problem:
    """A file that could not be loaded, and why."""

    path: Path
    message: str
    field: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass
class LoadResult:
    """Every opportunity that loaded, and a problem for each file that did not."""

    stored: dict[str, Stored] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def opportunities(self) -> list[Opportunity]:
        return [s.opportunity for s in self.stored.values()]


_NEW = object()


class Workbook:
    """A folder of opportunities: load them, and save one without losing anybody's work."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def make_root(self) -> None:
        """Create the workbook's folder, readable by its owner only whatever the umask.

        Nothing is created until something is saved: opening a workbook never makes folders.
        """
        if self.root.is_dir():
            return
        self.root.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            self.root.mkdir(mode=0o700)
            os.chmod(self.root, 0o700)

    def __repr__(self) -> str:
        return f"Workbook({str(self.root)!r})"

    @property
    def opportunities_dir(self) -> Path:
        return self.root / OPPORTUNITIES

    def path_for(self, opportunity_id: str) -> Path:
        return self.opportunities_dir / f"{check_id(opportunity_id)}.yaml"

    def history_dir(self, opportunity_id: str) -> Path:
        return history_folder(self.root, check_id(opportunity_id))

    # Reading

    def files(self) -> list[Path]:
        """The opportunity files: `<id>.yaml` entries of the opportunities folder, sorted."""
        if not self.opportunities_dir.is_dir():
            return []
        return sorted(
            p
            for p in self.opportunities_dir.iterdir()
            if p.suffix == ".yaml" and not p.name.startswith(".")
        )

    def _open(self, path: Path) -> bytes:
        return read_bytes(path, self.root)

    def _read(self, path: Path) -> Stored:
        data = self._open(path)
        return Stored(parse_opportunity(decode_utf8(data, path), path), path, version_of(data))

    def load(self) -> LoadResult:
        """Every opportunity that loads; a broken file is reported and does not stop the rest."""
        result = LoadResult()
        with collector_paused():
            self._load_into(result)
        return result

    def _load_into(self, result: LoadResult) -> None:
        for path in self.files():
            if not is_valid_id(path.stem):
                result.problems.append(
                    Problem(
                        path,
                        f"{path}: file name is not a valid id: expected lowercase letters, digits "
                        "and '-' before .yaml",
                    )
                )
                continue
            try:
                stored = self._read(path)
            except InvalidRecord as exc:
                result.problems.append(Problem(path, str(exc), exc.field))
                continue
            result.stored[stored.opportunity.id] = stored

    def get(self, opportunity_id: str) -> Stored:
        path = self.path_for(opportunity_id)
        if not path.exists() and not path.is_symlink():
            known = ", ".join(p.stem for p in self.files()) or "none yet"
            raise NotFound(f"no opportunity {opportunity_id!r} in {self.root} (known: {known})")
        return self._read(path)

    def settings(self) -> Settings:
        path = self.root / SETTINGS_FILE
        if not path.exists() and not path.is_symlink():
            return Settings()
        settings = parse_record(decode_utf8(self._open(path), path), path, Settings)
        assert isinstance(settings, Settings)
        return settings

    def save_setting(self, key: str, value: Any) -> Settings:
        """Set one top-level key of settings.yaml, keeping every other line as the person typed
        it (comments included); the result must read back, else nothing is written."""
        path = self.root / SETTINGS_FILE
        old = decode_utf8(self._open(path), path) if path.exists() else ""
        kept: list[str] = []
        skipping = False
        for line in old.splitlines():
            if line.startswith(f"{key}:"):
                skipping = True
                continue
            if skipping and (line.startswith((" ", "\t")) or not line.strip()):
                continue
            skipping = False
            kept.append(line)
        block = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True).rstrip("\n")
        text = "\n".join([*kept, block]).lstrip("\n") + "\n"
        settings = parse_record(text, path, Settings)
        assert isinstance(settings, Settings)
        self.make_root()
        atomic_write(path, text.encode("utf-8"))
        return settings

    def settings_or_defaults(self) -> tuple[Settings, FollowupError | None]:
        """The settings; or, when settings.yaml cannot be read, the defaults and why (for the
        faces that keep working and name the problem, or leave that to `followup validate`)."""
        try:
            return self.settings(), None
        except FollowupError as exc:
            return Settings(), exc

    # Writing

    @contextlib.contextmanager
    def lock(self, opportunity_id: str) -> Iterator[None]:
        """Hold the opportunity's lock: one writer at a time, across processes."""
        self.make_root()
        locks = self.root / LOCKS
        locks.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = FileLock(
            locks / f"{check_id(opportunity_id)}.lock", timeout=LOCK_TIMEOUT, mode=0o600
        )
        try:
            with lock:
                yield
        except FileLockTimeout:
            raise LockTimeout(
                f"{self.path_for(opportunity_id)}: another program is saving this opportunity; "
                f"waited {LOCK_TIMEOUT:g} s. Try again in a moment."
            ) from None

    def create(self, opportunity: Opportunity) -> Stored:
        """Write a new opportunity; refuses to replace an existing file."""
        return self.save(opportunity, base_version=_NEW)

    def create_many(self, opportunities: Sequence[Opportunity]) -> list[Stored]:
        """Write many new opportunities at once (an import): every one of them, or none.

        One save syncs each file to disk on its own and keeps a copy in a history folder of its
        own: three new files or folders an opportunity, which makes an import of thousands of rows
        take many seconds on a slow disk. Here each file is first written to a temporary file, the
        disk is synced once, and only then is each put in place under its name, refusing to
        replace a file that exists. The history of an imported opportunity starts at its first
        save, which keeps the imported version before replacing it (the file imported from holds
        it meanwhile). A crash before the files are in place leaves only temporary files (removed
        by the next save); a refusal, an error or Ctrl-C while they are put in place removes what
        this call had put in place (`place_all`), so the workbook is as it was. One too big to be
        read back (TooLarge) is refused before any is put in place.
        """
        if not opportunities:
            return []
        ids = [o.id for o in opportunities]
        for opportunity_id in ids:
            check_id(opportunity_id)
        if len(set(ids)) != len(ids):
            raise AlreadyExists(f"{self.root}: the opportunities to create share an id")
        self.make_root()
        folder = os.fspath(private_dir(self.root, OPPORTUNITIES))
        targets = [os.path.join(folder, f"{i}.yaml") for i in ids]
        for opportunity_id, target in zip(ids, targets, strict=True):
            if os.path.lexists(target):
                raise AlreadyExists(
                    f"{target}: an opportunity with id {opportunity_id!r} already exists; "
                    "nothing was imported"
                )
        token = os.urandom(4).hex()
        staged: list[str] = []
        stored: list[Stored] = []
        try:
            # The disk's work (making each file) runs in threads while this one writes the YAML.
            with ThreadPoolExecutor(max_workers=STAGING_THREADS) as pool:
                pending = []
                batch: list[tuple[str, bytes]] = []
                for opportunity, target in zip(opportunities, targets, strict=True):
                    data = opportunity_bytes(
                        opportunity, Path(target), outcome="nothing was imported"
                    )
                    tmp = os.path.join(folder, f".{opportunity.id}.yaml.{token}.tmp")
                    staged.append(tmp)
                    batch.append((tmp, data))
                    stored.append(Stored(opportunity, Path(target), version_of(data)))
                    if len(batch) == STAGING_BATCH:
                        pending.append(pool.submit(create_all, batch))
                        batch = []
                pending.append(pool.submit(create_all, batch))
                for done in pending:
                    done.result()
            os.sync()
            try:
                place_all(list(zip(staged, targets, strict=True)))
            except FileExistsError as exc:
                raise AlreadyExists(
                    f"{exc.filename2 or exc.filename}: was created by someone else meanwhile; "
                    "nothing was imported"
                ) from None
        finally:
            for tmp in staged:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        os.sync()  # the new names, at once
        return stored

    def save(
        self,
        opportunity: Opportunity,
        base_version: Any = None,
        *,
        base: Opportunity | None = None,
        resolutions: Mapping[tuple, Literal["mine", "theirs"]] | None = None,
    ) -> Stored:
        """Write `opportunity` atomically, keeping the previous version in the history.

        `base_version` is the version the caller loaded. When the file on disk is no longer that
        version, someone else saved in between: with `base` (the opportunity as the caller loaded
        it) the caller's changes are merged with theirs field by field, and the merged opportunity
        is saved and returned (`merged_from_disk` is True); a field changed on both sides raises
        MergeConflict and writes nothing, unless `resolutions` maps its path to "mine" or
        "theirs". Without `base`, ConflictError is raised instead of overwriting. None saves
        over whatever is there (for tools that just loaded it under the lock).
        """
        path = self.path_for(opportunity.id)
        self.make_root()
        self.opportunities_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self.lock(opportunity.id):
            current = self._open(path) if path.exists() else None
            merged = False
            if base_version is _NEW:
                if current is not None:
                    raise AlreadyExists(
                        f"{path}: an opportunity with id {opportunity.id!r} already exists; "
                        "choose another id or open the existing one"
                    )
            elif base_version is not None:
                if current is None:
                    raise ConflictError(
                        f"{path}: the file was removed since it was loaded; nothing was saved"
                    )
                if version_of(current) != base_version:
                    if base is None:
                        raise ConflictError(
                            f"{path}: changed on disk since it was loaded (another notebook or "
                            "program saved it); nothing was saved. Reload to see their changes, "
                            "then make yours again."
                        )
                    opportunity, current = self._merge(path, base, opportunity, resolutions)
                    merged = True
            if current is not None:
                opportunity = _with_stage_change(path, current, opportunity)
            data = opportunity_bytes(opportunity, path)  # TooLarge: nothing is written
            if current == data:
                return Stored(opportunity, path, version_of(data), merged)
            remove_leftovers((self.opportunities_dir, self.history_dir(opportunity.id)))
            if current is not None:
                keep_unsaved(self.root, opportunity.id, path, current)
            atomic_write(path, data)
            keep_saved(self.root, opportunity.id, path, data)
        return Stored(opportunity, path, version_of(data), merged)

    def _merge(
        self,
        path: Path,
        base: Opportunity,
        mine: Opportunity,
        resolutions: Mapping[tuple, Literal["mine", "theirs"]] | None,
    ) -> tuple[Opportunity, bytes]:
        """`mine` merged with the file on disk now (under the lock), and that file's bytes."""
        try:
            theirs = self._read(path)
        except InvalidRecord as exc:
            raise InvalidRecord(
                f"{exc}\n(the file was changed on disk since it was loaded and cannot be read "
                "now; fix it or reload; nothing was saved)",
                path=path,
                field=exc.field,
            ) from None
        result = merge(
            base.model_dump(mode="json"),
            mine.model_dump(mode="json"),
            theirs.opportunity.model_dump(mode="json"),
            resolutions=resolutions,
        )
        if result.conflicts:
            fields = "; ".join(
                f"{c.label} (yours {c.mine!r}, theirs {c.theirs!r})" for c in result.conflicts
            )
            count = len(result.conflicts)
            raise MergeConflict(
                f"{path}: changed on disk since it was loaded, and {count} "
                f"field{'s' if count != 1 else ''} changed both here and there: {fields}. "
                "Nothing was saved: choose which value to keep for each.",
                conflicts=result.conflicts,
                theirs=theirs,
            )
        try:
            merged = Opportunity.model_validate(result.merged)
        except ValidationError as exc:
            problems = "; ".join(
                (f"field {field_name(tuple(e['loc']))}: " if e.get("loc") else "") + explain(e)
                for e in exc.errors()
            )
            first = field_name(tuple(exc.errors()[0].get("loc", ()))) if exc.errors() else None
            raise InvalidRecord(
                f"{path}: your changes and the ones saved on disk since you loaded it do not fit "
                f"together: {problems}. Nothing was saved.",
                path=path,
                field=first,
            ) from None
        return merged, self._open(path)

    def update(
        self, opportunity_id: str, change: Callable[[Opportunity], Opportunity | None]
    ) -> Stored:
        """Load, change and save one opportunity (for one-shot commands).

        If the file changes between the load and the save, the change is merged with it field
        by field; a field changed on both sides raises MergeConflict.
        """
        stored = self.get(opportunity_id)
        opportunity = stored.opportunity.model_copy(deep=True)
        result = change(opportunity)
        return self.save(
            result or opportunity, base_version=stored.version, base=stored.opportunity
        )

    # History and trash

    def history(self, opportunity_id: str) -> list[Path]:
        """The files of the earlier versions kept of an opportunity, oldest first."""
        return earlier_versions(self.root, opportunity_id, self.path_for(opportunity_id))

    def versions(self, opportunity_id: str) -> list[Version]:
        """Every version kept, numbered from 1 (the oldest) to the file in use (the newest).

        Each has a one-line summary of what changed against the version before it. A file
        changed by hand since followup last saved it is listed as the newest version.
        """
        return list_versions(self.root, opportunity_id, self.path_for(opportunity_id))

    def last_readable_version(self, opportunity_id: str) -> Version | None:
        """The newest earlier version that can be read, for a file that no longer can (a typo
        made by hand): what **Repair from the last good version** brings back. None when no
        earlier version was kept, or none of them can be read either."""
        for version in reversed(self.versions(opportunity_id)):
            if version.current:
                continue
            try:
                read_version(version.path, self.root)
            except FollowupError:
                continue
            return version
        return None

    def restore_version(self, opportunity_id: str, number: int) -> Stored:
        """Save version `number` again as the newest (so the restore itself can be undone)."""
        versions = self.versions(opportunity_id)
        path = self.path_for(opportunity_id)
        if not versions or not path.exists():
            raise NotFound(
                f"no opportunity {opportunity_id!r} in {self.root} to restore a version of"
                + (
                    " (it is in the trash: restore it first)"
                    if self.trashed(opportunity_id)
                    else ""
                )
            )
        opportunity = version_to_restore(versions, opportunity_id, number, self.root)
        if opportunity is None:
            return self.get(opportunity_id)
        current = self._open(path)  # may be broken: it is replaced
        return self.save(opportunity, base_version=version_of(current))

    def trashed(self, opportunity_id: str) -> list[Path]:
        """The trash folders holding a deleted copy of the opportunity, oldest first."""
        return trash_folders(self.root, check_id(opportunity_id))

    def trash(self, opportunity_id: str) -> Path:
        """Move an opportunity's file and its history to `<data>/.trash/<id>/<time>/`."""
        path = self.path_for(opportunity_id)
        with self.lock(opportunity_id):
            if not path.exists():
                raise NotFound(f"no opportunity {opportunity_id!r} in {self.root} to delete")
            return move_to_trash(self.root, opportunity_id, path)

    def deleted(self) -> list[Deleted]:
        """Everything in the trash, deleted longest ago first (a linked folder is left out)."""
        return list_deleted(self.root)

    def deleted_opportunity(self, item: Deleted) -> Opportunity:
        """The opportunity as it was deleted (InvalidRecord if that file cannot be read)."""
        return read_deleted(item, self.root)

    def empty_trash(self, opportunity_id: str | None = None) -> list[Deleted]:
        """Remove deleted copies for good, with their history: every one, or those of one
        opportunity. Returns what was removed; what is not in the trash is never touched."""
        removed = []
        for item in self.deleted():
            if opportunity_id not in (None, item.opportunity_id):
                continue
            with self.lock(item.opportunity_id):  # not while it is being restored
                if not remove_for_good(item):
                    continue
            removed.append(item)
            self._forget(item.opportunity_id)
        return removed

    def _forget(self, opportunity_id: str) -> None:
        """Once nothing of an opportunity is left, remove the files that still name it: its lock
        and the memory of it as the last one chosen."""
        if self.path_for(opportunity_id).exists() or self.trashed(opportunity_id):
            return
        with contextlib.suppress(OSError):
            (self.root / LOCKS / f"{opportunity_id}.lock").unlink()
        choice = self.root / LAST_CHOICE_FILE
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if choice.read_text(encoding="utf-8").strip() == opportunity_id:
                choice.unlink()

    def restore(self, opportunity_id: str) -> Stored:
        """Bring back the opportunity deleted last, with its history."""
        path = self.path_for(opportunity_id)
        folder_to_restore(
            self.root, opportunity_id, path
        )  # before the lock too: no lock file made for nothing
        with self.lock(opportunity_id):
            folder = folder_to_restore(self.root, opportunity_id, path)
            put_back(self.root, opportunity_id, folder, path)
        try:
            return self.get(opportunity_id)
        except InvalidRecord as exc:
            raise InvalidRecord(
                f"restored {path} from the trash, but it has a problem: {exc}",
                path=path,
                field=exc.field,
            ) from None


def _with_stage_change(path: Path, current: bytes, opportunity: Opportunity) -> Opportunity:
    """`opportunity` with its change of stage against the file on disk recorded in its history,
    on today's date unless the change names its own (see `followup.core.stages.sync`); as it is
    when its history already ends at its stage, or when the file on disk cannot be read."""
    stage = current_stage(opportunity)
    if stage is None or (opportunity.stages and opportunity.stages[-1].stage is stage):
        return opportunity
    try:
        before = parse_opportunity(decode_utf8(current, path), path)
    except FollowupError:
        return opportunity
    return sync(before, opportunity, date.today())
