"""A report re-runs when the code it is made from changes: its modules are found, not listed."""

from __future__ import annotations

from pathlib import Path

from followup.reports import batch

ROOT = Path(batch.__file__).resolve().parents[1]


def test_the_report_inputs_follow_the_imports_of_the_report_module():
    names = {p.relative_to(ROOT).as_posix() for p in batch.report_modules()}
    assert {"__init__.py", "reports/round_report.py", "core/model.py", "core/formats.py"} <= names
    assert "storage/workbook.py" in names  # the report loads the workbook
    assert not any(n.startswith(("forms/", "cli/", "app/server")) for n in names), names


def test_the_code_version_names_the_package_version():
    from followup import __version__

    assert batch.code_version().startswith(f"{__version__}+")
