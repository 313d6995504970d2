"""The JWT-bearer grant on in-memory fakes (RFC 7523 §2.1, §3; reference §1.15, §1.16)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

import jwt
import pytest

from accord.protocol import access, grants
from accord.protocol.errors import OAuthError
from accord.protocol.grants.jwt_bearer import GRANT_TYPE
from accord.protocol.messages import PrincipalKind
from tests.protocol.fakes import ALICE, NOW, OneKey
from tests.protocol.sa_fakes import (
    ACCOUNT,
    AUD,
    BOB,
    OTHER_ACCOUNT,
    FakeAccounts,
    account_context,
    b64,
    claims,
    key,
    private_key,
    public_pem,
    sign,
)

SIGNATURE = ("invalid_grant", "Invalid JWT Signature.")
TIMEFRAME = (
    "invalid_grant",
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
    "timeframe. Check your iat and exp values in the JWT claim.",
)
NOT_FOUND = ("invalid_grant", "Invalid grant: account not found")
NO_SCOPE = ("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
DENIED = (
    "unauthorized_client",
    "Client is unauthorized to retrieve access tokens using this method, or client not "
    "authorized for any of the scopes requested.",
)


def _post(assertion: str, accounts: FakeAccounts | None = None) -> dict[str, object]:
    ctx, _ = account_context(accounts)
    return grants.token(ctx, {"grant_type": GRANT_TYPE, "assertion": assertion}, None).as_json()


def _refusal(assertion: str, accounts: FakeAccounts | None = None) -> tuple[str, str]:
    with pytest.raises(OAuthError) as caught:
        _post(assertion, accounts)
    return caught.value.code, caught.value.description


def _hs256_with_public_key() -> str:
    header = b64({"alg": "HS256", "typ": "JWT", "kid": "a1".ljust(40, "0")})
    payload = b64(claims())
    mac = hmac.new(public_pem("a1").encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{b64(mac.digest())}"


def test_a_signed_assertion_gives_an_access_token_without_refresh_or_scope() -> None:
    """§1.15: {"access_token", "expires_in": 3599, "token_type": "Bearer"} only."""
    body = _post(sign(claims()))
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert (body["expires_in"], body["token_type"]) == (3599, "Bearer")


def test_the_token_is_the_accounts_own_and_admitted() -> None:
    ctx, accounts = account_context()
    body = grants.token(ctx, {"grant_type": GRANT_TYPE, "assertion": sign(claims())}, None)
    subject = access.admit(ctx, str(body.as_json()["access_token"]))
    assert subject.principal.kind is PrincipalKind.SERVICE_ACCOUNT
    assert (subject.principal.sub, subject.client_id) == (ACCOUNT.unique_id, ACCOUNT.unique_id)
    assert subject.scopes == ("s1", "s2")
    assert accounts.issued[0][3] == NOW + 3599


def test_target_audience_gives_an_id_token_about_the_account() -> None:
    body = _post(sign(claims(scope=None, target_audience="https://svc.example")))
    assert set(body) == {"id_token"}
    token = str(body["id_token"])
    decoded = jwt.decode(
        token, OneKey().published(NOW)[0].public_key, algorithms=["RS256"],
        audience="https://svc.example", options={"verify_exp": False, "verify_iat": False},
    )
    assert (decoded["sub"], decoded["email"], decoded["email_verified"]) == (
        ACCOUNT.unique_id, ACCOUNT.email, True,
    )


@pytest.mark.parametrize(
    ("assertion", "expected"),
    [
        pytest.param("not-a-jwt", SIGNATURE, id="not-a-jwt"),
        pytest.param("a.b.c", SIGNATURE, id="bad-base64-json"),
        pytest.param(f"{b64(b'[1]')}.{b64(claims())}.{b64(b'x')}", SIGNATURE, id="header-array"),
        pytest.param(f"{b64({'alg': 'RS256'})}.{b64(b'{')}.{b64(b'x')}", SIGNATURE, id="bad-json"),
        pytest.param(
            f"{b64({'alg': 'none', 'kid': 'a1'.ljust(40, '0')})}.{b64(claims())}.",
            SIGNATURE, id="alg-none",
        ),
        pytest.param(_hs256_with_public_key(), SIGNATURE, id="hs256-public-key"),
        pytest.param(sign(claims(), "b1"), SIGNATURE, id="other-accounts-key"),
        pytest.param(sign(claims(), "zz"), SIGNATURE, id="unknown-key"),
        pytest.param(sign(claims(), "a1")[:-4] + "AAAA", SIGNATURE, id="bad-signature"),
        pytest.param(sign(claims(iss="nobody@x.iam.gserviceaccount.com")), NOT_FOUND, id="no-iss"),
        pytest.param(sign(claims(iss=None)), NOT_FOUND, id="missing-iss"),
        pytest.param(sign(claims(aud="https://elsewhere/token")),
                     ("invalid_grant", "Invalid JWT: Failed audience check."), id="aud"),
        pytest.param(sign(claims(aud=[AUD])),
                     ("invalid_grant", "Invalid JWT: Failed audience check."), id="aud-list"),
        pytest.param(sign(claims(iat=NOW - 7200, exp=NOW - 3600)), TIMEFRAME, id="expired"),
        pytest.param(sign(claims(exp=NOW + 3601)), TIMEFRAME, id="over-long"),
        pytest.param(sign(claims(iat=NOW + 900, exp=NOW + 1800)), TIMEFRAME, id="future-iat"),
        pytest.param(sign(claims(iat="now")), TIMEFRAME, id="iat-string"),
        pytest.param(sign(claims(exp=None)), TIMEFRAME, id="no-exp"),
        pytest.param(sign(claims(scope=None)), NO_SCOPE, id="no-scope"),
        pytest.param(sign(claims(scope=" ")), NO_SCOPE, id="blank-scope"),
        pytest.param(sign(claims(scope="s1 nope")), NO_SCOPE, id="unknown-scope"),
        pytest.param(sign(claims(scope=None, target_audience="")), NO_SCOPE, id="blank-aud"),
    ],
)
def test_refusals_of_reference_1_15(assertion: str, expected: tuple[str, str]) -> None:
    assert _refusal(assertion) == expected


def test_a_small_clock_skew_is_tolerated() -> None:
    """iat up to five minutes ahead (Accord's choice [U]) is accepted."""
    assert "access_token" in _post(sign(claims(iat=NOW + 200, exp=NOW + 3000)))


def test_kid_less_assertion_is_tried_against_every_enabled_key() -> None:
    assertion = jwt.encode(claims(), private_key("a1"), algorithm="RS256")
    assert "access_token" in _post(assertion)


def _accounts(**change: object) -> FakeAccounts:
    account = replace(ACCOUNT, **change)  # type: ignore[arg-type]
    return FakeAccounts(
        accounts={a.email: a for a in (account, OTHER_ACCOUNT)},
        keys={ACCOUNT.pk: [key("a1", disabled=True), key("a2")]},
        delegations={(3, ACCOUNT.unique_id): frozenset({"s1", "s2"})},
    )


def test_disabled_and_deleted_accounts_and_keys_issue_nothing() -> None:
    assert _refusal(sign(claims(), "a1"), _accounts()) == SIGNATURE  # disabled key
    assert "access_token" in _post(sign(claims(), "a2"), _accounts())
    assert _refusal(sign(claims(), "a2"), _accounts(disabled=True)) == (
        "invalid_grant", "Robot is disabled.",
    )
    assert _refusal(sign(claims(), "a2"), _accounts(deleted=True)) == NOT_FOUND


def test_domain_wide_delegation_acts_as_the_user() -> None:
    ctx, _ = account_context(_accounts())
    assertion = sign(claims(sub=BOB.email, scope="s1"), "a2")
    body = grants.token(ctx, {"grant_type": GRANT_TYPE, "assertion": assertion}, None)
    subject = access.admit(ctx, str(body.as_json()["access_token"]))
    assert (subject.principal.kind, subject.principal.pk) == (PrincipalKind.USER, BOB.pk)
    assert subject.client_id == ACCOUNT.unique_id
    event = ctx.store.events[-1]  # type: ignore[attr-defined]
    assert (event.event, event.client_id, event.outcome) == (
        "token.delegated", ACCOUNT.unique_id, "issued",
    )


def test_sub_equal_to_the_account_is_no_delegation() -> None:
    ctx, accounts = account_context(_accounts())
    grants.token(
        ctx, {"grant_type": GRANT_TYPE, "assertion": sign(claims(sub=ACCOUNT.email), "a2")}, None
    )
    assert accounts.issued[0][0].kind is PrincipalKind.SERVICE_ACCOUNT


@pytest.mark.parametrize(
    ("sub", "scope", "expected", "status"),
    [
        (BOB.email, "s1 email", DENIED, 401),
        (ALICE.email, "s1", ("invalid_grant", "Invalid email or User ID"), 400),  # no org
        ("ghost@corp.example", "s1", ("invalid_grant", "Invalid email or User ID"), 400),
        ("not an email", "s1", ("invalid_request", 'Invalid impersonation "sub" field'), 400),
        ("", "s1", ("invalid_request", 'Invalid impersonation "sub" field'), 400),
        (42, "s1", ("invalid_request", 'Invalid impersonation "sub" field'), 400),
    ],
    ids=["scope-not-delegated", "user-outside-org", "unknown-user", "malformed", "empty",
         "number"],
)
def test_refusals_of_reference_1_16(
    sub: object, scope: str, expected: tuple[str, str], status: int
) -> None:
    with pytest.raises(OAuthError) as caught:
        _post(sign(claims(sub=sub, scope=scope), "a2"), _accounts())
    assert (caught.value.code, caught.value.description, caught.value.status) == (
        *expected, status,
    )


def test_an_organization_that_authorized_nothing_refuses_as_unauthorized_client() -> None:
    accounts = _accounts()
    accounts.delegations = {}
    assert _refusal(sign(claims(sub=BOB.email, scope="s1"), "a2"), accounts) == DENIED


def test_revoking_an_account_token_revokes_that_authorization_only() -> None:
    ctx, _ = account_context()
    tokens = [
        str(grants.token(ctx, {"grant_type": GRANT_TYPE, "assertion": sign(claims())}, None)
            .as_json()["access_token"])
        for _ in range(2)
    ]
    access.revoke(ctx, tokens[0])
    with pytest.raises(OAuthError):
        access.admit(ctx, tokens[0])
    assert access.admit(ctx, tokens[1]).principal.sub == ACCOUNT.unique_id
    event = ctx.store.events[-1]  # type: ignore[attr-defined]
    assert (event.event, event.client_id, event.email) == (
        "token.revoked", ACCOUNT.unique_id, ACCOUNT.email,
    )
