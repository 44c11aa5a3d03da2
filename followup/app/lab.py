"""JupyterLab's save hook: notebooks are saved without outputs, so no answer ends up in them.

`make lab` and the config that `followup notebooks DIR` writes set
`ContentsManager.pre_save_hook = "followup.app.lab.keep_clean"`. A saved notebook keeps its
cells, their tags and the kernel it runs on; outputs, execution counts, widget state and
per-machine metadata are dropped, so saving a committed notebook leaves it byte for byte as it was.
"""

from __future__ import annotations

from typing import Any

#: The one kernel every workbook notebook names.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: Cell metadata worth keeping: tags mark the papermill parameters and the report's summary.
CELL_METADATA = ("tags",)


def clean(notebook: dict[str, Any]) -> dict[str, Any]:
    """Strip outputs, execution counts and volatile metadata from a notebook dict, in place."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        metadata = cell.get("metadata") or {}
        cell["metadata"] = {k: metadata[k] for k in CELL_METADATA if metadata.get(k)}
    notebook["metadata"] = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    return notebook


def keep_clean(model: dict[str, Any], path: str = "", **kwargs: Any) -> None:
    """Jupyter server's `pre_save_hook`: clean every notebook before it is written."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        clean(model["content"])
