"""The IAM Credentials API's core (accord.protocol.iam) and self-signed JWTs
(accord.protocol.self_signed) on in-memory fakes."""

from __future__ import annotations

from dataclasses import replace

import jwt
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from accord.protocol import iam, self_signed
from accord.protocol.errors import ExpiredToken, InvalidToken
from accord.protocol.iam import IamRefusal, Method, Refusal
from tests.protocol.fakes import NOW
from tests.protocol.iam_fakes import SYSTEM_KEY, THIRD, iam_context, user_caller
from tests.protocol.sa_fakes import ACCOUNT, OTHER_ACCOUNT, sign
from tests.protocol.sa_fakes import private_key as named_key

ALICE_MEMBER = "user:alice@example.com"


def refused(kind: Refusal, call: object, *args: object) -> IamRefusal:
    with pytest.raises(IamRefusal) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.kind is kind
    return caught.value


def test_the_caller_needs_the_role_on_the_target() -> None:
    ctx, accounts = iam_context()
    caller = user_caller()
    exc = refused(Refusal.PERMISSION_DENIED, iam.authorize, ctx, caller, ACCOUNT.email, (),
                  Method.GENERATE_ACCESS_TOKEN)
    assert exc.subject == "iam.serviceAccounts.getAccessToken"
    assert ctx.store.events[-1].outcome == "denied"  # type: ignore[attr-defined]
    accounts.roles.add((ACCOUNT.pk, ALICE_MEMBER, iam.TOKEN_CREATOR))
    assert iam.authorize(ctx, caller, ACCOUNT.unique_id, (), Method.SIGN_BLOB) == ACCOUNT


def test_each_link_of_a_delegate_chain_needs_the_role_on_the_next() -> None:
    ctx, accounts = iam_context()
    caller, chain = user_caller(), (OTHER_ACCOUNT.email, THIRD.email)
    accounts.roles |= {(ACCOUNT.pk, "serviceAccount:" + THIRD.email, iam.TOKEN_CREATOR),
                       (THIRD.pk, "serviceAccount:" + OTHER_ACCOUNT.email, iam.TOKEN_CREATOR)}
    refused(Refusal.PERMISSION_DENIED, iam.authorize, ctx, caller, ACCOUNT.email, chain,
            Method.SIGN_JWT)
    accounts.roles.add((OTHER_ACCOUNT.pk, ALICE_MEMBER, iam.TOKEN_CREATOR))
    assert iam.authorize(ctx, caller, ACCOUNT.email, chain, Method.SIGN_JWT) == ACCOUNT
    accounts.roles.discard((THIRD.pk, "serviceAccount:" + OTHER_ACCOUNT.email, iam.TOKEN_CREATOR))
    refused(Refusal.PERMISSION_DENIED, iam.authorize, ctx, caller, ACCOUNT.email, chain,
            Method.SIGN_JWT)


def test_the_openid_token_creator_role_opens_only_id_tokens() -> None:
    ctx, accounts = iam_context()
    accounts.roles.add((ACCOUNT.pk, ALICE_MEMBER, iam.OPENID_TOKEN_CREATOR))
    assert iam.authorize(ctx, user_caller(), ACCOUNT.email, (), Method.GENERATE_ID_TOKEN)
    exc = refused(Refusal.PERMISSION_DENIED, iam.authorize, ctx, user_caller(), ACCOUNT.email,
                  (), Method.GENERATE_ACCESS_TOKEN)
    assert exc.subject == "iam.serviceAccounts.getAccessToken"


def test_unknown_deleted_and_disabled_accounts() -> None:
    ctx, accounts = iam_context()
    caller = user_caller()
    exc = refused(Refusal.NOT_FOUND, iam.authorize, ctx, caller, "nobody@proj.iam", (),
                  Method.SIGN_BLOB)
    assert exc.subject == "nobody@proj.iam"
    accounts.roles.add((ACCOUNT.pk, ALICE_MEMBER, iam.TOKEN_CREATOR))
    accounts.accounts[ACCOUNT.email] = replace(ACCOUNT, disabled=True)
    refused(Refusal.DISABLED, iam.authorize, ctx, caller, ACCOUNT.email, (), Method.SIGN_BLOB)
    accounts.accounts[ACCOUNT.email] = replace(ACCOUNT, deleted=True)
    refused(Refusal.NOT_FOUND, iam.authorize, ctx, caller, ACCOUNT.email, (), Method.SIGN_BLOB)


def test_access_tokens_live_the_lifetime_asked_and_are_audited() -> None:
    ctx, accounts = iam_context()
    token = iam.generate_access_token(ctx, user_caller(), ACCOUNT, ("s1",), 600)
    assert token.expires_at == NOW + 600 and token.expires_in == 600
    principal, sa_pk, scopes, expires = accounts.issued[-1]
    assert principal == ACCOUNT.principal() and (sa_pk, scopes, expires) == (5, ("s1",), NOW + 600)
    event = ctx.store.events[-1]  # type: ignore[attr-defined]
    assert (event.event, event.outcome, event.client_id) == (
        "iam.generateAccessToken", "issued", ACCOUNT.unique_id)


def test_sign_jwt_bounds_exp_and_signs_with_the_system_key() -> None:
    ctx, _ = iam_context()
    caller = user_caller()
    refused(Refusal.EXP_MISSING, iam.sign_jwt, ctx, caller, ACCOUNT, {"sub": "x"})
    refused(Refusal.EXP_MISSING, iam.sign_jwt, ctx, caller, ACCOUNT, {"exp": True})
    refused(Refusal.EXP_TOO_FAR, iam.sign_jwt, ctx, caller, ACCOUNT, {"exp": NOW + 12 * 3600 + 1})
    key_id, token = iam.sign_jwt(ctx, caller, ACCOUNT, {"exp": NOW + 60, "x": [1]})
    assert key_id == SYSTEM_KEY and jwt.get_unverified_header(token)["kid"] == SYSTEM_KEY
    public = named_key("system").public_key()
    assert jwt.decode(token, public, algorithms=["RS256"], options={"verify_exp": False}) == {
        "exp": NOW + 60, "x": [1]}


def test_sign_blob_is_pkcs1_v1_5_sha256() -> None:
    ctx, _ = iam_context()
    key_id, signature = iam.sign_blob(ctx, user_caller(), ACCOUNT, b"blob")
    assert key_id == SYSTEM_KEY
    named_key("system").public_key().verify(signature, b"blob", padding.PKCS1v15(),
                                            hashes.SHA256())


AUDS = frozenset({"https://drive.googleapis.com/"})
API_SCOPES = frozenset({"d1", "d2"})


def claims(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"iss": ACCOUNT.email, "sub": ACCOUNT.email, "iat": NOW,
                               "exp": NOW + 3600}
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def test_self_signed_with_scope_or_aud() -> None:
    ctx, _ = iam_context()
    subject = self_signed.admit(ctx, sign(claims(scope="d2 s1")), AUDS, API_SCOPES)
    assert subject.scopes == ("d2", "s1") and subject.principal == ACCOUNT.principal()
    assert subject.client_id == ACCOUNT.unique_id and subject.service_account_pk == ACCOUNT.pk
    by_aud = self_signed.admit(ctx, sign(claims(aud=["x", *AUDS])), AUDS, API_SCOPES)
    assert by_aud.scopes == ("d1", "d2") and by_aud.expires_at == NOW + 3600


@pytest.mark.parametrize(
    "token",
    [
        sign(claims(aud="https://www.googleapis.com/")),
        sign(claims()),  # neither aud nor scope
        sign(claims(scope="d1", aud="https://elsewhere/")),
        sign(claims(scope="d1", sub="someone@else")),
        sign(claims(scope="d1", iss=OTHER_ACCOUNT.email, sub=OTHER_ACCOUNT.email)),  # wrong key
        sign(claims(scope="d1", exp=NOW + 3601)),
        sign(claims(scope="d1", iat=NOW + 600, exp=NOW + 1200)),
        sign(claims(scope="d1", iat="now")),
        sign(claims(scope=["d1"])),
        "eyJhbGciOiJub25lIn0.e30.",
    ],
)
def test_self_signed_refusals(token: str) -> None:
    ctx, _ = iam_context()
    with pytest.raises(InvalidToken):
        self_signed.admit(ctx, token, AUDS, API_SCOPES)


def test_an_expired_self_signed_jwt_says_expired() -> None:
    ctx, _ = iam_context()
    with pytest.raises(ExpiredToken):
        self_signed.admit(ctx, sign(claims(scope="d1", iat=NOW - 4000, exp=NOW - 400)), AUDS,
                          API_SCOPES)
