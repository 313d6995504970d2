"""The admin API tests' callers: a project owner, a stranger, and a fresh project."""

from __future__ import annotations

import pytest

from tests.conftest import Server
from tests.e2e.admin_api.support import (
    Admin,
    admin_for,
    new_project_id,
)


@pytest.fixture
def owner(server: Server) -> Admin:
    return admin_for(server, server.new_world())


@pytest.fixture
def stranger(server: Server) -> Admin:
    return admin_for(server, server.new_world())


@pytest.fixture
def project(owner: Admin) -> str:
    project_id = new_project_id()
    assert owner("POST", "/projects", {"projectId": project_id, "name": "Admin App"}).ok
    return project_id
