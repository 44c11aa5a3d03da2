"""How fast is `followup report`, and `followup compare` on a big workbook?

Makes a synthetic workbook of N rounds (default 40: one round per opportunity), then in this one run
times:
  - the real `followup report` (a fresh process, HTML export and index included) against a plain
    serial loop of `papermill.execute_notebook` over the same notebook and parameters;
  - a re-run with nothing changed, and a re-run after one opportunity file changed (one report)
    against one report of the serial loop;
  - `followup compare` on M generated opportunities (default 5,000) against `followup validate`
    on the same files (reading every file is the floor for any command).
Prints times, ratios and the targets; it asserts nothing (these machines are noisy).

    .venv/bin/python bench/batch.py [--rounds 40] [--jobs N] [--opportunities 5000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from followup import batch
from followup.model import REFLECTION_AREAS, Opportunity, Status
from followup.store import Workbook, atomic_write, dump_opportunity

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=batch.default_jobs())
    parser.add_argument("--opportunities", type=int, default=5000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="followup-bench-") as tmp:
        root = Path(tmp)
        book = make_workbook(root / "data", args.rounds)
        out = root / "reports"
        (root / "serial").mkdir()
        report = [*FOLLOWUP, "report", "--data", str(book.root), "--out", str(out)]
        report += ["--now", NOW, "--jobs", str(args.jobs)]

        print(f"{args.rounds} rounds, {args.jobs} jobs, {batch.default_jobs()} cores")
        warm = make_workbook(root / "warm", 1, seed=3)
        serial_loop(warm, root / "serial")  # warm the caches once, untimed
        loop = serial_loop(book, root / "serial")
        serial = sum(loop)
        one = statistics.median(loop)
        full = timed(report)
        unchanged = timed(report)
        first = book.load().opportunities[0]
        book.update(first.id, lambda o: setattr(o, "notes", "Changed for the benchmark."))
        one_change = timed(report)

        print(f"serial papermill loop      {serial:7.2f} s  ({one:.2f} s per report, median)")
        print(
            f"followup report, full run  {full:7.2f} s  ratio {full / serial:.2f} x the loop"
            "  (target <= 0.6)"
        )
        print(f"no change, re-run          {unchanged:7.2f} s  (target < 2 s)")
        print(
            f"one file changed, re-run   {one_change:7.2f} s  ratio {one_change / one:.2f} x one"
            " report  (target < 1.5)"
        )

        data = root / "big"
        make_workbook(data, args.opportunities, seed=11)
        validate = timed([*FOLLOWUP, "validate", "--data", str(data)])
        compare = timed([*FOLLOWUP, "compare", "--data", str(data), "--now", NOW])
        csv = timed([*FOLLOWUP, "compare", "--data", str(data), "--now", NOW, "--format", "csv"])
        print(f"\n{args.opportunities} opportunities")
        print(f"followup validate (floor)  {validate:7.2f} s")
        print(f"followup compare           {compare:7.2f} s  ratio {compare / validate:.2f} x")
        print(f"followup compare --csv     {csv:7.2f} s  ratio {csv / validate:.2f} x")


if __name__ == "__main__":
    main()
