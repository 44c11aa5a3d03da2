"""How fast is `followup import applications.csv` on a big tracker export?

Times, in this one process, on a generated CSV of N rows shaped like a Teal export: reading it with
the standard library's csv module alone (the floor), reading and checking every row into
opportunities (`read_tracker`), planning against a workbook (`plan_tracker`), and the whole
`followup import --yes` command on the first --write-rows rows, --repeat times, each into an empty
workbook (the disk is synced twice an import, and every file is a new inode, so this measures the
disk as much as the code: on these machines creating a file takes 0.02 ms or 0.5 ms from one run to
the next).
Prints times and ratios; it asserts nothing (these machines are noisy). The aim: 10,000 rows read,
checked and previewed in under 5 s.

With --big-mb N it measures instead the preview of an N MB file read from disk (`followup import`'s
path: `TrackerSource` and `preview_tracker`, row by row): its time and its peak memory, each against
reading the same file with the csv module alone, in this same process (the peak is the process's
resident high-water mark, reset before each run through /proc/self/clear_refs, less what the
process held before the run).

    .venv/bin/python bench/tracker.py [--rows 10000] [--write-rows 1000] [--repeat 3]
    .venv/bin/python bench/tracker.py --big-mb 50
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from store import median_of  # bench/store.py: the same timer

from followup.cli.commands import main as cli
from followup.imports.tracker import TrackerSource, plan_tracker, preview_tracker, read_tracker

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
    parser.add_argument("--big-mb", type=float, help="preview a file of this many MB instead")
    args = parser.parse_args()
    if args.big_mb:
        big(args.big_mb)
        return
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
    source_data = generate(args.write_rows)
    times: list[float] = []
    floors: list[float] = []
    files = 0
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "applications.csv"
        source.write_bytes(source_data)
        for run in range(args.repeat):
            # The floor, just before each import: as many plain files of that size, one folder.
            plain = Path(folder) / f"plain-{run}"
            plain.mkdir()
            started = time.perf_counter()
            make_files(plain, args.write_rows, 450)
            floors.append(time.perf_counter() - started)
            book = Path(folder) / f"workbook-{run}"
            book.mkdir()
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                cli(["import", str(source), "--data", str(book), "--yes"])
            times.append(time.perf_counter() - started)
            files = len(list((book / "opportunities").glob("*.yaml")))
    whole = statistics.median(times)
    ratios = [t / f for t, f in zip(times, floors, strict=True)]
    print(
        f"making {files:,} plain files: runs {', '.join(f'{t:.2f}' for t in floors)} s "
        "(the disk's floor, measured before each import)"
    )
    print(
        f"followup import --yes:  {whole:.3f} s median for {files:,} rows written "
        f"({whole / files * 1000:.2f} ms a row; runs {', '.join(f'{t:.2f}' for t in times)} s; "
        "aim: under 5 s for 10,000 rows)"
    )
    print(
        f"import / plain files:   {statistics.median(ratios):.1f}x median "
        f"(runs {', '.join(f'{r:.1f}' for r in ratios)})"
    )


def write_big(path: Path, megabytes: float) -> int:
    """A Teal-shaped CSV of about `megabytes` MB written row by row (never held whole); its rows."""
    limit = megabytes * 1e6
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(generate(0).decode())
        while out.tell() < limit:
            block = generate(1000).decode().split("\r\n", 1)[1]
            out.write(block.replace("Company ", f"Company {rows}-"))
            rows += 1000
    return rows


def _status(key: str) -> int:
    """A line of /proc/self/status in kB (VmRSS, VmHWM); 0 where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_of(action) -> tuple[float, float]:
    """(seconds, MB): the time of `action` and the most memory the process held above what it
    held before, from the kernel's high-water mark reset just before."""
    gc.collect()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS
    before = _status("VmRSS")
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    return seconds, max(_status("VmHWM") - before, 0) / 1024


def big(megabytes: float) -> None:
    """Preview a big file from disk, against the csv module reading it, in time and memory."""

    def csv_alone() -> None:
        with path.open(encoding="utf-8", newline="") as text:
            for _ in csv.reader(text):
                pass

    def preview() -> None:
        found = preview_tracker(TrackerSource(path), [], keep=20)
        counts.append((found.new, found.skipped))

    counts: list[tuple[int, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "applications.csv"
        rows = write_big(path, megabytes)
        size = path.stat().st_size / 1e6
        floor_s, floor_mb = peak_of(csv_alone)
        took_s, took_mb = peak_of(preview)
    print(
        f"{rows:,} rows, {size:.1f} MB on disk; preview found {counts[0][0]:,} new, "
        f"{counts[0][1]:,} skipped"
    )
    print(f"csv module alone:   {floor_s:6.2f} s, peak {floor_mb:7.1f} MB above the start")
    print(
        f"preview from disk:  {took_s:6.2f} s ({took_s / floor_s:.1f}x), peak {took_mb:7.1f} MB "
        f"above the start ({took_mb / max(floor_mb, 1):.1f}x; {took_mb / size:.2f} MB a file MB)"
    )


def make_files(folder: Path, count: int, size: int) -> None:
    """`count` new files of `size` bytes, written one by one: what the disk alone costs."""
    data = b"x" * size
    for index in range(count):
        fd = os.open(folder / f"{index}.yaml", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, data)
        os.close(fd)


if __name__ == "__main__":
    main()
