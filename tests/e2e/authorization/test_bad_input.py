"""Adversarial input at the authorization endpoint (RFC 6749 §4.1.1, §4.1.2.1; reference §1.1):
errors are shown on Accord's page, never redirected; hostile values are escaped; state
round-trips intact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from markupsafe import escape

from tests.browser import Browser
from tests.conftest import DRIVE_META, REDIRECT_URI, Server
from tests.e2e.bad_input import (
    AUTH_PATHS,
    DRIVE,
    SQLITE_ONLY,
    UNKNOWN_CLIENT,
    XSS,
    XSS_ESCAPED,
    Pair,
    Signed,
    assert_error_page,
    replaced,
)


# Authorization endpoint (RFC 6749 §4.1.1; reference §1.1) ------------------------------------
@dataclass(frozen=True)
class BadAuth:
    id: str
    change: Mapping[str, str | None]  # None removes the parameter
    status: int
    code: str
    says: str = ""
    extra: tuple[Pair, ...] = ()


# A missing required parameter is invalid_request naming it, as Google's page says "Missing
# required parameter: <name>" (reference §1.1, invalid_request row), redirect_uri and scope too.
AUTH_CASES = [
    BadAuth("missing_client_id", {"client_id": None}, 400, "invalid_request", "client_id"),
    BadAuth("empty_client_id_is_absent", {"client_id": ""}, 400, "invalid_request", "client_id"),
    BadAuth("unknown_client", {"client_id": UNKNOWN_CLIENT}, 401, "invalid_client",
            "The OAuth client was not found."),
    BadAuth("missing_redirect_uri", {"redirect_uri": None}, 400, "invalid_request", "redirect_uri"),
    BadAuth("unregistered_redirect_uri", {"redirect_uri": "https://evil.example/cb"}, 400,
            "redirect_uri_mismatch", "https://evil.example/cb"),
    BadAuth("redirect_uri_other_case", {"redirect_uri": REDIRECT_URI.replace("oauth2", "OAuth2")},
            400, "redirect_uri_mismatch"),
    BadAuth("redirect_uri_trailing_slash", {"redirect_uri": REDIRECT_URI + "/"}, 400,
            "redirect_uri_mismatch"),
    BadAuth("redirect_uri_extra_query", {"redirect_uri": REDIRECT_URI + "?next=evil"}, 400,
            "redirect_uri_mismatch"),
    BadAuth("redirect_uri_other_port", {"redirect_uri": REDIRECT_URI.replace("8080", "8081")},
            400, "redirect_uri_mismatch"),
    BadAuth("redirect_uri_userinfo_trick",
            {"redirect_uri": "http://localhost:8080@evil.example/oauth2callback"}, 400,
            "redirect_uri_mismatch"),
    BadAuth("redirect_uri_javascript", {"redirect_uri": "javascript:alert(1)"}, 400,
            "redirect_uri_mismatch"),
    BadAuth("prompt_none_never_redirects_to_unregistered_uri",
            {"redirect_uri": "https://evil.example/cb", "prompt": "none"}, 400,
            "redirect_uri_mismatch"),
    BadAuth("prompt_none_with_unknown_scope", {"scope": "nope", "prompt": "none"}, 400,
            "invalid_scope", "{invalid=[nope]}"),
    BadAuth("missing_response_type", {"response_type": None}, 400, "invalid_request",
            "response_type"),
    BadAuth("response_type_unknown", {"response_type": "code secret"}, 400,
            "unsupported_response_type"),
    BadAuth("response_type_none", {"response_type": "none"}, 400, "unsupported_response_type"),
    BadAuth("id_token_without_nonce", {"response_type": "id_token", "scope": "openid"}, 400,
            "invalid_request", "nonce"),
    BadAuth("id_token_without_openid", {"response_type": "id_token", "nonce": "n"}, 400,
            "invalid_request", "openid"),
    BadAuth("token_in_query", {"response_type": "token", "response_mode": "query"}, 400,
            "invalid_request", "response_mode"),
    BadAuth("unknown_response_mode", {"response_mode": "web_message"}, 400, "invalid_request",
            "response_mode"),
    BadAuth("claims_not_json", {"claims": "{auth_time"}, 400, "invalid_request", "claims"),
    BadAuth("missing_scope", {"scope": None}, 400, "invalid_request", "scope"),
    BadAuth("blank_scope", {"scope": "   "}, 400, "invalid_request", "scope"),
    BadAuth("unknown_scope", {"scope": f"{DRIVE_META} https://example.com/nope"}, 400,
            "invalid_scope", "{invalid=[https://example.com/nope]}"),
    BadAuth("bad_access_type", {"access_type": "OFFLINE"}, 400, "invalid_request", "access_type"),
    BadAuth("bad_include_granted_scopes", {"include_granted_scopes": "yes"}, 400,
            "invalid_request", "include_granted_scopes"),
    BadAuth("prompt_is_case_sensitive", {"prompt": "NONE"}, 400, "invalid_request", "prompt"),
    BadAuth("prompt_none_stands_alone", {"prompt": "none consent"}, 400, "invalid_request",
            "prompt"),
    BadAuth("unknown_code_challenge_method", {"code_challenge": "a" * 43,
            "code_challenge_method": "S512"}, 400, "invalid_request", "code_challenge_method"),
    BadAuth("code_challenge_too_short", {"code_challenge": "a" * 42}, 400, "invalid_request",
            "code_challenge"),
    BadAuth("code_challenge_too_long", {"code_challenge": "a" * 129}, 400, "invalid_request",
            "code_challenge"),
    BadAuth("code_challenge_bad_alphabet", {"code_challenge": "a+/=" * 11}, 400,
            "invalid_request", "code_challenge"),
    BadAuth("method_without_challenge", {"code_challenge_method": "S256"}, 400,
            "invalid_request", "code_challenge"),
    BadAuth("client_id_twice", {}, 400, "invalid_request", "client_id",
            extra=(("client_id", UNKNOWN_CLIENT),)),
    BadAuth("scope_twice", {}, 400, "invalid_request", "scope", extra=(("scope", DRIVE),)),
    BadAuth("state_twice", {}, 400, "invalid_request", "state", extra=(("state", "st"),)),
    BadAuth("redirect_uri_twice", {}, 400, "invalid_request", "redirect_uri",
            extra=(("redirect_uri", "https://evil.example/cb"),)),
    BadAuth("oversized_state", {"state": "s" * 10_000}, 400, "invalid_request", "state"),
    BadAuth("nul_in_state", {"state": "a\x00b"}, 400, "invalid_request", "state"),
    BadAuth("nul_in_client_id", {"client_id": "x\x00"}, 400, "invalid_request"),
    BadAuth("too_many_parameters", {}, 400, "invalid_request",
            extra=tuple((f"x{i}", "1") for i in range(70))),
]


def auth_query(client_id: str, case: BadAuth) -> str:
    pairs: list[Pair] = [("client_id", client_id), ("redirect_uri", REDIRECT_URI),
                         ("response_type", "code"), ("scope", DRIVE_META), ("state", "st")]
    for name, value in case.change.items():
        pairs = replaced(pairs, name, value)
    return urlencode(pairs + list(case.extra))


@SQLITE_ONLY
@pytest.mark.parametrize("path", AUTH_PATHS)
@pytest.mark.parametrize("case", AUTH_CASES, ids=lambda c: c.id)
def test_authorization_errors_shown_on_page_never_redirected(
    signed: Signed, path: str, case: BadAuth
) -> None:
    """RFC 6749 §4.1.2.1 and reference §1.1: "Error <status>: <code>" on the page, no redirect."""
    url = f"{signed.server.url}{path}?{auth_query(signed.client.client_id, case)}"
    assert_error_page(requests.get(url, allow_redirects=False), case.status, case.code, case.says)


@SQLITE_ONLY
@pytest.mark.parametrize("where", ["redirect_uri", "state", "scope", "login_hint"])
@pytest.mark.parametrize("payload", [XSS, '"><img src=x onerror=alert(1)>'])
def test_hostile_values_are_escaped_on_the_error_page(signed: Signed, where: str, payload: str) -> None:
    """Nothing a client sends reaches the page unescaped (the page must not run script)."""
    # An unknown scope makes every request fail; ``where`` carries the payload as well.
    case = BadAuth("", {"scope": f"{DRIVE_META} {payload}"} | {where: payload}, 400, "")
    url = f"{signed.server.url}/o/oauth2/v2/auth?{auth_query(signed.client.client_id, case)}"
    response = requests.get(url, allow_redirects=False)
    assert response.status_code == 400 and not response.is_redirect
    assert payload not in response.text
    assert str(escape(payload)) in response.text


@SQLITE_ONLY
def test_hostile_app_name_is_escaped(server: Server) -> None:
    """A developer-chosen project name is shown on the pages: escaped too."""
    world = server.new_world(app_name=XSS)
    base = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
            "response_type": "code", "scope": DRIVE_META, "login_hint": XSS}
    bad = requests.get(f"{server.url}/o/oauth2/v2/auth?{urlencode(base | {'scope': 'nope'})}")
    browser = Browser(server.url)
    signin = browser.open(f"{server.url}/o/oauth2/v2/auth?{urlencode(base)}")
    assert "/signin?" in signin.url
    for page in (bad, signin):
        assert XSS not in page.text and XSS_ESCAPED in page.text


@SQLITE_ONLY
@pytest.mark.parametrize("path", AUTH_PATHS)
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_authorization_wrong_method(signed: Signed, path: str, method: str) -> None:
    """RFC 9110 §15.5.6: 405 with an Allow header."""
    query = auth_query(signed.client.client_id, BadAuth("", {}, 0, ""))
    response = requests.request(method, f"{signed.server.url}{path}?{query}", allow_redirects=False)
    assert response.status_code == 405 and "GET" in response.headers["allow"]


@SQLITE_ONLY
def test_authorization_post_with_json_body_refused(signed: Signed) -> None:
    response = requests.post(signed.server.url + "/o/oauth2/v2/auth", allow_redirects=False,
                             json={"client_id": signed.client.client_id})
    assert_error_page(response, 400, "invalid_request")


def test_hostile_state_round_trips_intact(signed: Signed) -> None:
    """RFC 6749 §4.1.2: state comes back exactly; it cannot add parameters or headers."""
    state = "x&code=forged&error=access_denied#frag\r\nSet-Cookie: a=b \u00e9"
    params = {"client_id": signed.client.client_id, "redirect_uri": REDIRECT_URI,
              "response_type": "code", "scope": DRIVE_META, "state": state}
    response = signed.browser.http.get(
        f"{signed.server.url}/o/oauth2/v2/auth?{urlencode(params)}", allow_redirects=False)
    assert response.is_redirect and "set-cookie: a" not in str(response.headers).lower()
    query = urlsplit(response.headers["location"]).query
    names = [k for k, _ in parse_qsl(query)]
    assert sorted(names) == ["code", "scope", "state"] and "#" not in response.headers["location"]
    assert dict(parse_qsl(query))["state"] == state
