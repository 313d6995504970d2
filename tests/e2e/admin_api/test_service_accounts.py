"""The admin API's service accounts (issue 10), in Google's IAM REST shapes: accounts,
keys (the key file in ``privateKeyData``, once), IAM policies, and an organization's
domain-wide delegation; with real admin-scoped tokens, and the refusals in Google's
error envelope."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from cryptography import x509

from accord.clock import SystemClock
from accord.services import Operator, Projects
from accord.services.orgs import Organizations
from tests.conftest import PASSWORD, Server, World
from tests.e2e.admin_api.support import Admin, admin_for
from tests.e2e.console.test_service_accounts import KEY_FILE_FIELDS, certificate_pem

TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"


def sa_path(project: str, account: str = "") -> str:
    return f"/projects/{project}/serviceAccounts" + (f"/{account}" if account else "")


def create(admin: Admin, project: str, account_id: str = "", **about: str) -> dict[str, object]:
    account_id = account_id or "sa-" + uuid.uuid4().hex[:10]
    body: dict[str, object] = {"accountId": account_id}
    if about:
        body["serviceAccount"] = about
    made = admin("POST", sa_path(project), body)
    assert made.status_code == 200, made.text
    found: dict[str, object] = made.json()
    return found


def test_service_account_lifecycle(owner: Admin, project: str) -> None:
    """create, get (by email and by unique ID), list, disable, enable, delete, undelete:
    Google's resource and answers (Empty for the switches, restoredAccount)."""
    account = create(owner, project, "ci-runner", displayName="CI", description="nightly")
    email = f"ci-runner@{project}.iam.gserviceaccount.com"
    unique_id = str(account["uniqueId"])
    assert account["name"] == f"projects/{project}/serviceAccounts/{email}"
    assert account["email"] == email and account["projectId"] == project
    assert account["oauth2ClientId"] == unique_id and len(unique_id) == 21
    assert account["displayName"] == "CI" and account["description"] == "nightly"
    assert "disabled" not in account
    assert owner("GET", sa_path(project, email)).json() == account
    assert owner("GET", sa_path(project, unique_id)).json() == account
    assert owner("GET", sa_path(project)).json() == {"accounts": [account]}

    assert owner("POST", sa_path(project, email) + ":disable").json() == {}
    assert owner("GET", sa_path(project, email)).json()["disabled"] is True
    assert owner("POST", sa_path(project, email) + ":enable").json() == {}
    assert "disabled" not in owner("GET", sa_path(project, email)).json()
    assert owner("DELETE", sa_path(project, email)).json() == {}
    gone = owner("GET", sa_path(project, email))
    assert gone.status_code == 404 and gone.json()["error"]["status"] == "NOT_FOUND"
    assert owner("GET", sa_path(project)).json() == {"accounts": []}
    restored = owner("POST", sa_path(project, unique_id) + ":undelete")
    assert restored.status_code == 200, restored.text
    assert restored.json() == {"restoredAccount": account}


def test_service_account_patch(owner: Admin, project: str) -> None:
    """Google's PATCH: the members named by updateMask (or all those given) change."""
    account = create(owner, project, displayName="Old", description="kept")
    path = sa_path(project, str(account["uniqueId"]))
    renamed = owner("PATCH", path, {"serviceAccount": {"displayName": "New",
                                                        "description": "ignored"},
                                    "updateMask": "displayName"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["displayName"] == "New" and renamed.json()["description"] == "kept"
    cleared = owner("PATCH", path, {"serviceAccount": {"description": ""}}).json()
    assert "description" not in cleared and cleared["displayName"] == "New"
    bad = owner("PATCH", path, {"serviceAccount": {}, "updateMask": "email"})
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "updateMask"
    long = owner("PATCH", path, {"serviceAccount": {"displayName": "x" * 101}})
    assert long.status_code == 400


def test_service_account_refusals(server: Server, owner: Admin, project: str,
                                  stranger: Admin) -> None:
    """A wrong account ID 400 (with the field named), a taken one 409, an unknown
    account 404, a viewer may read but not create (403), a stranger sees nothing (404)."""
    bad = owner("POST", sa_path(project), {"accountId": "Bad_ID"})
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["details"][0]["fieldViolations"][0]["field"] == "accountId"
    short = owner("POST", sa_path(project), {"accountId": "abc"})
    assert short.status_code == 400
    unknown = owner("POST", sa_path(project), {"accountId": "sa-abcdef", "x": 1})
    assert unknown.status_code == 400
    create(owner, project, "taken-one")
    taken = owner("POST", sa_path(project), {"accountId": "taken-one"})
    assert taken.status_code == 409 and taken.json()["error"]["status"] == "ALREADY_EXISTS"
    missing = owner("GET", sa_path(project, f"nobody-here@{project}.iam.gserviceaccount.com"))
    assert missing.status_code == 404
    assert owner("GET", sa_path(project, "1" * 21)).status_code == 404

    viewer_world = server.new_world()
    Projects(server.admin.engine, SystemClock()).add_member(
        Operator(), project, viewer_world.email, "viewer")
    viewer = admin_for(server, viewer_world)
    assert viewer("GET", sa_path(project)).status_code == 200
    refused = viewer("POST", sa_path(project), {"accountId": "viewer-made"})
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["status"] == "PERMISSION_DENIED"
    email = f"taken-one@{project}.iam.gserviceaccount.com"
    assert viewer("POST", sa_path(project, email) + ":disable").status_code == 403
    assert stranger("GET", sa_path(project)).status_code == 404
    assert stranger("GET", sa_path(project, email)).status_code == 404
    other = server.new_project()
    assert owner("GET", sa_path(other, email)).status_code == 404  # not that project's


def test_service_account_keys(server: Server, owner: Admin, project: str) -> None:
    """keys.create answers the key file once (privateKeyData, base64, §1.14's fields in
    order); list and get never carry a private half; upload, disable, enable, delete."""
    account = create(owner, project)
    keys = sa_path(project, str(account["email"])) + "/keys"
    made = owner("POST", keys, {"privateKeyType": "TYPE_GOOGLE_CREDENTIALS_FILE"})
    assert made.status_code == 200, made.text
    key = made.json()
    assert key["privateKeyType"] == "TYPE_GOOGLE_CREDENTIALS_FILE"
    assert key["keyType"] == "USER_MANAGED" and key["keyOrigin"] == "GOOGLE_PROVIDED"
    key_file = json.loads(base64.b64decode(key["privateKeyData"]))
    assert list(key_file) == KEY_FILE_FIELDS
    key_id = key_file["private_key_id"]
    assert key["name"] == f"{account['name']}/keys/{key_id}"
    assert key_file["client_id"] == account["uniqueId"]
    assert key_file["token_uri"] == server.url + "/token"

    listed = owner("GET", keys).json()["keys"]
    mine = [k for k in listed if k["name"].endswith(key_id)]
    assert len(mine) == 1 and "privateKeyData" not in mine[0]
    got = owner("GET", f"{keys}/{key_id}").json()
    assert got == mine[0]
    assert owner("POST", f"{keys}/{key_id}:disable").json() == {}
    assert owner("GET", f"{keys}/{key_id}").json()["disabled"] is True
    assert owner("POST", f"{keys}/{key_id}:enable").json() == {}
    assert owner("DELETE", f"{keys}/{key_id}").json() == {}
    assert owner("GET", f"{keys}/{key_id}").status_code == 404
    assert owner("POST", f"{keys}/{'0' * 40}:disable").status_code == 404

    pem = certificate_pem()
    upload = owner("POST", keys + ":upload",
                   {"publicKeyData": base64.b64encode(pem.encode()).decode()})
    assert upload.status_code == 200, upload.text
    assert upload.json()["keyOrigin"] == "USER_PROVIDED"
    assert "privateKeyData" not in upload.json()
    cert = x509.load_pem_x509_certificate(pem.encode())
    assert upload.json()["validBeforeTime"].startswith(str(cert.not_valid_after_utc.year))
    for junk in ("not base64!", base64.b64encode(b"not a certificate").decode()):
        refused = owner("POST", keys + ":upload", {"publicKeyData": junk})
        assert refused.status_code == 400, refused.text


def test_service_account_iam_policy(server: Server, owner: Admin, project: str) -> None:
    """getIamPolicy, then setIamPolicy with the etag read; a stale etag is refused (409);
    an unknown role or a malformed member 400."""
    account = create(owner, project)
    path = sa_path(project, str(account["email"]))
    empty = owner("POST", path + ":getIamPolicy").json()
    assert empty["version"] == 1 and "bindings" not in empty
    member = f"user:{owner.email}"
    policy = {"bindings": [{"role": TOKEN_CREATOR, "members": [member]}],
              "etag": empty["etag"]}
    written = owner("POST", path + ":setIamPolicy", {"policy": policy})
    assert written.status_code == 200, written.text
    assert written.json()["bindings"] == [{"role": TOKEN_CREATOR, "members": [member]}]
    assert owner("POST", path + ":getIamPolicy", {}).json() == written.json()
    stale = owner("POST", path + ":setIamPolicy", {"policy": {"etag": empty["etag"]}})
    assert stale.status_code == 409
    cleared = owner("POST", path + ":setIamPolicy",
                    {"policy": {"bindings": [], "etag": written.json()["etag"]}})
    assert "bindings" not in cleared.json()
    for binding in ({"role": "roles/nope", "members": [member]},
                    {"role": TOKEN_CREATOR, "members": ["bob"]}):
        bad = owner("POST", path + ":setIamPolicy", {"policy": {"bindings": [binding]}})
        assert bad.status_code == 400, bad.text


@pytest.fixture
def org_admin(server: Server) -> tuple[str, Admin]:
    suffix = uuid.uuid4().hex[:10]
    org_id, domain = f"dwd-{suffix}", f"dwd{suffix}.com"
    orgs = Organizations(server.admin.engine, SystemClock())
    orgs.create(Operator(), org_id, "Delegating Inc", [domain])
    email = f"boss@{domain}"
    server.admin.create_user(email, PASSWORD, "Boss")
    orgs.add_admin(Operator(), org_id, email)
    client = server.new_client(server.new_project())
    return org_id, admin_for(server, World(email, PASSWORD, "", client))


def test_domain_wide_delegation(org_admin: tuple[str, Admin], owner: Admin, project: str,
                                stranger: Admin) -> None:
    org_id, admin = org_admin
    account = create(owner, project)
    path = f"/organizations/{org_id}/delegations"
    assert admin("GET", path).json() == {"delegations": []}
    drive = "https://www.googleapis.com/auth/drive.metadata.readonly"
    entry = admin("PUT", path, {"clientId": account["uniqueId"], "scopes": [drive]})
    assert entry.status_code == 200, entry.text
    assert entry.json()["clientId"] == account["uniqueId"]
    assert entry.json()["scopes"] == [drive]
    assert admin("GET", path).json()["delegations"] == [entry.json()]
    bad = admin("PUT", path, {"clientId": "12345", "scopes": [drive]})
    assert bad.status_code == 400
    assert stranger("GET", path).status_code == 404
    assert admin("DELETE", f"{path}/{account['uniqueId']}").json() == {}
    assert admin("GET", path).json() == {"delegations": []}
    assert admin("DELETE", f"{path}/{account['uniqueId']}").status_code == 404
