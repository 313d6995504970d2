"""The IAM Credentials API in Google's dialect (reference §1.19): who may call it, its
request bodies read as proto3 JSON, and its answers.

Requests are read strictly: one JSON object, each member of its declared type, no unknown
members (proto3 JSON also accepts each field's original snake_case name, ``null`` for the
default, booleans as ``"true"``/``"false"`` strings, which google-auth sends, durations as
``"3600s"`` and bytes as standard or URL-safe base64). Anything else is a 400
INVALID_ARGUMENT, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from accord.google import iamcredentials_errors as iam_errors
from accord.google import scopes
from accord.google.apis import guard
from accord.google.apis.errors import ApiError
from accord.google.iamcredentials_errors import API, invalid_argument
from accord.protocol import iam, self_signed
from accord.protocol.context import Context
from accord.protocol.errors import ExpiredToken, InvalidToken
from accord.protocol.iam import Method
from accord.protocol.messages import TokenSubject

# The caller's token must carry one of these (google-auth's impersonated credentials re-scope
# a service-account source to ``iam``; gcloud and users send ``cloud-platform``).
ACCEPTED_SCOPES = frozenset({scopes.AUTH + "cloud-platform", scopes.AUTH + "iam"})
SELF_SIGNED_AUDIENCE = "https://" + API.service + "/"
DELEGATE = re.compile(r"projects/-/serviceAccounts/([^/]+)")
DURATION = re.compile(r"(\d{1,12})(?:\.(\d{1,9}))?s")
MAX_DELEGATES = 10

STRING, STRINGS, BOOLEAN, SECONDS, BYTES = "string", "strings", "boolean", "duration", "bytes"
FIELDS: dict[Method, dict[str, str]] = {
    Method.GENERATE_ACCESS_TOKEN: {"delegates": STRINGS, "scope": STRINGS, "lifetime": SECONDS},
    Method.GENERATE_ID_TOKEN: {
        "audience": STRING,
        "delegates": STRINGS,
        "includeEmail": BOOLEAN,
        "useEmailAzp": BOOLEAN,
    },
    Method.SIGN_JWT: {"delegates": STRINGS, "payload": STRING},
    Method.SIGN_BLOB: {"delegates": STRINGS, "payload": BYTES},
}
_SNAKE = {"includeEmail": "include_email", "useEmailAzp": "use_email_azp"}


@dataclass(frozen=True)
class IamRequest:
    """A parsed call: the method, the target (email or unique id), its delegates, and the
    method's own fields (typed: ``scope`` a tuple, ``lifetime`` int seconds, ``payload``
    bytes for signBlob, a dict of claims for signJwt)."""

    method: Method
    target: str
    delegates: tuple[str, ...]
    values: dict[str, Any]


def admit(ctx: Context, token: str | None, method: Method, issuer: str) -> TokenSubject:
    """The caller's own bearer token (an access token, or a service account's self-signed
    JWT for this API's service URL or with a ``scope`` claim): live, its project having
    enabled the API, one of :data:`ACCEPTED_SCOPES` (refusals in Google's envelope)."""
    rpc = iam_errors.rpc(method)
    if token and self_signed.looks_like_jwt(token) and ctx.service_accounts is not None:
        try:
            subject = self_signed.admit(ctx, token, {SELF_SIGNED_AUDIENCE}, ACCEPTED_SCOPES)
        except InvalidToken as exc:
            expired = isinstance(exc, ExpiredToken)
            raise iam_errors.credentials_invalid(method, issuer, expired) from None
    else:
        try:
            subject = guard.credentials(ctx, token, API, rpc, issuer)
        except ApiError as exc:  # a Cloud API: no legacy errors[] array
            exc.body["error"].pop("errors", None)
            raise
    if API.name not in ctx.store.enabled_apis(subject.project_pk):
        raise iam_errors.service_disabled(subject.project_number, issuer)
    if ACCEPTED_SCOPES.isdisjoint(subject.scopes):
        raise iam_errors.scopes_insufficient(method, issuer, ACCEPTED_SCOPES)
    return subject


def _typed(name: str, kind: str, value: Any) -> Any:
    bad = invalid_argument(f"Invalid value at '{name}' ({_TYPE_NAMES[kind]}), {_show(value)}", name)
    if kind == STRINGS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad
        return tuple(value)
    if kind == BOOLEAN:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise bad
    if not isinstance(value, str):
        raise bad
    if kind == SECONDS:
        match = DURATION.fullmatch(value)
        if match is None:
            raise bad
        return int(match.group(1)) + (1 if int(match.group(2) or 0) else 0)
    if kind == BYTES:
        try:
            text = value.replace("-", "+").replace("_", "/")
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise bad from None
    return value


_TYPE_NAMES = {
    STRING: "TYPE_STRING",
    STRINGS: "TYPE_STRING",
    BOOLEAN: "TYPE_BOOL",
    SECONDS: "type.googleapis.com/google.protobuf.Duration",
    BYTES: "TYPE_BYTES",
}


def _show(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise invalid_argument("Invalid JSON payload received. Unexpected token.") from None
    if not isinstance(value, dict):
        raise invalid_argument("Invalid JSON payload received. Expected an object.")
    return value


def parse(method: Method, project: str, target: str, body: bytes) -> IamRequest:
    if project != "-":
        raise invalid_argument(
            "Invalid form of project ID; the '-' wildcard character is required.", "name"
        )
    if not target:
        raise invalid_argument("The service account email or unique id is required.", "name")
    fields, values = FIELDS[method], {}
    for name, value in _object(body).items():
        key = next((f for f in fields if name in (f, _SNAKE.get(f))), None)
        if key is None:
            raise invalid_argument(
                f'Invalid JSON payload received. Unknown name "{name}": Cannot find field.', name
            )
        if key in values:
            message = f'Invalid JSON payload received. Duplicate field "{name}".'
            raise invalid_argument(message, name)
        if value is not None:
            values[key] = _typed(key, fields[key], value)
    delegates = tuple(_delegate(d) for d in values.pop("delegates", ()))
    if len(delegates) > MAX_DELEGATES:
        raise invalid_argument(f"At most {MAX_DELEGATES} delegates are allowed.", "delegates")
    _check(method, values)
    return IamRequest(method, target, delegates, values)


def _delegate(name: str) -> str:
    match = DELEGATE.fullmatch(name)
    if match is None:
        raise invalid_argument(
            f"Invalid delegate {name!r}: expected projects/-/serviceAccounts/EMAIL_OR_UNIQUE_ID.",
            "delegates",
        )
    return match.group(1)


def _check(method: Method, values: dict[str, Any]) -> None:
    """Each method's required fields and bounds."""
    if method is Method.GENERATE_ACCESS_TOKEN:
        if not values.get("scope") or not all(values["scope"]):
            raise invalid_argument("Scope required.", "scope")
        values["scope"] = scopes.normalize(values["scope"])
        lifetime = values.setdefault("lifetime", iam.DEFAULT_ACCESS_LIFETIME)
        if not 1 <= lifetime <= iam.MAX_ACCESS_LIFETIME:
            raise invalid_argument(
                f"The lifetime must be between 1s and {iam.MAX_ACCESS_LIFETIME}s; "
                f"{lifetime}s was requested.",
                "lifetime",
            )
    elif method is Method.GENERATE_ID_TOKEN:
        if not values.get("audience"):
            raise invalid_argument("Audience required.", "audience")
        values.setdefault("includeEmail", False)
        values.setdefault("useEmailAzp", False)
    elif method is Method.SIGN_JWT:
        try:
            claims = json.loads(values.get("payload") or "")
        except ValueError:
            claims = None
        if not isinstance(claims, dict):
            raise invalid_argument("The payload must be a JSON object of JWT claims.", "payload")
        values["payload"] = claims
    elif "payload" not in values:
        raise invalid_argument("Payload required.", "payload")


def expire_time(expires_at: int) -> str:
    """RFC 3339 with whole seconds: google-auth parses ``%Y-%m-%dT%H:%M:%SZ``."""
    return datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def answer(ctx: Context, caller: TokenSubject, request: IamRequest) -> dict[str, Any]:
    """Authorize the chain, then issue; the body Google answers with."""
    account = iam.authorize(ctx, caller, request.target, request.delegates, request.method)
    v, delegates = request.values, request.delegates
    if request.method is Method.GENERATE_ACCESS_TOKEN:
        token = iam.generate_access_token(
            ctx, caller, account, v["scope"], v["lifetime"], delegates
        )
        return {"accessToken": token.access_token, "expireTime": expire_time(token.expires_at)}
    if request.method is Method.GENERATE_ID_TOKEN:
        id_token = iam.generate_id_token(
            ctx, caller, account, v["audience"], v["includeEmail"], v["useEmailAzp"], delegates
        )
        return {"token": id_token}
    if request.method is Method.SIGN_JWT:
        key_id, signed = iam.sign_jwt(ctx, caller, account, v["payload"], delegates)
        return {"keyId": key_id, "signedJwt": signed}
    key_id, signature = iam.sign_blob(ctx, caller, account, v["payload"], delegates)
    return {"keyId": key_id, "signedBlob": base64.b64encode(signature).decode()}
