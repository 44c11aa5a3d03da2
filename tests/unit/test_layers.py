"""The package's layers, as docs/architecture.md draws them: no circle between packages, nothing
below the faces imports a face, and the pure core imports only itself."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import followup

ROOT = Path(followup.__file__).resolve().parent
#: The faces: pages, the app and the command line. Nothing below them imports them.
FACES = {"forms", "app", "cli", "__main__"}
#: The pure core: what each of its packages may import (besides itself).
PURE = {"core": set(), "steps": {"core"}}


def _package(path: Path) -> str:
    relative = path.relative_to(ROOT)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports() -> dict[str, set[str]]:
    """Each package (or top-level module) of followup, and the others it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        here = _package(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("followup."):
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("followup.")]
            for name in names:
                there = name.split(".")[1]
                if there != here:
                    graph[here].add(there)
    return graph


def test_no_two_packages_import_each_other_even_through_others():
    graph = imports()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for step in graph.get(start, ()):
            if step == goal or (step not in seen and reaches(step, goal, seen | {step})):
                return True
        return False

    circles = sorted(p for p in graph if reaches(p, p, {p}))
    assert circles == [], f"packages in an import circle: {circles}"


def test_nothing_below_the_faces_imports_a_face():
    wrong = {p: sorted(t & FACES) for p, t in imports().items() if p not in FACES and t & FACES}
    assert wrong == {}, wrong


def test_the_pure_core_imports_only_the_core():
    graph = imports()
    for package, allowed in PURE.items():
        assert graph.get(package, set()) <= allowed, (package, graph.get(package))
