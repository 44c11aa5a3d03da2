"""Files of the workbook: reading one safely, parsing it, and writing one whole and private.

Reading refuses what is not a regular file of at most `MAX_FILE_BYTES`, and turns every problem in
the text into an InvalidRecord naming the file, the line and the field. Writing is atomic (a crash
leaves the old file or the new one), synced to disk, and readable by its owner only.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from followup.core.errors import InvalidRecord, TooLarge
from followup.core.model import Opportunity

#: An opportunity file is a few kilobytes; past this it is not one, and reading it could take
#: longer than the second any file may take to validate (a 210 kB file with 5,000 errors: 0.7 s).
#: The one limit for reading (`read_bytes`) and for writing (`opportunity_bytes`): a file the
#: store writes, it can read back.
MAX_FILE_BYTES = 256 * 1024
#: A temporary file left by a crashed save is removed by a later save once it is this old.
LEFTOVER_AGE = timedelta(minutes=1)


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
    """An opportunity as the YAML its file holds (id, company and status always written)."""
    return dump_yaml(opportunity, keep=("id", "company", "status"))


def opportunity_bytes(
    opportunity: Opportunity, path: Path, *, outcome: str = "nothing was saved"
) -> bytes:
    """The bytes of an opportunity's file at `path`, if reading can take them back.

    `read_bytes` refuses a file over MAX_FILE_BYTES, so a bigger one is refused here, before
    anything is written, as TooLarge naming the file, the limit and the largest text in it:
    whatever the store writes, it can read back. `outcome` ends the message (what was not done).
    """
    data = dump_opportunity(opportunity).encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        loc, length = _longest_text(opportunity.model_dump(mode="json"))
        largest = f" (field {field_name(loc)} alone is {length:,} characters)" if length else ""
        raise TooLarge(
            f"{path}: would be {len(data):,} bytes, more than the {MAX_FILE_BYTES:,} bytes an "
            f"opportunity file may hold{largest}; {outcome}",
            path=path,
            field=field_name(loc) if length else None,
        )
    return data


def _longest_text(value: Any, loc: tuple[Any, ...] = ()) -> tuple[tuple[Any, ...], int]:
    """Where the longest text in a dumped record is, and its length (0 when there is none)."""
    if isinstance(value, str):
        return loc, len(value)
    if not isinstance(value, dict | list):
        return loc, 0
    items = value.items() if isinstance(value, dict) else enumerate(value)
    found: tuple[tuple[Any, ...], int] = (loc, 0)
    for key, item in items:
        candidate = _longest_text(item, (*loc, key))
        if candidate[1] > found[1]:
            found = candidate
    return found


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
    node = None
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
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise InvalidRecord(
            f"{path}:{line}: holds the character #x{exc.character:04x}, which is not allowed in "
            "a text file; expected plain text",
            path=path,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = (getattr(exc, "problem", None) or str(exc)).splitlines()[0]
        loc = _loc_at(node, mark) if isinstance(exc, yaml.constructor.ConstructorError) else None
        if loc is not None:
            name = field_name(loc)
            raise InvalidRecord(
                f"{path}{where}: field {name}: {problem}", path=path, field=name
            ) from None
        raise InvalidRecord(f"{path}{where}: not valid YAML: {problem}", path=path) from None
    except RecursionError:
        raise InvalidRecord(
            f"{path}: nested too deeply to read; expected an opportunity file", path=path
        ) from None
    finally:
        loader.dispose()


def _loc_at(root: yaml.Node | None, mark: yaml.Mark | None) -> tuple[Any, ...] | None:
    """The field whose key or plain value starts at `mark`, as a pydantic-style location."""
    if root is None or mark is None:
        return None
    todo: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    while todo:
        node, loc = todo.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.start_mark.index == mark.index:
                return loc
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                at = (*loc, key.value if isinstance(key, yaml.ScalarNode) else "?")
                if key.start_mark.index == mark.index:
                    return at
                todo.append((value, at))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, (*loc, index)) for index, item in enumerate(node.value))
    return None


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


def field_name(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as the field's name in a file: `rounds[0].interviewers[1].name`."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "(top level)"


def explain(error: Mapping[str, Any]) -> str:
    """One pydantic error in plain words, with the value it got (cut short)."""
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
            first_field = first_field or field_name(loc)
            line = _line_of(node, loc)
            where = f":{line}" if line else ""
            lines.append(f"{path}{where}: field {field_name(loc)}: {explain(error)}")
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


def decode_utf8(data: bytes, path: Path) -> str:
    """The text of a file's bytes; InvalidRecord naming the file and byte if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRecord(f"{path}: byte {exc.start}: expected UTF-8 text", path=path) from None


def modified_at(path: Path) -> datetime:
    """When the file at `path` was last changed, in UTC."""
    return datetime.fromtimestamp(path.stat().st_mtime_ns / 1e9, UTC)


def is_private_and_single(path: Path) -> bool:
    """Whether the file at `path` is readable and writable by its owner only, and has no other
    name (no other hard link) through which it could be read or changed."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_mode & 0o077 == 0 and info.st_nlink == 1


def make_private(folder: Path) -> None:
    """Make a folder, and every folder and file in it, readable by its owner only. Links are
    left alone, never followed, and so is a file with another name elsewhere (a hard link)."""
    for top, folders, files in os.walk(folder):
        with contextlib.suppress(OSError):
            os.chmod(top, 0o700, follow_symlinks=False)
        for name in files:
            with contextlib.suppress(OSError):
                info = os.lstat(os.path.join(top, name))
                if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
                    os.chmod(os.path.join(top, name), 0o600)
        folders[:] = [f for f in folders if not os.path.islink(os.path.join(top, f))]


def private_dir(root: Path, *parts: str) -> Path:
    """`root/parts…`, each folder created readable by its owner only."""
    folder = root
    for part in parts:
        folder = folder / part
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder.chmod(0o700)
    return folder


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


def fsync_dir(path: Path) -> None:
    """Sync a folder, so that the names just made or replaced in it survive a crash."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def create_new(path: str, data: bytes) -> None:
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


def create_all(files: Sequence[tuple[str, bytes]]) -> None:
    """`create_new` for each (path, data), in order (one task of an import's staging)."""
    for path, data in files:
        create_new(path, data)


@contextlib.contextmanager
def signals_held(
    signums: Sequence[int] = (signal.SIGINT, signal.SIGTERM),
) -> Iterator[Callable[[], bool]]:
    """Within the block, Ctrl-C and SIGTERM wait; the block asks `held()` whether one came.

    On leaving, a signal that came is delivered to the handler it was meant for (which raises
    KeyboardInterrupt, or ends the process). Used where stopping half way would leave the
    workbook half changed: the block finishes its step, or undoes it, before stopping. Outside
    the main thread nothing changes (signals only reach the main thread).
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    arrived: list[int] = []

    def hold(signum: int, frame: object) -> None:
        arrived.append(signum)

    previous = {}
    for signum in signums:
        handler = signal.getsignal(signum)
        if handler not in (signal.SIG_IGN, None):
            previous[signum] = signal.signal(signum, hold)
    try:
        yield lambda: bool(arrived)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if arrived:
            signal.raise_signal(arrived[0])


def place_all(pairs: Sequence[tuple[str, str]]) -> None:
    """Give each staged file `(staged, name)` its name as well: every one of them, or none.

    A link, not a rename, so a name that exists (made by someone else meanwhile) is never
    replaced: FileExistsError. Whatever stops the placing part way (that, another error,
    KeyboardInterrupt raised anywhere in it) takes back the names given so far before it goes
    on; Ctrl-C and SIGTERM wait until the names are all given or all taken back, then stop it.
    """
    placed: list[tuple[str, str]] = []
    interrupted = False
    with signals_held() as held:
        try:
            for staged, name in pairs:
                if held():
                    break
                placed.append((staged, name))  # before the link: an interrupt may follow it
                os.link(staged, name)
            interrupted = held()
            if interrupted:
                _take_back(placed)
        except BaseException:
            _take_back(placed)
            raise
    if interrupted:  # the signal's own handler did not stop us: stop all the same
        raise KeyboardInterrupt


def _take_back(placed: Sequence[tuple[str, str]]) -> None:
    """Remove each name given to a staged file, and only those (never a file someone else made)."""
    for staged, name in reversed(placed):
        with contextlib.suppress(OSError):
            if os.path.samestat(os.stat(staged), os.lstat(name)):
                os.unlink(name)


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
    fsync_dir(path.parent)


def _link_target(path: Path) -> Path:
    """Where the link at `path` leads; InvalidRecord when it leads nowhere or round in a loop."""
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:
        with contextlib.suppress(OSError):
            target = path.parent / os.readlink(path)
            raise InvalidRecord(
                f"{path}: a link to {target}, which does not exist; skipped", path=path
            ) from None
        raise InvalidRecord(f"{path}: a link that leads nowhere; skipped", path=path) from None
    except (OSError, RuntimeError):  # ELOOP: a link to itself, or links that lead to each other
        raise InvalidRecord(
            f"{path}: a link that leads round in a loop; skipped, not followed", path=path
        ) from None


def read_bytes(path: Path, root: Path) -> bytes:
    """The bytes of a regular file in the workbook at `root`; anything else is refused, never read.

    A named pipe would block for ever, a device could be endless, and a link leading out of the
    workbook could show someone else's file: each is an InvalidRecord naming what it is.
    """
    try:
        if path.is_symlink():
            target = _link_target(path)
            if not target.is_relative_to(root.resolve()):
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


def remove_leftovers(folders: Iterable[Path]) -> None:
    """Remove temporary files that a crashed save left in `folders` (older than LEFTOVER_AGE)."""
    limit = datetime.now(UTC) - LEFTOVER_AGE
    for folder in folders:
        if not folder.is_dir():
            continue
        for leftover in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if modified_at(leftover) < limit:
                    leftover.unlink()
