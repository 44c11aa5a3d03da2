"""The notebooks that ship with followup: where they live, and copying them out for JupyterLab.

In the repository they sit in `notebooks/`; an installed package carries the same files as
`followup.notebooks` (pyproject.toml maps one onto the other), so `followup app` and
`followup report` find them from any folder.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from followup.core.errors import FollowupError, UsageError
from followup.storage.files import atomic_write

PACKAGE = "followup.notebooks"
#: The page the app opens on; its presence marks a folder as the workbook's notebooks.
DASHBOARD = "00_dashboard.ipynb"
REPORT = "report.ipynb"
#: The prep sheet of an upcoming round, run by `followup prep` and `followup report`.
PREP = "prep.ipynb"
#: Notebooks made to be run into pages by `followup report`: templates, not pages of the app.
TEMPLATES = frozenset({REPORT, PREP})
#: The config JupyterLab reads to keep the person's data out of saved notebooks.
LAB_CONFIG = "jupyter_server_config.py"


def notebooks_folder() -> Path:
    """The folder holding the workbook's notebooks: the installed package's, else the checkout's."""
    candidates: list[Path] = []
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(location) for location in spec.submodule_search_locations]
    candidates.append(Path(__file__).resolve().parents[1] / "notebooks")
    for folder in candidates:
        if (folder / DASHBOARD).is_file():
            return folder
    raise FollowupError(
        f"the workbook's notebooks are missing from this installation (looked in "
        f"{', '.join(str(c) for c in candidates)}); reinstall followup"
    )


def notebook_path(name: str) -> Path:
    """One of the workbook's notebooks by file name, e.g. 'report.ipynb'."""
    return notebooks_folder() / name


def shipped_notebooks() -> list[Path]:
    """Every notebook that ships with followup, in the order of their names."""
    return sorted(notebooks_folder().glob("*.ipynb"))


@dataclass
class Copied:
    """What `copy_notebooks` did: the files written, and those left alone because they exist."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def lab_config_text() -> str:
    """A `jupyter_server_config.py` whose save hook keeps outputs out of saved notebooks."""
    return (
        "# Read by `jupyter lab --config=<this file>`: every notebook is saved without its\n"
        "# outputs, so your answers never end up inside the notebook files.\n"
        'c.ContentsManager.pre_save_hook = "followup.app.lab.keep_clean"\n'
        "# A notebook opens as its kernel will see it: untouched, closing it asks nothing.\n"
        'c.ServerApp.contents_manager_class = "followup.app.lab.CleanContentsManager"\n'
    )


def copy_notebooks(target: Path, *, overwrite: bool = False) -> Copied:
    """Copy the notebooks (and a JupyterLab config that keeps them clean) into `target`.

    An existing file is kept unless `overwrite`: a notebook someone edited is never replaced.
    """
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: is a file (expected a folder to copy the notebooks into)")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target}: cannot create the folder ({exc.strerror})") from None
    done = Copied()
    files = [(source.name, source.read_bytes()) for source in shipped_notebooks()]
    files.append((LAB_CONFIG, lab_config_text().encode("utf-8")))
    for name, content in files:
        destination = target / name
        if destination.exists() and not overwrite:
            done.kept.append(destination)
            continue
        try:
            atomic_write(destination, content)
        except OSError as exc:
            raise UsageError(f"{destination}: cannot write ({exc.strerror})") from None
        done.written.append(destination)
    return done
