"""How light and how quick is `followup app` over a person's evening of clicking around?

A scripted session in Debian's Chromium on a copy of the example workbook: 100 page opens over
every page of the app, one after the other in one tab (leaving a page closes it), a new tab now
and then (the old one closed), often going back to the page just left (a reopen), and a new
opportunity created on the interview page every 20 opens. The same session, shorter, runs on the
app as it was (each kernel a new Python, a closed page's kernel kept until ten idle minutes) as
the baseline, in this same process. Prints numbers and ratios; it asserts nothing (these
machines are noisy). The targets:

- the app's memory stays under 1 GB: the sum of the proportional set size (PSS, from
  /proc/PID/smaps_rollup via psutil) of the server and every process under it (the kernels'
  zygote and the kernels). PSS splits each shared page between the processes sharing it, so the
  sum is the memory the app really holds; the sum of RSS, which counts shared pages once per
  process, is printed beside it;
- a page reopened just after it was closed is ready as fast as its first open (median ratio
  at most 1.2);
- Create (the interview page's first save of a new opportunity) answers in under 1.5 s.

After the session the tab is closed and the script waits (at most 90 s) for the closed pages'
kernels to go, then prints what is left. `--cold-start` also times each page against a server
that starts a page's kernel only when asked (the warm pool's own baseline).

    .venv/bin/python bench/app.py [--opens 100] [--baseline-opens 30] [--pause 1] [--cold-start]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from followup.app import server as followup_app  # noqa: E402
from support import EXAMPLE, EXAMPLE_NOW, chromium  # noqa: E402

OPPORTUNITY = "northwind-data-analyst"
#: Each page, the opportunity it opens on, and what shows once its form is drawn (a locator).
PAGES = [
    ("00_dashboard.ipynb", "", "text=Every process by stage"),
    ("01_interview.ipynb", OPPORTUNITY, "text=Interview · Northwind"),
    ("02_debrief.ipynb", OPPORTUNITY, "text=Debrief ·"),
    ("03_reflect.ipynb", OPPORTUNITY, "text=Reflect ·"),
    ("04_follow_up.ipynb", OPPORTUNITY, "text=Follow up ·"),
    ("05_compare.ipynb", OPPORTUNITY, "text=Your ranking"),
    ("06_search.ipynb", "", "#today"),
    ("07_prepare.ipynb", "", "#prep-sheet"),
    ("08_practice.ipynb", "", ".practice-card"),
    ("09_offer.ipynb", "fjord-energy-analyst", "text=Offer · Fjord Energy"),
]
NEW = "+ A new opportunity…"
#: Share of opens that go back to the page just left, and that open in a new tab.
REOPEN_SHARE = 0.35
NEW_TAB_SHARE = 0.1
#: A Create every this many opens.
CREATE_EVERY = 20
#: The server and its kernels count as settled once they use less than this share of one core…
QUIET_SHARE = 0.05
#: …over this many seconds; at most SETTLE_LIMIT seconds are waited for that.
QUIET_WINDOW = 1.0
SETTLE_LIMIT = 60.0
#: Bounds, not expectations: one page, the whole session, the wait for kernels to go after it.
LIMIT_MS = 120_000
SESSION_LIMIT = 1200.0
DRAIN_LIMIT = 90.0


def _tree(server) -> list:
    import psutil

    root = psutil.Process(server.process.pid)
    return [root, *root.children(recursive=True)]


def memory(server) -> tuple[int, float, float]:
    """(processes, sum of PSS in MB, sum of RSS in MB) of the server and all under it."""
    import psutil

    count, pss, rss = 0, 0, 0
    for process in _tree(server):
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        count, pss, rss = count + 1, pss + info.pss, rss + info.rss
    return count, pss / 2**20, rss / 2**20


def settle(server) -> float:
    """Wait until the server and every process it started are quiet: the warm kernels have been
    started and have run their pages (a fixed sleep either wastes time or is too short). Returns
    the seconds waited."""
    import psutil

    started = time.perf_counter()

    def cpu_seconds() -> float:
        total = 0.0
        for process in _tree(server):
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
    page.locator(ready).first.wait_for(timeout=LIMIT_MS)
    return time.perf_counter() - started


def create(page, server, number: int) -> float:
    """Open the interview page on a new opportunity and time Create: click to saved."""
    page.goto(server.page_url("01_interview.ipynb"), wait_until="commit")
    chooser = page.locator("select").filter(has=page.locator("option", has_text=NEW)).first
    chooser.wait_for(state="attached", timeout=LIMIT_MS)
    if chooser.evaluate("e => e.selectedOptions[0].text") != NEW:
        chooser.select_option(label=NEW)
    page.get_by_text("A new opportunity", exact=True).wait_for(timeout=LIMIT_MS)
    page.get_by_placeholder("e.g. Northwind Logistics").fill(f"Bench Company {number}")
    page.get_by_placeholder("e.g. Data Analyst").fill("Analyst")
    started = time.perf_counter()
    page.get_by_role("button", name="Create").click()
    page.get_by_text("Created and saved as", exact=False).first.wait_for(timeout=LIMIT_MS)
    return time.perf_counter() - started


@dataclass
class Session:
    """What one scripted session saw."""

    first: dict[str, float] = field(default_factory=dict)
    reopens: list[tuple[str, float]] = field(default_factory=list)
    others: list[float] = field(default_factory=list)
    creates: list[float] = field(default_factory=list)
    #: (processes, PSS MB, RSS MB) after each open.
    samples: list[tuple[int, float, float]] = field(default_factory=list)
    idle: tuple[int, float, float] = (0, 0.0, 0.0)
    drained: tuple[int, float, float] = (0, 0.0, 0.0)
    drain_seconds: float = 0.0
    opens: int = 0
    cut_short: bool = False


def session(
    browser, opens: int, pause: float, *, lean: bool, warm: bool = True, seed: int = 7
) -> Session:
    """Run the scripted session on a fresh copy of the example, on the app as built (`lean`)
    or as it was."""
    folder = Path(tempfile.mkdtemp(prefix="followup-bench-app-"))
    shutil.copytree(EXAMPLE, folder / "data")
    server = followup_app.start(folder / "data", now=EXAMPLE_NOW, lean=lean, warm=warm)
    seen = Session()
    rng = random.Random(seed)
    try:
        waited = settle(server)
        seen.idle = memory(server)
        label = "app" if lean else "baseline (the app as it was)"
        print(
            f"{label}: settled in {waited:.1f} s; {seen.idle[0]} processes, "
            f"{seen.idle[1]:.0f} MB PSS before any page",
            flush=True,
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        cycle: list[int] = []
        history: list[int] = []
        deadline = time.monotonic() + SESSION_LIMIT
        for number in range(1, opens + 1):
            if time.monotonic() > deadline:
                seen.cut_short = True
                break
            if rng.random() < NEW_TAB_SHARE:
                page.close(run_before_unload=True)  # as a person closes a tab
                page = browser.new_page(viewport={"width": 1280, "height": 900})
            if number % CREATE_EVERY == 0:
                seen.creates.append(create(page, server, number))
                history.append(1)
            else:
                if len(history) >= 2 and history[-2] != history[-1] and rng.random() < REOPEN_SHARE:
                    index = history[-2]  # back to the page just left
                else:
                    if not cycle:
                        cycle = rng.sample(range(len(PAGES)), len(PAGES))
                    index = cycle.pop()
                name, opportunity, ready = PAGES[index]
                took = page_ready(page, server.page_url(name, opportunity), ready)
                if name not in seen.first:
                    seen.first[name] = took
                elif len(history) >= 2 and history[-2] == index:
                    seen.reopens.append((name, took))
                else:
                    seen.others.append(took)
                history.append(index)
            seen.opens = number
            seen.samples.append(memory(server))
            if number % 20 == 0:
                count, pss, _ = seen.samples[-1]
                print(f"  {number} opens: {count} processes, {pss:.0f} MB PSS", flush=True)
            time.sleep(pause)
        page.close(run_before_unload=True)
        started = time.monotonic()
        while time.monotonic() - started < DRAIN_LIMIT:
            seen.drained = memory(server)
            if seen.drained[0] <= seen.idle[0]:
                break
            time.sleep(2)
        seen.drain_seconds = time.monotonic() - started
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return seen


def report(label: str, seen: Session) -> None:
    peak = max(seen.samples, key=lambda s: s[1]) if seen.samples else seen.idle
    most = max((s[0] for s in seen.samples), default=seen.idle[0])
    print(
        f"{label}: {seen.opens} opens{' (cut short by the time bound)' if seen.cut_short else ''}"
    )
    print(
        f"  memory: {seen.idle[1]:.0f} MB PSS idle ({seen.idle[0]} processes); peak "
        f"{peak[1]:.0f} MB PSS (RSS summed: {peak[2]:.0f} MB), at most {most} processes"
    )
    print(
        f"  after the last page closed: {seen.drained[0]} processes, {seen.drained[1]:.0f} MB PSS "
        f"within {seen.drain_seconds:.0f} s"
    )
    if seen.first:
        firsts = list(seen.first.values())
        print(
            f"  first opens: median {statistics.median(firsts):.2f} s, slowest {max(firsts):.2f} s"
        )
    if seen.reopens:
        ratios = [took / seen.first[name] for name, took in seen.reopens]
        times = [took for _, took in seen.reopens]
        print(
            f"  reopens ({len(times)}): median {statistics.median(times):.2f} s, slowest "
            f"{max(times):.2f} s; median ratio to the page's first open "
            f"{statistics.median(ratios):.2f}"
        )
    if seen.others:
        print(f"  other opens ({len(seen.others)}): median {statistics.median(seen.others):.2f} s")
    if seen.creates:
        print(
            f"  Create: median {statistics.median(seen.creates):.2f} s, slowest "
            f"{max(seen.creates):.2f} s ({len(seen.creates)} created)"
        )


def cold_start(browser, rounds: int = 2, pause: float = 4.0) -> None:
    """Each page's ready time: warm pool against kernels started only when asked."""
    times: dict[bool, dict[str, list[float]]] = {}
    for warm in (False, True):
        folder = Path(tempfile.mkdtemp(prefix="followup-bench-app-"))
        shutil.copytree(EXAMPLE, folder / "data")
        server = followup_app.start(folder / "data", now=EXAMPLE_NOW, warm=warm)
        times[warm] = {name: [] for name, _, _ in PAGES}
        try:
            settle(server)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for _ in range(rounds):
                for name, opportunity, ready in PAGES:
                    url = server.page_url(name, opportunity)
                    times[warm][name].append(page_ready(page, url, ready))
                    time.sleep(pause)
            page.close()
        finally:
            server.stop()
            shutil.rmtree(folder, ignore_errors=True)
    print(f"page ready, median of {rounds} (seconds): kernel on demand → warm pool")
    for name, _, _ in PAGES:
        before, after = statistics.median(times[False][name]), statistics.median(times[True][name])
        print(f"  {name:20} {before:6.2f} → {after:5.2f}   ({after / before:.2f}× on demand)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=100)
    parser.add_argument("--baseline-opens", type=int, default=30, help="0: no baseline")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds on each page")
    parser.add_argument("--cold-start", action="store_true")
    args = parser.parse_args()
    with chromium() as browser:
        lean = session(browser, args.opens, args.pause, lean=True)
        before = (
            session(browser, args.baseline_opens, args.pause, lean=False)
            if args.baseline_opens
            else None
        )
        if args.cold_start:
            cold_start(browser)
    report("app", lean)
    if before is not None:
        report("baseline (the app as it was)", before)
        peak = max(s[1] for s in lean.samples) if lean.samples else lean.idle[1]
        was = max(s[1] for s in before.samples) if before.samples else before.idle[1]
        print(
            f"peak memory: {peak:.0f} MB PSS against {was:.0f} MB "
            f"({peak / was:.2f}× the baseline, which made {before.opens} opens to {lean.opens})"
        )


if __name__ == "__main__":
    main()
