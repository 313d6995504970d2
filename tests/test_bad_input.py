"""Adversarial input at every endpoint: wrong, missing, repeated, oversized and hostile values,
wrong methods and content types. Each must get a clear error in Google's shape and change
nothing: a code that survived a bad exchange still works once, a token still works.

RFC 6749 §3.1/§3.2: no parameter may appear twice; §4.1.2.1: an invalid client or redirect
URI is never redirected to; §5.2: token errors are JSON. RFC 7009 §2.2.1 and
RFC 7636 §4.6 for revocation and PKCE. Google's shapes: reference §1.1, §1.3.4, §1.5, §1.6.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from markupsafe import escape

from accord.google.identifiers import TOKEN_FORMAT
from accord.protocol.tokens import TokenMinter
from accord.settings import Settings
from tests.browser import Browser, forms
from tests.conftest import CALENDAR_RO, DRIVE_META, REDIRECT_URI, Client, Server, World
from tests.flows import authorize

Pair = tuple[str, str]
AUTH_PATHS = ("/o/oauth2/v2/auth", "/o/oauth2/auth")
TOKEN_PATHS = ("/token", "/o/oauth2/token", "/oauth2/v4/token")
TOKENINFO_PATHS = ("/tokeninfo", "/oauth2/v3/tokeninfo")
OTHER_URI = "http://localhost:8080/other"  # registered, but never the one used at /auth
DRIVE = "https://www.googleapis.com/auth/drive"
UNKNOWN_CLIENT = "123456789012-nosuchclient.apps.googleusercontent.com"
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
INVALID_VALUE = {"error": "invalid_token", "error_description": "Invalid Value"}
EXPIRED_OR_REVOKED = "Token has been expired or revoked."
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True, scope="session")


# Helpers ------------------------------------------------------------------------------------
def new_verifier() -> str:
    return secrets.token_urlsafe(48)  # 64 characters of the RFC 7636 §4.1 alphabet


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def replaced(pairs: list[Pair], name: str, value: str | None) -> list[Pair]:
    out = [(k, v) for k, v in pairs if k != name]
    return out if value is None else [*out, (name, value)]


def error_page(response: requests.Response) -> tuple[str, str]:
    """The "Error <status>: <code>" line and the description of Accord's error page."""
    code = re.search(r'id="error-code">(.*?)</p>', response.text, re.S)
    text = re.search(r'id="error-description">(.*?)</p>', response.text, re.S)
    return (html.unescape(code.group(1)) if code else "", html.unescape(text.group(1)) if text else "")


def assert_error_page(response: requests.Response, status: int, code: str, says: str = "") -> None:
    """Reference §1.1: shown on the server's own page, never redirected (RFC 6749 §4.1.2.1)."""
    assert not response.is_redirect, response.headers.get("location")
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    shown_code, description = error_page(response)
    assert shown_code == f"Error {status}: {code}", response.text
    assert says in description
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "no-store" in response.headers["cache-control"]


def assert_json_error(
    response: requests.Response, status: int | tuple[int, ...], error: str, says: str = ""
) -> None:
    """RFC 6749 §5.2 / reference §1.3.4: {"error", "error_description"}, never cached."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "no-store" in response.headers["cache-control"]
    body = response.json()
    assert body["error"] == error, body
    assert says in body.get("error_description", ""), body


def tokeninfo(server: Server, token: str, path: str = "/tokeninfo") -> requests.Response:
    return requests.get(server.url + path, params={"access_token": token})


@dataclass
class Signed:
    """A browser signed in to a world whose project already granted Drive metadata, and a
    second client of the same project."""

    server: Server
    world: World
    client: Client
    other: Client
    browser: Browser

    def code(self, verifier: str | None = None, *, offline: bool = False, scope: str = DRIVE_META,
             method: str = "S256") -> str:
        params = {"client_id": self.client.client_id, "redirect_uri": REDIRECT_URI,
                  "response_type": "code", "scope": scope, "state": "st"}
        if offline:
            params |= {"access_type": "offline", "prompt": "consent"}
        if verifier is not None:
            challenge = s256(verifier) if method == "S256" else verifier
            params |= {"code_challenge": challenge, "code_challenge_method": method}
        b = self.browser
        b.open(f"{self.server.url}/o/oauth2/v2/auth?{urlencode(params)}")
        if b.left_to is None and "/signin?" in b.page.url:
            b.sign_in(self.world.email, self.world.password)
        if b.left_to is None and "/signin/consent" in b.page.url:
            b.allow()
        return b.callback_params()["code"]

    def exchange_form(self, code: str, verifier: str | None = None) -> list[Pair]:
        form = [("grant_type", "authorization_code"), ("code", code),
                ("client_id", self.client.client_id), ("client_secret", self.client.client_secret),
                ("redirect_uri", REDIRECT_URI)]
        return form + ([("code_verifier", verifier)] if verifier else [])

    def exchange(self, code: str, verifier: str | None = None) -> requests.Response:
        return requests.post(self.server.url + "/token", data=self.exchange_form(code, verifier))

    def refresh(self, refresh_token: str, **extra: str) -> requests.Response:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token,
                "client_id": self.client.client_id, "client_secret": self.client.client_secret}
        return requests.post(self.server.url + "/token", data=form | extra)


@pytest.fixture(scope="module")
def signed(server: Server) -> Signed:
    world = server.new_world()
    client = server.new_client(world.client.project_id, (REDIRECT_URI, OTHER_URI))
    other = server.new_client(world.client.project_id)
    s = Signed(server, world, client, other, Browser(server.url))
    s.code(scope=f"{DRIVE_META} {CALENDAR_RO}")  # sign in and grant both scopes once
    return s


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


# Token endpoint: a failed exchange leaves the code usable (RFC 6749 §4.1.3, §5.2) ----------
Build = Callable[[list[Pair], Signed], dict[str, Any]]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True)
class BadExchange:
    id: str
    build: Build  # the request, from the correct form and the world
    status: int | tuple[int, ...]
    error: str
    says: str = ""
    pkce: bool = False
    www_authenticate: bool = False


def _code(form: list[Pair]) -> str:
    return dict(form)["code"]


def _without_client(form: list[Pair]) -> list[Pair]:
    return [(k, v) for k, v in form if k not in ("client_id", "client_secret")]


EXCHANGE_CASES = [
    BadExchange("get_method", lambda f, s: {"method": "GET", "params": f}, 405, "invalid_request"),
    BadExchange("put_method", lambda f, s: {"method": "PUT", "data": f}, 405, "invalid_request"),
    BadExchange("json_body", lambda f, s: {"json": dict(f)}, 400, "invalid_request"),
    BadExchange("multipart_body", lambda f, s: {"files": {k: (None, v) for k, v in f}}, 400,
                "invalid_request"),
    BadExchange("no_content_type", lambda f, s: {"data": urlencode(f).encode(),
                "headers": {"Content-Type": ""}}, 400, "invalid_request"),
    BadExchange("invalid_utf8_body", lambda f, s: {"data": urlencode(f).encode() + b"&x=\xff\xfe",
                "headers": FORM}, 400, "invalid_request"),
    BadExchange("body_over_64_kib", lambda f, s: {"data": [*f, ("pad", "x" * 70_000)]},
                (400, 413), "invalid_request"),
    BadExchange("chunked_body_over_64_kib", lambda f, s: {"headers": FORM, "data": iter(
                [urlencode(f).encode(), b"&pad=" + b"x" * 70_000])}, (400, 413), "invalid_request"),
    BadExchange("too_many_parameters", lambda f, s: {"data": f + [(f"x{i}", "") for i in range(70)]},
                400, "invalid_request"),
    BadExchange("missing_grant_type", lambda f, s: {"data": replaced(f, "grant_type", None)},
                400, "invalid_request", "grant_type"),
    BadExchange("unknown_grant_type", lambda f, s: {"data": replaced(f, "grant_type", "password")},
                400, "unsupported_grant_type", "Invalid grant_type: password"),
    BadExchange("grant_type_is_case_sensitive",
                lambda f, s: {"data": replaced(f, "grant_type", "Authorization_Code")},
                400, "unsupported_grant_type", "Invalid grant_type: Authorization_Code"),
    BadExchange("code_twice", lambda f, s: {"data": [*f, ("code", _code(f))]}, 400,
                "invalid_request", "code"),
    BadExchange("client_id_twice", lambda f, s: {"data": [*f, ("client_id", s.other.client_id)]},
                400, "invalid_request", "client_id"),
    BadExchange("missing_client_id", lambda f, s: {"data": replaced(f, "client_id", None)}, 400,
                "invalid_request", "Could not determine client ID from request."),
    BadExchange("unknown_client", lambda f, s: {"data": replaced(f, "client_id", UNKNOWN_CLIENT)},
                401, "invalid_client", "The OAuth client was not found."),
    BadExchange("missing_client_secret", lambda f, s: {"data": replaced(f, "client_secret", None)},
                400, "invalid_request", "client_secret"),
    BadExchange("wrong_secret_post",
                lambda f, s: {"data": replaced(f, "client_secret", s.other.client_secret)},
                401, "invalid_client"),
    BadExchange("wrong_secret_basic", lambda f, s: {"data": _without_client(f),
                "headers": basic(s.client.client_id, "GOCSPX-wrong")}, 401, "invalid_client",
                www_authenticate=True),
    BadExchange("basic_and_body_secret", lambda f, s: {"data": replaced(f, "client_id", None),
                "headers": basic(s.client.client_id, s.client.client_secret)}, 400,
                "invalid_request"),
    BadExchange("basic_for_another_client_id", lambda f, s: {"data": replaced(
                f, "client_secret", None), "headers": basic(s.other.client_id,
                s.other.client_secret)}, 400, "invalid_request"),
    BadExchange("malformed_basic", lambda f, s: {"data": _without_client(f),
                "headers": {"Authorization": "Basic not*base64!"}}, 400, "invalid_request"),
    BadExchange("basic_without_colon", lambda f, s: {"data": _without_client(f), "headers": {
                "Authorization": "Basic " + base64.b64encode(b"nocolon").decode()}}, 400,
                "invalid_request"),
    BadExchange("code_in_query", lambda f, s: {"data": replaced(f, "code", None),
                "params": {"code": _code(f)}}, 400, "invalid_request"),
    BadExchange("client_secret_in_query", lambda f, s: {"data": replaced(f, "client_secret", None),
                "params": {"client_secret": s.client.client_secret}}, 400, "invalid_request"),
    BadExchange("missing_code", lambda f, s: {"data": replaced(f, "code", None)}, 400,
                "invalid_request", "code"),
    BadExchange("code_with_suffix", lambda f, s: {"data": replaced(f, "code", _code(f) + "x")},
                400, "invalid_grant"),
    BadExchange("garbage_code", lambda f, s: {"data": replaced(f, "code", "garbage")}, 400,
                "invalid_grant"),
    BadExchange("nul_in_code", lambda f, s: {"data": replaced(f, "code", _code(f) + "\x00")},
                400, "invalid_request"),
    BadExchange("code_of_another_client", lambda f, s: {"data": replaced(replaced(
                f, "client_id", s.other.client_id), "client_secret", s.other.client_secret)},
                400, "invalid_grant"),
    BadExchange("missing_redirect_uri", lambda f, s: {"data": replaced(f, "redirect_uri", None)},
                400, "invalid_request", "redirect_uri"),
    BadExchange("other_registered_redirect_uri",
                lambda f, s: {"data": replaced(f, "redirect_uri", OTHER_URI)}, 400,
                "redirect_uri_mismatch"),
    BadExchange("redirect_uri_trailing_slash",
                lambda f, s: {"data": replaced(f, "redirect_uri", REDIRECT_URI + "/")}, 400,
                "redirect_uri_mismatch"),
    BadExchange("verifier_without_challenge",
                lambda f, s: {"data": [*f, ("code_verifier", new_verifier())]}, 400,
                "invalid_request", "code_verifier or verifier is not needed."),
    BadExchange("missing_verifier", lambda f, s: {"data": replaced(f, "code_verifier", None)},
                400, "invalid_grant", "Missing code verifier.", pkce=True),
    BadExchange("wrong_verifier",
                lambda f, s: {"data": replaced(f, "code_verifier", new_verifier())}, 400,
                "invalid_grant", "Invalid code verifier.", pkce=True),
    BadExchange("verifier_too_short", lambda f, s: {"data": replaced(
                f, "code_verifier", dict(f)["code_verifier"][:42])}, 400, "invalid_grant",
                "Invalid code verifier.", pkce=True),
    BadExchange("challenge_sent_as_verifier", lambda f, s: {"data": replaced(
                f, "code_verifier", s256(dict(f)["code_verifier"]))}, 400, "invalid_grant",
                "Invalid code verifier.", pkce=True),
    BadExchange("verifier_twice", lambda f, s: {"data": [*f, ("code_verifier", new_verifier())]},
                400, "invalid_request", "code_verifier", pkce=True),
]


@pytest.mark.parametrize("case", EXCHANGE_CASES, ids=lambda c: c.id)
def test_failed_exchange_changes_nothing(signed: Signed, case: BadExchange) -> None:
    """Each refusal is a JSON error (RFC 6749 §5.2, reference §1.3.4); the code then still
    works exactly once with the right parameters (nothing was half-done)."""
    verifier = new_verifier() if case.pkce else None
    code = signed.code(verifier)
    form = signed.exchange_form(code, verifier)
    kwargs = case.build(form, signed)
    response = requests.request(kwargs.pop("method", "POST"), signed.server.url + "/token",
                                allow_redirects=False, **kwargs)
    assert_json_error(response, case.status, case.error, case.says)
    if case.www_authenticate:
        assert response.headers["www-authenticate"].lower().startswith("basic")
    good = signed.exchange(code, verifier)
    assert good.status_code == 200, good.text
    assert tokeninfo(signed.server, good.json()["access_token"]).status_code == 200


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_token_aliases_refuse_alike(signed: Signed, path: str) -> None:
    response = requests.post(signed.server.url + path, data={"grant_type": "password"})
    assert_json_error(response, 400, "unsupported_grant_type", "Invalid grant_type: password")
    assert requests.get(signed.server.url + path).status_code == 405


def test_rfc7636_plain_challenge_needs_the_exact_verifier(signed: Signed) -> None:
    """RFC 7636 §4.6: with ``plain`` the verifier must equal the challenge."""
    verifier = new_verifier()
    code = signed.code(verifier, method="plain")
    assert_json_error(signed.exchange(code, verifier[::-1]), 400, "invalid_grant",
                      "Invalid code verifier.")
    assert signed.exchange(code, verifier).status_code == 200


def test_rfc6749_4_1_2_replayed_code_revokes_its_tokens(signed: Signed) -> None:
    """RFC 6749 §4.1.2 and §10.5: a code used twice is refused, and the tokens already issued
    from it should be revoked; Google answers invalid_grant (reference §1.3.1)."""
    code = signed.code(offline=True)
    first = signed.exchange(code)
    assert first.status_code == 200, first.text
    tokens = first.json()
    assert "refresh_token" in tokens
    assert_json_error(signed.exchange(code), 400, "invalid_grant")
    revoked = tokeninfo(signed.server, tokens["access_token"])
    assert (revoked.status_code, revoked.json()) == (400, INVALID_VALUE)
    assert_json_error(signed.refresh(tokens["refresh_token"]), 400, "invalid_grant",
                      EXPIRED_OR_REVOKED)
    assert_json_error(signed.exchange(code), 400, "invalid_grant")  # and stays refused


def test_replay_by_another_client_is_refused(signed: Signed) -> None:
    code = signed.code()
    assert signed.exchange(code).status_code == 200
    form = dict(signed.exchange_form(code))
    form |= {"client_id": signed.other.client_id, "client_secret": signed.other.client_secret}
    assert_json_error(requests.post(signed.server.url + "/token", data=form), 400, "invalid_grant")


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


# Tokeninfo (reference §1.6) ------------------------------------------------------------------
@pytest.fixture(scope="module")
def creds(server: Server) -> tuple[str, str]:
    """An access token and a refresh token from a full flow through google_auth_oauthlib."""
    flow, _ = authorize(server, server.new_world(), [DRIVE_META])
    return str(flow.credentials.token), str(flow.credentials.refresh_token)


def minter(server: Server) -> TokenMinter:
    """The server's own sealing key (from its environment), to forge expired tokens."""
    settings = Settings(server.url, "", server.data_dir, server.env["ACCORD_SECRET_KEY"].encode())
    return TokenMinter(settings.subkey("access-token"), TOKEN_FORMAT)


def flip_middle(token: str) -> str:
    i = len(token) // 2
    return token[:i] + ("B" if token[i] == "A" else "A") + token[i + 1 :]


def expired(server: Server, token: str) -> str:
    claims = minter(server).open_access(token)
    assert claims is not None
    return minter(server).seal_access(claims.authorization_pk, int(time.time()) - 1, claims.scopes)


def other_key(server: Server, token: str) -> str:
    return TokenMinter(secrets.token_bytes(32), TOKEN_FORMAT).seal_access(1, 2**40, (DRIVE_META,))


MANGLE: dict[str, Callable[[Server, str, str], str | None]] = {
    "missing": lambda srv, at, rt: None,
    "empty": lambda srv, at, rt: "",
    "garbage": lambda srv, at, rt: "garbage",
    "prefix_only": lambda srv, at, rt: "ya29.",
    "truncated": lambda srv, at, rt: at[:-6],
    "extended": lambda srv, at, rt: at + "AAAA",
    "tampered_middle": lambda srv, at, rt: flip_middle(at),
    "non_ascii": lambda srv, at, rt: at[:-1] + "\u00e9",
    "oversized": lambda srv, at, rt: "ya29." + "A" * 3000,
    "expired": lambda srv, at, rt: expired(srv, at),
    "sealed_with_another_key": lambda srv, at, rt: other_key(srv, at),
    "refresh_token_as_access_token": lambda srv, at, rt: rt,
}


@SQLITE_ONLY
@pytest.mark.parametrize("path", TOKENINFO_PATHS)
@pytest.mark.parametrize("mangle", MANGLE, ids=list(MANGLE))
def test_tokeninfo_bad_tokens_are_invalid_value(
    server: Server, creds: tuple[str, str], path: str, mangle: str
) -> None:
    """Reference §1.6: "400 {"error":"invalid_token","error_description":"Invalid Value"}"."""
    token = MANGLE[mangle](server, *creds)
    params = {} if token is None else {"access_token": token}
    response = requests.get(server.url + path, params=params)
    assert (response.status_code, response.json()) == (400, INVALID_VALUE)
    assert "no-store" in response.headers["cache-control"]
    assert tokeninfo(server, creds[0], path).status_code == 200


@SQLITE_ONLY
def test_tokeninfo_forged_key_control(server: Server, creds: tuple[str, str]) -> None:
    """The forging above is sound: the same key with a future expiry is accepted."""
    claims = minter(server).open_access(creds[0])
    assert claims is not None
    fresh = minter(server).seal_access(claims.authorization_pk, int(time.time()) + 60, claims.scopes)
    assert tokeninfo(server, fresh).status_code == 200


@SQLITE_ONLY
@pytest.mark.parametrize("how", ["bearer_garbage", "form_tampered", "bearer_refresh_token"])
def test_tokeninfo_bad_tokens_other_transports(
    server: Server, creds: tuple[str, str], how: str
) -> None:
    at, rt = creds
    if how == "bearer_garbage":
        response = requests.post(server.url + "/tokeninfo", headers={"Authorization": "Bearer x"})
    elif how == "form_tampered":
        response = requests.post(server.url + "/tokeninfo", data={"access_token": flip_middle(at)})
    else:
        response = requests.get(server.url + "/tokeninfo", headers={"Authorization": f"Bearer {rt}"})
    assert (response.status_code, response.json()) == (400, INVALID_VALUE)


@SQLITE_ONLY
def test_tokeninfo_access_token_twice(server: Server, creds: tuple[str, str]) -> None:
    """RFC 6749 §3.1 style: a parameter given twice is refused, even with the same value."""
    pairs = [("access_token", creds[0]), ("access_token", creds[0])]
    assert_json_error(requests.get(server.url + "/tokeninfo", params=pairs), 400, "invalid_request")


@SQLITE_ONLY
def test_tokeninfo_wrong_method(server: Server, creds: tuple[str, str]) -> None:
    assert requests.put(server.url + "/tokeninfo", params={"access_token": creds[0]}).status_code == 405


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


# Sign-in, account chooser and consent pages ------------------------------------------------
PAGES = ("/signin", "/signin/chooser", "/signin/consent")


@pytest.fixture(scope="module")
def world(server: Server) -> World:
    """One world for the page tests (each uses its own browser); replaces conftest's."""
    return server.new_world()


def start(server: Server, world: World, **extra: str) -> Browser:
    """A fresh browser at the first page of an interaction for ``world``."""
    params = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
              "response_type": "code", "scope": DRIVE_META, "state": "st"} | extra
    browser = Browser(server.url)
    browser.open(f"{server.url}/o/oauth2/v2/auth?{urlencode(params)}")
    assert browser.left_to is None and browser.page is not None
    return browser


def form_data(browser: Browser) -> list[Pair]:
    assert browser.page is not None
    return list(forms(browser.page.text)[0].fields)


def post(browser: Browser, data: list[Pair]) -> requests.Response:
    assert browser.page is not None
    return browser.http.post(browser.page.url, data=data, allow_redirects=False)


def still_signed_out(server: Server, world: World, browser: Browser) -> bool:
    params = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
              "response_type": "code", "scope": DRIVE_META}
    url = f"{server.url}/o/oauth2/v2/auth?{urlencode(params)}"
    location = browser.http.get(url, allow_redirects=False).headers["location"]
    return urlsplit(location).path == "/signin"


@SQLITE_ONLY
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("query", ["", "?i=", "?i=unknown-interaction"], ids=["none", "empty", "unknown"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_need_a_live_interaction(server: Server, path: str, query: str, method: str) -> None:
    response = requests.request(method, server.url + path + query, allow_redirects=False,
                                data={"csrf": "x"} if method == "POST" else None)
    assert_error_page(response, 400, "invalid_request")


@SQLITE_ONLY
@pytest.mark.parametrize("csrf", [None, "", "forged"], ids=["missing", "empty", "wrong"])
def test_signin_without_the_csrf_token_signs_nobody_in(
    server: Server, world: World, csrf: str | None
) -> None:
    browser = start(server, world)
    data = replaced(form_data(browser), "csrf", csrf)
    response = post(browser, [*data, ("email", world.email), ("password", world.password)])
    assert_error_page(response, 400, "invalid_request")
    assert still_signed_out(server, world, browser)


@SQLITE_ONLY
def test_interaction_is_bound_to_its_browser(server: Server, world: World) -> None:
    """An interaction id leaked to another browser is useless there, and still works where
    it started."""
    victim = start(server, world)
    attacker = start(server, world)
    assert victim.page is not None
    assert_error_page(attacker.http.get(victim.page.url, allow_redirects=False), 400,
                      "invalid_request")
    stolen = [*form_data(attacker), ("email", world.email), ("password", world.password)]
    hijack = attacker.http.post(victim.page.url, data=stolen, allow_redirects=False)
    assert_error_page(hijack, 400, "invalid_request")
    assert still_signed_out(server, world, attacker)
    victim.sign_in(world.email, world.password)
    if victim.left_to is None:
        victim.allow()
    assert "code" in victim.callback_params()


@SQLITE_ONLY
def test_no_user_enumeration_at_signin(server: Server, world: World) -> None:
    """A wrong password and an unknown email look the same."""
    answers = []
    for email, password in [(world.email, "wrong password"), ("nobody@example.com", "x")]:
        browser = start(server, world)
        response = browser.submit({"email": email, "password": password})
        alert = re.search(r'role="alert">(.*?)</p>', response.text)
        answers.append((response.status_code, alert.group(1) if alert else None))
        assert browser.left_to is None and still_signed_out(server, world, browser)
    assert answers[0] == answers[1] and answers[0][1]


@SQLITE_ONLY
def test_signin_echoes_login_hint_escaped(server: Server, world: World) -> None:
    """An email-shaped hint is pre-filled (escaped); other hints are not shown at all."""
    browser = start(server, world, login_hint=f'"/>{XSS}@example.com')
    assert browser.page is not None and "/signin?" in browser.page.url
    assert XSS not in browser.page.text and XSS_ESCAPED in browser.page.text


def at_consent(server: Server, world: World) -> Browser:
    browser = start(server, world, scope=f"{DRIVE_META} {CALENDAR_RO}", prompt="consent")
    browser.sign_in(world.email, world.password)
    assert browser.page is not None and "/signin/consent" in browser.page.url
    return browser


@SQLITE_ONLY
def test_consent_replay_issues_no_second_code(server: Server, world: World) -> None:
    browser = at_consent(server, world)
    data = [*form_data(browser), ("scope", DRIVE_META), ("action", "allow")]
    first = post(browser, data)
    assert first.is_redirect and "code=" in first.headers["location"]
    replay = post(browser, data)
    assert_error_page(replay, 400, "invalid_request")


@SQLITE_ONLY
@pytest.mark.parametrize("action", ["", "ALLOW", "maybe", "allow\x00"])
def test_consent_unknown_action_refused(server: Server, world: World, action: str) -> None:
    browser = at_consent(server, world)
    response = post(browser, [*form_data(browser), ("action", action)])
    assert_error_page(response, 400, "invalid_request")
    browser.allow()  # the interaction is still open
    assert "code" in browser.callback_params()


@SQLITE_ONLY
def test_consent_cannot_widen_the_request(server: Server, world: World) -> None:
    """Ticking a scope the app did not ask for grants nothing more."""
    browser = at_consent(server, server.new_world())  # nothing granted before
    data = [*form_data(browser), ("scope", DRIVE_META), ("scope", DRIVE), ("action", "allow")]
    response = post(browser, data)
    assert response.is_redirect
    browser.left_to = response.headers["location"]
    assert browser.callback_params()["scope"] == DRIVE_META


@SQLITE_ONLY
def test_chooser_refuses_an_account_not_signed_in(server: Server, world: World) -> None:
    browser = start(server, world)
    browser.sign_in(world.email, world.password)
    if browser.left_to is None:
        browser.allow()
    _, stranger_sub = server.new_user()
    params = {"client_id": world.client.client_id, "redirect_uri": REDIRECT_URI,
              "response_type": "code", "scope": DRIVE_META, "prompt": "select_account"}
    browser.open(f"{server.url}/o/oauth2/v2/auth?{urlencode(params)}")
    assert browser.page is not None and "/signin/chooser" in browser.page.url
    response = post(browser, [*form_data(browser), ("account", stranger_sub)])
    assert response.status_code == 400 and not response.is_redirect
    browser.choose(world.sub)
    assert "code" in browser.callback_params()


@SQLITE_ONLY
def test_signin_form_with_wrong_content_type(server: Server, world: World) -> None:
    browser = start(server, world)
    data = dict(form_data(browser)) | {"email": world.email, "password": world.password}
    assert browser.page is not None
    response = browser.http.post(browser.page.url, json=data, allow_redirects=False)
    assert_error_page(response, 400, "invalid_request")
    assert still_signed_out(server, world, browser)


@SQLITE_ONLY
def test_signin_replay_after_completion_refused(server: Server, world: World) -> None:
    browser = start(server, world)
    assert browser.page is not None
    signin_url = browser.page.url
    data = replaced(replaced(form_data(browser), "email", world.email), "password", world.password)
    browser.sign_in(world.email, world.password)
    if browser.left_to is None:
        browser.allow()
    assert "code" in browser.callback_params()
    replay = browser.http.post(signin_url, data=data, allow_redirects=False)
    assert_error_page(replay, 400, "invalid_request")


@SQLITE_ONLY
@pytest.mark.parametrize("who", ["no_csrf", "other_browser"])
def test_consent_post_needs_this_browser(server: Server, world: World, who: str) -> None:
    victim = at_consent(server, world)
    assert victim.page is not None
    if who == "no_csrf":
        response = post(victim, [("scope", DRIVE_META), ("action", "allow")])
    else:
        attacker = start(server, world)
        data = [*form_data(attacker), ("scope", DRIVE_META), ("action", "allow")]
        response = attacker.http.post(victim.page.url, data=data, allow_redirects=False)
    assert_error_page(response, 400, "invalid_request")
    victim.allow()
    assert "code" in victim.callback_params()


def test_double_submitted_consent_issues_one_code(server: Server, world: World) -> None:
    """The interaction finishes exactly once: concurrent Allow clicks give one code."""
    browser = at_consent(server, world)
    data = [*form_data(browser), ("scope", DRIVE_META), ("action", "allow")]
    barrier = threading.Barrier(6)

    def click(_: int) -> requests.Response:
        barrier.wait()
        return post(browser, data)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(click, range(6)))
    codes = [r for r in answers if r.is_redirect and "code=" in r.headers["location"]]
    assert len(codes) == 1, [r.status_code for r in answers]
    assert all(r.status_code == 400 for r in answers if r not in codes)


def test_concurrent_exchanges_of_one_code(signed: Signed) -> None:
    """RFC 6749 §4.1.2 under a race: one exchange wins, the rest are replays (invalid_grant),
    and the replays revoke what the winner got."""
    code = signed.code(offline=True)
    barrier = threading.Barrier(8)

    def exchange(_: int) -> requests.Response:
        barrier.wait()
        return signed.exchange(code)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(exchange, range(8)))
    wins = [r for r in answers if r.status_code == 200]
    assert len(wins) == 1, [r.text for r in answers]
    for r in answers:
        if r is not wins[0]:
            assert_json_error(r, 400, "invalid_grant")
    assert tokeninfo(signed.server, wins[0].json()["access_token"]).json() == INVALID_VALUE


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


def on_postgres(server: Server) -> bool:
    return server.env["ACCORD_DATABASE_URL"].startswith("postgresql")


@pytest.mark.parametrize(
    "userpass", [b"id\x00:secret", b"id%00:secret", b"\x00:\x00"], ids=["nul", "pct00", "both"])
def test_nul_in_basic_credentials(
    request: pytest.FixtureRequest, signed: Signed, userpass: bytes
) -> None:
    """Bad client credentials are a client error (RFC 6749 §5.2), never a 500."""
    code = signed.code()
    header = {"Authorization": "Basic " + base64.b64encode(userpass).decode()}
    form = _without_client(signed.exchange_form(code))
    response = requests.post(signed.server.url + "/token", data=form, headers=header)
    assert (response.status_code, response.json()["error"]) in {
        (400, "invalid_request"), (401, "invalid_client")}, response.text
    assert signed.exchange(code).status_code == 200


def test_nul_in_signin_email(request: pytest.FixtureRequest, server: Server, world: World) -> None:
    """A NUL byte in the email is a wrong login (or a bad request), never a 500."""
    browser = start(server, world)
    data = replaced(replaced(form_data(browser), "email", world.email + "\x00"), "password", "x")
    assert post(browser, data).status_code in (400, 401)
    assert still_signed_out(server, world, browser)


@SQLITE_ONLY
@pytest.mark.parametrize("csrf", [None, "forged"], ids=["missing", "wrong"])
def test_signout_needs_the_csrf_token(server: Server, world: World, csrf: str | None) -> None:
    browser = start(server, world)
    browser.sign_in(world.email, world.password)
    data = {} if csrf is None else {"csrf": csrf}
    response = browser.http.post(server.url + "/signout", data=data, allow_redirects=False)
    assert_error_page(response, 400, "invalid_request")
    assert not still_signed_out(server, world, browser)
