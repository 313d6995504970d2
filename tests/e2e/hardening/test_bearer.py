"""Issue 12: one credential per request.

RFC 6750 §2: a client "MUST NOT use more than one method to transmit the token in each
request": a token in the ``Authorization`` header and another in the query or the body is
refused (400 invalid_request, in each endpoint's own error shape). Two ``Authorization``
headers are refused wherever one is read (until now the first won). All through the real
server; the tokens come from a full flow through google_auth_oauthlib.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from tests.conftest import DRIVE_META, Server
from tests.e2e.admin_api.support import PREFIX, token_for
from tests.e2e.bad_input import assert_json_error, basic
from tests.flows import authorize

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def token(server: Server) -> str:
    flow, _ = authorize(server, server.new_world(), ["openid", "email", DRIVE_META])
    return str(flow.credentials.token)


@pytest.fixture(scope="module")
def admin_token(server: Server) -> str:
    return token_for(server, server.new_world())


def raw(server: Server, method: str, path: str, headers: list[tuple[str, str]],
        body: str = "") -> tuple[int, dict[str, str], bytes]:
    """A request with exactly these header lines (requests cannot repeat a header)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.putrequest(method, path)
        for name, value in headers:
            conn.putheader(name, value)
        if body:
            conn.putheader("Content-Type", FORM)
            conn.putheader("Content-Length", str(len(body.encode())))
        conn.endheaders(body.encode() if body else None)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def google_api_400(status: int, body: bytes) -> str:
    """The Google API envelope of a 400 (reference §1.22): its message."""
    assert status == 400, body
    error = json.loads(body)["error"]
    assert error["code"] == 400 and error["errors"][0]["reason"] == "badRequest", error
    return str(error["message"])


# A token in the header and in the query or body -------------------------------------------
@pytest.mark.parametrize("path", ["/tokeninfo", "/oauth2/v3/tokeninfo"])
def test_tokeninfo_refuses_header_and_parameter(server: Server, token: str, path: str) -> None:
    header = {"Authorization": f"Bearer {token}"}
    for response in (
        requests.get(server.url + path, params={"access_token": token}, headers=header),
        requests.post(server.url + path, data={"access_token": token}, headers=header),
    ):
        assert_json_error(response, 400, "invalid_request", "more than one way")
    # Either one alone still works.
    assert requests.get(server.url + path, headers=header).status_code == 200
    assert requests.get(server.url + path, params={"access_token": token}).status_code == 200


@pytest.mark.parametrize("path", ["/v1/userinfo", "/oauth2/v3/userinfo", "/oauth2/v2/userinfo"])
def test_userinfo_refuses_header_and_parameter(server: Server, token: str, path: str) -> None:
    header = {"Authorization": f"Bearer {token}"}
    response = requests.get(server.url + path, params={"access_token": token}, headers=header)
    assert "more than one way" in google_api_400(response.status_code, response.content)
    if path != "/oauth2/v2/userinfo":  # the OpenID endpoints also take POST (OIDC Core §5.3.1)
        response = requests.post(server.url + path, data={"access_token": token}, headers=header)
        assert "more than one way" in google_api_400(response.status_code, response.content)
        alone = requests.post(server.url + path, data={"access_token": token})
        assert alone.status_code == 200, alone.text
    assert requests.get(server.url + path, headers=header).status_code == 200


@pytest.mark.parametrize("name", ["access_token", "oauth_token"])
def test_demo_apis_refuse_header_and_parameter(server: Server, token: str, name: str) -> None:
    header = {"Authorization": f"Bearer {token}"}
    url = server.url + "/drive/v3/files"
    response = requests.get(url, params={name: token}, headers=header)
    assert "more than one way" in google_api_400(response.status_code, response.content)
    assert requests.get(url, params={name: token}).status_code == 200
    assert requests.get(url, headers=header).status_code == 200


def test_admin_api_refuses_a_token_in_the_query_too(server: Server, admin_token: str) -> None:
    """The admin API takes the header only; a token in the query as well is a 400."""
    response = requests.get(server.url + PREFIX + "/projects",
                            params={"access_token": admin_token},
                            headers={"Authorization": f"Bearer {admin_token}"})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


# Two Authorization headers -----------------------------------------------------------------
def _twice(value: str) -> list[tuple[str, str]]:
    return [("Authorization", value), ("Authorization", "Bearer ya29.someone-else")]


@pytest.mark.parametrize("path", ["/tokeninfo", "/oauth2/v3/tokeninfo"])
def test_two_authorization_headers_at_tokeninfo(server: Server, token: str, path: str) -> None:
    status, headers, body = raw(server, "GET", path, _twice(f"Bearer {token}"))
    assert status == 400 and json.loads(body)["error"] == "invalid_request", body
    assert "more than once" in json.loads(body)["error_description"]


@pytest.mark.parametrize("path", ["/v1/userinfo", "/oauth2/v2/userinfo", "/drive/v3/files"])
def test_two_authorization_headers_at_resource_apis(server: Server, token: str, path: str) -> None:
    status, _, body = raw(server, "GET", path, _twice(f"Bearer {token}"))
    assert "more than once" in google_api_400(status, body)


def test_two_authorization_headers_at_the_admin_api(server: Server, admin_token: str) -> None:
    status, _, body = raw(server, "GET", PREFIX + "/projects", _twice(f"Bearer {admin_token}"))
    assert status == 400, body
    error = json.loads(body)["error"]
    assert error["status"] == "INVALID_ARGUMENT" and "more than once" in error["message"]


def test_two_authorization_headers_at_the_token_endpoint(server: Server) -> None:
    world = server.new_world()
    good = basic(world.client.client_id, world.client.client_secret)["Authorization"]
    body = urlencode({"grant_type": "refresh_token", "refresh_token": "1//x"})
    status, _, answer = raw(server, "POST", "/token", [("Authorization", good),
                                                       ("Authorization", good)], body)
    assert status == 400 and json.loads(answer)["error"] == "invalid_request", answer
    # One header: the request is read (and refused for its refresh token only).
    status, _, answer = raw(server, "POST", "/token", [("Authorization", good)], body)
    assert (status, json.loads(answer)["error"]) == (400, "invalid_grant"), answer


def test_two_authorization_headers_at_revoke(server: Server, token: str) -> None:
    body = urlencode({"token": token})
    status, _, answer = raw(server, "POST", "/revoke", _twice("Bearer x"), body)
    assert status == 400 and json.loads(answer)["error"] == "invalid_request", answer
    # The token was not revoked by the refused request.
    assert requests.get(server.url + "/tokeninfo", params={"access_token": token}).ok
