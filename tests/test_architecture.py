"""Layering rules from STYLE.md, enforced."""

from __future__ import annotations

import ast
from pathlib import Path

import accord

PACKAGE = Path(accord.__file__).parent


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_protocol_core_knows_neither_the_web_framework_nor_the_database() -> None:
    for path in (PACKAGE / "protocol").rglob("*.py"):
        bad = {n for n in imports(path) if n.split(".")[0] in ("starlette", "sqlalchemy")}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_google_names_live_only_in_the_google_package() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "google" in path.relative_to(PACKAGE).parts[:1]:
            continue
        assert "googleapis" not in path.read_text(), path.relative_to(PACKAGE)


def test_templates_are_autoescaped() -> None:
    """Jinja2Templates turns autoescape on for .html; no template opts out."""
    for path in (PACKAGE / "templates").glob("*.html"):
        text = path.read_text()
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text


def test_protocol_core_knows_neither_the_pages_nor_the_web_layer() -> None:
    """The authorization flow returns which page to show; it knows no page or URL."""
    for path in (PACKAGE / "protocol").rglob("*.py"):
        bad = {n for n in imports(path)
               if n.startswith(("accord.interaction", "accord.web", "accord.composition"))}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_web_layer_does_not_import_the_pages() -> None:
    """The authorization endpoint renders the flow's result (``accord.protocol.flow``);
    the pages call the web layer, never the other way round."""
    for path in (PACKAGE / "web").rglob("*.py"):
        bad = {n for n in imports(path) if n.startswith("accord.interaction")}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_modules_stay_under_300_lines() -> None:
    """Small modules (issue 9): split a module when it grows a second concern."""
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        lines = len(path.read_text().splitlines())
        assert lines < 300, f"{path.relative_to(PACKAGE)} has {lines} lines"
