"""How fast is `followup report`, and `followup compare` on a big workbook? The goals of issue 12.

Makes synthetic workbooks, then in this one run measures every row of the goals table as a ratio
against a baseline measured in the same run (seconds alone mean little on a busy machine):
  - full batch of N rounds (default 40) by the real `followup report` (a fresh process, HTML
    export and index included) / a serial loop of `papermill.execute_notebook` over the same
    notebook and parameters;
  - a re-run after one opportunity file changed / one report of that loop (the median);
  - a re-run with nothing changed (seconds);
  - `followup compare` / `followup validate` on M opportunities (default 5,000): reading every
    file is the floor for any command;
  - the memory of a batch of R reports (default 200): the long-lived processes (this one, the
    workers and their kernel zygotes) after the first 20 reports and at the end.
Prints each measure with its goal; it asserts nothing (these machines are noisy).

    .venv/bin/python bench/batch.py [--rounds 40] [--jobs N] [--opportunities 5000] [--memory 200]
                                    [--only batch|compare|memory ...]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from followup.core.model import REFLECTION_AREAS, Opportunity, Status
from followup.reports import batch
from followup.storage.files import atomic_write, dump_opportunity
from followup.storage.workbook import Workbook

NOW = "2026-11-26T18:00:00+01:00"
ZONES = ["Europe/Berlin", "America/New_York", "Europe/London", "Asia/Tokyo"]
CURRENCIES = ["EUR", "USD", "GBP"]
QUESTIONS = [
    "Tell me about yourself.",
    "Describe a conflict in your team.",
    "Why this company?",
    "Walk me through a project you are proud of.",
    "How do you prioritise?",
]
FOLLOWUP = [sys.executable, "-m", "followup"]
PARTS = ["batch", "compare", "memory"]


def make_opportunity(index: int, rng: random.Random, rounds: int = 1) -> Opportunity:
    zone = rng.choice(ZONES)
    start = datetime(2026, 10, 1, 9, tzinfo=ZoneInfo(zone)) + timedelta(hours=rng.randrange(1300))
    target = rng.randrange(40, 120) * 1000
    data = {
        "id": f"company-{index:05d}-role",
        "company": f"Company {index}",
        "role": rng.choice(["Data Analyst", "Engineer", "Product Manager", "Designer"]),
        "status": rng.choice([Status.ACTIVE.value] * 4 + [Status.REJECTED.value]),
        "reflection": {
            area: {"score": rng.randrange(1, 6)} for area in REFLECTION_AREAS if rng.random() > 0.1
        },
        "salary_range": {
            "currency": rng.choice(CURRENCIES),
            "minimum": target - 5000,
            "target": target,
            "stretch": target + 10000,
            "posted_minimum": target - rng.randrange(0, 15000),
            "posted_maximum": target + rng.randrange(0, 20000),
        },
        "rounds": [
            {
                "name": f"Round {n}",
                "starts_at": (start + timedelta(days=7 * (n - 1))).isoformat(),
                "timezone": zone,
                "interviewers": [
                    {"name": f"Person {index}-{n}-{k}", "email": f"p{index}-{k}@x.example"}
                    for k in range(rng.randrange(1, 4))
                ],
                "debrief": {
                    "answers": [
                        {
                            "question": rng.choice(QUESTIONS),
                            "example_compelling": rng.randrange(1, 6),
                            "key_point_clear": rng.randrange(1, 6),
                            "improve": "Lead with the result.",
                        }
                        for _ in range(rng.randrange(1, 4))
                    ],
                    "overall_rating": rng.randrange(1, 6),
                    "research": [{"topic": f"Topic {index}-{n}", "done": rng.random() > 0.5}],
                },
            }
            for n in range(1, rounds + 1)
        ],
    }
    return Opportunity.model_validate(data)


def make_workbook(root: Path, count: int, seed: int = 7) -> Workbook:
    rng = random.Random(seed)
    book = Workbook(root)
    for index in range(count):
        opportunity = make_opportunity(index, rng)
        atomic_write(book.path_for(opportunity.id), dump_opportunity(opportunity).encode())
    return book


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[2:4])} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def best_of_each(times: int, *commands: list[str]) -> list[float]:
    """The quickest run of each command (other engineers' work only ever adds time), the commands
    taking turns: a spell of a busy machine then slows each of them, not the one that happened to
    run during it."""
    runs = [[timed(command) for command in commands] for _ in range(times)]
    return [min(column) for column in zip(*runs, strict=True)]


def long_lived_memory() -> int:
    """Resident memory (bytes) of this process, its workers and their zygotes (not the kernels,
    which live for one report each)."""
    import psutil

    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        try:
            parent = child.parent()
            if parent is not None and "followup.reports.zygote" in " ".join(parent.cmdline()):
                continue  # a kernel forked for one report
            total += child.memory_info().rss
        except psutil.Error:
            continue
    return total


def memory_run(root: Path, count: int, jobs: int) -> tuple[int, int, int, list[str]]:
    """Memory after the first 20 reports and at the end of a batch of `count` reports."""
    book = make_workbook(root / "data", count, seed=5)
    todo = batch.plan(book, root / "reports", datetime.fromisoformat(NOW)).todo
    samples: list[int] = []
    failed: list[str] = []
    done = 0

    def progress(outcome: batch.Outcome) -> None:
        nonlocal done
        done += 1
        if outcome.state != batch.MADE:
            failed.append(f"{outcome.title}: {outcome.error}")
        if done in (20, count):
            samples.append(long_lived_memory())

    batch.execute(todo, jobs, progress)
    return samples[0], samples[-1], done, failed


@contextlib.contextmanager
def stderr_to(log: Path) -> Iterator[None]:
    """Send this process's standard error, and so that of the kernels it starts, to `log`: each
    kernel papermill starts warns about its transport (40 lines of noise). Shown on a failure."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with log.open("wb") as handle:
            os.dup2(handle.fileno(), 2)
            try:
                yield
            finally:
                sys.stderr.flush()
                os.dup2(saved, 2)
    except BaseException:
        sys.stderr.write(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        os.close(saved)


def serial_loop(book: Workbook, out: Path) -> list[float]:
    """The baseline: papermill.execute_notebook, one round after another, default options."""
    import papermill

    times = []
    for stored in book.load().stored.values():
        for interview in stored.opportunity.rounds:
            start = time.perf_counter()
            papermill.execute_notebook(
                str(batch.DEFAULT_NOTEBOOK),
                str(out / f"{stored.opportunity.id}-{interview.key}.ipynb"),
                parameters={
                    "data_dir": str(book.root.resolve()),
                    "opportunity_id": stored.opportunity.id,
                    "round": interview.key,
                    "now": NOW,
                },
                kernel_name=batch.KERNEL_NAME,
                progress_bar=False,
            )
            times.append(time.perf_counter() - start)
    return times


def row(measure: str, value: str, goal: str) -> None:
    print(f"{measure:<58} {value:>16}   goal {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--opportunities", type=int, default=5000)
    parser.add_argument("--memory", type=int, default=200, help="reports in the memory run")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS,
        default=PARTS,
        help="measure only these rows while iterating (default: the whole table)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="followup-bench-") as tmp:
        root = Path(tmp)
        load = os.getloadavg()[0]
        print(
            f"{args.rounds} rounds, {args.jobs} jobs, {batch.default_jobs()} cores, "
            f"load average {load:.1f} at the start"
        )
        if "batch" in args.only:
            book = make_workbook(root / "data", args.rounds)
            out = root / "reports"
            (root / "serial").mkdir()
            report = [*FOLLOWUP, "report", "--data", str(book.root), "--out", str(out)]
            report += ["--now", NOW, "--jobs", str(args.jobs)]
            warm = make_workbook(root / "warm", 1, seed=3)
            with stderr_to(root / "serial.log"):
                serial_loop(warm, root / "serial")  # warm the caches once, untimed
                loop = serial_loop(book, root / "serial")
            serial = sum(loop)
            one = statistics.median(loop)
            full = timed(report)
            [unchanged] = best_of_each(3, report)
            first = book.load().opportunities[0]
            book.update(first.id, lambda o: setattr(o, "notes", "Changed for the benchmark."))
            one_change = timed(report)
            print(f"\nbaseline: serial papermill loop {serial:.1f} s, {one:.2f} s per report")
            row(
                f"full batch of {args.rounds} rounds / serial loop, {args.jobs} jobs",
                f"{full / serial:.2f}x ({full:.1f} s)",
                "<= 0.25x (aim 0.15x)",
            )
            row(
                "re-run after one file changed / one report of the loop",
                f"{one_change / one:.2f}x ({one_change:.2f} s)",
                "<= 1.0x",
            )
            nothing = f"re-run with nothing changed, {args.rounds} rounds"
            row(nothing, f"{unchanged:.2f} s", "<= 0.5 s")

        if "compare" in args.only:
            data = root / "big"
            make_workbook(data, args.opportunities, seed=11)
            validate, compare = best_of_each(
                3,
                [*FOLLOWUP, "validate", "--data", str(data)],
                [*FOLLOWUP, "compare", "--data", str(data), "--now", NOW],
            )
            print(f"\nbaseline: followup validate on {args.opportunities:,} files {validate:.2f} s")
            row(
                f"followup compare / followup validate, {args.opportunities:,} opportunities",
                f"{compare / validate:.2f}x ({compare:.2f} s)",
                "<= 1.2x",
            )

        if "memory" in args.only and args.memory >= 20:
            after20, end, count, failed = memory_run(root / "memory", args.memory, args.jobs)
            print()
            for line in failed:
                print(f"  failed in the memory run: {line}")
            row(
                f"memory after {count} reports / after the first 20",
                f"{end / after20:.2f}x ({end / 2**20:.0f} MB)",
                "<= 1.20x",
            )

    print(f"\nthis benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
