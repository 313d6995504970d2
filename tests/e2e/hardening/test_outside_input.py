"""Issue 12: outside input that used to escape its parser as a 500, and the shape of a
failed client authentication at the token endpoint (RFC 6749 §5.2).

Every request here goes to the real server over HTTP; each case answered 500 (or 400
without ``WWW-Authenticate``) before the fix.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest
import requests

from tests.conftest import REDIRECT_URI
from tests.e2e.bad_input import Signed, assert_error_page, assert_json_error, basic

NESTED = "[" * 1000 + "]" * 1000


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _form(signed: Signed) -> dict[str, str]:
    code = signed.code()
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}


@pytest.mark.parametrize(
    "header",
    [
        "Basic \xe9\xff\xfe",  # sent as latin-1 bytes: base64 of a str that is not ASCII
        "Basic " + "\xe9" * 40,
        "Basic not*base64!",
        "Basic " + base64.b64encode(b"nocolon").decode(),
        "Basic " + base64.b64encode(b":only-a-secret").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),  # not UTF-8
    ],
    ids=["non-ascii", "non-ascii-long", "not-base64", "no-colon", "no-client-id", "not-utf8"],
)
def test_malformed_basic_is_401_invalid_client_with_www_authenticate(
    signed: Signed, header: str
) -> None:
    """RFC 6749 §5.2: failed client authentication through the Authorization header is
    401 invalid_client with ``WWW-Authenticate``; the non-ASCII header was a 500."""
    response = requests.post(signed.server.url + "/token", data=_form(signed),
                             headers={"Authorization": header})
    assert_json_error(response, 401, "invalid_client", "Invalid Authorization header.")
    assert response.headers["www-authenticate"].startswith("Basic")


def test_wrong_secret_through_basic_carries_www_authenticate(signed: Signed) -> None:
    response = requests.post(signed.server.url + "/token", data=_form(signed),
                             headers=basic(signed.client.client_id, "GOCSPX-wrong"))
    assert_json_error(response, 401, "invalid_client", "Unauthorized")
    assert response.headers["www-authenticate"].startswith("Basic")


def test_deeply_nested_claims_is_a_400_page(signed: Signed) -> None:
    """``claims`` of a thousand ``[`` and ``]`` raised RecursionError (a 500)."""
    query = {"client_id": signed.client.client_id, "redirect_uri": REDIRECT_URI,
             "response_type": "code", "scope": "openid email", "claims": NESTED}
    for path in ("/o/oauth2/v2/auth", "/o/oauth2/auth"):
        response = requests.get(f"{signed.server.url}{path}?{urlencode(query)}",
                                allow_redirects=False)
        assert_error_page(response, 400, "invalid_request", "Invalid claims")


@pytest.mark.parametrize(
    "header",
    [
        b"[" * 1500 + b"]" * 1500,
        b'{"alg":"RS256","kid":' + b"[" * 1200 + b"]" * 1200 + b"}",
        b"\xff\xfe",
        b"[]",
    ],
    ids=["nested-array", "nested-kid", "not-utf8", "not-an-object"],
)
def test_hostile_id_token_headers_at_tokeninfo(signed: Signed, header: bytes) -> None:
    """The JWT header of ``tokeninfo?id_token=`` is outside input: a header nested too
    deep raised RecursionError from PyJWT's json.loads (a 500); every such token is
    Google's 400 invalid_token."""
    token = f"{_b64(header)}.{_b64(json.dumps({'sub': '1'}).encode())}.{_b64(b'sig')}"
    response = requests.get(signed.server.url + "/tokeninfo", params={"id_token": token})
    assert (response.status_code, response.json()) == (
        400, {"error": "invalid_token", "error_description": "Invalid Value"})


@pytest.mark.parametrize("value", ["\u00b2", "\u0665", "9" * 5000], ids=["superscript", "arabic", "huge"])
def test_page_numbers_that_int_refuses(signed: Signed, value: str) -> None:
    """``authuser`` passed ``str.isdigit`` and then broke ``int()`` (superscript two,
    or more digits than int() converts): the account page and the console answered 500."""
    http = signed.browser.http
    for path in ("/account", "/console"):
        response = http.get(signed.server.url + path, params={"authuser": value},
                            allow_redirects=False)
        assert response.status_code in (200, 302, 303), (path, response.status_code)
