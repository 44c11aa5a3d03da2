"""Shared constants and helpers for tests, importable as `support` (tests/ is on sys.path)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "example"
#: The moment the example workbook is written for (the evening after Northwind's onsite).
EXAMPLE_NOW = "2026-11-26T18:00:00+01:00"


def in_ci() -> bool:
    """CI sets CI=true: there, a missing browser or kernel is a failure, never a skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, what: str) -> None:
    """Skip locally when a real part is missing; fail in CI."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{what} is missing, and CI needs it")
    pytest.skip(f"{what} is missing")
