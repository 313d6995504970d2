"""A service account's public keys at Google's paths (the key file's client_x509_cert_url),
verified by google-auth against the real server, on every backend."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import google.auth.jwt
import google.auth.transport.requests
import pytest
import requests
from google.oauth2 import id_token, service_account

from accord.services import Operator
from accord.storage.service_accounts import SqlServiceAccounts
from tests.conftest import Server

OPERATOR = Operator()
AUDIENCE = "https://app.example.com/"


def new_account(server: Server) -> str:
    project_id = server.new_project()
    account = "sa-" + uuid.uuid4().hex[:8]
    return server.admin.service_accounts.create(OPERATOR, project_id, account).email


def key_file(server: Server, email: str) -> tuple[Path, dict[str, str]]:
    new = server.admin.service_accounts.create_key(OPERATOR, email, server.url)
    path = server.data_dir / f"key-{new.key.key_id}.json"
    path.write_text(new.key_file_json)
    return path, new.key_file


def signed(path: Path) -> str:
    """A JWT signed by google-auth with the key file's private key (header kid = its id)."""
    creds = service_account.Credentials.from_service_account_file(str(path))
    now = int(time.time())
    payload = {"iss": creds.service_account_email, "sub": creds.service_account_email,
               "aud": AUDIENCE, "iat": now, "exp": now + 600}
    return google.auth.jwt.encode(creds.signer, payload).decode()


def urls(server: Server, email: str) -> dict[str, str]:
    quoted = quote(email, safe="")
    return {
        "robot": f"{server.url}/robot/v1/metadata/x509/{quoted}",
        "x509": f"{server.url}/service_accounts/v1/metadata/x509/{email}",
        "jwk": f"{server.url}/service_accounts/v1/metadata/jwk/{quoted}",
    }


def test_a_key_file_signature_verifies_with_the_published_keys(server: Server) -> None:
    email = new_account(server)
    path, config = key_file(server, email)
    assert config["client_x509_cert_url"] == urls(server, email)["robot"]
    token = signed(path)
    robot = requests.get(config["client_x509_cert_url"], timeout=10)
    assert robot.status_code == 200 and list(robot.json()) == [config["private_key_id"]]
    assert robot.headers["Cache-Control"].startswith("public, max-age=")
    assert "Expires" in robot.headers
    claims = google.auth.jwt.decode(token, certs=robot.json(), audience=AUDIENCE)
    assert claims["iss"] == email
    assert requests.get(urls(server, email)["x509"], timeout=10).json() == robot.json()
    request = google.auth.transport.requests.Request()
    for kind in ("robot", "x509", "jwk"):
        verified = id_token.verify_token(token, request, audience=AUDIENCE,
                                         certs_url=urls(server, email)[kind])
        assert verified["sub"] == email, kind


def test_the_jwk_set(server: Server) -> None:
    email = new_account(server)
    _, config = key_file(server, email)
    response = requests.get(urls(server, email)["jwk"], timeout=10)
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    (key,) = response.json()["keys"]
    assert key["kid"] == config["private_key_id"]
    assert (key["kty"], key["alg"], key["use"], key["e"]) == ("RSA", "RS256", "sig", "AQAB")
    assert len(key["n"]) == 342  # 2048 bits, base64url


def test_every_enabled_key_is_published_disabled_and_deleted_ones_are_not(
    server: Server,
) -> None:
    email = new_account(server)
    sa = server.admin.service_accounts
    first, one = key_file(server, email)
    second, two = key_file(server, email)
    store = SqlServiceAccounts(server.admin.engine, b"k" * 32)
    system_kid, _ = store.signing_key(store.service_account(email).pk,  # type: ignore[union-attr]
                                      int(time.time()))

    def published() -> tuple[set[str], set[str]]:
        x509 = requests.get(urls(server, email)["robot"], timeout=10).json()
        jwks = requests.get(urls(server, email)["jwk"], timeout=10).json()["keys"]
        return set(x509), {k["kid"] for k in jwks}

    everything = {one["private_key_id"], two["private_key_id"], system_kid}
    assert published() == (everything, everything)
    sa.disable_key(OPERATOR, email, one["private_key_id"])
    rest = everything - {one["private_key_id"]}
    assert published() == (rest, rest)
    sa.delete_key(OPERATOR, email, two["private_key_id"])
    assert published() == ({system_kid}, {system_kid})
    with pytest.raises(ValueError):  # the disabled key's signature no longer verifies
        google.auth.jwt.decode(signed(first), certs=requests.get(
            urls(server, email)["robot"], timeout=10).json(), audience=AUDIENCE)
    assert second.exists()


def test_unknown_and_deleted_accounts_are_404_in_googles_shape(server: Server) -> None:
    email = new_account(server)
    key_file(server, email)
    server.admin.service_accounts.delete(OPERATOR, email)
    unknown = f"nobody-{uuid.uuid4().hex[:6]}@p.iam.gserviceaccount.com"
    for who in (email, unknown):
        for url in urls(server, who).values():
            response = requests.get(url, timeout=10)
            assert response.status_code == 404, url
            error = response.json()["error"]
            assert error["code"] == 404 and error["status"] == "NOT_FOUND"
            assert error["message"] == f"Not found; Gaia id not found for email {who}"
            assert error["errors"][0]["reason"] == "notFound"


def test_the_account_may_be_named_by_its_unique_id(server: Server) -> None:
    email = new_account(server)
    _, config = key_file(server, email)
    response = requests.get(urls(server, config["client_id"])["robot"], timeout=10)
    assert list(response.json()) == [config["private_key_id"]]
    assert json.loads(json.dumps(response.json()))  # plain JSON object
