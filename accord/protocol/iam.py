"""The IAM Credentials API's decisions (reference §1.19): who may act as a service account,
and the credentials it then gets: an access token, an ID token, a signed JWT, a signed blob.

The caller is already admitted (its own bearer token, see ``accord.google.iamcredentials``); this
module resolves the target and the ``delegates`` chain, checks the roles along it, and
issues. Refusals are :class:`IamRefusal` values that name what went wrong; Google's words
and envelopes are in ``accord.google.iamcredentials_errors``. Every issuance (and every
refusal for want of a role) is audited.
"""

from __future__ import annotations

import base64
from enum import StrEnum

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from accord.protocol.context import Context
from accord.protocol.messages import AuditEvent, PrincipalKind, ServiceAccount, TokenSubject
from accord.protocol.service_accounts import AccountToken, issue_access_token, issue_id_token

TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"  # noqa: S105 - a role name
OPENID_TOKEN_CREATOR = "roles/iam.serviceAccountOpenIdTokenCreator"  # noqa: S105 - a role
MAX_ACCESS_LIFETIME = 3600  # seconds; Google's 12 h needs an org policy Accord does not have
DEFAULT_ACCESS_LIFETIME = 3600
MAX_SIGNED_JWT_AHEAD = 12 * 3600  # signJwt: exp at most 12 hours ahead


class Method(StrEnum):
    """The API's four methods, by the verb after the colon in their paths."""

    GENERATE_ACCESS_TOKEN = "generateAccessToken"  # noqa: S105 - a method name
    GENERATE_ID_TOKEN = "generateIdToken"  # noqa: S105 - a method name
    SIGN_JWT = "signJwt"
    SIGN_BLOB = "signBlob"

    @property
    def permission(self) -> str:
        return PERMISSIONS[self]


PERMISSIONS = {
    Method.GENERATE_ACCESS_TOKEN: "iam.serviceAccounts.getAccessToken",
    Method.GENERATE_ID_TOKEN: "iam.serviceAccounts.getOpenIdToken",
    Method.SIGN_JWT: "iam.serviceAccounts.signJwt",
    Method.SIGN_BLOB: "iam.serviceAccounts.signBlob",
}
# The roles that grant each permission (Google's predefined roles).
ROLES = {
    Method.GENERATE_ACCESS_TOKEN: (TOKEN_CREATOR,),
    Method.GENERATE_ID_TOKEN: (TOKEN_CREATOR, OPENID_TOKEN_CREATOR),
    Method.SIGN_JWT: (TOKEN_CREATOR,),
    Method.SIGN_BLOB: (TOKEN_CREATOR,),
}


class Refusal(StrEnum):
    NOT_FOUND = "not_found"  # no such account (or deleted): ``subject`` is the name asked for
    PERMISSION_DENIED = "permission_denied"  # ``subject`` is the permission
    DISABLED = "disabled"  # ``subject`` is the disabled account's email
    EXP_MISSING = "exp_missing"  # signJwt: the claims carry no numeric exp
    EXP_TOO_FAR = "exp_too_far"  # signJwt: exp more than 12 hours ahead


class IamRefusal(Exception):
    def __init__(self, kind: Refusal, subject: str = "") -> None:
        super().__init__(f"{kind}: {subject}")
        self.kind = kind
        self.subject = subject


def member(subject: TokenSubject) -> str:
    """The caller as an IAM policy names it: ``user:EMAIL`` or ``serviceAccount:EMAIL``."""
    principal = subject.principal
    kind = "serviceAccount" if principal.kind is PrincipalKind.SERVICE_ACCOUNT else "user"
    return f"{kind}:{principal.email}"


def _resolve(ctx: Context, name: str) -> ServiceAccount:
    account = ctx.accounts().service_account(name)
    if account is None or account.deleted:
        raise IamRefusal(Refusal.NOT_FOUND, name)
    return account


def authorize(
    ctx: Context, caller: TokenSubject, target: str, delegates: tuple[str, ...], method: Method
) -> ServiceAccount:
    """The target account, once the caller holds a role granting ``method``'s permission on
    the first delegate, each delegate on the next, and the last on the target."""
    account = _resolve(ctx, target)
    chain = [_resolve(ctx, d) for d in delegates] + [account]
    who = member(caller)
    for link in chain:
        if not any(ctx.accounts().has_role(link.pk, who, role) for role in ROLES[method]):
            _audit(ctx, caller, link, method, "denied", (("member", who),))
            raise IamRefusal(Refusal.PERMISSION_DENIED, method.permission)
        who = "serviceAccount:" + link.email
    for link in chain:
        if link.disabled:
            raise IamRefusal(Refusal.DISABLED, link.email)
    return account


def _audit(
    ctx: Context,
    caller: TokenSubject,
    account: ServiceAccount,
    method: Method,
    outcome: str,
    detail: tuple[tuple[str, str], ...] = (),
) -> None:
    principal = caller.principal
    ctx.store.record(
        AuditEvent(
            event="iam." + method.value,
            at=ctx.clock.now(),
            user_pk=principal.user_pk,
            email=principal.email,
            org_pk=principal.org_pk,
            project_pk=account.project_pk,
            client_id=account.unique_id,
            outcome=outcome,
            detail=(("serviceAccount", account.email), *detail),
        )
    )


def generate_access_token(
    ctx: Context,
    caller: TokenSubject,
    account: ServiceAccount,
    scopes: tuple[str, ...],
    lifetime: int,
    delegates: tuple[str, ...] = (),
) -> AccountToken:
    now = ctx.clock.now()
    token = issue_access_token(ctx, account, scopes, now, lifetime=lifetime)
    detail = (("scope", " ".join(scopes)), ("delegates", " ".join(delegates)))
    _audit(ctx, caller, account, Method.GENERATE_ACCESS_TOKEN, "issued", detail)
    return token


def generate_id_token(
    ctx: Context,
    caller: TokenSubject,
    account: ServiceAccount,
    audience: str,
    include_email: bool,
    email_azp: bool,
    delegates: tuple[str, ...] = (),
) -> str:
    now = ctx.clock.now()
    token = issue_id_token(ctx, account, audience, now, include_email, email_azp)
    detail = (("audience", audience), ("delegates", " ".join(delegates)))
    _audit(ctx, caller, account, Method.GENERATE_ID_TOKEN, "issued", detail)
    return token


def _private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("a system-managed key must be RSA")
    return key


def sign_jwt(
    ctx: Context,
    caller: TokenSubject,
    account: ServiceAccount,
    claims: dict[str, object],
    delegates: tuple[str, ...] = (),
) -> tuple[str, str]:
    """(key id, JWT): ``claims`` as given, signed RS256 with a system-managed key of the
    account (header ``kid`` its id), verifiable at the account's public-key endpoints."""
    now = ctx.clock.now()
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise IamRefusal(Refusal.EXP_MISSING)
    if exp > now + MAX_SIGNED_JWT_AHEAD:
        raise IamRefusal(Refusal.EXP_TOO_FAR)
    key_id, pem = ctx.accounts().signing_key(account.pk, now)
    signed = jwt.encode(
        claims, _private_key(pem), algorithm="RS256", headers={"kid": key_id, "typ": "JWT"}
    )
    detail = (("keyId", key_id), ("delegates", " ".join(delegates)))
    _audit(ctx, caller, account, Method.SIGN_JWT, "issued", detail)
    return key_id, signed


def sign_blob(
    ctx: Context,
    caller: TokenSubject,
    account: ServiceAccount,
    blob: bytes,
    delegates: tuple[str, ...] = (),
) -> tuple[str, bytes]:
    """(key id, signature): RSASSA-PKCS1-v1_5 with SHA-256 over ``blob``, as Google signs."""
    key_id, pem = ctx.accounts().signing_key(account.pk, ctx.clock.now())
    signature = _private_key(pem).sign(blob, padding.PKCS1v15(), hashes.SHA256())
    digest = hashes.Hash(hashes.SHA256())
    digest.update(blob)
    fingerprint = base64.b64encode(digest.finalize()).decode()
    detail = (("keyId", key_id), ("sha256", fingerprint), ("delegates", " ".join(delegates)))
    _audit(ctx, caller, account, Method.SIGN_BLOB, "issued", detail)
    return key_id, signature
