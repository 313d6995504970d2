"""The JWT-bearer scenario's service account and its pool of signed assertions.

The account and its key are made through ``accord.services.ServiceAccounts`` (as the CLI's
``accord service-accounts keys create`` does) and the key file is the one a user would
download. Assertions are signed as google-auth signs them (RS256, ``kid`` = the key file's
``private_key_id``, ``aud`` = https://oauth2.googleapis.com/token), each with its own
``iat`` and a ``jti``, in worker processes (an RS256 signature costs about a millisecond;
the server only verifies, which is much cheaper).
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization

from accord.clock import SystemClock
from accord.services import Admin, Operator, ServiceAccounts
from accord.storage.engine import make_engine

SCOPE = "https://www.googleapis.com/auth/drive.metadata.readonly"
AUD = "https://oauth2.googleapis.com/token"


def key_file(database_url: str, issuer: str) -> dict[str, str]:
    """A new project, a service account in it and a key: the key file."""
    engine = make_engine(database_url)
    try:
        project_id = "bench-sa-" + uuid.uuid4().hex[:8]
        Admin(engine, SystemClock()).create_project(project_id, "Bench service accounts")
        accounts = ServiceAccounts(engine, SystemClock())
        view = accounts.create(Operator(), project_id, "bench-" + uuid.uuid4().hex[:8])
        return accounts.create_key(Operator(), view.email, issuer).key_file
    finally:
        engine.dispose()


def _sign(args: tuple[dict[str, str], int, int]) -> list[str]:
    info, start, count = args
    now = int(time.time())
    headers = {"kid": info["private_key_id"]}
    # Parsed once: loading an RSA key (with its consistency check) costs far more than a
    # signature, and jwt.encode would load the PEM again for every assertion.
    key = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
    return [
        jwt.encode(
            {"iss": info["client_email"], "aud": AUD, "scope": SCOPE, "iat": now,
             "exp": now + 3600, "jti": f"{start + i}"},
            key, algorithm="RS256", headers=headers,
        )
        for i in range(count)
    ]


def sign_pool(info: dict[str, str], count: int, workers: int = 2) -> list[str]:
    """``count`` distinct assertions of the key file's account, valid for the next hour."""
    per = -(-count // workers)
    with ProcessPoolExecutor(workers) as pool:
        chunks = pool.map(_sign, [(info, w * per, min(per, count - w * per))
                                  for w in range(workers)])
        return [a for chunk in chunks for a in chunk]


def write_pool(assertions: list[str], prefix: Path, threads: int) -> None:
    """Thread i of wrk gets assertions i, i + threads, ... (bench/lua/assertions.lua)."""
    for i in range(threads):
        Path(f"{prefix}.{i}").write_text("".join(a + "\n" for a in assertions[i::threads]))
