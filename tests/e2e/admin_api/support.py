"""Helpers of the admin API's tests (/admin/v1, issues 3 and 4): a JSON client holding a token
from a real OAuth flow (google_auth_oauthlib through Accord's pages, the admin scope), and
Google's error envelope.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests

from accord.google.scopes import ADMIN
from tests.conftest import Server, World
from tests.flows import authorize

PREFIX = "/admin/v1"


@dataclass
class Admin:
    """One signed-in account calling the admin API with its token."""

    base: str
    email: str
    token: str | None

    def __call__(
        self, method: str, path: str, body: Any = None, *, data: bytes | None = None,
        headers: dict[str, str] | None = None, token: str | None = None,
    ) -> requests.Response:
        sent = dict(headers or {})
        if token or self.token:
            sent.setdefault("Authorization", f"Bearer {token or self.token}")
        return requests.request(
            method, self.base + path, json=body, data=data, headers=sent, timeout=10
        )


def token_for(server: Server, world: World, wanted: tuple[str, ...] = (ADMIN,)) -> str:
    flow, _ = authorize(server, world, ["openid", "email", *wanted])
    return str(flow.credentials.token)


def admin_for(server: Server, world: World, wanted: tuple[str, ...] = (ADMIN,)) -> Admin:
    return Admin(server.url + PREFIX, world.email, token_for(server, world, wanted))


def new_project_id() -> str:
    return "adm-" + uuid.uuid4().hex[:12]


def error(code: int, status: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}
