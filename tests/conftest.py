"""Shared fixtures: the example workbook, copied so no test touches the committed files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import EXAMPLE


@pytest.fixture
def example_dir(tmp_path: Path) -> Path:
    """A private copy of data/example."""
    target = tmp_path / "workbook"
    shutil.copytree(EXAMPLE, target)
    return target
