"""Shared constants and helpers for tests, importable as `support` (tests/ is on sys.path)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
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


def kernel_ready(name: str = "python3") -> bool:
    """True when ipykernel and the named kernel spec are installed (papermill needs both)."""
    try:
        import ipykernel  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager

        KernelSpecManager().get_kernel_spec(name)
    except Exception:
        return False
    return True


#: Debian's Chromium: tests never use a browser downloaded by Playwright.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Python Playwright; skips locally, fails in CI if missing."""
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Python Playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def run_followup(
    *args: str, env: dict | None = None, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """`python -m followup ARGS` in a real process, without the caller's $FOLLOWUP_DATA."""
    inherited = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_DATA"}
    return subprocess.run(
        [sys.executable, "-m", "followup", *args],
        capture_output=True,
        text=True,
        env={**inherited, **(env or {})},
        cwd=cwd,
        timeout=timeout,
    )


def jupyter_server_args(port: int, root: Path) -> list[str]:
    """A Jupyter server for a test: loopback, no token, serving `root`, and saving notebooks
    without outputs through the repository's jupyter_server_config.py, as `make lab` does."""
    return [
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={root}",
        f"--config={ROOT / 'jupyter_server_config.py'}",
    ]
