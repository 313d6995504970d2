"""``accord.storage`` owns every SQL statement: nothing else imports SQLAlchemy."""

from __future__ import annotations

import ast
from pathlib import Path

import accord

PACKAGE = Path(accord.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_storage_imports_sqlalchemy() -> None:
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "storage":
            continue
        bad = {n for n in _imports(path) if n.split(".")[0] == "sqlalchemy"}
        assert not bad, f"{relative} imports {bad}"


def test_storage_modules_stay_small() -> None:
    for path in (PACKAGE / "storage").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        lines = len(path.read_text().splitlines())
        assert lines < 300, f"{path.relative_to(PACKAGE)} has {lines} lines"
