"""How fast is `followup status` on a big workbook?

Generates a workbook of N opportunities (default 1,000) with two rounds each, then times, in this
one process: the real `followup status` command against a bare Python start (the floor for any
command), and the store's load plus the checklist against only parsing the same YAML files (the
floor for any loader). Then one opportunity's saves: a plain save (lock, history, thinning), a
save merged with a newer file on disk, and listing its versions, against an atomic write of the
same bytes (the floor for any safe save). Prints times and ratios; it asserts nothing (these
machines are noisy).

    .venv/bin/python bench/store.py [--count 1000] [--repeat 5] [--saves 50]
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

import yaml

from followup.core.model import Opportunity, Status
from followup.steps import overview
from followup.storage.files import atomic_write, dump_opportunity
from followup.storage.workbook import Workbook

NOW = "2026-11-26T18:00:00+01:00"
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London", "America/Los_Angeles"]


def make_opportunity(index: int, rng: random.Random) -> Opportunity:
    zone = rng.choice(ZONES)
    start = datetime(2026, 10, 1, 9, tzinfo=ZoneInfo(zone)) + timedelta(
        hours=rng.randrange(0, 1500)
    )
    rounds = []
    for number in (1, 2):
        rounds.append(
            {
                "name": f"Round {number}",
                "starts_at": (start + timedelta(days=7 * (number - 1))).isoformat(),
                "timezone": zone,
                "format": rng.choice(["phone", "video", "onsite"]),
                "interviewers": [
                    {"name": f"Person {index}-{number}-{k}", "email": f"p{index}{k}@x.example"}
                    for k in range(rng.randrange(1, 4))
                ],
                "debrief": {
                    "answers": [
                        {
                            "question": f"Question {q}",
                            "reaction": rng.choice(["positive", "neutral", "negative"]),
                            "example_compelling": rng.randrange(1, 6),
                            "key_point_clear": rng.randrange(1, 6),
                        }
                        for q in range(rng.randrange(0, 5))
                    ],
                    "research": [{"topic": f"Topic {t}"} for t in range(rng.randrange(0, 3))],
                },
            }
        )
    return Opportunity.model_validate(
        {
            "id": f"company-{index:05d}",
            "company": f"Company {index}",
            "role": "Analyst",
            "status": rng.choice(list(Status)).value,
            "timeline": {"decision_by": (start + timedelta(days=21)).date().isoformat()},
            "reflection": {"people": {"score": rng.randrange(1, 6)}},
            "salary_range": {"currency": "EUR", "minimum": 50000, "target": 60000},
            "rounds": rounds,
        }
    )


def generate(root: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    folder = root / "opportunities"
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        opportunity = make_opportunity(index, rng)
        atomic_write(folder / f"{opportunity.id}.yaml", dump_opportunity(opportunity).encode())


def median_of(repeat: int, action) -> float:
    """The median time of `repeat` runs of `action` (the median shrugs off one noisy run)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_saves(root: Path, saves: int) -> None:
    """Per-save times of one opportunity, as medians over `saves` saves each."""
    book = Workbook(root)
    stored = book.create(make_opportunity(99_999, random.Random(3)))
    path = stored.path
    counter = iter(range(10**9))

    def atomic_only() -> None:
        atomic_write(path.with_name("floor.bin"), dump_opportunity(stored.opportunity).encode())

    def plain_save() -> None:
        nonlocal stored
        changed = stored.opportunity.model_copy(update={"notes": f"v{next(counter)}"})
        stored = book.save(changed, base_version=stored.version)

    def merged_save() -> None:
        nonlocal stored
        loaded = stored
        theirs = loaded.opportunity.model_copy(update={"location": f"L{next(counter)}"})
        book.save(theirs, base_version=loaded.version)
        mine = loaded.opportunity.model_copy(update={"notes": f"n{next(counter)}"})
        stored = book.save(mine, base_version=loaded.version, base=loaded.opportunity)
        assert stored.merged_from_disk

    floor = median_of(saves, atomic_only)
    plain = median_of(saves, plain_save)
    merged = median_of(saves, merged_save) - plain  # the other writer's save is a plain one
    kept = len(book.versions(stored.opportunity.id))
    listing = median_of(5, lambda: book.versions(stored.opportunity.id))
    print(f"atomic write of one file (floor):       {1000 * floor:.2f} ms")
    print(f"save with history and thinning:         {1000 * plain:.2f} ms  ({plain / floor:.1f}x)")
    print(
        f"save merged with a newer file on disk:  {1000 * merged:.2f} ms  ({merged / floor:.1f}x)"
    )
    print(f"list {kept} versions with summaries:     {1000 * listing:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--saves", type=int, default=50)
    args = parser.parse_args()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        generate(root, args.count)
        print(f"generated {args.count} opportunities in {time.perf_counter() - started:.2f} s")
        files = sorted((root / "opportunities").glob("*.yaml"))

        def parse_only() -> None:
            for path in files:
                yaml.load(path.read_bytes(), Loader=loader)

        def load_and_check() -> None:
            loaded = Workbook(root).load()
            assert not loaded.problems, loaded.problems[:1]
            overview(loaded.opportunities, datetime.fromisoformat(NOW))

        def bare_python() -> None:
            subprocess.run([sys.executable, "-c", "pass"], check=True)

        def status_command() -> None:
            subprocess.run(
                [sys.executable, "-m", "followup", "status", "--data", str(root), "--now", NOW],
                check=True,
                stdout=subprocess.DEVNULL,
            )

        parse = median_of(args.repeat, parse_only)
        full = median_of(args.repeat, load_and_check)
        bare = median_of(args.repeat, bare_python)
        status = median_of(args.repeat, status_command)
        print(f"YAML parse only (C loader: {loader.__name__}): {parse:.3f} s")
        print(f"store load + checklist:                 {full:.3f} s  ({full / parse:.1f}x parse)")
        print(f"bare python start:                      {bare:.3f} s")
        print(
            f"followup status ({args.count} opportunities):  {status:.3f} s"
            f"  ({status / bare:.1f}x bare start)"
        )
        print(f"per opportunity: {1000 * full / args.count:.2f} ms in-process")
    with tempfile.TemporaryDirectory() as tmp:
        bench_saves(Path(tmp), args.saves)


if __name__ == "__main__":
    main()
