"""How fast are drafts and the calendar?

Times, in this one process: rendering every draft of the example workbook (due now, and every kind
asked for explicitly) against computing the same opportunities' checklists (the floor: drafts ask
the checklist first), the same over N generated opportunities, the calendar of both, and the real
`followup drafts` and `followup calendar` commands against a bare Python start. Prints times and
ratios; it asserts nothing (these machines are noisy).

    .venv/bin/python bench/drafts.py [--count 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from store import generate, median_of  # bench/store.py: the same workbook and timer

from followup.calendar.ics import calendar_ics
from followup.clock import parse_now
from followup.drafts.compose import drafts_for
from followup.steps import checklist, draft_kinds
from followup.storage.workbook import Workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "example"
NOW = "2026-11-26T18:00:00+01:00"


def every_draft(opportunities, now) -> int:
    count = 0
    for o in opportunities:
        for kind in (None, *draft_kinds()):
            count += len(drafts_for(o, now, kind=kind, sender="Alex Morgan"))
    return count


def run(*args: str) -> None:
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    now = parse_now(NOW)

    example = Workbook(EXAMPLE).load().opportunities
    started = time.perf_counter()
    due = sum(len(drafts_for(o, now)) for o in example)
    cold = time.perf_counter() - started
    total = every_draft(example, now)
    print(f"example: {len(example)} opportunities, {due} drafts due now, {total} in all kinds")
    print(f"first render (templates compiled): {1000 * cold:.1f} ms for the {due} due now")
    checks = median_of(args.repeat, lambda: [checklist(o, now) for o in example])
    drafts = median_of(args.repeat, lambda: every_draft(example, now))
    cal = median_of(args.repeat, lambda: calendar_ics(example, now))
    print(f"checklists only:    {1000 * checks:7.2f} ms")
    print(f"all {total} drafts:    {1000 * drafts:7.2f} ms  ({drafts / checks:.1f}x checklists)")
    print(f"calendar (.ics):    {1000 * cal:7.2f} ms  ({cal / checks:.1f}x checklists)")

    bare = median_of(args.repeat, lambda: run("-c", "pass"))
    data = ["--data", str(EXAMPLE), "--now", NOW]
    cmd_drafts = median_of(
        args.repeat, lambda: run("-m", "followup", "drafts", "northwind-data-analyst", *data)
    )
    cmd_cal = median_of(args.repeat, lambda: run("-m", "followup", "calendar", *data))
    print(f"bare python start:  {bare:.3f} s")
    print(f"followup drafts:    {cmd_drafts:.3f} s  ({cmd_drafts / bare:.1f}x bare start)")
    print(f"followup calendar:  {cmd_cal:.3f} s  ({cmd_cal / bare:.1f}x bare start)")

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), args.count)
        many = Workbook(tmp).load().opportunities
        checks = median_of(args.repeat, lambda: [checklist(o, now) for o in many])
        started = time.perf_counter()
        total = every_draft(many, now)
        drafts = time.perf_counter() - started
        cal = median_of(args.repeat, lambda: calendar_ics(many, now))
        print(f"\n{args.count} generated opportunities:")
        print(f"checklists only:    {checks:.3f} s")
        print(
            f"all {total} drafts: {drafts:.3f} s  ({drafts / checks:.1f}x checklists, "
            f"{1000 * drafts / max(total, 1):.2f} ms per draft)"
        )
        print(f"calendar (.ics):    {cal:.3f} s  ({cal / checks:.1f}x checklists)")


if __name__ == "__main__":
    main()
