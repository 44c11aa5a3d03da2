"""A report re-runs when the code it is made from changes: the list of its modules is complete."""

from __future__ import annotations

import ast
from pathlib import Path

from followup import batch

PACKAGE = Path(batch.__file__).resolve().parent


def followup_imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("followup"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("followup."))
    return found


def test_every_module_the_report_imports_is_part_of_its_inputs():
    seen, todo = set(), ["report"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(followup_imports(module) - seen)
    assert seen | {"__init__"} <= set(batch.REPORT_MODULES)


def test_the_code_version_names_the_package_version():
    from followup import __version__

    assert batch.code_version().startswith(f"{__version__}+")
