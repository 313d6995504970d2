"""Node's google-auth-library ``JWT`` client (service accounts) against Accord: the key file
made by Accord, an access token, Drive through the client's own request(), delegation and
an ID token. tests/node/sa_jwt.mjs says how its hard-coded Google URL is redirected (a
gaxios request interceptor: only URLs change)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from tests.conftest import DRIVE_META, ROOT, Server
from tests.e2e.service_accounts.support import OP, Account, delegations, new_account
from tests.policy_helpers import new_org, org_user

NODE_DIR = ROOT / "tests" / "node"
SCRIPT = NODE_DIR / "sa_jwt.mjs"
PACKAGE = NODE_DIR / "node_modules" / "google-auth-library" / "package.json"


@pytest.fixture(scope="module", autouse=True)
def _node() -> None:
    reason = None
    if shutil.which("node") is None:
        reason = "node is not installed (scripts/install-system-deps.sh installs it)"
    elif not PACKAGE.exists():
        reason = "tests/node/node_modules is missing (scripts/install-system-deps.sh runs npm ci)"
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"google-auth-library is required in CI: {reason}")
    pytest.skip(reason)


def _run(server: Server, account: Account, **env: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        ["node", str(SCRIPT)], cwd=NODE_DIR, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"], "ACCORD": server.url, "KEY_FILE": str(account.key_file),
             "SCOPES": DRIVE_META, **env},
    )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr
    return done.returncode, json.loads(lines[-1])


@pytest.fixture(scope="module")
def account(server: Server) -> Account:
    return new_account(server)


def test_node_jwt_client_gets_a_token_and_calls_drive(server: Server, account: Account) -> None:
    code, out = _run(server, account)
    assert code == 0, out
    assert out["token"].startswith("ya29.")
    assert (out["tokeninfo"]["azp"], out["tokeninfo"]["scope"]) == (account.unique_id, DRIVE_META)
    assert out["files"]["kind"] == "drive#fileList" and out["files"]["files"]


def test_node_jwt_client_with_a_subject(server: Server, account: Account) -> None:
    org_id, domain = new_org(server)
    delegations(server).add(OP, org_id, account.unique_id, [DRIVE_META])
    user = org_user(server, org_id, domain)
    code, out = _run(server, account, SUBJECT=user)
    assert code == 0, out
    assert out["tokeninfo"]["aud"] == account.unique_id
    assert out["tokeninfo"]["sub"] != account.unique_id
    code, out = _run(server, account, SUBJECT="ghost@" + domain)
    assert code == 1
    assert out["error"]["data"] == {
        "error": "invalid_grant", "error_description": "Invalid email or User ID"}


def test_node_jwt_client_fetches_an_id_token(server: Server, account: Account) -> None:
    import jwt

    code, out = _run(server, account, TARGET_AUDIENCE="https://run.example/")
    assert code == 0, out
    claims = jwt.decode(out["id_token"], options={"verify_signature": False})
    assert (claims["aud"], claims["sub"], claims["email"]) == (
        "https://run.example/", account.unique_id, account.email)
