"""How much does preparing cost on a big workbook? The question bank and a prep sheet.

Makes a synthetic workbook of N opportunities (default 2,000; each with two rounds of five
answers, half of them for one of a few role titles), then measures as ratios against a baseline
measured in the same run (seconds alone mean little on a busy machine):
  - the question bank of every debrief (`followup questions`' work) / loading the workbook;
  - one prep sheet (similar roles looked for in every other process, stories fitted) / loading;
  - the text and CSV renderings of the bank / the bank itself.
Prints each measure; it asserts nothing (these machines are noisy).

    .venv/bin/python bench/prep.py [--opportunities 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from followup.clock import parse_now
from followup.core.model import Opportunity
from followup.core.stories import Story
from followup.prep import questions
from followup.prep.sheet import prep_sheet
from followup.storage.files import atomic_write, dump_opportunity
from followup.storage.workbook import Workbook

NOW = parse_now("2026-11-26T18:00:00+01:00")
ROLES = ["Data Analyst", "UX Researcher", "Software Engineer", "Product Manager", "Energy Trader"]
QUESTIONS = [
    "Tell me about a time you disagreed with a stakeholder.",
    "Why do you want to work here?",
    "How do you decide sample sizes for usability tests?",
    "What are your salary expectations?",
    "How many petrol stations are there in Germany?",
    "Write a SQL query for the top customers.",
]
STORIES = [
    Story(title=f"Story {i}", action="Ran a study with stakeholders.", tags=["influence"])
    for i in range(30)
]


def make(index: int, rng: random.Random) -> Opportunity:
    start = datetime(2026, 10, 1, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    start += timedelta(hours=rng.randrange(1200))
    rounds = []
    for n in (1, 2):
        answers = [
            {
                "question": rng.choice(QUESTIONS),
                "key_point_clear": rng.randint(1, 5),
                "improve": "Shorter." if rng.random() < 0.3 else "",
            }
            for _ in range(5)
        ]
        when = start + timedelta(days=7 * n)
        rounds.append(
            {"name": f"Round {n}", "starts_at": when.isoformat(), "debrief": {"answers": answers}}
        )
    return Opportunity.model_validate(
        {
            "id": f"company-{index:05d}",
            "company": f"Company {index}",
            "role": rng.choice(ROLES),
            "rounds": rounds,
        }
    )


def best(action: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(18)
    with tempfile.TemporaryDirectory() as folder:
        book = Workbook(Path(folder))
        for i in range(args.opportunities):
            o = make(i, rng)
            atomic_write(book.path_for(o.id), dump_opportunity(o).encode("utf-8"))
        loaded = book.load().opportunities
        target = loaded[0].model_copy(
            update={
                "rounds": [
                    *loaded[0].rounds,
                    loaded[0]
                    .rounds[0]
                    .model_copy(update={"name": "Next", "starts_at": NOW + timedelta(days=2)}),
                ]
            }
        )
        load = best(lambda: book.load(), repeat=3)
        bank = best(lambda: questions.bank(loaded))
        rows = questions.bank(loaded)
        sheet = best(lambda: prep_sheet(target, loaded, STORIES, NOW, round="next"))
        table = best(lambda: questions.to_table(rows))
        csv = best(lambda: questions.to_csv(rows))
    n = args.opportunities
    print(
        f"{n} opportunities, {len(rows)} questions; loading them takes {load:.2f} s (the baseline)"
    )
    print(f"question bank           {bank / load:6.3f} × loading   ({bank * 1000:.0f} ms)")
    print(f"one prep sheet          {sheet / load:6.3f} × loading   ({sheet * 1000:.0f} ms)")
    print(f"bank as a table         {table / bank:6.2f} × the bank")
    print(f"bank as CSV             {csv / bank:6.2f} × the bank")


if __name__ == "__main__":
    main()
