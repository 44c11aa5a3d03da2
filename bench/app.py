"""How soon is a page of `followup app` ready to use?

Times, in this one process, in Debian's Chromium: from asking for a page to its form showing, for
the dashboard and each step's page of a copy of the example workbook. The app as shipped (a kernel
kept warm for each page) is measured against the same server starting each page's kernel only when
the page is asked for (the baseline). Pages are opened in turn with a pause between them, as a
person would, so a warm kernel has time to be replaced. Prints times and ratios; it asserts
nothing (these machines are noisy). The target is a page ready in 2 s or less.

    .venv/bin/python bench/app.py [--rounds 3] [--pause 4]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from followup.app import server as followup_app  # noqa: E402
from support import EXAMPLE, EXAMPLE_NOW, chromium  # noqa: E402

#: Each page, with a text that shows once its form is drawn.
PAGES = [
    ("00_dashboard.ipynb", "Every process by stage"),
    ("01_interview.ipynb", "Interview ·"),
    ("02_debrief.ipynb", "Debrief ·"),
    ("03_reflect.ipynb", "Reflect ·"),
    ("04_follow_up.ipynb", "Follow up ·"),
    ("05_compare.ipynb", "Your ranking"),
]
OPPORTUNITY = "northwind-data-analyst"
#: The server and its kernels count as settled once they use less than this share of one core…
QUIET_SHARE = 0.05
#: …over this many seconds; at most SETTLE_LIMIT seconds are waited for that.
QUIET_WINDOW = 1.0
SETTLE_LIMIT = 60.0
LIMIT_MS = 120_000


def settle(server) -> float:
    """Wait until the server and every process it started are quiet: the warm kernels have been
    started and have run their pages (a fixed sleep either wastes time or is too short). Returns
    the seconds waited."""
    import psutil

    started = time.perf_counter()

    def cpu_seconds() -> float:
        total = 0.0
        root = psutil.Process(server.process.pid)
        for process in [root, *root.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    before = cpu_seconds()
    while time.perf_counter() - started < SETTLE_LIMIT:
        time.sleep(QUIET_WINDOW)
        now = cpu_seconds()
        if 0 <= now - before < QUIET_SHARE * QUIET_WINDOW:
            break
        before = now
    return time.perf_counter() - started


def page_ready(page, url: str, ready: str) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.get_by_text(ready).first.wait_for(timeout=LIMIT_MS)
    return time.perf_counter() - started


def measure(browser, warm: bool, rounds: int, pause: float) -> dict[str, list[float]]:
    folder = Path(tempfile.mkdtemp(prefix="followup-bench-app-"))
    shutil.copytree(EXAMPLE, folder / "data")
    server = followup_app.start(folder / "data", now=EXAMPLE_NOW, warm=warm)
    times: dict[str, list[float]] = {name: [] for name, _ in PAGES}
    try:
        waited = settle(server)
        print(f"{'app' if warm else 'baseline'}: the server settled in {waited:.1f} s", flush=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for _ in range(rounds):
            for name, ready in PAGES:
                times[name].append(page_ready(page, server.page_url(name, OPPORTUNITY), ready))
                time.sleep(pause)
        page.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pause", type=float, default=4.0)
    args = parser.parse_args()
    with chromium() as browser:
        cold = measure(browser, False, args.rounds, args.pause)
        warm = measure(browser, True, args.rounds, args.pause)
    print(f"page ready, median of {args.rounds} (seconds): baseline (kernel on demand) → app")
    for name, _ in PAGES:
        before, after = statistics.median(cold[name]), statistics.median(warm[name])
        print(f"  {name:20} {before:6.2f} → {after:5.2f}   ({after / before:.2f}× the baseline)")
    every = [t for values in warm.values() for t in values]
    within = sum(t <= 2.0 for t in every)
    print(
        f"app: median {statistics.median(every):.2f} s, slowest {max(every):.2f} s; "
        f"{within} of {len(every)} pages ready in 2 s or less"
    )


if __name__ == "__main__":
    main()
