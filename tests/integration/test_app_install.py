"""A non-editable install works from any folder: the notebooks ship inside the package.

The package is built from a copy of the source (so the checkout is not touched) and installed with
pip into a folder of its own, without the checkout on the path. From an unrelated folder,
`followup report` runs the report notebook on a copy of the example, `followup notebooks` copies
the notebooks out, and `followup app` serves its dashboard.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from followup.app.server import _alive, _descendants
from support import EXAMPLE, EXAMPLE_NOW, ROOT, kernel_ready, require, run_followup

pytestmark = pytest.mark.kernel

#: Upper bounds (seconds); limits, not expectations.
INSTALL_LIMIT = 300
RUN_LIMIT = 300
START_LIMIT = 90
STOP_LIMIT = 30


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a Python that imports followup from a plain (non-editable) install."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "screenshots", ".ipynb_checkpoints")
    for name in ("followup", "notebooks"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    target = root / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
    done = subprocess.run(
        [*pip, "--no-index", "--target", str(target), str(source)],
        capture_output=True,
        text=True,
        timeout=INSTALL_LIMIT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "license" not in done.stderr.lower(), "setuptools no longer warns about the license"
    assert (target / "followup" / "notebooks" / "report.ipynb").is_file()
    env = {k: v for k, v in os.environ.items() if k not in ("FOLLOWUP_DATA", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)
    return env


def _followup(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return run_followup(*args, env=env, cwd=cwd, timeout=RUN_LIMIT)


def test_the_installed_package_is_the_one_imported(installed, tmp_path: Path) -> None:
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import followup, followup.shipped as f; "
            "print(followup.__file__); print(f.notebooks_folder())",
        ],
        cwd=tmp_path,
        env=installed,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    target = installed["PYTHONPATH"]
    assert found[0].startswith(target) and found[1] == f"{target}/followup/notebooks"


def test_an_installed_followup_reports_and_copies_notebooks_from_any_folder(
    installed, tmp_path: Path
) -> None:
    require(kernel_ready(), "the python3 kernel")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = tmp_path / "workbook"
    shutil.copytree(EXAMPLE, data)
    out = tmp_path / "reports"
    done = _followup(
        installed,
        elsewhere,
        "report",
        "--data",
        str(data),
        "--now",
        EXAMPLE_NOW,
        "--out",
        str(out),
        "--jobs",
        "2",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "index.html").is_file()
    assert list(out.glob("northwind-data-analyst/*.html")), "a report per round"

    copied = _followup(installed, elsewhere, "notebooks", "mine")
    assert copied.returncode == 0, copied.stderr
    assert (elsewhere / "mine" / "00_dashboard.ipynb").is_file()
    assert (elsewhere / "mine" / "report.ipynb").is_file()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status(url: str) -> tuple[int, str, str]:
    """Status, Location header and body of a GET that does not follow redirects."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=120) as response:
            return response.status, "", response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), ""


def _read_address(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + START_LIMIT
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/\S+", line)
        if found:
            return found.group(0)
    process.kill()
    pytest.fail(f"no address printed; the app said:\n{''.join(seen)}")


def test_an_installed_app_answers_only_with_its_token_and_ctrl_c_leaves_nothing_running(
    installed, tmp_path: Path
) -> None:
    require(kernel_ready(), "the python3 kernel")
    data = tmp_path / "new-workbook"
    process = subprocess.Popen(
        [sys.executable, "-m", "followup", "app", "--data", str(data), "--no-browser"],
        cwd=tmp_path,
        env=installed,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        address = _read_address(process)
        assert data.is_dir(), "the app starts a new workbook folder when there is none"
        base, query = address.split("?", 1)
        token = re.search(r"token=([^&]+)", query).group(1)
        assert len(token) >= 24

        status, location, _ = _status(base)
        assert status == 302 and location.startswith("/login"), "no token: sent to log in"
        status, location, _ = _status(f"{base}?token=not-{token}")
        assert status == 302 and location.startswith("/login"), "a wrong token is refused too"
        status, _, body = _status(address)
        assert status == 200 and "application/vnd.jupyter.widget-view+json" in body

        port = int(re.search(r":(\d+)/", address).group(1))
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            outside = socket.gethostbyname(socket.gethostname())
            if outside.startswith("127."):
                outside = None
            if outside:
                assert sock.connect_ex((outside, port)) != 0, "listens on 127.0.0.1 only"

        started = _descendants(process.pid)
        assert len(started) >= 2, "the server and at least one warm page"
        runtime = [p for p in started if "voila" in Path(f"/proc/{p}/cmdline").read_text()]
        assert runtime, "the server runs as a child of followup app"
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        output, _ = process.communicate(timeout=STOP_LIMIT)
    assert process.returncode == 0, output
    assert "Stopped. Your workbook stays in" in output
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in started if _alive(pid)], "no server or kernel left running"
    assert sorted(p.name for p in data.iterdir()) == [], "nothing written until the person acts"
