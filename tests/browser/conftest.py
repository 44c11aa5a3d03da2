"""Fixtures for the browser tests: JupyterLab on a free loopback port, and Debian's Chromium.

The server gets its own folders (notebooks, workbook, settings, runtime) under a temporary
directory, so the tests never touch the repository's notebooks or the virtualenv's settings. The
workbook is a copy of data/example, handed to the notebooks through FOLLOWUP_DATA.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from support import EXAMPLE, EXAMPLE_NOW, ROOT, chromium, jupyter_server_args, require

#: The workbook notebooks the browser tests open.
NOTEBOOKS = [
    "00_dashboard.ipynb",
    "01_interview.ipynb",
    "02_debrief.ipynb",
    "03_reflect.ipynb",
    "04_follow_up.ipynb",
]
#: Seconds to wait for the server to answer (a bound, not an expectation).
SERVER_START_LIMIT = 90


@dataclass
class Lab:
    """A running JupyterLab: its address, its notebook folder and the workbook it writes to."""

    url: str
    notebooks: Path
    data: Path
    process: subprocess.Popen
    log: Path

    def notebook_url(self, name: str) -> str:
        """The notebook alone in a fresh workspace (`reset` forgets tabs from earlier tests)."""
        return f"{self.url}/lab/tree/{name}?reset"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answering(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/status", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _write_settings(folder: Path) -> None:
    """User settings that keep the news and update toasts away."""
    plugin = folder / "@jupyterlab" / "apputils-extension"
    plugin.mkdir(parents=True)
    (plugin / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )


def _copy_notebook(name: str, folder: Path) -> None:
    """Copy a notebook with its `now` parameter set to the example's evening, so what the forms
    show and record does not depend on the day the tests run."""
    book = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    [cell] = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert 'now: str = ""' in cell.source
    cell.source = cell.source.replace('now: str = ""', f"now: str = {EXAMPLE_NOW!r}")
    nbformat.write(book, folder / name)


def _start(root: Path) -> Lab:
    jupyter_lab = Path(sys.executable).with_name("jupyter-lab")
    require(jupyter_lab.exists(), "jupyter-lab in the virtualenv")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    for name in NOTEBOOKS:
        _copy_notebook(name, notebooks)
    data = root / "data"
    shutil.copytree(EXAMPLE, data)
    settings = root / "settings"
    _write_settings(settings)
    env = dict(os.environ)
    env.update(
        FOLLOWUP_DATA=str(data),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        JUPYTER_CONFIG_DIR=str(root / "config"),
    )
    port = _free_port()
    log = root / "lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(jupyter_lab), *jupyter_server_args(port, notebooks), "--LabApp.news_url="],
            cwd=notebooks,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    lab = Lab(f"http://127.0.0.1:{port}", notebooks, data, process, log)
    deadline = time.monotonic() + SERVER_START_LIMIT
    while not _answering(lab.url):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            pytest.fail(f"JupyterLab did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.25)
    return lab


def _stop(process: subprocess.Popen) -> None:
    """Stop the server by its own PID: politely, then firmly."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _end_sessions(lab: Lab) -> None:
    """Shut down the kernels a test started, so the next test starts clean."""
    with urllib.request.urlopen(f"{lab.url}/api/sessions", timeout=5) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{lab.url}/api/sessions/{session['id']}", method="DELETE")
        with urllib.request.urlopen(request, timeout=30):
            pass


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """One JupyterLab for the module, serving copies of the workbook notebooks."""
    lab = _start(tmp_path_factory.mktemp("lab"))
    try:
        yield lab
    finally:
        _stop(lab.process)


@pytest.fixture
def lab(lab_server: Lab) -> Iterator[Lab]:
    """The server, with a fresh copy of data/example and fresh notebooks for this test."""
    shutil.rmtree(lab_server.data)
    shutil.copytree(EXAMPLE, lab_server.data)
    for name in NOTEBOOKS:
        _copy_notebook(name, lab_server.notebooks)
    try:
        yield lab_server
    finally:
        _end_sessions(lab_server)


#: The hosts a page may reach: this machine only.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class LocalOnly:
    """A Chromium whose pages reach this machine only: a request to any other host is refused
    (as it would fail offline) and remembered, so the test that made it fails.

    It stands in for Playwright's Browser: `new_context` and `new_page` route every request
    through the check; anything else goes to the browser itself.
    """

    def __init__(self, browser: object):
        self.browser = browser
        self.refused: list[str] = []

    def _route(self, route) -> None:
        url = route.request.url
        scheme = url.partition(":")[0]
        if scheme in ("data", "blob", "file", "about") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
            return
        self.refused.append(url)
        route.abort("blockedbyclient")

    def new_context(self, **options):
        context = self.browser.new_context(**options)
        context.route("**/*", self._route)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name: str):
        return getattr(self.browser, name)

    def check(self) -> None:
        """Fail when a page asked for anything from another host."""
        assert not self.refused, f"a page asked another host for: {self.refused[:5]}"


@contextlib.contextmanager
def local_chromium() -> Iterator[LocalOnly]:
    """Debian's Chromium (never a downloaded browser) whose pages reach this machine only."""
    with chromium() as launched:
        local = LocalOnly(launched)
        yield local
        local.check()


@pytest.fixture
def browser() -> Iterator[LocalOnly]:
    """Debian's Chromium driven by Playwright; a request to another host fails the test."""
    with local_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def module_browser() -> Iterator[LocalOnly]:
    """The same, shared by a module's tests; a request to another host fails the last one."""
    with local_chromium() as launched:
        yield launched


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: $FOLLOWUP_SCREENSHOTS (e.g. notebooks/screenshots), else tmp."""
    chosen = os.environ.get("FOLLOWUP_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
