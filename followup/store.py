"""The workbook on disk: one human-readable YAML file per opportunity.

`<data dir>/opportunities/<id>.yaml` holds an opportunity and its rounds. Writes are atomic and
keep the previous versions under `<data dir>/.history/`, files are readable by their owner only,
and a save refuses to overwrite a file that changed on disk since it was loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock
from filelock import Timeout as FileLockTimeout
from pydantic import BaseModel, ValidationError

from followup.errors import (
    AlreadyExists,
    ConflictError,
    InvalidId,
    InvalidRecord,
    LockTimeout,
    NotFound,
)
from followup.model import ID_MAX_LENGTH, Opportunity, Settings, is_valid_id

ENV_VAR = "FOLLOWUP_DATA"
DEFAULT_DATA_DIR = "data"
OPPORTUNITIES = "opportunities"
HISTORY = ".history"
LOCKS = ".locks"
SETTINGS_FILE = "settings.yaml"
#: How many earlier versions of each file are kept under .history/.
HISTORY_KEEP = 20
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
        return loader.construct_document(node), node
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
#: An opportunity file is a few kilobytes; anything past this is not one (and would be slow).
MAX_FILE_BYTES = 2 * 1024 * 1024


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


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidRecord(
                f"{path}: byte {exc.start}: expected UTF-8 text", path=path
            ) from None
        return Stored(parse_opportunity(text, path), path, version_of(data))

    def load(self) -> LoadResult:
        """Every opportunity that loads; a broken file is reported and does not stop the rest."""
        result = LoadResult()
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
        return result

    def get(self, opportunity_id: str) -> Stored:
        path = self.path_for(opportunity_id)
        if not path.exists() and not path.is_symlink():
            known = ", ".join(p.stem for p in self.files()) or "none yet"
            raise NotFound(f"no opportunity {opportunity_id!r} in {self.root} (known: {known})")
        return self._read(path)

    def settings(self) -> Settings:
        path = self.root / SETTINGS_FILE
        if not path.exists():
            return Settings()
        settings = parse_record(path.read_text(encoding="utf-8"), path, Settings)
        assert isinstance(settings, Settings)
        return settings

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

    def save(self, opportunity: Opportunity, base_version: Any = None) -> Stored:
        """Write `opportunity` atomically, keeping the previous version in the history.

        `base_version` is the version the caller loaded; when the file on disk is no longer that
        version, someone else saved in between and ConflictError is raised instead of overwriting.
        None saves over whatever is there (for tools that just loaded it under the lock).
        """
        path = self.path_for(opportunity.id)
        text = dump_opportunity(opportunity)
        data = text.encode("utf-8")
        self.make_root()
        self.opportunities_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self.lock(opportunity.id):
            current = path.read_bytes() if path.exists() else None
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
                    raise ConflictError(
                        f"{path}: changed on disk since it was loaded (another notebook or "
                        "program saved it); nothing was saved. Reload to see their changes, "
                        "then make yours again."
                    )
            if current == data:
                return Stored(opportunity, path, version_of(data))
            if current is not None:
                self._keep_history(opportunity.id, path)
            atomic_write(path, data)
        return Stored(opportunity, path, version_of(data))

    def update(
        self, opportunity_id: str, change: Callable[[Opportunity], Opportunity | None]
    ) -> Stored:
        """Load, change and save one opportunity under its lock (for one-shot commands)."""
        stored = self.get(opportunity_id)
        opportunity = stored.opportunity.model_copy(deep=True)
        result = change(opportunity)
        return self.save(result or opportunity, base_version=stored.version)

    def history(self, opportunity_id: str) -> list[Path]:
        """Earlier versions of an opportunity's file, oldest first."""
        folder = self.history_dir(opportunity_id)
        return sorted(folder.glob("*.yaml")) if folder.is_dir() else []

    def _keep_history(self, opportunity_id: str, path: Path) -> None:
        folder = self.history_dir(opportunity_id)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        (self.root / HISTORY).chmod(0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{stamp}.yaml"
        try:
            os.link(path, target)
        except OSError:
            atomic_write(target, path.read_bytes())
        for old in self.history(opportunity_id)[:-HISTORY_KEEP]:
            with contextlib.suppress(OSError):
                old.unlink()
