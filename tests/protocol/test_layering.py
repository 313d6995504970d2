"""The core reaches into the Google dialect only for its wording, and that wording needs
nothing else: ``accord.google.wording`` imports nothing from Accord."""

from __future__ import annotations

from pathlib import Path

import accord
from tests.test_architecture import imports

PACKAGE = Path(accord.__file__).parent


def test_the_core_takes_only_googles_wording_from_the_dialect() -> None:
    for path in (PACKAGE / "protocol").rglob("*.py"):
        dialect = {n for n in imports(path) if n.startswith("accord.google")}
        assert dialect <= {"accord.google"}, f"{path.relative_to(PACKAGE)} imports {dialect}"
        if dialect:
            assert "from accord.google import wording" in path.read_text()


def test_googles_wording_imports_nothing_of_accord() -> None:
    names = imports(PACKAGE / "google" / "wording.py")
    assert not {n for n in names if n.startswith("accord")}
