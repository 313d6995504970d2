"""Adversarial input at revocation (RFC 7009 §2.2.1; reference §1.5): a failed revocation
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from tests.conftest import DRIVE_META, Server
from tests.e2e.bad_input import (
    INVALID_VALUE,
    SQLITE_ONLY,
    assert_json_error,
    flip_middle,
    tokeninfo,
)
from tests.flows import authorize


# Revocation (RFC 7009; reference §1.5) -------------------------------------------------------
@dataclass(frozen=True)
class BadRevoke:
    id: str
    build: Callable[[str], dict[str, Any]]
    status: int
    error: str


REVOKE_CASES = [
    BadRevoke("missing_token_post", lambda t: {"method": "POST", "data": {}}, 400, "invalid_token"),
    BadRevoke("missing_token_get", lambda t: {"method": "GET"}, 400, "invalid_token"),
    BadRevoke("empty_token", lambda t: {"method": "POST", "data": {"token": ""}}, 400,
              "invalid_token"),
    BadRevoke("garbage_token", lambda t: {"method": "POST", "data": {"token": "garbage"}}, 400,
              "invalid_token"),
    BadRevoke("truncated_token", lambda t: {"method": "POST", "data": {"token": t[:-6]}}, 400,
              "invalid_token"),
    BadRevoke("tampered_token", lambda t: {"method": "GET", "params": {"token": flip_middle(t)}},
              400, "invalid_token"),
    BadRevoke("token_twice_in_body", lambda t: {"method": "POST", "data": [("token", t),
              ("token", t)]}, 400, "invalid_request"),
    BadRevoke("token_in_query_and_body", lambda t: {"method": "POST", "params": {"token": t},
              "data": {"token": t}}, 400, "invalid_request"),
    BadRevoke("text_plain_body", lambda t: {"method": "POST", "data": f"token={t}",
              "headers": {"Content-Type": "text/plain"}}, 400, "invalid_request"),
    BadRevoke("json_body", lambda t: {"method": "POST", "json": {"token": t}}, 400,
              "invalid_request"),
    BadRevoke("too_many_parameters", lambda t: {"method": "POST", "data": [("token", t)] + [
              (f"x{i}", "") for i in range(70)]}, 400, "invalid_request"),
    BadRevoke("put_method", lambda t: {"method": "PUT", "data": {"token": t}}, 405,
              "invalid_request"),
    BadRevoke("delete_method", lambda t: {"method": "DELETE", "params": {"token": t}}, 405,
              "invalid_request"),
]


@SQLITE_ONLY
@pytest.mark.parametrize("which", ["access", "refresh"])
@pytest.mark.parametrize("case", REVOKE_CASES, ids=lambda c: c.id)
def test_failed_revocation_changes_nothing(
    server: Server, creds: tuple[str, str], case: BadRevoke, which: str
) -> None:
    """Reference §1.5: failures are 400 {"error": ...}; the grant survives every one."""
    at, rt = creds
    kwargs = case.build(at if which == "access" else rt)
    response = requests.request(kwargs.pop("method"), server.url + "/revoke", **kwargs)
    assert_json_error(response, case.status, case.error)
    assert tokeninfo(server, at).status_code == 200


@pytest.mark.parametrize("first", ["access", "refresh"])
def test_rfc7009_already_revoked_token(server: Server, first: str) -> None:
    """Reference §1.5: "400 {"error":"invalid_token","error_description":"Token expired or
    revoked"}" for a token that no longer works, whichever token of the grant was revoked."""
    flow, _ = authorize(server, server.new_world(), [DRIVE_META])
    tokens = {"access": flow.credentials.token, "refresh": flow.credentials.refresh_token}
    assert requests.post(server.url + "/revoke", data={"token": tokens[first]}).status_code == 200
    for token in tokens.values():
        again = requests.post(server.url + "/revoke", data={"token": token})
        assert_json_error(again, 400, "invalid_token", "Token expired or revoked")
    assert (tokeninfo(server, tokens["access"]).json()) == INVALID_VALUE
