"""The report and comparison notebooks under plain papermill, as a person would run them."""

from __future__ import annotations

import nbformat
import papermill
import pytest
from papermill.inspection import inspect_notebook

from followup.reports import batch
from followup.reports.pages import read_summary
from followup.storage.workbook import Workbook
from support import EXAMPLE_NOW, ROOT, kernel_ready, require

NOTEBOOKS = ROOT / "notebooks"
PARAMETERS = {"data_dir", "opportunity_id", "round", "now"}


@pytest.mark.parametrize("name", ["report.ipynb", "05_compare.ipynb"])
def test_notebooks_are_committed_clean_and_declare_typed_parameters(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    found = inspect_notebook(str(NOTEBOOKS / name))
    assert set(found) == PARAMETERS
    assert all(p["inferred_type_name"] == "str" and p["help"] for p in found.values())


@pytest.mark.kernel
def test_the_report_runs_under_plain_papermill_with_blank_parameters(
    example_dir, tmp_path, monkeypatch
):
    require(kernel_ready(batch.KERNEL_NAME), "a python3 Jupyter kernel")
    output = tmp_path / "report.ipynb"
    monkeypatch.setenv("FOLLOWUP_DATA", str(example_dir))  # the kernel inherits it
    papermill.execute_notebook(
        str(NOTEBOOKS / "report.ipynb"),
        str(output),
        parameters={"now": EXAMPLE_NOW},
        kernel_name=batch.KERNEL_NAME,
        progress_bar=False,
    )
    summary = read_summary(nbformat.read(output, as_version=4))
    first = next(o for o in Workbook(example_dir).load().opportunities if o.rounds)
    assert summary["opportunity"] == first.id
    assert summary["now"] == "2026-11-26T18:00:00+01:00"


@pytest.mark.kernel
def test_a_report_shows_the_offer_only_for_an_opportunity_that_has_one(example_dir, tmp_path):
    require(kernel_ready(batch.KERNEL_NAME), "a python3 Jupyter kernel")
    shown = {}
    for opportunity in ("fjord-energy-analyst", "northwind-data-analyst"):
        nb = papermill.execute_notebook(
            str(NOTEBOOKS / "report.ipynb"),
            str(tmp_path / f"{opportunity}.ipynb"),
            parameters={
                "data_dir": str(example_dir),
                "opportunity_id": opportunity,
                "now": EXAMPLE_NOW,
            },
            kernel_name=batch.KERNEL_NAME,
            progress_bar=False,
        )
        shown[opportunity] = "".join(
            o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
        )
    assert "The offer, year by year" in shown["fjord-energy-analyst"]
    assert (
        "The sign-on is paid back if you leave within 12 months." in shown["fjord-energy-analyst"]
    )
    assert "The offer" not in shown["northwind-data-analyst"]


@pytest.mark.kernel
def test_the_comparison_notebook_runs_and_shows_the_trends(example_dir, tmp_path):
    require(kernel_ready(batch.KERNEL_NAME), "a python3 Jupyter kernel")
    output = tmp_path / "compare.ipynb"
    nb = papermill.execute_notebook(
        str(NOTEBOOKS / "05_compare.ipynb"),
        str(output),
        parameters={
            "data_dir": str(example_dir),
            "opportunity_id": "harbor-bank-pm",
            "now": EXAMPLE_NOW,
        },
        kernel_name=batch.KERNEL_NAME,
        progress_bar=False,
    )
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "display_data"
    )
    assert "Research topics still open" in html and "How dbt tests work" in html
    widgets = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets) == 2  # the sliders and the ranking that follows them
