"""How fast is `followup import applications.csv` on a big tracker export?

Times, in this one process, on a generated CSV of N rows shaped like a Teal export: reading it with
the standard library's csv module alone (the floor), reading and checking every row into
opportunities (`read_tracker`), planning against a workbook (`plan_tracker`), and the whole
`followup import --yes` command on the first --write-rows rows, writing each file into an empty
workbook (each file is synced to disk by the store, so this measures the disk as much as the code).
Prints times and ratios; it asserts nothing (these machines are noisy). The aim: 10,000 rows read,
checked and previewed in under 5 s.

    .venv/bin/python bench/tracker.py [--rows 10000] [--write-rows 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from pathlib import Path

from store import median_of  # bench/store.py: the same timer

from followup.cli import main as cli
from followup.tracker import plan_tracker, read_tracker

STATUSES = ["Applied", "Interviewing", "Offer", "Not Selected", "I Withdrew", "No Response"]


def generate(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Company",
            "Job Position",
            "Status",
            "URL",
            "Location",
            "Date Applied",
            "Min Salary",
            "Max Salary",
            "Currency",
            "Notes",
        ]
    )
    for i in range(rows):
        writer.writerow(
            [
                f"Company {i // 3}",
                f"Role {i % 3}",
                STATUSES[i % len(STATUSES)],
                f"https://jobs{i}.example/posting/{i}",
                "Berlin, Germany",
                f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                50000 + i,
                60000 + i,
                "EUR",
                "Found through a friend; follow up in a week",
            ]
        )
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--write-rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = generate(args.rows)
    path = Path("applications.csv")
    floor = median_of(args.repeat, lambda: list(csv.reader(io.StringIO(data.decode()))))
    read = median_of(args.repeat, lambda: read_tracker(data, path))
    tracker = read_tracker(data, path)
    plan = median_of(args.repeat, lambda: plan_tracker(tracker, []))
    print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB; {len(tracker.rows):,} usable")
    print(f"csv module alone:       {floor:.3f} s")
    print(f"read_tracker:           {read:.3f} s  ({read / floor:.1f}x the csv module)")
    print(f"plan_tracker:           {plan:.3f} s  ({plan / floor:.1f}x)")
    print(f"read and plan:          {read + plan:.3f} s  (aim: under 5 s for 10,000 rows)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "applications.csv"
        source.write_bytes(generate(args.write_rows))
        book = Path(folder) / "workbook"
        book.mkdir()
        started = time.perf_counter()
        cli(["import", str(source), "--data", str(book), "--yes"])
        whole = time.perf_counter() - started
        files = len(list((book / "opportunities").glob("*.yaml")))
    print(
        f"followup import --yes:  {whole:.3f} s for {files:,} rows written "
        f"({whole / files * 1000:.1f} ms a row)"
    )


if __name__ == "__main__":
    main()
