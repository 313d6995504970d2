"""The demo APIs' discovery documents, as googleapiclient reads them (reference §1.24)."""

from __future__ import annotations

import pytest
import requests
from googleapiclient.discovery import build
from googleapiclient.errors import UnknownApiNameOrVersion

from accord.google import scopes
from accord.google.apis import discovery
from tests.conftest import Server
from tests.e2e.apis.support import (
    DISCOVERY_URL,
    DRIVE_SCOPES,
)


# Discovery ---------------------------------------------------------------------------
@pytest.mark.parametrize(("api", "version"), [("drive", "v2"), ("drive", "v3"), ("calendar", "v3")])
def test_google_1_24_discovery_documents_point_back_at_accord(
    server: Server, api: str, version: str
) -> None:
    """§1.24: googleapiclient builds its client from the discovery document, so rootUrl must
    name Accord's issuer for the calls to come back to it."""
    response = requests.get(f"{server.url}/discovery/v1/apis/{api}/{version}/rest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    doc = response.json()
    assert doc["kind"] == "discovery#restDescription"
    assert (doc["discoveryVersion"], doc["id"], doc["name"], doc["version"]) == (
        "v1",
        f"{api}:{version}",
        api,
        version,
    )
    assert doc["protocol"] == "rest"
    assert doc["rootUrl"] == server.url + "/"
    assert doc["servicePath"] == f"{api}/{version}/"
    assert doc["baseUrl"] == f"{server.url}/{api}/{version}/"
    assert set(doc["auth"]["oauth2"]["scopes"]) <= set(scopes.REGISTRY)


def test_google_1_22_unknown_discovery_document_is_not_found(server: Server) -> None:
    """An API Accord does not serve answers 404 in Google's error envelope, which makes
    googleapiclient give up with UnknownApiNameOrVersion."""
    for path in ("/discovery/v1/apis/gmail/v1/rest", "/discovery/v1/apis/drive/v9/rest"):
        response = requests.get(server.url + path)
        assert response.status_code == 404
        assert response.json() == {
            "error": {
                "code": 404,
                "message": "Not Found",
                "errors": [{"message": "Not Found", "domain": "global", "reason": "notFound"}],
            }
        }
    with pytest.raises(UnknownApiNameOrVersion):
        build(
            "gmail",
            "v1",
            discoveryServiceUrl=server.url + DISCOVERY_URL,
            static_discovery=False,
            cache_discovery=False,
        )


def test_discovery_method_scopes_are_scopes_accord_can_grant() -> None:
    """The documents' scopes are what the guard enforces; each must be grantable."""
    found = list(discovery.methods())
    assert {(m.api.name, m.version, m.id) for m in found} >= {
        ("drive", "v3", "drive.files.list"),
        ("drive", "v3", "drive.files.get"),
        ("drive", "v2", "drive.files.list"),
        ("drive", "v2", "drive.files.get"),
        ("calendar", "v3", "calendar.events.list"),
    }
    for method in found:
        assert method.scopes and method.scopes <= set(scopes.REGISTRY)
        assert {scopes.describe(s).api for s in method.scopes} == {method.api.name}
        if method.api.name == "drive":
            assert sorted(method.scopes) == DRIVE_SCOPES
