"""Running the report notebook for every round: in parallel, only when something changed, safely.

For each round, `<out>/<opportunity>/<round>.ipynb` is the executed notebook, `<round>.html` the
page to read (no code, images embedded, nothing fetched from the network) and `<round>.json` the
record: the summary the notebook displayed under its own MIME type, and the hash of the report's
inputs (the opportunity's file, the notebook, the report's code and version, and the `now` day).
A round whose inputs hash to the recorded value is not run again. `<out>/index.html` links them all.

What was measured on these machines (`shared/NOTES.md`) shapes how kernels are run: IPC sockets
instead of TCP ports (parallel kernels raced for ports), immediate shutdown (graceful shutdown
sometimes stalled for seconds), a spawn/forkserver pool (a fork pool hung after papermill had run in
the parent), and `kernel_name` always given.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from followup import __version__
from followup.core.errors import FollowupError, UsageError
from followup.core.model import Opportunity, Settings
from followup.reports import zygote
from followup.shipped import REPORT, notebook_path
from followup.storage.files import atomic_write
from followup.storage.workbook import Problem, Workbook


def _without_iri_grammar() -> None:
    """Have jsonschema (nbformat's validator) skip its optional `rfc3987_syntax` checker.

    That package compiles a grammar when imported: about 0.8 s of the 1.1 s `import nbformat`
    took, paid by every `followup report` and every worker, for the `iri` formats that no notebook
    schema uses. A None in `sys.modules` makes its import fail, and jsonschema then leaves those
    two format checkers out, exactly as when the package is not installed. Nothing is imported
    here, so a run with nothing to do pays nothing; a jsonschema already imported is left as is.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


_without_iri_grammar()


#: The report notebook run for every round (from the source tree; `--notebook` picks another).
DEFAULT_NOTEBOOK = notebook_path(REPORT)
#: Always passed to papermill; the kernel manager pins it to this interpreter (see kernels.py).
KERNEL_NAME = "python3"
INDEX = "index.html"
#: Seconds a report may take before it counts as failed (a stuck kernel must not stall the run).
REPORT_TIMEOUT = 300
#: Seconds to wait for a kernel to start.
START_TIMEOUT = 60
LOCK_FILE = ".followup-report.lock"

MADE = "made"
UNCHANGED = "unchanged"
FAILED = "failed"


class ReportFailed(FollowupError):
    """A report notebook ran but did not produce what a report needs."""


@dataclass(frozen=True)
class Paths:
    """Where one round's report lives."""

    folder: Path
    notebook: Path
    html: Path
    record: Path
    failed: Path

    @classmethod
    def of(cls, out: Path, opportunity_id: str, round_key: str) -> Paths:
        folder = out / opportunity_id
        return cls(
            folder,
            folder / f"{round_key}.ipynb",
            folder / f"{round_key}.html",
            folder / f"{round_key}.json",
            folder / f"{round_key}.failed.ipynb",
        )


@dataclass(frozen=True)
class Task:
    """One round's report to run (plain values, so it crosses into a worker process)."""

    opportunity: str
    round: str
    title: str
    inputs: str
    notebook: str
    out: str
    parameters: dict[str, str]
    timeout: int = REPORT_TIMEOUT

    @property
    def paths(self) -> Paths:
        return Paths.of(Path(self.out), self.opportunity, self.round)


@dataclass(frozen=True)
class Outcome:
    """What happened to one round's report."""

    opportunity: str
    round: str
    title: str
    state: str
    seconds: float = 0.0
    path: str | None = None
    error: str = ""


@dataclass
class Plan:
    """Which reports to run and which are up to date, for one workbook and one `now`."""

    book: Workbook
    out: Path
    now: datetime
    notebook: Path
    todo: list[Task] = field(default_factory=list)
    unchanged: list[Task] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    #: The workbook's settings (the defaults when settings.yaml is broken: then in `problems`).
    settings: Settings = field(default_factory=Settings)


@dataclass
class Result:
    """A finished run: every outcome, the index page and the files that could not be read."""

    outcomes: list[Outcome]
    index: Path
    problems: list[Problem]
    seconds: float

    @property
    def made(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == MADE]

    @property
    def unchanged(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == UNCHANGED]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.problems


# Inputs


#: The module a report notebook imports. It, and every module of followup it imports (found by
#: reading their import statements), make a report's inputs: an edited rule re-runs the reports,
#: while an edit to the forms or the CLI does not.
REPORT_MODULE = "followup.reports.round_report"

_CODE_VERSIONS: dict[str, str] = {}


def _module_file(root: Path, dotted: str) -> Path | None:
    parts = dotted.split(".")[1:]
    for candidate in (
        root.joinpath(*parts).with_suffix(".py"),
        root.joinpath(*parts, "__init__.py"),
    ):
        if parts and candidate.is_file():
            return candidate
    return root / "__init__.py" if not parts else None


def report_modules(module: str = REPORT_MODULE) -> list[Path]:
    """The source files a report is made from: `module` and all it imports of followup."""
    root = Path(__file__).resolve().parents[1]
    seen: dict[Path, None] = {}
    todo = [module, "followup"]
    while todo:
        dotted = todo.pop()
        path = _module_file(root, dotted)
        if path is None or path in seen:
            continue
        seen[path] = None
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("followup"):
                todo.append(node.module)
                todo.extend(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                todo.extend(a.name for a in node.names if a.name.startswith("followup"))
    return sorted(seen, key=lambda p: p.relative_to(root).as_posix())


def code_version(module: str = REPORT_MODULE) -> str:
    """The package version plus a digest of the modules a notebook's `module` is made from."""
    if module not in _CODE_VERSIONS:
        digest = hashlib.sha256()
        root = Path(__file__).resolve().parents[1]
        for path in report_modules(module):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
        _CODE_VERSIONS[module] = f"{__version__}+{digest.hexdigest()[:16]}"
    return _CODE_VERSIONS[module]


def inputs_hash(
    file_version: str,
    notebook_digest: str,
    round_key: str,
    now: datetime,
    no_response_after_days: int = Settings().no_response_after_days,
) -> str:
    """What a report depends on: its opportunity file, the notebook, the code, the `now` day and
    the one setting its checklist reads."""
    key = {
        "opportunity_file": file_version,
        "notebook": notebook_digest,
        "code": code_version(),
        "day": now.date().isoformat(),
        "round": round_key,
        "kernel": KERNEL_NAME,
        "no_response_after_days": no_response_after_days,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def read_record(path: Path) -> dict[str, Any] | None:
    """A report's record, or None when missing or unreadable (then the report simply re-runs)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _up_to_date(task: Task) -> bool:
    paths = task.paths
    record = read_record(paths.record)
    return bool(
        record
        and record.get("state") == "ok"
        and record.get("inputs") == task.inputs
        and paths.notebook.is_file()
        and paths.html.is_file()
    )


def plan(
    book: Workbook,
    out: Path,
    now: datetime,
    ids: Sequence[str] = (),
    *,
    force: bool = False,
    notebook: Path = DEFAULT_NOTEBOOK,
    timeout: int = REPORT_TIMEOUT,
) -> Plan:
    """Every round's report (or those of `ids`), split into what must run and what is current."""
    notebook = Path(notebook)
    if not notebook.is_file():
        raise UsageError(f"{notebook}: the report notebook is missing (expected an .ipynb file)")
    if now.tzinfo is None:
        raise UsageError("now must carry a time zone")
    loaded = book.load()
    wanted = list(dict.fromkeys(ids))
    for opportunity_id in wanted:
        if opportunity_id not in loaded.stored:
            book.get(opportunity_id)  # raises a clear NotFound / InvalidRecord
    digest = hashlib.sha256(notebook.read_bytes()).hexdigest()
    result = Plan(book, Path(out), now, notebook, problems=list(loaded.problems))
    result.opportunities = loaded.opportunities
    result.settings, problem = book.settings_or_defaults()
    if problem is not None:  # listed with the run's problems; reports use the defaults
        result.problems.append(Problem(book.root / "settings.yaml", str(problem)))
    wait_days = result.settings.no_response_after_days
    data_dir = str(book.root.resolve())
    for stored in loaded.stored.values():
        o = stored.opportunity
        if wanted and o.id not in wanted:
            continue
        for interview in o.rounds:
            task = Task(
                opportunity=o.id,
                round=interview.key,
                title=f"{o.company} · {interview.name}",
                inputs=inputs_hash(stored.version, digest, interview.key, now, wait_days),
                notebook=str(notebook.resolve()),
                out=str(Path(out).resolve()),
                parameters={
                    "data_dir": data_dir,
                    "opportunity_id": o.id,
                    "round": interview.key,
                    "now": now.isoformat(),
                },
                timeout=timeout,
            )
            if not force and _up_to_date(task):
                result.unchanged.append(task)
            else:
                result.todo.append(task)
    from followup.reports import prep_batch

    for task in prep_batch.tasks(book, loaded.stored, out, now, wanted, timeout=timeout):
        (result.unchanged if not force and _up_to_date(task) else result.todo).append(task)
    return result


# Running one report (in a worker process, or in this one)


def _describe(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        evalue = str(getattr(exc, "evalue", "")).strip().splitlines()
        return f"{ename}: {evalue[0]}" if evalue else ename
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _write_record(path: Path, record: dict[str, Any]) -> None:
    atomic_write(path, (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def run_one(task: Task) -> Outcome:
    """Execute one report notebook and write its files; a failure is returned, never raised.

    The notebook is executed into a temporary file beside its final place; the HTML, the notebook
    and, last, the record are each written whole and renamed into place, so an interrupted run
    leaves the previous report or the new one, and a record that matches what is there.
    """
    import nbformat
    import papermill

    from followup.reports import engine

    # papermill's and nbclient's log lines ("Kernel died while waiting for execute reply.") would
    # go to stderr beside the one line the command says about each failed report.
    papermill_log = logging.getLogger("papermill")
    if not papermill_log.handlers:
        papermill_log.addHandler(logging.NullHandler())
    from followup.reports.pages import BACK_TO_INDEX, notebook_html, read_summary

    paths = task.paths
    paths.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{task.round}.", suffix=".tmp.ipynb", dir=paths.folder)
    os.close(fd)
    tmp = Path(tmp_name)
    start = time.perf_counter()
    base = {"inputs": task.inputs, "now": task.parameters["now"], "code": code_version()}
    try:
        try:
            nb = papermill.execute_notebook(
                task.notebook,
                str(tmp),
                parameters=dict(task.parameters),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                request_save_on_cell_execute=False,
                engine_name=engine.register(),
                shutdown_kernel="immediate",
                start_timeout=START_TIMEOUT,
                execution_timeout=task.timeout,
                keep_at=str(tmp),  # as far as it ran, should the kernel die or time out
            )
            summary = read_summary(nb)
            if summary is None:
                raise ReportFailed("the report finished without recording its summary")
            nb.metadata.setdefault("papermill", {})["output_path"] = str(paths.notebook)
            page = notebook_html(nb, title=task.title, back=BACK_TO_INDEX)
            atomic_write(paths.html, page.encode("utf-8"))
            atomic_write(paths.notebook, nbformat.writes(nb).encode("utf-8"))
        except Exception as exc:
            error = _describe(exc)
            kept = None
            if tmp.exists() and tmp.stat().st_size > 0:
                os.replace(tmp, paths.failed)
                kept = str(paths.failed)
            _write_record(paths.record, {**base, "state": "failed", "error": error})
            return Outcome(
                task.opportunity,
                task.round,
                task.title,
                FAILED,
                time.perf_counter() - start,
                kept,
                error,
            )
        _remove(paths.failed)
        _write_record(paths.record, {**base, "state": "ok", "summary": summary})
        return Outcome(
            task.opportunity,
            task.round,
            task.title,
            MADE,
            time.perf_counter() - start,
            str(paths.html),
        )
    finally:
        _remove(tmp)


def _warm(spare: bool = True) -> None:
    """Start this process's warm kernels and load the HTML export ahead of time."""
    from followup.reports.zygote import prestart

    prestart(spare)
    with contextlib.suppress(Exception):
        import papermill  # noqa: F401

        from followup.reports.pages import warm_exporter

        warm_exporter()


def _start_worker(ready: Any) -> None:
    """A pool worker's start: leave Ctrl-C to the parent (a terminal sends it to every process of
    the group; the parent shuts the pool down), say it is up, then warm up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # ignored now: nothing is pending
    with contextlib.suppress(Exception):
        ready.wait(timeout=START_TIMEOUT)
    _warm()


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where there is one (workers fork from a clean server), else spawn; never fork."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["followup.reports.batch", "papermill", "nbconvert"])
        return context
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back while worker processes start, then deliver it.

    The mask keeps Ctrl-C away from the processes started meanwhile (they inherit it, and a
    terminal sends Ctrl-C to them too); the handler keeps it from interrupting this thread
    half-way, since another thread (a progress bar's) may be the one the signal is delivered to.
    multiprocessing's resource tracker is started first: starting it ends by unblocking Ctrl-C
    in this thread, which let the forkserver and the workers start with Ctrl-C open to them.
    """
    main = threading.current_thread() is threading.main_thread()
    if not (main and hasattr(signal, "pthread_sigmask")):
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        signal.signal(signal.SIGINT, previous)
    if pending and callable(previous):
        previous(signal.SIGINT, None)
    elif pending:
        raise KeyboardInterrupt


def remove_leftovers(out: Path) -> list[Path]:
    """Delete the temporary files a crashed or killed earlier run left in `out` (call it under
    the lock, so no other run is writing there)."""
    removed = []
    for folder in [out, *(p for p in out.iterdir() if p.is_dir())] if out.is_dir() else []:
        for path in folder.glob(".*.tmp*"):
            if path.name.endswith((".tmp", ".tmp.ipynb")) and path.is_file():
                _remove(path)
                removed.append(path)
    return removed


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _here(tasks: Sequence[Task], jobs: int | None) -> bool:
    """True when the tasks run in this process, one after the other (not in worker processes)."""
    return bool(tasks) and ((default_jobs() if jobs is None else jobs) == 1 or len(tasks) == 1)


def execute(
    tasks: Sequence[Task],
    jobs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Run the tasks, `jobs` at a time; each ends as an Outcome, whatever happens to the others."""
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs: expected 1 or more, got {jobs}")
    jobs = default_jobs() if jobs is None else jobs
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)

    if not tasks:
        return outcomes
    if _here(tasks, jobs):
        threading.Thread(target=_warm, args=(len(tasks) > 1,), daemon=True).start()
        for task in tasks:
            done(run_one(task))
        return outcomes
    pool: ProcessPoolExecutor | None = None
    try:
        with _sigint_held():
            # Workers (and the forkserver they come from) start with Ctrl-C blocked: it is this
            # process's to handle, once; a worker finishes its report, leaving no half-written
            # file. Ctrl-C also waits until every worker is up: a worker stopped half-way
            # through its start prints a traceback of its own.
            workers = min(jobs, len(tasks))
            context = _context()
            ready = context.Barrier(workers + 1)
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(ready,),
            )
            futures = {pool.submit(run_one, task): task for task in tasks}
            with contextlib.suppress(threading.BrokenBarrierError):
                ready.wait(timeout=START_TIMEOUT)
        for future in as_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # the worker itself died
                outcome = Outcome(
                    task.opportunity, task.round, task.title, FAILED, error=_describe(exc)
                )
            done(outcome)
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return outcomes


# The index


def index_entries(book_opportunities: Iterable[Opportunity], out: Path) -> list[Any]:
    """One entry per round that has a report (or a failed one) under `out`, from the records."""
    from followup.reports.pages import IndexEntry, relative_href

    entries = []
    for o in book_opportunities:
        for interview in o.rounds:
            paths = Paths.of(out, o.id, interview.key)
            record = read_record(paths.record)
            if record is None:
                continue
            failed = record.get("state") != "ok"
            target = paths.failed if failed else paths.html
            if not target.exists():
                if not failed:
                    continue
                target = paths.record
            entries.append(
                IndexEntry(
                    opportunity=o.id,
                    round=interview.key,
                    href=relative_href(target, out),
                    summary=record.get("summary") if not failed else None,
                    failed=failed,
                    round_name=interview.name,
                    company=o.company,
                )
            )
    return entries


def write_index(
    out: Path,
    opportunities: Sequence[Opportunity],
    now: datetime,
    settings: Settings | None = None,
) -> Path:
    """`<out>/index.html`: the pipeline, the comparison and a link to every report.

    Made from the records and the pure ranking: no pandas, no matplotlib, no kernel.
    """
    from followup.clock import policy_for
    from followup.compare import ranking
    from followup.reports.pages import index_html, pipeline_view
    from followup.reports.prep_batch import index_rows
    from followup.steps import overview

    settings = settings or Settings()
    entries = index_entries(opportunities, out)
    ranked = ranking.rank(opportunities, now, settings=settings)
    links: dict[str, str] = {}
    for entry in entries:
        if not entry.failed:
            links.setdefault(entry.opportunity, entry.href)
    page = index_html(
        entries,
        now=now,
        pipeline=pipeline_view(overview(opportunities, now, policy_for(settings, now))),
        comparison_table=ranking.table_html(ranking.view(ranked, links), table_id="comparison"),
        comparison_note=ranked.note,
        prep=index_rows(list(opportunities), Path(out), now),
    )
    path = Path(out) / INDEX
    atomic_write(path, page.encode("utf-8"))
    return path


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One `followup report` at a time per output folder."""
    from filelock import FileLock, Timeout

    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = FileLock(out / LOCK_FILE, timeout=0)
    try:
        with lock:
            yield
    except Timeout:
        raise UsageError(
            f"{out}: another 'followup report' is writing here; wait for it to finish"
        ) from None


def run(
    book: Workbook,
    out: Path,
    now: datetime,
    ids: Sequence[str] = (),
    *,
    force: bool = False,
    jobs: int | None = None,
    notebook: Path = DEFAULT_NOTEBOOK,
    timeout: int = REPORT_TIMEOUT,
    on_plan: Callable[[Plan], None] | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> Result:
    """Plan, run what changed, and write the index: the whole `followup report`."""
    start = time.perf_counter()
    out = Path(out)
    with locked(out):
        # Start this process's kernel zygote first, so that its imports overlap with loading
        # and hashing: a run that changed one file is one report, made here, in this process.
        zygote.prestart(spare=False)
        try:
            remove_leftovers(out)
            todo = plan(book, out, now, ids, force=force, notebook=notebook, timeout=timeout)
        except BaseException:
            zygote.stop()
            raise
        if not _here(todo.todo, jobs):
            zygote.stop()  # nothing to run, or worker processes run it with their own zygotes
        if on_plan is not None:
            on_plan(todo)
        outcomes = [
            Outcome(t.opportunity, t.round, t.title, UNCHANGED, path=str(t.paths.html))
            for t in todo.unchanged
        ]
        outcomes += execute(todo.todo, jobs, progress)
        index = write_index(out, todo.opportunities, now, todo.settings)
    return Result(outcomes, index, todo.problems, time.perf_counter() - start)
