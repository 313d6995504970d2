"""Issue 12: failed client-secret attempts at the token endpoint are throttled per client,
from each address (ACCORD_CLIENT_SECRET_MAX_PER_ADDRESS) and in all
(ACCORD_CLIENT_SECRET_MAX_PER_CLIENT), in the sign-in counters' table: on SQLite and
PostgreSQL, through the real server and google-auth's refresh.

Past a limit the token endpoint answers 429 ``rate_limit_exceeded`` (JSON, with
``Retry-After``) before any secret is compared: the right secret is refused too.
"""

from __future__ import annotations

import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials

from tests.conftest import DRIVE_META, Server, World
from tests.e2e.bad_input import assert_json_error, basic
from tests.e2e.hardening.conftest import MakeServer, session_from
from tests.flows import authorize


@pytest.fixture(scope="module")
def srv(make_server: MakeServer) -> Server:
    return make_server(ACCORD_CLIENT_SECRET_MAX_PER_ADDRESS="3",
                       ACCORD_CLIENT_SECRET_MAX_PER_CLIENT="5")


def refresh_form(world: World, refresh_token: str, secret: str) -> dict[str, str]:
    return {"grant_type": "refresh_token", "refresh_token": refresh_token,
            "client_id": world.client.client_id, "client_secret": secret}


def credentials(srv: Server) -> tuple[World, Credentials]:
    world = srv.new_world()
    flow, _ = authorize(srv, world, [DRIVE_META])
    return world, flow.credentials


def test_wrong_secrets_from_one_address_are_throttled(srv: Server) -> None:
    world, creds = credentials(srv)
    url = srv.url + "/token"
    for _ in range(3):
        wrong = requests.post(url, data=refresh_form(world, creds.refresh_token, "GOCSPX-no"))
        assert_json_error(wrong, 401, "invalid_client")
    right = requests.post(url, data=refresh_form(world, creds.refresh_token,
                                                 world.client.client_secret))
    assert_json_error(right, 429, "rate_limit_exceeded", "Too many failed client authentication")
    assert int(right.headers["retry-after"]) > 0
    # Through Basic as well (the same client id), and through google-auth's refresh.
    limited = requests.post(url, data={"grant_type": "refresh_token",
                                       "refresh_token": creds.refresh_token},
                            headers=basic(world.client.client_id, world.client.client_secret))
    assert_json_error(limited, 429, "rate_limit_exceeded")
    with pytest.raises(RefreshError, match="rate_limit_exceeded"):
        creds.refresh(Request())


def test_other_clients_and_other_addresses_are_not_affected(srv: Server) -> None:
    world, creds = credentials(srv)
    other, other_creds = credentials(srv)
    url = srv.url + "/token"
    for _ in range(3):
        requests.post(url, data=refresh_form(world, creds.refresh_token, "GOCSPX-no"))
    assert requests.post(url, data=refresh_form(world, creds.refresh_token,
                                                world.client.client_secret)).status_code == 429
    other_creds.refresh(Request())  # another client, from the same address
    assert other_creds.valid
    # The throttled client's own owner, from another address, still gets tokens.
    elsewhere = session_from("127.0.0.2").post(
        url, data=refresh_form(world, creds.refresh_token, world.client.client_secret))
    assert elsewhere.status_code == 200, elsewhere.text


def test_the_per_client_ceiling_spans_addresses(srv: Server) -> None:
    """3 failures from one address and 2 from another reach the client's ceiling of 5:
    then every address is refused, even with the right secret."""
    world, creds = credentials(srv)
    url = srv.url + "/token"
    for address, count in (("127.0.0.3", 3), ("127.0.0.4", 2)):
        http = session_from(address)
        for _ in range(count):
            wrong = http.post(url, data=refresh_form(world, creds.refresh_token, "GOCSPX-no"))
            assert wrong.status_code == 401
    right = session_from("127.0.0.5").post(
        url, data=refresh_form(world, creds.refresh_token, world.client.client_secret))
    assert_json_error(right, 429, "rate_limit_exceeded")


def test_unknown_client_ids_are_counted_too(srv: Server) -> None:
    url = srv.url + "/token"
    form = {"grant_type": "refresh_token", "refresh_token": "1//x",
            "client_id": "1-nosuch.apps.googleusercontent.com", "client_secret": "x"}
    http = session_from("127.0.0.6")
    for _ in range(3):
        assert_json_error(http.post(url, data=form), 401, "invalid_client")
    assert_json_error(http.post(url, data=form), 429, "rate_limit_exceeded")


def test_client_secret_limits_are_settings() -> None:
    from accord.settings import Settings

    env = {"ACCORD_SECRET_KEY": "k" * 40, "ACCORD_DATABASE_URL": "sqlite://",
           "ACCORD_CLIENT_SECRET_MAX_PER_ADDRESS": "7", "ACCORD_CLIENT_SECRET_MAX_PER_CLIENT": "70"}
    settings = Settings.from_env(env)
    assert (settings.client_secret_max_per_address, settings.client_secret_max_per_client) == (7, 70)
    defaults = Settings.from_env({k: v for k, v in env.items() if "CLIENT" not in k})
    assert (defaults.client_secret_max_per_address, defaults.client_secret_max_per_client) == (
        10, 100)
