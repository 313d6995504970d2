"""Helpers of the demo APIs' tests: client-library services, credentials, Google's error bodies."""

from __future__ import annotations

import json
import time
from typing import Any

import requests
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from accord.google import scopes
from accord.google.identifiers import TOKEN_FORMAT
from accord.protocol.tokens import TokenMinter
from accord.settings import Settings
from tests.conftest import CALENDAR_RO, DRIVE_META, Server, World
from tests.flows import authorize

DISCOVERY_URL = "/discovery/v1/apis/{api}/{apiVersion}/rest"
SEE = (
    "Expected OAuth 2 access token, login cookie or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
DRIVE_SCOPES = sorted(
    scopes.AUTH + s
    for s in (
        "drive",
        "drive.readonly",
        "drive.metadata",
        "drive.metadata.readonly",
        "drive.file",
        "drive.appdata",
    )
)


def service(server: Server, api: str, version: str, creds: Credentials) -> Any:
    return build(
        api,
        version,
        credentials=creds,
        discoveryServiceUrl=server.url + DISCOVERY_URL,
        static_discovery=False,
        cache_discovery=False,
    )


def credentials(server: Server, world: World, wanted: list[str] | None = None) -> Credentials:
    flow, _ = authorize(server, world, wanted or [DRIVE_META, CALENDAR_RO])
    creds: Credentials = flow.credentials
    return creds


def http_error_body(exc: HttpError) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc.content)
    return body


def expired_twin(server: Server, token: str) -> str:
    """The same grant's access token, sealed with the server's key but expired a minute ago."""
    minter = TokenMinter(Settings.from_env(server.env).subkey("access-token"), TOKEN_FORMAT)
    claims = minter.open_access(token)
    assert claims is not None
    return minter.seal_access(claims.authorization_pk, int(time.time()) - 60, claims.scopes)


def project_number(world: World) -> str:
    return world.client.client_id.split("-", 1)[0]  # client IDs start with the project number


def assert_invalid_value(server: Server, token: str | None, name: str, value: str) -> None:
    """Drive's 400 for a parameter value it cannot use."""
    response = requests.get(
        f"{server.url}/drive/v3/files",
        params={name: value},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400, (name, value)
    assert response.json() == {
        "error": {
            "code": 400,
            "message": "Invalid Value",
            "errors": [
                {
                    "message": "Invalid Value",
                    "domain": "global",
                    "reason": "invalid",
                    "location": name,
                    "locationType": "parameter",
                }
            ],
        }
    }
