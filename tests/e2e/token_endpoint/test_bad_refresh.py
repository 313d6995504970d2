"""Adversarial input at the token endpoint's refresh grant (RFC 6749 §6; reference §1.3.2,
§1.3.3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import requests

from tests.conftest import CALENDAR_RO, DRIVE_META
from tests.e2e.bad_input import (
    DRIVE,
    EXPIRED_OR_REVOKED,
    Signed,
    assert_json_error,
    tokeninfo,
)


# Refresh (RFC 6749 §6; reference §1.3.2, §1.3.3) ---------------------------------------------
@pytest.fixture(scope="module")
def refresh_token(signed: Signed) -> str:
    code = signed.code(offline=True, scope=f"{DRIVE_META} {CALENDAR_RO}")
    response = signed.exchange(code)
    assert response.status_code == 200, response.text
    return str(response.json()["refresh_token"])


@dataclass(frozen=True)
class BadRefresh:
    id: str
    change: Callable[[dict[str, str], Signed], dict[str, str | None]]
    status: int
    error: str
    says: str = ""


REFRESH_CASES = [
    BadRefresh("garbage_token", lambda f, s: {"refresh_token": "1//0garbage"}, 400,
               "invalid_grant", EXPIRED_OR_REVOKED),
    BadRefresh("missing_token", lambda f, s: {"refresh_token": None}, 400, "invalid_request",
               "refresh_token"),
    BadRefresh("token_of_another_client", lambda f, s: {"client_id": s.other.client_id,
               "client_secret": s.other.client_secret}, 400, "unauthorized_client"),
    BadRefresh("wrong_secret", lambda f, s: {"client_secret": s.other.client_secret}, 401,
               "invalid_client"),
    BadRefresh("wider_scope", lambda f, s: {"scope": f"{DRIVE_META} {DRIVE}"}, 400,
               "invalid_scope", DRIVE),
    BadRefresh("unknown_scope", lambda f, s: {"scope": "https://example.com/nope"}, 400,
               "invalid_scope"),
]


@pytest.mark.parametrize("case", REFRESH_CASES, ids=lambda c: c.id)
def test_failed_refresh_changes_nothing(
    signed: Signed, refresh_token: str, case: BadRefresh
) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token,
            "client_id": signed.client.client_id, "client_secret": signed.client.client_secret}
    form = {k: v for k, v in (form | case.change(form, signed)).items() if v is not None}
    response = requests.post(signed.server.url + "/token", data=form)
    assert_json_error(response, case.status, case.error, case.says)
    again = signed.refresh(refresh_token)
    assert again.status_code == 200, again.text
    assert again.json()["scope"] == f"{CALENDAR_RO} {DRIVE_META}"


def test_refresh_token_twice_refused(signed: Signed, refresh_token: str) -> None:
    data = [("grant_type", "refresh_token"), ("refresh_token", refresh_token),
            ("refresh_token", refresh_token), ("client_id", signed.client.client_id),
            ("client_secret", signed.client.client_secret)]
    response = requests.post(signed.server.url + "/token", data=data)
    assert_json_error(response, 400, "invalid_request", "refresh_token")


def test_rfc6749_6_narrower_scope_is_granted(signed: Signed, refresh_token: str) -> None:
    """RFC 6749 §6: a refresh may ask for fewer scopes than granted."""
    response = signed.refresh(refresh_token, scope=DRIVE_META)
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == DRIVE_META
    info = tokeninfo(signed.server, response.json()["access_token"]).json()
    assert info["scope"] == DRIVE_META


def test_refresh_with_blank_scope_does_not_mint_a_scopeless_token(
    signed: Signed, refresh_token: str
) -> None:
    """RFC 6749 §3.1: a parameter without a value is as if omitted; a blank list is no request
    for "no scopes" either: either refused, or the granted scope."""
    response = signed.refresh(refresh_token, scope=" ")
    if response.status_code == 200:
        assert response.json()["scope"] == f"{CALENDAR_RO} {DRIVE_META}"
    else:
        assert response.status_code == 400
