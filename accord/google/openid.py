"""The OpenID Provider configuration (reference §1.8), on Accord's URLs, listing only
what Accord supports."""

from __future__ import annotations

from accord.google import paths


def configuration(issuer: str, id_token_issuer: str) -> dict[str, object]:
    return {
        "issuer": id_token_issuer,
        "authorization_endpoint": issuer + paths.AUTHORIZE[0],
        "token_endpoint": issuer + paths.TOKEN[0],
        "userinfo_endpoint": issuer + "/v1/userinfo",
        "revocation_endpoint": issuer + paths.REVOKE[0],
        "jwks_uri": issuer + paths.CERTS_V3,
        "response_types_supported": [
            "code", "token", "id_token", "code token", "code id_token", "token id_token",
            "code token id_token",
        ],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": [
            "aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss",
            "locale", "name", "picture", "sub",
        ],
        "code_challenge_methods_supported": ["plain", "S256"],
        "claims_parameter_supported": True,
        "grant_types_supported": ["authorization_code", "refresh_token"],
    }
