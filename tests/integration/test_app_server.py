"""`followup notebooks DIR` copies the notebooks out; `followup app` refuses bad values in one line.

Starting the app for real, its token and Ctrl-C are tested on an installed copy in
test_app_install.py, so one server covers them.
"""

from __future__ import annotations

import http.client
import socket
from pathlib import Path

import nbformat
import pytest

from followup.app.server import app_pages, start, write_app_page
from followup.cli.commands import main
from followup.shipped import LAB_CONFIG, shipped_notebooks
from support import kernel_ready, require

pytestmark = pytest.mark.kernel

#: Upper bounds (seconds); limits, not expectations.
START_LIMIT = 90
STOP_LIMIT = 30


def test_notebooks_are_copied_out_with_a_config_that_keeps_them_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "my-notebooks"
    assert main(["notebooks", str(target)]) == 0
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([p.name for p in shipped_notebooks()] + [LAB_CONFIG])
    assert "report.ipynb" in names and "00_dashboard.ipynb" in names
    assert "followup.app.lab.keep_clean" in (target / LAB_CONFIG).read_text()
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


def test_the_app_pages_leave_out_the_lab_only_hints(tmp_path: Path) -> None:
    pages = app_pages()
    assert [p.name for p in pages] == [
        p.name for p in shipped_notebooks() if p.name not in ("report.ipynb", "prep.ipynb")
    ]
    for source in pages:
        lab = nbformat.read(source, as_version=4)
        assert any("lab-only" in c.metadata.get("tags", []) for c in lab.cells), source.name
        write_app_page(source, tmp_path / source.name)
        served = nbformat.read(tmp_path / source.name, as_version=4)
        assert "Run All" not in "".join(c.source for c in served.cells)
        assert len(served.cells) == len(lab.cells) - 1
        assert served.metadata["title"] == lab.cells[0].source.splitlines()[0][2:]


def _status(port: int, path: str, host: str) -> int:
    """The status of GET `path` on the app, sent with the Host header `host`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=START_LIMIT)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_app_refuses_a_request_for_another_host_name_even_with_its_token(
    tmp_path: Path,
) -> None:
    require(kernel_ready(), "the python3 kernel")
    app = start(tmp_path / "workbook", warm=False)
    try:
        page = app.page_url().removeprefix(app.base)
        # A DNS-rebinding page sends its own name: refused before the token is looked at.
        assert _status(app.port, page, "evil.example") == 403
        assert _status(app.port, page, f"evil.example:{app.port}") == 403
        assert _status(app.port, page, f"127.0.0.1:{app.port}") == 200
        assert _status(app.port, page, f"localhost:{app.port}") == 200
    finally:
        app.stop()
