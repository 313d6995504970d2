"""The console tests' project owner."""

from __future__ import annotations

import pytest

from tests.conftest import Server
from tests.e2e.console.support import (
    Console,
)


@pytest.fixture
def owner(server: Server) -> Console:
    return Console(server, "Olive Owner")
