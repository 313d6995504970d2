"""Service accounts, keys and delegations for the end-to-end tests, made through the same
services the console, the admin API and the CLI call; and assertions signed by hand with a
key file's private key (to forge what google-auth never sends)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from google.auth.transport.requests import Request
from google.oauth2 import service_account

from accord.services import Delegations, Operator, ServiceAccounts
from tests.conftest import DRIVE_META, Server

OP = Operator()
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GOOGLE_AUD = "https://oauth2.googleapis.com/token"
EMAIL_SCOPE = "https://www.googleapis.com/auth/userinfo.email"


@dataclass
class Account:
    email: str
    unique_id: str
    project_id: str
    key_id: str
    key_file: Path

    @property
    def info(self) -> dict[str, str]:
        data: dict[str, str] = json.loads(self.key_file.read_text())
        return data

    def credentials(self, scopes: list[str] | None = None) -> service_account.Credentials:
        creds: service_account.Credentials = (
            service_account.Credentials.from_service_account_file(
                str(self.key_file), scopes=scopes or [DRIVE_META]
            )
        )
        return creds


def accounts(server: Server) -> ServiceAccounts:
    return ServiceAccounts(server.admin.engine, server.admin.clock)


def delegations(server: Server) -> Delegations:
    return Delegations(server.admin.engine, server.admin.clock)


def new_key(server: Server, email: str) -> tuple[str, Path]:
    made = accounts(server).create_key(OP, email, server.issuer)
    path = server.data_dir / f"key-{uuid.uuid4().hex[:8]}.json"
    path.write_text(made.key_file_json)
    return made.key.key_id, path


def new_account(
    server: Server, project_id: str | None = None, apis: tuple[str, ...] = ("drive", "calendar")
) -> Account:
    project_id = project_id or server.new_project(apis=apis)
    view = accounts(server).create(OP, project_id, "sa-" + uuid.uuid4().hex[:10], "Robot")
    key_id, path = new_key(server, view.email)
    return Account(view.email, view.unique_id, project_id, key_id, path)


def refresh(creds: Any) -> None:
    creds.refresh(Request())


# Hand-made assertions --------------------------------------------------------------------
def claims(account: Account, **kw: object) -> dict[str, object]:
    now = int(time.time())
    base: dict[str, object] = {
        "iss": account.email, "aud": GOOGLE_AUD, "iat": now, "exp": now + 3600,
        "scope": DRIVE_META,
    }
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def sign(account: Account, payload: dict[str, object], *, key_of: Account | None = None) -> str:
    """RS256 with ``key_of``'s key file (default: the account's own), its kid in the header."""
    info = (key_of or account).info
    return jwt.encode(
        payload, info["private_key"], algorithm="RS256", headers={"kid": info["private_key_id"]}
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(account: Account, payload: dict[str, object]) -> str:
    """``alg: none`` (RFC 7519 §6): no signature at all."""
    header = {"alg": "none", "typ": "JWT", "kid": account.key_id}
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}."


def hs256_with_public_key(account: Account, payload: dict[str, object]) -> str:
    """The algorithm-confusion forgery: HMAC keyed with the account's public key PEM."""
    private = serialization.load_pem_private_key(account.info["private_key"].encode(), None)
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": account.key_id}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    mac = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def post_assertion(server: Server, assertion: str) -> requests.Response:
    return requests.post(
        server.url + "/token", data={"grant_type": GRANT_TYPE, "assertion": assertion},
        timeout=30,
    )


def refusal(server: Server, assertion: str) -> tuple[int, dict[str, Any]]:
    answer = post_assertion(server, assertion)
    return answer.status_code, answer.json()
