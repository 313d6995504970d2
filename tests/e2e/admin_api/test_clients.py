"""The admin API's OAuth clients: secrets shown once, client_secret.json, changes, rotation."""

from __future__ import annotations

from typing import Any

from google_auth_oauthlib.flow import Flow

from tests.conftest import PASSWORD, REDIRECT_URI, Client, Server, World
from tests.e2e.admin_api.support import (
    Admin,
    token_for,
)


# Clients ------------------------------------------------------------------------------
def _new_client(owner: Admin, project: str, **extra: Any) -> dict[str, Any]:
    body = {"displayName": "web", "redirectUris": [REDIRECT_URI], **extra}
    response = owner("POST", f"/projects/{project}/clients", body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_client_secret_is_shown_once_then_never_again(owner: Admin, project: str) -> None:
    created = _new_client(owner, project)
    secret, client_id = created.pop("clientSecret"), created["clientId"]
    assert secret.startswith("GOCSPX-") and created["status"] == "active"
    later = [
        owner("GET", f"/clients/{client_id}"),
        owner("GET", f"/projects/{project}/clients"),
        owner("GET", f"/clients/{client_id}/secrets"),
        owner("GET", f"/clients/{client_id}/clientSecretJson"),
        owner("PATCH", f"/clients/{client_id}", {"displayName": "renamed"}),
    ]
    for response in later:
        assert response.status_code == 200 and secret not in response.text
    assert later[0].json() == created
    assert later[2].json()["secrets"][0]["hint"] == secret[-4:]


def test_client_secret_json_loads_in_google_auth_oauthlib_and_signs_in(
    server: Server, owner: Admin, project: str
) -> None:
    """The downloaded file, with the secret shown at creation put in, drives a real flow."""
    created = _new_client(owner, project)
    config = owner("GET", f"/clients/{created['clientId']}/clientSecretJson").json()
    assert "client_secret" not in config["web"]
    assert config["web"]["token_uri"] == server.url + "/token"
    config["web"]["client_secret"] = created["clientSecret"]
    flow = Flow.from_client_config(config, scopes=["openid"])
    assert flow.client_config["client_id"] == created["clientId"]
    client = Client(created["clientId"], created["clientSecret"], project, config, server.data_dir)
    world = World(owner.email, PASSWORD, "", client)
    assert token_for(server, world, wanted=()).startswith("ya29.")


def test_desktop_client_secret_json_is_installed(owner: Admin, project: str) -> None:
    created = _new_client(owner, project, type="desktop", redirectUris=[])
    config = owner("GET", f"/clients/{created['clientId']}/clientSecretJson").json()
    assert config["installed"]["redirect_uris"] == ["http://localhost"]
    Flow.from_client_config(config, scopes=["openid"])


def test_client_changed_disabled_deleted_restored(owner: Admin, project: str) -> None:
    client_id = _new_client(owner, project)["clientId"]
    path = f"/clients/{client_id}"
    uris = [REDIRECT_URI, "https://app.example.com/cb"]
    patched = owner("PATCH", path, {"redirectUris": uris}).json()
    assert patched["redirectUris"] == uris
    bad = owner("PATCH", path, {"redirectUris": ["http://app.example.com/cb"]})
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "redirectUris"
    assert owner("POST", path + ":disable").json()["status"] == "disabled"
    assert owner("POST", path + ":enable").json()["status"] == "active"
    deleted = owner("DELETE", path).json()
    assert deleted["status"] == "deleted" and deleted["restorableUntil"]
    assert owner("PATCH", path, {"displayName": "x"}).status_code == 400
    assert owner("POST", path + ":undelete").json()["status"] == "active"


def test_secrets_rotate_with_at_most_two_enabled(owner: Admin, project: str) -> None:
    client_id = _new_client(owner, project)["clientId"]
    path = f"/clients/{client_id}/secrets"
    first = owner("GET", path).json()["secrets"][0]["secretId"]
    second = owner("POST", path).json()
    assert second["secret"].startswith("GOCSPX-") and second["enabled"] is True
    assert second["hint"] == second["secret"][-4:]
    assert owner("POST", path).status_code == 400  # a third enabled secret
    assert second["secret"] not in owner("GET", path).text
    assert owner("DELETE", f"{path}/{first}").status_code == 400  # still enabled
    assert owner("POST", f"{path}/{first}:disable").json()["enabled"] is False
    assert owner("DELETE", f"{path}/{first}").json() == {}
    assert [s["secretId"] for s in owner("GET", path).json()["secrets"]] == [second["secretId"]]
    assert owner("POST", f"{path}/999999:enable").status_code == 404
