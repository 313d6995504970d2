"""A service account's public keys, as Google publishes them (the key file's
``client_x509_cert_url``): ``/robot/v1/metadata/x509/{email}`` and
``/service_accounts/v1/metadata/x509/{email}`` map each key id to its X.509 certificate in
PEM; ``/service_accounts/v1/metadata/jwk/{email}`` is a JWK set. Every enabled, valid key
of the account is there (user- and system-managed); an unknown or deleted account is a
404 in Google's shape. The email may be url-encoded (``%40``); a unique id works too.
"""

from __future__ import annotations

from email.utils import formatdate
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from accord.composition import deps
from accord.google import iam
from accord.protocol.keys import PublishedKey
from accord.protocol.messages import ServiceAccountKey
from accord.web.certs import jwk


def _keys(request: Request) -> tuple[list[ServiceAccountKey] | None, int, int]:
    d = deps(request)
    now = d.clock.now()
    store = d.ctx.accounts()
    account = store.service_account(request.path_params["email"])
    if account is None or account.deleted:
        return None, now, d.keys.policy.max_age
    return store.public_keys(account.pk, now), now, d.keys.policy.max_age


def _respond(request: Request, body: Any, now: int, max_age: int) -> Response:
    if body is None:
        return JSONResponse(iam.account_not_found(request.path_params["email"]), 404,
                            headers={"Cache-Control": "no-store"})
    return JSONResponse(body, headers={
        "Cache-Control": f"public, max-age={max_age}, must-revalidate, no-transform",
        "Expires": formatdate(now + max_age, usegmt=True),
    })


def _jwk(key: ServiceAccountKey) -> dict[str, str]:
    public = serialization.load_pem_public_key(key.public_key.encode())
    assert isinstance(public, rsa.RSAPublicKey)
    return jwk(PublishedKey(key.key_id, public, key.certificate))


async def x509_certificates(request: Request) -> Response:
    keys, now, max_age = _keys(request)
    body = None if keys is None else {k.key_id: k.certificate for k in keys}
    return _respond(request, body, now, max_age)


async def jwk_set(request: Request) -> Response:
    keys, now, max_age = _keys(request)
    body = None if keys is None else {"keys": [_jwk(k) for k in keys]}
    return _respond(request, body, now, max_age)


routes: list[BaseRoute] = [
    Route(iam.ROBOT_X509, x509_certificates, methods=["GET"]),
    Route(iam.SA_X509, x509_certificates, methods=["GET"]),
    Route(iam.SA_JWK, jwk_set, methods=["GET"]),
]
