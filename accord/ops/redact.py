"""Credentials out of every log line: parameters, headers and token shapes.

Applied by a filter on every handler (accord.ops.logs) to messages, their arguments and
tracebacks, so an access log line (``GET /tokeninfo?access_token=ya29...``), an error
report or an exception's text never carries a token, code, secret, password or
interaction id.
"""

from __future__ import annotations

import re

MASK = "[REDACTED]"

# Parameters that carry a credential (RFC 6749, 6750, 7009, 7523, 8693, OIDC Core) or an
# interaction (the sign-in pages' ``i``; ``continue`` URLs carry one inside).
PARAMETERS = (
    "access_token", "refresh_token", "id_token", "token", "code", "client_secret",
    "password", "new_password", "current_password", "assertion", "client_assertion",
    "subject_token", "actor_token", "id_token_hint", "login_hint", "code_verifier",
    "oauth_token", "i", "continue", "csrf_token", "session",
)
_NAMES = "|".join(sorted(PARAMETERS, key=len, reverse=True))

# name=value in a query string or form body (also percent-encoded inside another URL).
_QUERY = re.compile(rf"(?i)(^|[?&;\s\"'(,])({_NAMES})=([^&\s\"'#,)]*)")
_ENCODED = re.compile(rf"(?i)(%3F|%26)({_NAMES})%3D((?:(?!%26)[^&\s\"'#])*)")
# "name": "value" in JSON, and name: value / 'name': 'value' in reprs.
_JSON = re.compile(rf"(?i)([\"']({_NAMES})[\"']\s*:\s*)([\"'])(?:\\.|(?!\3).)*\3")
# Authorization and cookie headers, whatever their scheme.
_HEADER = re.compile(
    r"(?i)((?:authorization|proxy-authorization|cookie|set-cookie|x-goog-iap-jwt-assertion)"
    r"[\"']?\s*[:=,]\s*[\"']?)([^\"'\r\n]+)"
)
_SCHEME = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
# Token shapes of accord.google.identifiers and JWTs, wherever they appear.
_SHAPES = re.compile(
    r"ya29\.[A-Za-z0-9._~+/=-]+"
    r"|1//0[A-Za-z0-9._~+/=-]+"
    r"|4/0A[A-Za-z0-9._~+/=-]+"
    r"|GOCSPX-[A-Za-z0-9_-]+"
    r"|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"
)


def redact(text: str) -> str:
    """`text` with every credential it carries replaced by [REDACTED]."""
    if not text:
        return text
    text = _QUERY.sub(lambda m: f"{m[1]}{m[2]}={MASK}", text)
    text = _ENCODED.sub(lambda m: f"{m[1]}{m[2]}%3D{MASK}", text)
    text = _JSON.sub(lambda m: f"{m[1]}{m[3]}{MASK}{m[3]}", text)
    text = _HEADER.sub(lambda m: f"{m[1]}{MASK}", text)
    text = _SCHEME.sub(lambda m: f"{m[1]} {MASK}", text)
    return _SHAPES.sub(MASK, text)
