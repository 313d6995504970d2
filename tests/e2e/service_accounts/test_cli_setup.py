"""Everything set up through the real ``accord`` command, then used through google-auth
and googleapiclient unchanged: the key file of ``accord service-accounts keys create``, and
domain-wide delegation authorized by ``accord orgs delegation add`` (issue 10, "Done when")."""

from __future__ import annotations

import json
import uuid

import requests
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account

from tests.conftest import PASSWORD, Server
from tests.e2e.apis.support import service
from tests.e2e.service_accounts.support import EMAIL_SCOPE, refresh

DRIVE = "https://www.googleapis.com/auth/drive.metadata.readonly"


def _json(server: Server, *args: str) -> dict[str, object]:
    out: dict[str, object] = json.loads(server.cli(*args).stdout)
    return out


def test_a_key_file_from_the_cli_works_unchanged_with_google_auth(server: Server) -> None:
    project = "p-" + uuid.uuid4().hex[:10]
    server.cli("projects", "create", project)
    server.cli("apis", "enable", project, "drive")
    made = _json(server, "service-accounts", "create", project, "cli-robot", "--display-name",
                 "CLI robot")
    email, unique_id = str(made["email"]), str(made["uniqueId"])
    path = server.data_dir / f"cli-key-{uuid.uuid4().hex[:6]}.json"
    key = _json(server, "service-accounts", "keys", "create", email, "--output", str(path))
    info = json.loads(path.read_text())
    assert info["private_key_id"] == str(key["name"]).rsplit("/", 1)[1]
    assert info["token_uri"] == server.url + "/token"

    creds = service_account.Credentials.from_service_account_file(
        str(path), scopes=[DRIVE, EMAIL_SCOPE])
    drive = service(server, "drive", "v3", creds)
    assert drive.files().list().execute()["kind"] == "drive#fileList"
    tokeninfo = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token},
                             timeout=30).json()
    assert (tokeninfo["azp"], tokeninfo["email"]) == (unique_id, email)

    # Domain-wide delegation, authorized from the command line.
    org_id = "org-" + uuid.uuid4().hex[:8]
    domain = f"{org_id}.com"
    server.cli("orgs", "create", org_id, "--name", "CLI Corp", "--domain", domain)
    user = f"ann@{domain}"
    server.cli("orgs", "users", "create", org_id, user, "--password", PASSWORD)
    delegated = creds.with_scopes([DRIVE]).with_subject(user)
    try:
        refresh(delegated)
    except RefreshError as exc:  # not yet authorized: Google's unauthorized_client
        assert exc.args[1]["error"] == "unauthorized_client"
    else:
        raise AssertionError("delegation worked before the organization authorized it")
    server.cli("orgs", "delegation", "add", org_id, unique_id, "--scope", DRIVE)
    refresh(delegated)
    me = requests.get(server.url + "/tokeninfo", params={"access_token": delegated.token},
                      timeout=30).json()
    assert (me["aud"], me["scope"]) == (unique_id, DRIVE)
    owner = service(server, "drive", "v3", delegated).files().list(
        fields="files(owners)").execute()["files"][0]["owners"][0]
    assert owner["emailAddress"] == user

    # Disabled from the command line: no more tokens.
    server.cli("service-accounts", "disable", email)
    try:
        refresh(service_account.Credentials.from_service_account_file(str(path), scopes=[DRIVE]))
    except RefreshError as exc:
        assert exc.args[1] == {"error": "invalid_grant",
                               "error_description": "Robot is disabled."}
    else:
        raise AssertionError("a disabled account got a token")
