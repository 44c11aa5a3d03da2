"""How fast are `followup stats` and `followup export` on a big workbook, and what does keeping the
stage history cost a save?

Makes a synthetic workbook of M opportunities (default 5,000) with stage histories, sources and
rounds, then measures in this one run, as ratios against baselines measured in the same run:
  - `followup stats` (table, json, html) and `followup export` (csv) / `followup validate` on the
    same workbook, each in a fresh process: reading every file is the floor for any command;
  - a save of an older file (no stage history written: the store reads the file on disk to see
    whether the stage changed) / a save of a file whose history is written (no such read).
Prints each measure; asserts nothing (these machines are noisy).

    .venv/bin/python bench/search.py [--opportunities 5000] [--saves 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from followup.core.model import Opportunity, Source, Status
from followup.storage.files import atomic_write, dump_opportunity
from followup.storage.workbook import Workbook

NOW = "2026-12-01T18:00:00+01:00"


def synthetic(n: int, rng: random.Random, *, with_stages: bool = True) -> Opportunity:
    applied = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
    rounds = []
    stages = [{"stage": "applied", "day": applied.isoformat()}]
    status = Status.ACTIVE
    if rng.random() < 0.4:
        first = applied + timedelta(days=rng.randrange(3, 30))
        stages.append({"stage": "interviewing", "day": first.isoformat()})
        for i in range(rng.randrange(1, 4)):
            start = first + timedelta(days=7 * i)
            rounds.append({"name": f"Round {i + 1}", "starts_at": f"{start}T10:00+01:00"})
        if rng.random() < 0.6:
            status = rng.choice([Status.REJECTED, Status.OFFER, Status.WITHDRAWN])
            end = first + timedelta(days=rng.randrange(20, 40))
            stages.append({"stage": status.value, "day": end.isoformat()})
    elif rng.random() < 0.5:
        status = Status.REJECTED
        stages.append({"stage": "rejected", "day": (applied + timedelta(days=9)).isoformat()})
    return Opportunity.model_validate(
        {
            "id": f"company-{n}-role",
            "company": f"Company {n}",
            "role": "Analyst",
            "applied_on": applied,
            "source": rng.choice(list(Source)),
            "status": status,
            "rounds": rounds,
            "stages": stages if with_stages else [],
        }
    )


def make_workbook(root: Path, count: int) -> None:
    rng = random.Random(21)
    folder = root / "opportunities"
    folder.mkdir(parents=True)
    for n in range(count):
        o = synthetic(n, rng)
        atomic_write(folder / f"{o.id}.yaml", dump_opportunity(o).encode("utf-8"))


def timed(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "followup", *args], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"followup {' '.join(args)} failed: {done.stderr}")
    return elapsed


def save_times(root: Path, saves: int, *, with_stages: bool) -> float:
    """The median seconds of a save that changes the notes of one opportunity."""
    book = Workbook(root)
    o = synthetic(0, random.Random(5), with_stages=with_stages)
    book.create(o)
    times = []
    for i in range(saves):
        stored = book.get(o.id)
        changed = stored.opportunity.model_copy(update={"notes": f"note {i}"})
        start = time.perf_counter()
        book.save(changed, base_version=stored.version, base=stored.opportunity)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=5000)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "book"
        make_workbook(root, args.opportunities)
        data = ("--data", str(root))
        floor = timed("validate", *data)
        print(f"followup validate on {args.opportunities:,} opportunities: {floor:.2f} s")
        for label, extra in (
            ("stats (table)", ("stats", "--now", NOW)),
            ("stats --format json", ("stats", "--now", NOW, "--format", "json")),
            ("stats --format html", ("stats", "--now", NOW, "--format", "html")),
            ("export (csv)", ("export",)),
        ):
            seconds = timed(*extra, *data)
            print(f"  {label:22} {seconds:6.2f} s = {seconds / floor:.2f} × validate")
        older = save_times(Path(tmp) / "older", args.saves, with_stages=False)
        kept = save_times(Path(tmp) / "kept", args.saves, with_stages=True)
        print(
            f"a save of an older file (no history written): {older * 1000:.1f} ms, "
            f"{older / kept:.2f} × a save of one with its history ({kept * 1000:.1f} ms)"
        )


if __name__ == "__main__":
    main()
