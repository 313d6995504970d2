"""The authorization request (RFC 6749 §4.1.1), validated by an ordered pipeline.

The first two checks decide whether the client and its redirect URI can be
trusted; until both pass, no error may be sent to the redirect URI
(RFC 6749 §4.1.2.1). Google shows every validation error on its own page and
redirects only the user's refusal and ``prompt=none`` failures (reference §1.1).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from accord.google import wording
from accord.protocol import pkce
from accord.protocol.client_auth import check_usable
from accord.protocol.errors import (
    InvalidClient,
    InvalidRequest,
    InvalidScope,
    RedirectUriMismatch,
    UnsupportedResponseType,
)
from accord.protocol.messages import AccessType, AuthorizationRequest, Client, Prompt
from accord.protocol.params import require, small_number, split_spaces

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class ScopePolicy:
    """How the dialect names scopes: which exist, and their canonical spelling."""

    unknown: Callable[[tuple[str, ...]], list[str]]
    normalize: Callable[[tuple[str, ...]], tuple[str, ...]]
    service: Callable[[str], str | None] = lambda _scope: None  # the API a scope opens
    basic: Callable[[str], bool] = lambda _scope: False  # name, email, profile


def find_client(params: Mapping[str, str], lookup: Callable[[str], Client | None]) -> Client:
    client_id = require(params, "client_id")
    client = lookup(client_id)
    if client is None:
        raise InvalidClient(wording.CLIENT_NOT_FOUND, detail=client_id)
    check_usable(client)
    return client


def _loopback(uri: str) -> tuple[str, str, str] | None:
    """(host, path, query) of an http loopback URI, without its port (RFC 8252 §7.3)."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return None
    if parts.scheme != "http" or host not in LOOPBACK_HOSTS or parts.username or parts.fragment:
        return None
    return host, parts.path or "/", parts.query


def registered(client: Client, redirect_uri: str) -> bool:
    """Exact string match: scheme, host, port, path, case and trailing slash (reference §1.11).
    Installed apps may use any port on a loopback redirect URI (RFC 8252 §7.3, reference §1.1).
    """
    if redirect_uri in client.redirect_uris:
        return True
    if client.kind != "desktop":
        return False
    asked = _loopback(redirect_uri)
    return asked is not None and any(_loopback(uri) == asked for uri in client.redirect_uris)


def check_redirect_uri(params: Mapping[str, str], client: Client) -> str:
    redirect_uri = require(params, "redirect_uri")
    if not registered(client, redirect_uri):
        raise RedirectUriMismatch(
            f"The redirect URI in the request, {redirect_uri}, does not match the ones "
            "authorized for the OAuth client.",
        )
    return redirect_uri


# OIDC Core §3 and the Multiple Response Type Encoding Practices: every combination
# Google's discovery lists except "none", in its order.
RESPONSE_TYPES = (
    "code", "token", "id_token", "code token", "code id_token", "token id_token",
    "code token id_token",
)
_SORTED_TYPES = frozenset(tuple(sorted(value.split(" "))) for value in RESPONSE_TYPES)
RESPONSE_MODES = ("query", "fragment", "form_post")


def _response_type(params: Mapping[str, str]) -> tuple[str, ...]:
    value = require(params, "response_type")
    types = tuple(sorted(split_spaces(value)))  # the order of the values does not matter
    if types not in _SORTED_TYPES:
        raise UnsupportedResponseType(f"Invalid response_type: {value}")
    return types


def _response_mode(params: Mapping[str, str], types: tuple[str, ...]) -> str:
    """Multiple Response Type Encoding Practices §2.1 and §5: tokens never go in a query."""
    default = "query" if types == ("code",) else "fragment"
    mode = params.get("response_mode", default)
    if mode not in RESPONSE_MODES:
        raise InvalidRequest(f"Invalid response_mode: {mode}")
    if mode == "query" and types != ("code",):
        joined = " ".join(types)
        raise InvalidRequest(f"response_mode=query is not allowed with response_type {joined}")
    return mode


def _auth_time_requested(params: Mapping[str, str]) -> bool:
    """The ``claims`` parameter (OIDC Core §5.5); Google documents only auth_time in it."""
    raw = params.get("claims")
    if raw is None:
        return False
    try:
        claims = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: arrays or objects nested too deep
        raise InvalidRequest("Invalid claims: not JSON") from None
    if not isinstance(claims, dict) or not all(isinstance(v, dict | None) for v in claims.values()):
        raise InvalidRequest("Invalid claims: must be a JSON object of objects")
    return "auth_time" in (claims.get("id_token") or {})


def _max_age(params: Mapping[str, str]) -> int | None:
    """OIDC Core §3.1.2.1: "the allowable elapsed time in seconds since the last time the
    End-User was actively authenticated"; a non-negative integer (0: sign in again)."""
    raw = params.get("max_age")
    if raw is None:
        return None
    value = small_number(raw)
    if value is None:
        raise InvalidRequest(f"Invalid max_age: {raw[:40]}")
    return value


def _scopes(params: Mapping[str, str], policy: ScopePolicy) -> tuple[str, ...]:
    scopes = split_spaces(require(params, "scope"))
    if not scopes:
        raise InvalidRequest("Missing required parameter: scope")
    bad = policy.unknown(scopes)
    if bad:
        raise InvalidScope(wording.invalid_scopes(bad))
    return policy.normalize(scopes)


def _access_type(params: Mapping[str, str]) -> AccessType:
    value = params.get("access_type", "online")
    try:
        return AccessType(value)
    except ValueError:
        raise InvalidRequest(f"Invalid access_type: {value}") from None


def _include_granted_scopes(params: Mapping[str, str]) -> bool:
    value = params.get("include_granted_scopes", "false")
    if value not in ("true", "false"):
        raise InvalidRequest(f"Invalid include_granted_scopes: {value}")
    return value == "true"


def _prompt(params: Mapping[str, str]) -> tuple[Prompt, ...]:
    """Space-delimited and case-sensitive; ``none`` stands alone (OIDC Core §3.1.2.1)."""
    values = split_spaces(params.get("prompt"))
    try:
        prompts = tuple(Prompt(v) for v in values)
    except ValueError:
        raise InvalidRequest(f"Invalid prompt: {params.get('prompt')}") from None
    if Prompt.NONE in prompts and len(prompts) > 1:
        raise InvalidRequest("Invalid prompt: none must not be combined with other values")
    return prompts


def validate(
    params: Mapping[str, str],
    lookup: Callable[[str], Client | None],
    policy: ScopePolicy,
) -> tuple[Client, AuthorizationRequest]:
    client = find_client(params, lookup)
    redirect_uri = check_redirect_uri(params, client)
    types = _response_type(params)
    mode = _response_mode(params, types)
    scopes = _scopes(params, policy)
    if "id_token" in types:
        if "openid" not in scopes:
            raise InvalidRequest("response_type id_token needs the openid scope")
        if "nonce" not in params:  # OIDC Core §3.2.2.11, §3.3.2.11
            raise InvalidRequest("Missing required parameter: nonce")
    challenge, method = pkce.validate_challenge(
        params.get("code_challenge"), params.get("code_challenge_method")
    )
    max_age = _max_age(params)
    request = AuthorizationRequest(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=params.get("state"),
        access_type=_access_type(params),
        include_granted_scopes=_include_granted_scopes(params),
        login_hint=params.get("login_hint"),
        prompt=_prompt(params),
        code_challenge=challenge,
        code_challenge_method=method,
        nonce=params.get("nonce"),
        response_type=types,
        response_mode=mode,
        # OIDC Core §2: auth_time is REQUIRED in the ID token when max_age was sent.
        auth_time_requested=_auth_time_requested(params) or max_age is not None,
        hd=params.get("hd"),
        max_age=max_age,
    )
    return client, request
