"""Adversarial input at the token endpoint's code exchange (RFC 6749 §4.1.3, §5.2; RFC 7636 §4.6;
reference §1.3.4): a failed exchange changes nothing, replays revoke, races have one winner.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from tests.conftest import REDIRECT_URI, Server
from tests.e2e.bad_input import (
    EXPIRED_OR_REVOKED,
    INVALID_VALUE,
    OTHER_URI,
    TOKEN_PATHS,
    UNKNOWN_CLIENT,
    Pair,
    Signed,
    assert_json_error,
    basic,
    new_verifier,
    replaced,
    s256,
    tokeninfo,
)

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
                "headers": {"Authorization": "Basic not*base64!"}}, 401, "invalid_client",
                "Invalid Authorization header.", www_authenticate=True),
    BadExchange("basic_without_colon", lambda f, s: {"data": _without_client(f), "headers": {
                "Authorization": "Basic " + base64.b64encode(b"nocolon").decode()}}, 401,
                "invalid_client", "Invalid Authorization header.", www_authenticate=True),
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
