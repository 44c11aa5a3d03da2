"""The workbook on disk: one human-readable YAML file per opportunity.

`<data dir>/opportunities/<id>.yaml` holds an opportunity and its rounds. Writes are atomic and
keep the previous versions under `<data dir>/.history/<id>/` (thinned by `thin`), files are
readable by their owner only, and a save never overwrites a file that changed on disk since it was
loaded: given what the caller loaded, it merges field by field (`followup.core.merge`) and asks only
about a field changed on both sides. A deleted opportunity goes to `<data dir>/.trash/`.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from filelock import FileLock
from filelock import Timeout as FileLockTimeout
from pydantic import BaseModel, ValidationError

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
from followup.core.merge import merge, summary
from followup.core.model import ID_MAX_LENGTH, Opportunity, Settings, is_valid_id

ENV_VAR = "FOLLOWUP_DATA"
DEFAULT_DATA_DIR = "data"
OPPORTUNITIES = "opportunities"
HISTORY = ".history"
TRASH = ".trash"
LOCKS = ".locks"
#: The opportunity last chosen in a form, so the next page opens on it (written by the forms).
LAST_CHOICE_FILE = ".last-opportunity"
SETTINGS_FILE = "settings.yaml"
#: Which saved versions history keeps (see `thin`): every one younger than the first age, then one
#: per hour up to a day, one per day up to 30 days, then one per week. The newest is always kept.
KEEP_EVERY = timedelta(hours=1)
KEEP_HOURLY = timedelta(days=1)
KEEP_DAILY = timedelta(days=30)
#: A temporary file left by a crashed save is removed by a later save once it is this old.
LEFTOVER_AGE = timedelta(minutes=1)
_STAMP = "%Y%m%dT%H%M%S%fZ"
#: An import makes its files in this many threads, this many files at a time.
STAGING_THREADS = 2
STAGING_BATCH = 256

#: Seconds to wait for another process's lock on the same opportunity.
LOCK_TIMEOUT = 10.0

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Readable, diffable YAML: block strings for multi-line text, whole numbers without '.0'."""


def _represent_str(dumper: yaml.BaseDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_float(dumper: yaml.BaseDumper, value: float) -> yaml.Node:
    if value.is_integer():
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(float, _represent_float)


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


def version_of(data: bytes) -> str:
    """The version of a file's content, used to notice changes made by someone else."""
    return hashlib.sha256(data).hexdigest()


def dump_yaml(record: BaseModel, *, keep: tuple[str, ...] = ()) -> str:
    """A record as YAML, leaving out what is empty or default (but always the keys in `keep`)."""
    full = record.model_dump(mode="json")
    data = record.model_dump(mode="json", exclude_defaults=True)
    for key in keep:
        data.setdefault(key, full[key])
    ordered = {k: data[k] for k in full if k in data}
    return yaml.dump(
        ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def dump_opportunity(opportunity: Opportunity) -> str:
    return dump_yaml(opportunity, keep=("id", "company", "status"))


class _StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """The safe loader, strict: a key given twice is refused, and so is an impossible date.

    PyYAML's own loader keeps the last of two equal keys, and raises a bare ValueError (with no
    line) while it builds `2026-02-30` or `2026-13-45`; here both become errors that name the line.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        self.flatten_mapping(node)
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                line = first.get(key)
            except TypeError:
                continue  # an unhashable key: the base class says so, with its line
            if line is not None:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the key {key!r} is given twice (first on line {line}); "
                    "expected each key once",
                    key_node.start_mark,
                )
            first[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{node.value!r} is not a real date or time; expected a date such as 2026-11-26 "
                "or a time such as 2026-11-26T14:00:00+01:00",
                node.start_mark,
            ) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)


def _shared_node(root: yaml.Node) -> yaml.Node | None:
    """A node reached twice (an alias `*name` of an anchor `&name`), else None.

    Opportunity files never need aliases, and refusing them keeps a small file from expanding into
    a huge or endless structure ("billion laughs", `&a [*a]`).
    """
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                todo.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return None


def _compose(text: str, path: Path) -> tuple[Any, yaml.Node | None]:
    """The data in `text` and the node tree it was built from, composed once."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        shared = _shared_node(node)
        if shared is not None:
            raise InvalidRecord(
                f"{path}:{shared.start_mark.line + 1}: an anchor (&name) is used again through an "
                "alias (*name); expected each value written out where it belongs",
                path=path,
            )
        try:
            return loader.construct_document(node), node
        except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
            # PyYAML builds some tagged values (!!set, !!omap, !!pairs…) with plain Python errors
            # when their content does not fit: name the file and where the document starts.
            raise InvalidRecord(
                f"{path}:{node.start_mark.line + 1}: a value cannot be built ({exc}); expected "
                "plain text, numbers, dates, lists and key: value pairs",
                path=path,
            ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidRecord(f"{path}{where}: not valid YAML: {problem}", path=path) from None
    except RecursionError:
        raise InvalidRecord(
            f"{path}: nested too deeply to read; expected an opportunity file", path=path
        ) from None
    finally:
        loader.dispose()


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the key (or list item) at `loc`, or of its nearest parent found."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _field_name(loc: tuple[Any, ...]) -> str:
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "(top level)"


def _explain(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field (check its spelling; `followup schema` lists the fields)"
    if kind == "missing":
        return "required field is missing"
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if kind.startswith("string_pattern"):
        message = "expected a single line of plain text"
    value = error.get("input")
    if kind not in ("missing",) and not isinstance(value, dict | list) and "got" not in message:
        message += f" (got {_shown(value)})"
    return message


#: How much of a bad value an error message repeats.
SHOWN_CHARS = 80


def _shown(value: Any) -> str:
    """`repr(value)`, cut short: a message names the value, it does not reprint a huge one."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def parse_record(text: str, path: Path, model: type[BaseModel]) -> BaseModel:
    """Validate YAML text as `model`; every problem names the file, the line and the field.

    Whatever the text holds, the outcome is the record or an InvalidRecord: never another error.
    """
    data, node = _compose(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidRecord(
            f"{path}: expected a mapping of fields (key: value), got {type(data).__name__}",
            path=path,
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        first_field = None
        for error in exc.errors():
            loc = tuple(error.get("loc", ()))
            first_field = first_field or _field_name(loc)
            line = _line_of(node, loc)
            where = f":{line}" if line else ""
            lines.append(f"{path}{where}: field {_field_name(loc)}: {_explain(error)}")
        raise InvalidRecord("\n".join(lines), path=path, field=first_field) from None
    except (ArithmeticError, TypeError, ValueError, RecursionError) as exc:
        # A value that passed the field checks but broke a model-wide one in an unexpected way.
        raise InvalidRecord(
            f"{path}: cannot be read as {model.__name__.lower()}: {exc}", path=path
        ) from None


def parse_opportunity(text: str, path: Path) -> Opportunity:
    opportunity = parse_record(text, path, Opportunity)
    assert isinstance(opportunity, Opportunity)
    if path.suffix == ".yaml" and path.stem != opportunity.id:
        raise InvalidRecord(
            f"{path}: field id: is {opportunity.id!r} but the file is named {path.name!r}; "
            f"expected them to match ({opportunity.id}.yaml)",
            path=path,
            field="id",
        )
    return opportunity


@dataclass(frozen=True)
class Stored:
    """An opportunity as read from (or written to) disk, with the version it was read at."""

    opportunity: Opportunity
    path: Path
    version: str
    #: True when the save merged the caller's changes with a newer file on disk.
    merged_from_disk: bool = False


@dataclass(frozen=True)
class Deleted:
    """One deleted copy of an opportunity, waiting in the trash."""

    opportunity_id: str
    #: `<data>/.trash/<id>/<time>/`: the file and its history as they were deleted.
    folder: Path
    #: When it was deleted (None if the folder's name is not a time this program wrote).
    deleted_at: datetime | None


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


def _stamp_of(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.stem, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def _utf8(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRecord(f"{path}: byte {exc.start}: expected UTF-8 text", path=path) from None


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime_ns / 1e9, UTC)


def _private_dir(root: Path, *parts: str) -> Path:
    """`root/parts…`, each folder created readable by its owner only."""
    folder = root
    for part in parts:
        folder = folder / part
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder.chmod(0o700)
    return folder


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
#: An opportunity file is a few kilobytes; past this it is not one, and reading it could take
#: longer than the second any file may take to validate (a 210 kB file with 5,000 errors: 0.7 s).
MAX_FILE_BYTES = 256 * 1024


def _kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused, then put back as it was.

    Reading a workbook builds many objects that all live on and almost no cycles, so every pass
    of the collector over them is wasted: on 5,000 files it took a quarter of the loading time.
    A command that reads a workbook, works on it and ends pauses it for its whole run.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _create_new(path: str, data: bytes) -> None:
    """A new owner-only file at `path` holding `data`, not yet synced; refuses to replace one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def _create_all(files: Sequence[tuple[str, bytes]]) -> None:
    for path, data in files:
        _create_new(path, data)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


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
        return self.root / HISTORY / check_id(opportunity_id)

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
        """The bytes of a regular file in the workbook; anything else is refused, never read.

        A named pipe would block for ever, a device could be endless, and a link leading out of the
        workbook could show someone else's file: each is an InvalidRecord naming what it is.
        """
        try:
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(self.root.resolve()):
                    raise InvalidRecord(
                        f"{path}: a link to {target}, outside the workbook; skipped, not followed",
                        path=path,
                    )
                path_to_open = target
            else:
                path_to_open = path
            fd = os.open(path_to_open, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as exc:
            raise InvalidRecord(f"{path}: cannot be read: {exc.strerror}", path=path) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise InvalidRecord(
                    f"{path}: is {_kind_of(info.st_mode)}, not a regular file; skipped, never read",
                    path=path,
                )
            if info.st_size > MAX_FILE_BYTES:
                raise InvalidRecord(
                    f"{path}: is {info.st_size:,} bytes; expected an opportunity file of at most "
                    f"{MAX_FILE_BYTES:,} bytes",
                    path=path,
                )
            with os.fdopen(os.dup(fd), "rb") as handle:
                return handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise InvalidRecord(f"{path}: cannot be read: {exc.strerror}", path=path) from None
        finally:
            os.close(fd)

    def _read(self, path: Path) -> Stored:
        data = self._open(path)
        return Stored(parse_opportunity(_utf8(data, path), path), path, version_of(data))

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
        settings = parse_record(_utf8(self._open(path), path), path, Settings)
        assert isinstance(settings, Settings)
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
        by the next save); a refusal removes what this call had put in place, so the workbook is
        as it was.
        """
        if not opportunities:
            return []
        ids = [o.id for o in opportunities]
        for opportunity_id in ids:
            check_id(opportunity_id)
        if len(set(ids)) != len(ids):
            raise AlreadyExists(f"{self.root}: the opportunities to create share an id")
        self.make_root()
        folder = os.fspath(_private_dir(self.root, OPPORTUNITIES))
        targets = [os.path.join(folder, f"{i}.yaml") for i in ids]
        for opportunity_id, target in zip(ids, targets, strict=True):
            if os.path.lexists(target):
                raise AlreadyExists(
                    f"{target}: an opportunity with id {opportunity_id!r} already exists; "
                    "nothing was imported"
                )
        token = os.urandom(4).hex()
        staged: list[str] = []
        placed: list[str] = []
        stored: list[Stored] = []
        try:
            # The disk's work (making each file) runs in threads while this one writes the YAML.
            with ThreadPoolExecutor(max_workers=STAGING_THREADS) as pool:
                pending = []
                batch: list[tuple[str, bytes]] = []
                for opportunity, target in zip(opportunities, targets, strict=True):
                    data = dump_opportunity(opportunity).encode("utf-8")
                    tmp = os.path.join(folder, f".{opportunity.id}.yaml.{token}.tmp")
                    staged.append(tmp)
                    batch.append((tmp, data))
                    stored.append(Stored(opportunity, Path(target), version_of(data)))
                    if len(batch) == STAGING_BATCH:
                        pending.append(pool.submit(_create_all, batch))
                        batch = []
                pending.append(pool.submit(_create_all, batch))
                for done in pending:
                    done.result()
            os.sync()
            for tmp, target in zip(staged, targets, strict=False):
                try:
                    os.link(tmp, target)  # unlike a rename, never replaces an existing file
                except FileExistsError:
                    raise AlreadyExists(
                        f"{target}: was created by someone else meanwhile; nothing was imported"
                    ) from None
                placed.append(target)
        except BaseException:
            for target in placed:
                with contextlib.suppress(OSError):
                    os.unlink(target)
            placed.clear()
            raise
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
            data = dump_opportunity(opportunity).encode("utf-8")
            if current == data:
                return Stored(opportunity, path, version_of(data), merged)
            self._clean_leftovers(opportunity.id)
            if current is not None:
                self._keep_unsaved(opportunity.id, path, current)
            atomic_write(path, data)
            self._keep_history(opportunity.id, path, data)
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
                (f"field {_field_name(tuple(e['loc']))}: " if e.get("loc") else "") + _explain(e)
                for e in exc.errors()
            )
            first = _field_name(tuple(exc.errors()[0].get("loc", ()))) if exc.errors() else None
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

    def _history_files(self, opportunity_id: str) -> list[Path]:
        """Every version kept in the history folder, oldest first (the newest save included)."""
        folder = self.history_dir(opportunity_id)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.yaml") if _stamp_of(p) is not None)

    def _newest_is(self, files: list[Path], data: bytes | None) -> bool:
        if not files or data is None:
            return False
        try:
            return self._open(files[-1]) == data
        except InvalidRecord:
            return False

    def history(self, opportunity_id: str) -> list[Path]:
        """The files of the earlier versions kept of an opportunity, oldest first."""
        files = self._history_files(opportunity_id)
        path = self.path_for(opportunity_id)
        if self._newest_is(files, self._live_bytes(path)):
            files = files[:-1]
        return files

    def versions(self, opportunity_id: str) -> list[Version]:
        """Every version kept, numbered from 1 (the oldest) to the file in use (the newest).

        Each has a one-line summary of what changed against the version before it. A file
        changed by hand since followup last saved it is listed as the newest version.
        """
        found = [(_stamp_of(p), p, False) for p in self._history_files(opportunity_id)]
        live = self.path_for(opportunity_id)
        if live.exists():
            if self._newest_is([p for _, p, _ in found], self._live_bytes(live)):
                found[-1] = (found[-1][0], live, True)
            else:
                found.append((_mtime(live), live, True))
        versions: list[Version] = []
        before: dict | None = None
        for number, (stamp, path, is_current) in enumerate(found, start=1):
            assert stamp is not None
            try:
                data = self._version(path).model_dump(mode="json")
            except InvalidRecord as exc:
                line = f"cannot be read: {str(exc).splitlines()[0]}"
                data = None
            else:
                line = "the oldest version kept" if before is None else summary(before, data)
            versions.append(Version(number, stamp, path, line, is_current))
            before = data if data is not None else before
        return versions

    def _live_bytes(self, path: Path) -> bytes | None:
        """The file in use, or None when it is missing or not a file that can be read."""
        try:
            return self._open(path) if path.exists() else None
        except InvalidRecord:
            return None

    def _version(self, path: Path) -> Opportunity:
        opportunity = parse_record(_utf8(self._open(path), path), path, Opportunity)
        assert isinstance(opportunity, Opportunity)
        return opportunity

    def restore_version(self, opportunity_id: str, number: int) -> Stored:
        """Save version `number` again as the newest (so the restore itself can be undone)."""
        versions = self.versions(opportunity_id)
        if not versions or not self.path_for(opportunity_id).exists():
            raise NotFound(
                f"no opportunity {opportunity_id!r} in {self.root} to restore a version of"
                + (
                    " (it is in the trash: restore it first)"
                    if self.trashed(opportunity_id)
                    else ""
                )
            )
        if not 1 <= number <= len(versions):
            raise NotFound(
                f"{opportunity_id}: no version {number}; expected 1 to {len(versions)} "
                f"(`followup history {opportunity_id}` lists them)"
            )
        chosen = versions[number - 1]
        if chosen.current:
            return self.get(opportunity_id)
        current = self._open(self.path_for(opportunity_id))  # may be broken: it is replaced
        opportunity = self._version(chosen.path)
        if opportunity.id != opportunity_id:
            raise InvalidRecord(
                f"{chosen.path}: field id: is {opportunity.id!r}; expected {opportunity_id!r}",
                path=chosen.path,
                field="id",
            )
        return self.save(opportunity, base_version=version_of(current))

    def trashed(self, opportunity_id: str) -> list[Path]:
        """The trash folders holding a deleted copy of the opportunity, oldest first."""
        folder = self.root / TRASH / check_id(opportunity_id)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if (p / f"{opportunity_id}.yaml").is_file())

    def trash(self, opportunity_id: str) -> Path:
        """Move an opportunity's file and its history to `<data>/.trash/<id>/<time>/`."""
        path = self.path_for(opportunity_id)
        with self.lock(opportunity_id):
            if not path.exists():
                raise NotFound(f"no opportunity {opportunity_id!r} in {self.root} to delete")
            stamp = datetime.now(UTC).strftime(_STAMP)
            folder = _private_dir(self.root, TRASH, opportunity_id, stamp)
            history = self.history_dir(opportunity_id)
            if history.is_dir():
                os.replace(history, folder / "history")
            os.replace(path, folder / path.name)
            _fsync_dir(path.parent)
        return folder

    def deleted(self) -> list[Deleted]:
        """Everything in the trash, deleted longest ago first (a linked folder is left out)."""
        root = self.root / TRASH
        if not root.is_dir() or root.is_symlink():
            return []
        found = []
        for named in root.iterdir():
            if is_valid_id(named.name) and named.is_dir() and not named.is_symlink():
                for folder in self.trashed(named.name):
                    if not folder.is_symlink():
                        found.append(Deleted(named.name, folder, _stamp_of(folder)))
        never = datetime.min.replace(tzinfo=UTC)
        return sorted(found, key=lambda d: (d.deleted_at or never, d.opportunity_id))

    def deleted_opportunity(self, item: Deleted) -> Opportunity:
        """The opportunity as it was deleted (InvalidRecord if that file cannot be read)."""
        return self._version(item.folder / f"{item.opportunity_id}.yaml")

    def empty_trash(self, opportunity_id: str | None = None) -> list[Deleted]:
        """Remove deleted copies for good, with their history: every one, or those of one
        opportunity. Returns what was removed; what is not in the trash is never touched."""
        removed = []
        for item in self.deleted():
            if opportunity_id not in (None, item.opportunity_id):
                continue
            with self.lock(item.opportunity_id):  # not while it is being restored
                if not item.folder.is_dir():
                    continue
                shutil.rmtree(item.folder)
                with contextlib.suppress(OSError):
                    item.folder.parent.rmdir()  # the opportunity's folder, once empty
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

    def _restorable(self, opportunity_id: str) -> Path:
        """The trash folder to restore from; AlreadyExists or NotFound when there is none."""
        path = self.path_for(opportunity_id)
        if path.exists():
            raise AlreadyExists(
                f"{path}: an opportunity with id {opportunity_id!r} exists now; delete or "
                "rename it before restoring the deleted one"
            )
        trashed = self.trashed(opportunity_id)
        if not trashed:
            raise NotFound(f"no deleted opportunity {opportunity_id!r} in {self.root / TRASH}")
        return trashed[-1]

    def restore(self, opportunity_id: str) -> Stored:
        """Bring back the opportunity deleted last, with its history."""
        path = self.path_for(opportunity_id)
        self._restorable(opportunity_id)  # before the lock too: no lock file made for nothing
        with self.lock(opportunity_id):
            folder = self._restorable(opportunity_id)
            history = folder / "history"
            if history.is_dir():
                target = self.history_dir(opportunity_id)
                if target.is_dir():
                    for old in history.iterdir():
                        os.replace(old, target / old.name)
                    history.rmdir()
                else:
                    _private_dir(self.root, HISTORY)
                    os.replace(history, target)
            self.opportunities_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(folder / path.name, path)
            _fsync_dir(path.parent)
            with contextlib.suppress(OSError):
                folder.rmdir()
                folder.parent.rmdir()
        try:
            return self.get(opportunity_id)
        except InvalidRecord as exc:
            raise InvalidRecord(
                f"restored {path} from the trash, but it has a problem: {exc}",
                path=path,
                field=exc.field,
            ) from None

    def _clean_leftovers(self, opportunity_id: str) -> None:
        """Remove temporary files that a crashed save left behind (older than LEFTOVER_AGE)."""
        limit = datetime.now(UTC) - LEFTOVER_AGE
        for folder in (self.opportunities_dir, self.history_dir(opportunity_id)):
            if not folder.is_dir():
                continue
            for leftover in folder.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    if _mtime(leftover) < limit:
                        leftover.unlink()

    def _history_target(self, opportunity_id: str, saved_at: datetime) -> Path:
        """A history file name for a version saved at `saved_at`, unique and in order."""
        folder = _private_dir(self.root, HISTORY, opportunity_id)
        target = folder / f"{saved_at.strftime(_STAMP)}.yaml"
        while target.exists():  # two saves within the clock's resolution: keep their order
            saved_at += timedelta(microseconds=1)
            target = folder / f"{saved_at.strftime(_STAMP)}.yaml"
        return target

    def _keep_unsaved(self, opportunity_id: str, path: Path, current: bytes) -> None:
        """Before replacing the file, keep it if the history lacks it (a hand edit, an old file)."""
        if self._newest_is(self._history_files(opportunity_id), current):
            return
        target = self._history_target(opportunity_id, _mtime(path))
        try:
            os.link(path, target)  # safe: the file in use is about to be replaced, not changed
        except OSError:
            atomic_write(target, current)

    def _keep_history(self, opportunity_id: str, path: Path, data: bytes) -> None:
        """Keep a copy of the version just saved, named by when it was saved; thin the rest.

        A copy, not a link, so that an editor that rewrites the file in place cannot change it.
        """
        atomic_write(self._history_target(opportunity_id, _mtime(path)), data)
        now = datetime.now(UTC)
        stamps = {p: _stamp_of(p) for p in self._history_files(opportunity_id)}
        kept = thin([s for s in stamps.values() if s is not None], now)
        for old, stamp in stamps.items():
            if stamp not in kept:
                with contextlib.suppress(OSError):
                    old.unlink()
