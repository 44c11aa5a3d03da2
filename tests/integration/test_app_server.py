"""`followup app` as a person starts and stops it: a real Voilà server with real kernels.

The server must answer only with its token, listen on the loopback interface only, and leave
nothing running after Ctrl-C. `followup notebooks DIR` copies the notebooks out for JupyterLab.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from followup.app import _alive, _descendants
from followup.app_files import LAB_CONFIG, shipped_notebooks
from followup.cli import main
from support import kernel_ready, require

pytestmark = pytest.mark.kernel

#: Upper bounds (seconds); limits, not expectations.
START_LIMIT = 90
STOP_LIMIT = 30


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


def test_app_answers_only_with_its_token_and_ctrl_c_leaves_nothing_running(tmp_path: Path) -> None:
    require(kernel_ready(), "the python3 kernel")
    data = tmp_path / "new-workbook"
    process = subprocess.Popen(
        [sys.executable, "-m", "followup", "app", "--data", str(data), "--no-browser"],
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


def test_notebooks_are_copied_out_with_a_config_that_keeps_them_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "my-notebooks"
    assert main(["notebooks", str(target)]) == 0
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([p.name for p in shipped_notebooks()] + [LAB_CONFIG])
    assert "report.ipynb" in names and "00_dashboard.ipynb" in names
    assert "followup.app_lab.keep_clean" in (target / LAB_CONFIG).read_text()
    out = capsys.readouterr().out
    assert f"--config={target / LAB_CONFIG}" in out

    edited = target / "02_debrief.ipynb"
    edited.write_text("my own edits", encoding="utf-8")
    assert main(["notebooks", str(target)]) == 0
    assert edited.read_text(encoding="utf-8") == "my own edits", "an edited copy is kept"
    assert f"Kept {edited}" in capsys.readouterr().out
    assert main(["notebooks", str(target), "--overwrite"]) == 0
    assert edited.read_bytes() == (shipped_notebooks()[2]).read_bytes()


def test_notebooks_into_a_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    assert main(["notebooks", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"followup: {target}: is a file (expected a folder to copy the notebooks into)"


def test_a_taken_port_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        if port < 1024:
            pytest.fail(f"the system gave a privileged port {port}")
        assert main(["app", "--data", str(tmp_path), "--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert f"--port {port}: already in use" in err and "Traceback" not in err
