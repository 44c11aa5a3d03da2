"""Ctrl-C as a terminal sends it: to every process of the foreground group (the forkserver, the
pool's workers), not only to `followup`. At random moments of `followup report --jobs 2` and of
`followup import` of a big tracker CSV, the whole group is signalled; each time the command says one
line, exits 130, prints no traceback, and leaves no process and no temporary file behind.

The moments are drawn at random (the seed is in each failure's message); they start after the
interpreter's own first tenths of a second, which no Python code can guard.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require

SEED = int(os.environ.get("FOLLOWUP_CTRL_C_SEED", random.randrange(1_000_000)))
#: Upper bounds (seconds); limits, not expectations.
END_LIMIT = 120
GONE_LIMIT = 15


def _stat(pid_dir: Path) -> tuple[str, int] | None:
    """(state, process group) of one /proc entry, None when it is gone."""
    try:
        text = (pid_dir / "stat").read_text()
    except OSError:
        return None
    fields = text.rpartition(")")[2].split()
    return fields[0], int(fields[2])


def _cwd(pid_dir: Path) -> str:
    try:
        return os.readlink(pid_dir / "cwd")
    except OSError:
        return ""


def left_behind(group: int, folder: Path) -> list[str]:
    """Live processes (zombies waiting for their reaper do not count) still in the group, or
    working in `folder` (the report kernels and their zygote run in sessions of their own)."""
    found = []
    for pid_dir in Path("/proc").glob("[0-9]*"):
        stat = _stat(pid_dir)
        if stat is None or stat[0] == "Z" or int(pid_dir.name) == os.getpid():
            continue
        if stat[1] == group or _cwd(pid_dir).startswith(str(folder)):
            try:
                found.append((pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
    return found


def interrupt_group(args: list[str], after: float, cwd: Path) -> tuple[int, str, list[str]] | None:
    """Start `followup ARGS` as a terminal's foreground group, SIGINT the whole group `after`
    seconds later; the exit code, stderr and whatever processes outlive it. None when the command
    had finished by then (exit 0, nothing said), so the moment was not during the run."""
    process = subprocess.Popen(
        [sys.executable, "-m", "followup", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job is
    )
    time.sleep(after)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=END_LIMIT)
    if process.returncode == 0 and not stderr:
        return None
    deadline = time.monotonic() + GONE_LIMIT
    while (left := left_behind(process.pid, cwd)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return process.returncode, stderr, left


def temporary_files(*folders: Path) -> list[Path]:
    return [
        p for folder in folders if folder.exists() for p in folder.rglob("*") if ".tmp" in p.name
    ]


def check(moment: str, code: int, stderr: str, left: list[str], *folders: Path) -> None:
    where = f"{moment} (seed {SEED})"
    assert code == 130, f"{where}: exit {code}\n{stderr}"
    assert stderr.strip().splitlines() == ["followup: interrupted"], f"{where}:\n{stderr}"
    assert "Traceback" not in stderr
    assert left == [], f"{where}: still running: {left}"
    assert temporary_files(*folders) == [], where


@pytest.mark.kernel
def test_ctrl_c_to_the_whole_group_during_a_report_run_is_one_line_and_leaves_nothing(tmp_path):
    require(kernel_ready(), "the python3 kernel")
    rng = random.Random(SEED)
    # The pool and its forkserver starting, the workers warming up, reports running.
    for low, high in [(0.3, 1.2), (1.2, 3.0), (3.0, 7.0)]:
        after = rng.uniform(low, high)
        # A quiet machine may finish the whole run before a late moment: try an earlier one.
        for attempt in range(4):
            run = tmp_path / f"run-{after:.2f}-{attempt}"
            data, out = run / "data", run / "reports"
            shutil.copytree(EXAMPLE, data)
            args = ["report", "--data", str(data), "--out", str(out), "--jobs", "2"]
            ended = interrupt_group([*args, "--now", EXAMPLE_NOW], after, run)
            if ended is not None:
                break
            after = max(0.3, after * 0.6)
        assert ended is not None, f"every report run ended before its Ctrl-C (seed {SEED})"
        code, stderr, left = ended
        check(f"report at {after:.2f} s", code, stderr, left, data, out)


def tracker_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Company", "Job Position", "Status", "Date Applied", "Notes"])
    for i in range(rows):
        writer.writerow([f"Company {i}", "Analyst", "Applied", "2026-10-01", "from a friend"])
    return out.getvalue().encode()


def test_ctrl_c_to_the_whole_group_during_an_import_is_one_line_and_writes_all_or_nothing(
    tmp_path,
):
    rows = 6000
    source = tmp_path / "applications.csv"
    source.write_bytes(tracker_csv(rows))
    # How long a whole import takes now (the disk's speed varies tenfold from hour to hour).
    whole = tmp_path / "whole" / "workbook"
    whole.mkdir(parents=True)
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "followup",
            "import",
            str(source),
            "--data",
            str(whole),
            "--yes",
            "--many",
        ],
        capture_output=True,
        text=True,
        timeout=END_LIMIT,
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    rng = random.Random(SEED)
    # Reading and checking the rows, planning, writing the files.
    for low, high in [(0.1, 0.35), (0.35, 0.6), (0.6, 0.85)]:
        after = max(0.3, rng.uniform(low, high) * took)
        for attempt in range(5):  # a faster run than the timed one: try a moment earlier
            run = tmp_path / f"run-{after:.2f}-{attempt}"
            data = run / "workbook"
            data.mkdir(parents=True)
            ended = interrupt_group(
                ["import", str(source), "--data", str(data), "--yes", "--many"], after, run
            )
            if ended is not None:
                break
            after = max(0.3, after * 0.6)
        assert ended is not None, f"every import finished before its Ctrl-C (seed {SEED})"
        code, stderr, left = ended
        check(f"import at {after:.2f} s of {took:.2f} s", code, stderr, left, data)
        written = list((data / "opportunities").glob("*.yaml"))
        assert len(written) in (0, rows), f"import at {after:.2f} s: {len(written)} of {rows}"
