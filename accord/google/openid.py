"""The OpenID Provider configuration (reference §1.8), on Accord's URLs, listing only
what Accord supports: the lists of grants, response types and modes, PKCE methods and
client authentication methods are read from the core's registries."""

from __future__ import annotations

from accord.google import paths
from accord.protocol import authorize, client_auth, grants, pkce


def configuration(issuer: str, id_token_issuer: str) -> dict[str, object]:
    return {
        "issuer": id_token_issuer,
        "authorization_endpoint": issuer + paths.AUTHORIZE[0],
        "token_endpoint": issuer + paths.TOKEN[0],
        "userinfo_endpoint": issuer + "/v1/userinfo",
        "revocation_endpoint": issuer + paths.REVOKE[0],
        "jwks_uri": issuer + paths.CERTS_V3,
        "response_types_supported": list(authorize.RESPONSE_TYPES),
        "response_modes_supported": list(authorize.RESPONSE_MODES),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": list(client_auth.METHODS),
        "claims_supported": [
            "aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss",
            "locale", "name", "picture", "sub",
        ],
        "code_challenge_methods_supported": list(pkce.METHODS),
        "claims_parameter_supported": True,
        "grant_types_supported": grants.grant_types(),
    }
