"""``accord service-accounts ...`` and ``accord orgs delegation ...`` through the real
command (subprocesses), on every backend: JSON in the IAM API's field names, a key file
(mode 0600) that google-auth signs with and the server's published keys verify."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import google.auth.jwt
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.oauth2 import service_account

from accord.services import Operator
from tests.conftest import PASSWORD, Server

TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"


def run(server: Server, *args: str) -> object:
    return json.loads(server.cli(*args).stdout)


def refusal(server: Server, *args: str) -> str:
    result = server.cli(*args, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("accord: error: ") and "Traceback" not in result.stderr
    return result.stderr


def write_certificate(path: Path) -> None:
    key = rsa.generate_private_key(65537, 2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "uploaded")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def test_accounts_and_keys_through_the_command(server: Server) -> None:
    project = server.new_project()
    account = "ci-" + uuid.uuid4().hex[:8]
    made = run(server, "service-accounts", "create", project, account, "--display-name", "CI")
    assert isinstance(made, dict)
    email = f"{account}@{project}.iam.gserviceaccount.com"
    assert list(made) == ["name", "projectId", "uniqueId", "email", "displayName", "etag",
                          "oauth2ClientId"]
    assert made["name"] == f"projects/{project}/serviceAccounts/{email}"
    assert made["email"] == email and made["displayName"] == "CI"
    unique_id = made["uniqueId"]
    assert len(unique_id) == 21 and unique_id == made["oauth2ClientId"]
    assert run(server, "service-accounts", "list", project) == [made]
    assert run(server, "service-accounts", "describe", unique_id) == made

    path = server.data_dir / f"{uuid.uuid4().hex}.json"
    key = run(server, "service-accounts", "keys", "create", email, "--output", str(path))
    assert isinstance(key, dict) and "privateKeyData" not in key
    assert path.stat().st_mode & 0o777 == 0o600
    config = json.loads(path.read_text())
    assert key["name"].endswith("/keys/" + config["private_key_id"])
    assert (config["client_email"], config["client_id"]) == (email, unique_id)
    assert config["token_uri"] == server.url + "/token"
    # google-auth signs with the file; the server's published certificates verify it.
    creds = service_account.Credentials.from_service_account_file(str(path))
    now = int(time.time())
    token = google.auth.jwt.encode(creds.signer, {
        "iss": email, "aud": "x", "iat": now, "exp": now + 60}).decode()
    certs = requests.get(config["client_x509_cert_url"], timeout=10).json()
    assert google.auth.jwt.decode(token, certs=certs, audience="x")["iss"] == email

    pem = server.data_dir / f"{uuid.uuid4().hex}.pem"
    write_certificate(pem)
    uploaded = run(server, "service-accounts", "keys", "upload", email, "--certificate", str(pem))
    assert isinstance(uploaded, dict) and uploaded["keyOrigin"] == "USER_PROVIDED"
    listed = run(server, "service-accounts", "keys", "list", email, "--key-type", "USER_MANAGED")
    assert [k["name"] for k in listed] == [key["name"], uploaded["name"]]  # type: ignore[index, union-attr]
    uploaded_id = uploaded["name"].rsplit("/", 1)[1]
    off = run(server, "service-accounts", "keys", "disable", email, uploaded_id)
    assert off["disabled"] is True  # type: ignore[index]
    assert "disabled" not in run(server, "service-accounts", "keys", "enable", email, uploaded_id)  # type: ignore[operator]
    assert run(server, "service-accounts", "keys", "delete", email, uploaded_id) == {}
    assert len(run(server, "service-accounts", "keys", "list", email)) == 1  # type: ignore[arg-type]

    assert run(server, "service-accounts", "disable", email)["disabled"] is True  # type: ignore[index]
    assert "disabled" not in run(server, "service-accounts", "enable", email)  # type: ignore[operator]
    assert run(server, "service-accounts", "delete", email) == {}
    assert run(server, "service-accounts", "list", project) == []
    assert run(server, "service-accounts", "undelete", unique_id) == made


def test_iam_policy_and_delegation_through_the_command(server: Server) -> None:
    project = server.new_project()
    email = run(server, "service-accounts", "create", project,
                "dwd-" + uuid.uuid4().hex[:8])["email"]  # type: ignore[index]
    empty = run(server, "service-accounts", "get-iam-policy", email)
    assert isinstance(empty, dict) and list(empty) == ["version", "etag"]
    policy = run(server, "service-accounts", "add-iam-policy-binding", email,
                 "--member", "user:ann@example.com", "--role", TOKEN_CREATOR)
    assert policy["bindings"] == [  # type: ignore[index]
        {"role": TOKEN_CREATOR, "members": ["user:ann@example.com"]}]
    base64.b64decode(policy["etag"], validate=True)  # type: ignore[index]
    assert run(server, "service-accounts", "get-iam-policy", email) == policy
    after = run(server, "service-accounts", "remove-iam-policy-binding", email,
                "--member", "user:ann@example.com", "--role", TOKEN_CREATOR)
    assert "bindings" not in after  # type: ignore[operator]

    domain = f"org{uuid.uuid4().hex[:8]}.com"
    org_id = domain.split(".")[0]
    server.cli("orgs", "create", org_id, "--name", "Org", "--domain", domain)
    unique_id = run(server, "service-accounts", "describe", email)["uniqueId"]  # type: ignore[index]
    added = run(server, "orgs", "delegation", "add", org_id, unique_id,
                "--scope", "https://www.googleapis.com/auth/drive.readonly", "--scope", "openid")
    assert added["clientId"] == unique_id and added["serviceAccount"] == email  # type: ignore[index]
    assert added["scopes"] == ["https://www.googleapis.com/auth/drive.readonly", "openid"]  # type: ignore[index]
    assert [d["clientId"] for d in run(server, "orgs", "delegation", "list", org_id)] == [  # type: ignore[index, union-attr]
        unique_id]
    assert run(server, "orgs", "delegation", "remove", org_id, unique_id) == {}
    assert run(server, "orgs", "delegation", "list", org_id) == []


def test_refusals_are_sentences(server: Server) -> None:
    project = server.new_project()
    email = run(server, "service-accounts", "create", project,
                "ref-" + uuid.uuid4().hex[:8])["email"]  # type: ignore[index]
    for _ in range(10):
        server.admin.service_accounts.create_key(Operator(), email, server.url)
    garbage = server.data_dir / "garbage.pem"
    garbage.write_text("hello")
    cases = [
        (["service-accounts", "create", project, "Bad_Name"], "6 to 30 characters"),
        (["service-accounts", "create", project, email.split("@")[0]], "already exists"),
        (["service-accounts", "describe", "nobody@x.iam.gserviceaccount.com"], "not found"),
        (["service-accounts", "keys", "create", email, "--output",
          str(server.data_dir / "k.json")], "Precondition check failed"),
        (["service-accounts", "keys", "upload", email, "--certificate",
          str(server.data_dir / "missing.pem")], "Cannot read the certificate"),
        (["service-accounts", "keys", "upload", email, "--certificate", str(garbage)],
         "not a PEM-encoded X.509 certificate"),
        (["service-accounts", "add-iam-policy-binding", email, "--member", "ann@example.com",
          "--role", TOKEN_CREATOR], "Invalid member"),
        (["service-accounts", "add-iam-policy-binding", email, "--member", "user:a@example.com",
          "--role", "roles/wizard"], "not supported for this resource"),
        (["orgs", "delegation", "add", "no-such-org", "123456789012345678901", "--scope",
          "openid"], "not found"),
    ]
    for args, message in cases:
        said = refusal(server, *args)
        assert message in said, (args, said)
        assert said.rstrip().endswith("."), said
    assert not (server.data_dir / "k.json").exists()


def test_as_an_account_with_its_project_roles(server: Server) -> None:
    owner, _ = server.new_user()
    viewer, _ = server.new_user()
    project = "sa-" + uuid.uuid4().hex[:8]
    server.cli("--as", owner, "projects", "create", project, "--name", "Owned")
    server.cli("--as", owner, "projects", "members", "add", project, viewer, "--role", "viewer")
    email = run(server, "--as", owner, "service-accounts", "create", project,
                "own-" + uuid.uuid4().hex[:8])["email"]  # type: ignore[index]
    assert run(server, "--as", viewer, "service-accounts", "describe", email)["email"] == email  # type: ignore[index]
    said = refusal(server, "--as", viewer, "service-accounts", "disable", email)
    assert "editor role" in said
    stranger, _ = server.new_user()
    assert "not found" in refusal(server, "--as", stranger, "service-accounts", "describe", email)
    assert PASSWORD
