"""The authorization code grant's token request (RFC 6749 §4.1.3; reference §1.3)."""

from __future__ import annotations

import jwt
import pytest

from accord.protocol import grants
from accord.protocol.context import Context
from accord.protocol.errors import OAuthError
from accord.protocol.id_token import at_hash
from accord.protocol.pkce import s256
from accord.protocol.tokens import digest
from tests.protocol.fakes import NOW, SECRET, WEB, code_grant, context, store_of

VERIFIER = "v" * 43
CODE = "4/0Acode"


def exchange(ctx: Context, **params: str) -> dict[str, object]:
    base = {"grant_type": "authorization_code", "client_id": WEB.client_id,
            "client_secret": SECRET, "code": CODE, "redirect_uri": WEB.redirect_uris[0]}
    return grants.token(ctx, {**base, **params}, None).as_json()


def with_code(**kw: object) -> Context:
    ctx = context()
    store_of(ctx).save_code(digest(CODE), code_grant(**kw), NOW)
    return ctx


def test_rfc6749_4_1_3_code_exchanges_for_tokens_in_googles_order() -> None:
    """RFC 6749 §5.1; Google's field order (reference §1.3.1)."""
    body = exchange(with_code(issue_refresh_token=True, nonce="n-1"))
    assert list(body) == ["access_token", "expires_in", "refresh_token", "scope", "token_type",
                          "id_token"]
    assert (body["expires_in"], body["scope"], body["token_type"]) == (3599, "openid email",
                                                                       "Bearer")
    assert str(body["refresh_token"]).startswith("1//0")
    claims = jwt.decode(str(body["id_token"]), options={"verify_signature": False})
    assert claims["at_hash"] == at_hash(str(body["access_token"]))
    assert (claims["nonce"], claims["aud"], claims["email"]) == ("n-1", WEB.client_id,
                                                                "alice@example.com")
    assert "c_hash" not in claims and "auth_time" not in claims


def test_google_online_access_has_no_refresh_token_and_no_id_token_without_sign_in() -> None:
    """Reference §1.3.1: a refresh token only for access_type=offline; an ID token only
    when a sign-in scope was granted."""
    body = exchange(with_code(scopes=("s1",)))
    assert list(body) == ["access_token", "expires_in", "scope", "token_type"]


@pytest.mark.parametrize(
    ("grant", "params", "code", "description"),
    [
        ({}, {"code": "not-ours"}, "invalid_grant", "Malformed auth code."),
        ({}, {"code": "4/0Aunknown"}, "invalid_grant", "Bad Request"),
        ({"client_pk": 2}, {}, "invalid_grant", "Bad Request"),
        ({"expires_at": NOW}, {}, "invalid_grant", "Bad Request"),
        ({}, {"redirect_uri": "https://app.example/other"}, "redirect_uri_mismatch",
         "Bad Request"),
        ({}, {"code_verifier": VERIFIER}, "invalid_request",
         "code_verifier or verifier is not needed."),
        ({"code_challenge": s256(VERIFIER), "code_challenge_method": "S256"}, {},
         "invalid_grant", "Missing code verifier."),
        ({"code_challenge": s256(VERIFIER), "code_challenge_method": "S256"},
         {"code_verifier": "w" * 43}, "invalid_grant", "Invalid code verifier."),
    ],
    ids=["malformed", "unknown", "another-clients", "expired", "redirect-differs",
         "verifier-not-needed", "verifier-missing", "verifier-wrong"],
)
def test_rfc6749_5_2_invalid_grant(
    grant: dict[str, object], params: dict[str, str], code: str, description: str
) -> None:
    """RFC 6749 §5.2 invalid_grant: "expired, revoked, does not match the redirection URI
    used in the authorization request, or was issued to another client"; RFC 7636 §4.6."""
    with pytest.raises(OAuthError) as caught:
        exchange(with_code(**grant), **params)
    assert (caught.value.code, caught.value.description) == (code, description)


def test_rfc7636_4_6_s256_verifier_is_accepted() -> None:
    """RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge."""
    ctx = with_code(code_challenge=s256(VERIFIER), code_challenge_method="S256")
    assert "access_token" in exchange(ctx, code_verifier=VERIFIER)


def test_rfc6749_4_1_2_a_replayed_code_is_refused_and_revokes_its_tokens() -> None:
    """RFC 6749 §4.1.2: "If an authorization code is used more than once ... SHOULD revoke
    (when possible) all tokens previously issued based on that authorization code"."""
    ctx = with_code()
    exchange(ctx)
    with pytest.raises(OAuthError) as caught:
        exchange(ctx)
    assert (caught.value.code, caught.value.description) == ("invalid_grant", "Bad Request")
    assert [e.event for e in store_of(ctx).events] == ["code.family_revoked"]
