"""The admin API's OpenAPI document."""

from __future__ import annotations

import requests

from accord.google.scopes import ADMIN
from tests.conftest import Server
from tests.e2e.admin_api.support import (
    PREFIX,
)


# The document -------------------------------------------------------------------------
def test_openapi_document_is_public_and_describes_every_operation(server: Server) -> None:
    """GET /admin/v1/openapi.json needs no token; each operation documents its success
    and its errors with schemas."""
    from accord.adminapi import OPS

    doc = requests.get(server.url + PREFIX + "/openapi.json", timeout=10).json()
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": server.url + PREFIX}]
    flows = doc["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]
    assert list(flows["scopes"]) == [ADMIN]
    for op in OPS:
        described = doc["paths"][op.path][op.method.lower()]
        assert described["operationId"] == op.name
        assert {"200", "400", "401", "403"} <= set(described["responses"])
    assert len([m for p in doc["paths"].values() for m in p]) == len(OPS)
