"""notebooks/06_search.ipynb ("Your search" in the app) runs under papermill with a real kernel."""

from __future__ import annotations

import json

import nbformat
import papermill
import pytest

from support import EXAMPLE_NOW, ROOT, kernel_ready, require

NOTEBOOK = ROOT / "notebooks" / "06_search.ipynb"


@pytest.mark.kernel
def test_the_search_page_shows_today_first_then_the_numbers_and_charts(example_dir, tmp_path):
    require(kernel_ready("python3"), "the 'python3' Jupyter kernel")
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"data_dir": str(example_dir), "now": EXAMPLE_NOW},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOK.parent),
        shutdown_kernel="immediate",
    )
    book = nbformat.read(out, as_version=4)
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert html.index("What to do today") < html.index("data:image/png;base64,")
    assert "Thank-you note to Jörg Müller" in html
    assert "median 10 days" in html  # the example's time to a first answer


def test_the_search_notebook_is_thin_without_outputs_and_documents_its_parameters():
    book = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert all(len(c.source.splitlines()) <= 8 for c in code)
    inferred = papermill.inspect_notebook(str(NOTEBOOK))
    assert {"data_dir", "opportunity_id", "round", "now"} <= set(inferred)
    assert all(p["help"] for p in inferred.values())
    assert json.loads(inferred["data_dir"]["default"]) == ""
