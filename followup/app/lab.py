"""JupyterLab's side: notebooks are saved without outputs, and open unmodified.

`make lab` and the config that `followup notebooks DIR` writes set
`ContentsManager.pre_save_hook = "followup.app.lab.keep_clean"`. A saved notebook keeps its
cells, their tags and the kernel it runs on; outputs, execution counts, widget state and
per-machine metadata are dropped, so saving a committed notebook leaves it byte for byte as it was.

They also set `ServerApp.contents_manager_class` to `CleanContentsManager`: a notebook is handed to
JupyterLab with the language details its kernel will report (this Python's version among them),
so starting the kernel changes nothing and closing an untouched notebook asks nothing.
"""

from __future__ import annotations

import platform
from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

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


def language_info() -> dict[str, Any]:
    """What an IPython kernel of this Python reports about its language, as JupyterLab stores it."""
    return {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": platform.python_version(),
    }


class CleanContentsManager(AsyncLargeFileManager):
    """Jupyter server's contents manager, handing out notebooks as their kernel will see them."""

    async def get(self, path: str, content: bool = True, type: Any = None, **kwargs: Any) -> Any:
        model = await super().get(path, content=content, type=type, **kwargs)
        if model.get("type") == "notebook" and content and model.get("content") is not None:
            model["content"].metadata["language_info"] = language_info()
        return model
