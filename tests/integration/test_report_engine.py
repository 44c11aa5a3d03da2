"""The warm papermill engine on real kernels: each report starts clean, whatever ran before it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from followup.reports import batch, engine
from followup.reports.kernels import IPCKernelManager
from followup.reports.pages import notebook_html, read_summary
from support import EXAMPLE, EXAMPLE_NOW, kernel_ready, require

PARAMETERS = {
    "data_dir": "data",  # relative on purpose: a report that moved the cwd would break the next
    "opportunity_id": "northwind-data-analyst",
    "round": "onsite",
    "now": EXAMPLE_NOW,
}

#: What a careless or hostile report might do to the kernel it runs in: its state...
STATE = """\
import os, sys
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import followup.reports.round_report
polluted_global = "left behind"
display = print
followup.reports.round_report.ANSWER_SCORE_LABELS["key_point_clear"] = "POLLUTED"
followup.reports.round_report.text_html = lambda text, tag="p": "<p>POLLUTED</p>"
matplotlib.rcParams["figure.facecolor"] = "#ff0000"
pd.set_option("styler.format.precision", 0)
plt.figure(); plt.plot([1, 2, 3])
sys.modules["followup.steps"].__dict__["POLLUTED"] = True
"""
#: ... and where it runs (the report after it reads its workbook from a relative path).
POLLUTION = (
    STATE
    + """\
os.environ["FOLLOWUP_DATA"] = "/nowhere"
os.chdir("/")
print("polluted")
"""
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    require(kernel_ready(batch.KERNEL_NAME), f"the Jupyter kernel {batch.KERNEL_NAME!r}")
    root = tmp_path_factory.mktemp("engine")
    shutil.copytree(EXAMPLE, root / "data")
    return root


@pytest.fixture(scope="module")
def fresh(workspace) -> str:
    """The report's page from an ordinary kernel, started for it alone."""
    nb = run(workspace, batch.DEFAULT_NOTEBOOK, "fresh", kernel_manager_class=IPCKernelManager)
    return notebook_html(nb)


def run(workspace: Path, notebook: Path, name: str, **options) -> nbformat.NotebookNode:
    return papermill.execute_notebook(
        str(notebook),
        str(workspace / f"{name}.out.ipynb"),
        parameters=PARAMETERS,
        kernel_name=batch.KERNEL_NAME,
        progress_bar=False,
        cwd=str(workspace),
        shutdown_kernel="immediate",
        **options,
    )


def warm(workspace: Path, notebook: Path, name: str) -> nbformat.NotebookNode:
    return run(workspace, notebook, name, engine_name=engine.register())


def with_cells_first(workspace: Path, name: str, *sources: str) -> Path:
    """The report notebook with extra cells run right after its parameters."""
    nb = nbformat.read(batch.DEFAULT_NOTEBOOK, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    for offset, source in enumerate(sources, start=1):
        nb.cells.insert(at + offset, nbformat.v4.new_code_cell(source))
    path = workspace / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def polluter(workspace: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(POLLUTION)]
    path = workspace / "polluter.ipynb"
    nbformat.write(nb, path)
    return path


def outputs_text(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.kernel
def test_a_report_after_a_polluting_one_is_byte_identical_to_a_fresh_kernel_run(workspace, fresh):
    # The pollution does change a report run in the same kernel, so the comparison can fail.
    dirty = warm(workspace, with_cells_first(workspace, "dirty", STATE), "dirty")
    assert notebook_html(dirty) != fresh

    assert "polluted" in outputs_text(warm(workspace, polluter(workspace), "polluter"))
    after = warm(workspace, batch.DEFAULT_NOTEBOOK, "after")
    assert notebook_html(after) == fresh
    assert read_summary(after)["round"] == "onsite"


@pytest.mark.kernel
def test_a_killed_or_failed_report_leaves_a_clean_kernel_for_the_next(workspace, fresh):
    killer = with_cells_first(
        workspace, "killer", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
    )
    with pytest.raises(Exception, match=r"(?i)dead|died"):
        warm(workspace, killer, "killer")
    failing = with_cells_first(workspace, "failing", POLLUTION + "raise RuntimeError('boom')")
    with pytest.raises(papermill.PapermillExecutionError, match="boom"):
        warm(workspace, failing, "failing")
    assert notebook_html(warm(workspace, batch.DEFAULT_NOTEBOOK, "after")) == fresh


@pytest.mark.kernel
def test_papermill_on_the_command_line_finds_the_followup_engine(workspace):
    output = workspace / "cli.out.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "papermill", "--engine", "followup", "--cwd", str(workspace)]
        + [str(batch.DEFAULT_NOTEBOOK), str(output), "-k", batch.KERNEL_NAME]
        + [arg for key, value in PARAMETERS.items() for arg in ("-r", key, value)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = read_summary(nbformat.read(output, as_version=4))
    assert summary["opportunity"] == "northwind-data-analyst"
    assert Path(summary["kernel_python"]) == Path(sys.executable)


@pytest.mark.parametrize(
    "first",
    [
        "import followup.reports.engine; import papermill",
        "import papermill; import followup.reports.engine",
    ],
)
def test_papermill_finds_the_engine_whichever_is_imported_first(first):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{first}; from papermill.engines import papermill_engines as e;"
            " print(e.get_engine('followup').__name__)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "WarmEngine"
