"""Saving in JupyterLab never writes a person's answers into the notebooks.

A real Jupyter server started with the repository's `jupyter_server_config.py` (what `make lab`
passes) receives each workbook notebook as JupyterLab saves it after a run: outputs holding
private data, execution counts, widget state, the kernel's language details. The file written must
be byte for byte the committed notebook, so `git status` stays clean.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

from followup.app.lab import clean
from followup.app.server import free_port
from followup.shipped import shipped_notebooks
from support import jupyter_server_args, require

#: Seconds to wait for the server (a bound, not an expectation).
START_LIMIT = 60
PRIVATE = "Kestrel Robotics"


def _as_saved_after_a_run(book: nbformat.NotebookNode) -> dict:
    """The notebook as JupyterLab sends it after Run All: outputs, counts, widget state."""
    data = json.loads(nbformat.writes(book))
    for count, cell in enumerate(data["cells"], start=1):
        cell["metadata"]["scrolled"] = True
        if cell["cell_type"] == "code":
            cell["execution_count"] = count
            cell["outputs"] = [
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {
                        "text/plain": f"VBox(children=(HTML(value='{PRIVATE}'),))",
                        "application/vnd.jupyter.widget-view+json": {
                            "model_id": "4f1c",
                            "version_major": 2,
                            "version_minor": 0,
                        },
                    },
                },
                {"output_type": "stream", "name": "stdout", "text": f"{PRIVATE}\n"},
            ]
    data["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    data["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    return data


def _put(url: str, model: dict) -> None:
    body = json.dumps(model).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)


def test_the_committed_notebooks_are_already_clean() -> None:
    for path in shipped_notebooks():
        book = json.loads(path.read_text(encoding="utf-8"))
        assert clean(json.loads(json.dumps(book))) == book, f"{path.name} has outputs or metadata"


def test_saving_a_run_notebook_through_the_lab_config_leaves_it_as_committed(
    tmp_path: Path,
) -> None:
    server = Path(sys.executable).with_name("jupyter-server")
    require(server.exists(), "jupyter-server in the virtualenv")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for path in shipped_notebooks():
        shutil.copyfile(path, folder / path.name)
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [str(server), *jupyter_server_args(port, folder)],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_LIMIT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                assert process.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "server.log"
                ).read_text(errors="replace")[-2000:]
                time.sleep(0.2)
        for path in shipped_notebooks():
            book = nbformat.read(path, as_version=4)
            model = {"type": "notebook", "format": "json", "content": _as_saved_after_a_run(book)}
            _put(f"{base}/api/contents/{path.name}", model)
            written = (folder / path.name).read_bytes()
            assert PRIVATE.encode() not in written, f"{path.name} kept an output"
            assert written == path.read_bytes(), f"saving {path.name} changed it"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
