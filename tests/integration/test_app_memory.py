"""`followup app` stays light: page kernels forked from one zygote, a closed page's kernel stopped.

A real app on a copy of the example workbook; pages are opened over HTTP (as a browser's first
request does) and their kernels left without a page, or stopped by the beacon a closing page
sends. Memory is the sum of the proportional set size (PSS, /proc/PID/smaps_rollup) of the
server and every process under it: shared pages are split between the processes sharing them,
so the sum is what the app really holds.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.app import server as followup_app
from followup.app.server import CULL_INTERVAL, CULL_SECONDS
from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require

pytestmark = pytest.mark.kernel

#: The bound the README promises: the app's processes together hold less than this.
MEMORY_LIMIT = 1 << 30
#: Upper bounds for waiting (seconds); limits, not expectations.
PAGE_LIMIT = 120
POOL_LIMIT = 180
#: Twice the longest a kernel left without a page may live, then a margin for a busy machine.
GONE_LIMIT = 2 * (CULL_SECONDS + CULL_INTERVAL) + 60
NORTHWIND = "northwind-data-analyst"
OPENED = [
    ("00_dashboard.ipynb", ""),
    ("01_interview.ipynb", NORTHWIND),
    ("04_follow_up.ipynb", NORTHWIND),
    ("05_compare.ipynb", NORTHWIND),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[followup_app.App]:
    require(kernel_ready(), "the python3 kernel")
    data = tmp_path_factory.mktemp("memory") / "data"
    shutil.copytree(EXAMPLE, data)
    server = followup_app.start(data, now=EXAMPLE_NOW)
    try:
        yield server
    finally:
        server.stop()


def _read(path: str) -> str:
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def pss_bytes(app: followup_app.App) -> int:
    """The sum of the PSS of the server and every process under it."""
    total = 0
    for pid in app.processes():
        found = re.search(r"^Pss:\s+(\d+) kB", _read(f"/proc/{pid}/smaps_rollup"), re.MULTILINE)
        total += int(found.group(1)) * 1024 if found else 0
    return total


def zygotes(app: followup_app.App) -> list[int]:
    return [
        pid
        for pid in app.processes()
        if "followup.reports.zygote" in _read(f"/proc/{pid}/cmdline").replace("\0", " ")
        and _parent(pid) == app.process.pid
    ]


def _parent(pid: int) -> int:
    stat = _read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    return int(stat[1]) if len(stat) > 1 else -1


def kernels(app: followup_app.App) -> list[int]:
    """The page kernels: the processes the server's zygote forked."""
    parents = set(zygotes(app))
    return [pid for pid in app.processes() if _parent(pid) in parents]


def wait_for(condition, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return condition()


def open_page(opener: urllib.request.OpenerDirector, app, name: str, opportunity: str) -> str:
    """The whole page as a browser's first request gets it: every cell run in its kernel."""
    with opener.open(app.page_url(name, opportunity), timeout=PAGE_LIMIT) as response:
        return response.read().decode("utf-8")


def test_page_kernels_are_forked_from_one_zygote_and_the_app_stays_under_a_gigabyte(
    app: followup_app.App,
) -> None:
    pages = len(followup_app.app_pages())
    assert len(zygotes(app)) == 1, "one zygote serves every page"
    assert wait_for(lambda: len(kernels(app)) >= pages, POOL_LIMIT), "a warm kernel per page"
    opener = urllib.request.build_opener()
    for name, opportunity in OPENED:
        text = open_page(opener, app, name, opportunity)
        assert '"kernelId"' in text, name
    # Each page opened took its warm kernel and a new one is warming: all are forked.
    assert wait_for(lambda: len(kernels(app)) > pages, POOL_LIMIT)
    assert pss_bytes(app) < MEMORY_LIMIT, f"{pss_bytes(app) / 2**20:.0f} MB"


def test_kernels_of_pages_left_without_a_word_are_stopped_and_the_warm_ones_kept(
    app: followup_app.App,
) -> None:
    pages = len(followup_app.app_pages())
    assert wait_for(lambda: len(kernels(app)) >= pages, POOL_LIMIT)
    opener = urllib.request.build_opener()
    for name, opportunity in OPENED[:2]:
        open_page(opener, app, name, opportunity)
    assert wait_for(lambda: len(kernels(app)) > pages, POOL_LIMIT)
    # Nobody connects to those pages' kernels (no browser): the idle cull stops them…
    assert wait_for(lambda: len(kernels(app)) == pages, GONE_LIMIT), len(kernels(app))
    assert "Culling" in app.log_tail(200_000)
    # …and keeps the warm ones, so every page still opens at once.
    time.sleep(CULL_INTERVAL + 1)
    assert len(kernels(app)) == pages
    assert pss_bytes(app) < MEMORY_LIMIT


def _shutdown(opener, app, kernel_id: str, xsrf: str | None) -> int:
    body = urllib.parse.urlencode({"_xsrf": xsrf} if xsrf is not None else {}).encode()
    request = urllib.request.Request(
        f"{app.base}/voila/api/shutdown/{kernel_id}", data=body, method="POST"
    )
    try:
        with opener.open(request, timeout=PAGE_LIMIT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_closing_pages_beacon_stops_its_kernel_at_once_and_needs_the_xsrf_cookie(
    app: followup_app.App,
) -> None:
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    text = open_page(opener, app, "02_debrief.ipynb", NORTHWIND)
    config = re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', text, re.DOTALL)
    assert config, "the page names its kernel"
    kernel_id = json.loads(config.group(1))["kernelId"]
    xsrf = {c.name: c.value for c in cookies}.get("_xsrf")
    assert xsrf, "an opened page gets the XSRF cookie its closing beacon sends back"
    # What another site could send with the login cookie is refused: the check is on.
    assert _shutdown(opener, app, kernel_id, None) == 403
    assert f"Kernel shutdown: {kernel_id}" not in app.log_tail(200_000)
    # What the page sends as it closes (Voilà's own beacon: the cookie's value in the form).
    assert _shutdown(opener, app, kernel_id, xsrf) == 204
    log = app.log_tail(200_000)
    assert f"Kernel shutdown: {kernel_id}" in log
    assert not re.search(rf"Culling .*{kernel_id}", log), "stopped by the beacon, not the cull"
