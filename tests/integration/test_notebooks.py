"""Every workbook notebook runs under papermill with a real kernel, headless and interactive."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from support import EXAMPLE_NOW, ROOT, kernel_ready, require

NOTEBOOKS = ROOT / "notebooks"
KERNEL = "python3"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: Each notebook, the parameters it takes, and a line its headless summary must show.
CASES = {
    "00_dashboard.ipynb": ({}, "Your follow-ups"),
    "01_interview.ipynb": ({"opportunity_id": "northwind-data-analyst"}, "Jörg Müller"),
    "02_debrief.ipynb": (
        {"opportunity_id": "lumen-ux-researcher", "round": "final-round"},
        "How do you decide sample sizes for usability tests?",
    ),
    "03_reflect.ipynb": ({"opportunity_id": "harbor-bank-pm"}, "Long hours came up twice."),
    "04_follow_up.ipynb": (
        {"opportunity_id": "quill-software-engineer"},
        "Ask about similar roles",
    ),
    "09_offer.ipynb": (
        {"opportunity_id": "fjord-energy-analyst"},
        "The sign-on is paid back if you leave within 12 months.",
    ),
}


@pytest.fixture(autouse=True)
def _needs_kernel() -> None:
    require(kernel_ready(KERNEL), f"the {KERNEL!r} Jupyter kernel")


def _run(name: str, out: Path, **parameters) -> nbformat.NotebookNode:
    papermill.execute_notebook(
        str(NOTEBOOKS / name),
        str(out),
        parameters=parameters,
        kernel_name=KERNEL,
        progress_bar=False,
        cwd=str(NOTEBOOKS),
        shutdown_kernel="immediate",
    )
    return nbformat.read(out, as_version=4)


def _outputs(book: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in book.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


@pytest.mark.kernel
@pytest.mark.parametrize("name", sorted(CASES))
def test_headless_run_shows_a_read_only_summary(name: str, example_dir: Path, tmp_path) -> None:
    parameters, expected = CASES[name]
    book = _run(
        name,
        tmp_path / name,
        data_dir=str(example_dir),
        now=EXAMPLE_NOW,
        interactive=False,
        **parameters,
    )
    outputs = _outputs(book)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert expected in html
    assert not any(WIDGET_MIME in o.get("data", {}) for o in outputs)


@pytest.mark.kernel
@pytest.mark.parametrize("name", sorted(CASES))
def test_interactive_run_builds_the_form_without_error(
    name: str, example_dir: Path, tmp_path
) -> None:
    before = {p.name: p.read_bytes() for p in (example_dir / "opportunities").iterdir()}
    book = _run(name, tmp_path / name, data_dir=str(example_dir), now=EXAMPLE_NOW, **CASES[name][0])
    outputs = _outputs(book)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any(WIDGET_MIME in o.get("data", {}) for o in outputs)
    after = {p.name: p.read_bytes() for p in (example_dir / "opportunities").iterdir()}
    assert after == before, "opening a form must not change any opportunity"


@pytest.mark.kernel
def test_an_empty_data_dir_means_the_followup_data_folder(
    example_dir: Path, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_DATA", str(example_dir))
    book = _run("00_dashboard.ipynb", tmp_path / "out.ipynb", now=EXAMPLE_NOW, interactive=False)
    html = "".join(o.get("data", {}).get("text/html", "") for o in _outputs(book))
    assert "Northwind Logistics" in html


@pytest.mark.kernel
def test_an_unknown_opportunity_fails_the_headless_run_and_says_why(
    example_dir: Path, tmp_path
) -> None:
    with pytest.raises(PapermillExecutionError) as caught:
        _run(
            "02_debrief.ipynb",
            tmp_path / "out.ipynb",
            data_dir=str(example_dir),
            opportunity_id="no-such-job",
            interactive=False,
        )
    assert caught.value.ename == "NotFound"
    assert "no opportunity 'no-such-job'" in caught.value.evalue


@pytest.mark.kernel
def test_autosave_fires_in_a_real_kernel_after_the_last_change(example_dir: Path) -> None:
    """The debounce is scheduled on the kernel's own event loop and runs between messages."""
    from jupyter_client.manager import start_new_kernel

    path = example_dir / "opportunities" / "northwind-data-analyst.yaml"
    manager, client = start_new_kernel(kernel_name=KERNEL)
    try:
        setup = textwrap.dedent(
            f"""
            from followup.clock import parse_now
            from followup.forms.debrief import DebriefForm
            from followup.storage.workbook import Workbook
            book = Workbook({str(example_dir)!r})
            form = DebriefForm(book, book.get("northwind-data-analyst"),
                               parse_now({EXAMPLE_NOW!r}), autosave_seconds=0.2)
            form.notes.widget.value = "Saved while nobody clicked"
            print(form.debouncer.pending)
            """
        )
        reply = client.execute_interactive(setup, timeout=60, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok"
        assert "Saved while nobody clicked" not in path.read_text(encoding="utf-8")
        saved = False
        for _ in range(100):  # bounded: the kernel gets up to ~20 s to autosave
            reply = client.execute_interactive(
                "print(form.status.value)", timeout=30, output_hook=lambda msg: None
            )
            if "Saved while nobody clicked" in path.read_text(encoding="utf-8"):
                saved = True
                break
            time.sleep(0.2)
        assert saved, "autosave never wrote the change"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_committed_notebooks_are_thin_and_without_outputs(name: str) -> None:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert all(len(c.source.splitlines()) <= 8 for c in code)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_parameter_is_typed_and_documented_for_papermill(name: str) -> None:
    inferred = papermill.inspect_notebook(str(NOTEBOOKS / name))
    assert {"data_dir", "now", "interactive"} <= set(inferred)
    for parameter in inferred.values():
        assert parameter["inferred_type_name"] in ("str", "bool", "float"), parameter
        assert parameter["help"], f"{name}: {parameter['name']} has no comment"
    assert json.loads(inferred["data_dir"]["default"]) == ""
