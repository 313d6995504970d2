"""Configuration, read once from the environment and validated.

ACCORD_ISSUER        public base URL; every URL Accord prints or serves is built on it
ACCORD_DATABASE_URL  SQLAlchemy URL; default: SQLite file in the data directory
ACCORD_DATA_DIR      where the SQLite file and the generated key live (default ./.accord)
ACCORD_ID_TOKEN_ISSUER  the ``iss`` of ID tokens and discovery (default: ACCORD_ISSUER); set
                     it to https://accounts.google.com so that code calling google-auth's
                     verify_oauth2_token unchanged accepts Accord's ID tokens (tests only)
ACCORD_SECRET_KEY    master key for sealed access tokens and session cookies; when unset
                     a random key is generated once into DATA_DIR/secret.key (dev only:
                     several hosts must share one key, so set it in production)
ACCORD_SIGNUP        1 lets people create their own accounts at /signup (default 0: only
                     administrators create accounts)
ACCORD_SIGNIN_WINDOW, ACCORD_SIGNIN_MAX_PER_ACCOUNT, ACCORD_SIGNIN_MAX_PER_ADDRESS
                     sign-in throttling: after this many failed sign-ins per account (5) or
                     per client address (20) within a window of seconds (900), sign-in is
                     refused until the window ends
ACCORD_DATABASE_CONNECT_TIMEOUT, ACCORD_DATABASE_TIMEOUT
                     seconds to connect to the database (3) and for one statement (5) before
                     the request is answered 503 (accord.storage.guard)
ACCORD_LOG_FORMAT    text (default) or json: one line per request and per event
ACCORD_ACCESS_LOG    0 turns the per-request lines off (accord serve --no-access-log)
ACCORD_METRICS, ACCORD_METRICS_TOKEN
                     1 serves Prometheus metrics at /metrics (default 0), only to callers
                     that send ``Authorization: Bearer TOKEN`` when a token is set
ACCORD_TOKEN_RETENTION_DAYS  days a revoked or expired token family's row is kept before the
                     hourly purge deletes it, with its codes (default 30)
ACCORD_AUDIT_RETENTION_DAYS  days audit events are kept (default 400)
ACCORD_KEY_CACHE_SECONDS  how long a process signs from the signing keys it read (default 1):
                     ``accord keys rotate --now`` reaches every server within it
ACCORD_SHUTDOWN_GRACE, ACCORD_HEADER_TIMEOUT, ACCORD_BODY_TIMEOUT, ACCORD_KEEP_ALIVE_TIMEOUT,
ACCORD_MAX_HEADER_BYTES, ACCORD_MAX_HEADERS
                     the server process (``ServerSettings``, read by ``accord serve``)
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from accord.config import ConfigError, ServerSettings, positive
from accord.protocol.keys import PolicyError, RotationPolicy
from accord.storage.engine import sqlite_url

DEFAULT_ISSUER = "http://127.0.0.1:8400"

__all__ = ["ConfigError", "ServerSettings", "Settings"]


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def validate_issuer(issuer: str) -> str:
    parts = urlsplit(issuer)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"ACCORD_ISSUER must be an absolute http(s) URL, not {issuer!r}.")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError("ACCORD_ISSUER must not carry a query, fragment or credentials.")
    if parts.scheme != "https" and not is_loopback(parts.hostname):
        # RFC 6749 §3.1 and §3.2 require TLS; plain HTTP is only for this machine.
        raise ConfigError(
            f"ACCORD_ISSUER must use https unless it is a loopback address: {issuer}."
        )
    return issuer.rstrip("/")


@dataclass(frozen=True)
class Operations:
    """Running the server: database timeouts, logs, metrics (accord.ops, accord.storage.guard)."""

    database_connect_timeout: float = 3.0
    database_timeout: float = 5.0
    log_format: str = "text"  # or "json"
    access_log: bool = True
    metrics: bool = False
    metrics_token: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Operations:
        log_format = env.get("ACCORD_LOG_FORMAT", "").strip().lower() or "text"
        if log_format not in ("text", "json"):
            raise ConfigError(f"ACCORD_LOG_FORMAT must be text or json, not {log_format!r}.")
        return cls(
            database_connect_timeout=_seconds(env, "ACCORD_DATABASE_CONNECT_TIMEOUT", 3.0),
            database_timeout=_seconds(env, "ACCORD_DATABASE_TIMEOUT", 5.0),
            log_format=log_format,
            access_log=_flag(env, "ACCORD_ACCESS_LOG", default=True),
            metrics=_flag(env, "ACCORD_METRICS"),
            metrics_token=env.get("ACCORD_METRICS_TOKEN", "").strip(),
        )


@dataclass(frozen=True)
class Settings:
    issuer: str
    database_url: str
    data_dir: Path
    secret_key: bytes
    id_token_issuer: str = ""
    key_policy: RotationPolicy = RotationPolicy()
    # Time-based access (reference §1.2): the consent page offers a duration.
    time_based_access: bool = False
    # Live refresh tokens per user: per client (Google: 100) and across all clients.
    refresh_tokens_per_client: int = 100
    refresh_tokens_per_user: int = 1000
    # Self-service sign-up at /signup, and sign-in throttling (failures per window).
    signup: bool = False
    # Failures per window: from one address on one account, from one address in all, and
    # on one account from every address (the ceiling a botnet meets; see README).
    signin_window: int = 900
    signin_max_per_account: int = 100
    signin_max_per_address: int = 20
    signin_max_per_address_account: int = 5
    # Failed client-secret attempts per window (signin_window) at the token endpoint.
    client_secret_max_per_address: int = 10
    client_secret_max_per_client: int = 100
    ops: Operations = Operations()
    # Purge (accord.storage.purge): days a dead token family is kept, and audit events.
    token_retention_days: int = 30
    audit_retention_days: int = 400

    @property
    def oidc_issuer(self) -> str:
        return self.id_token_issuer or self.issuer

    @property
    def secure_cookies(self) -> bool:
        return self.issuer.startswith("https://")

    def subkey(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose, derived from the master key."""
        return hmac.new(self.secret_key, purpose.encode(), hashlib.sha256).digest()

    def url(self, path: str) -> str:
        return self.issuer + path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        issuer = validate_issuer(env.get("ACCORD_ISSUER", DEFAULT_ISSUER))
        data_dir = Path(env.get("ACCORD_DATA_DIR", ".accord")).resolve()
        database_url = env.get("ACCORD_DATABASE_URL") or ""
        if not database_url:
            data_dir.mkdir(parents=True, exist_ok=True)
            database_url = sqlite_url(data_dir)
        secret = env.get("ACCORD_SECRET_KEY", "").encode()
        if not secret:
            secret = _local_key(data_dir)
        elif len(secret) < 32:
            raise ConfigError("ACCORD_SECRET_KEY must be at least 32 characters.")
        profile = env.get("ACCORD_PASSWORD_PROFILE", "default")
        if profile not in ("default", "test"):
            raise ConfigError("ACCORD_PASSWORD_PROFILE must be default or test.")
        if profile == "test" and not is_loopback(urlsplit(issuer).hostname or ""):
            raise ConfigError("ACCORD_PASSWORD_PROFILE=test is for tests on localhost only.")
        id_token_issuer = env.get("ACCORD_ID_TOKEN_ISSUER", "").rstrip("/")
        if id_token_issuer and not id_token_issuer.startswith("https://"):
            raise ConfigError("ACCORD_ID_TOKEN_ISSUER must be an https:// URL.")
        try:
            key_policy = RotationPolicy.from_env(env)
        except PolicyError as exc:
            raise ConfigError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
        return cls(
            issuer=issuer,
            database_url=database_url,
            data_dir=data_dir,
            secret_key=secret,
            id_token_issuer=id_token_issuer,
            key_policy=key_policy,
            time_based_access=_flag(env, "ACCORD_TIME_BASED_ACCESS"),
            refresh_tokens_per_client=_positive(env, "ACCORD_REFRESH_TOKENS_PER_CLIENT", 100),
            refresh_tokens_per_user=_positive(env, "ACCORD_REFRESH_TOKENS_PER_USER", 1000),
            signup=_flag(env, "ACCORD_SIGNUP"),
            signin_window=_positive(env, "ACCORD_SIGNIN_WINDOW", 900),
            signin_max_per_account=_positive(env, "ACCORD_SIGNIN_MAX_PER_ACCOUNT", 100),
            signin_max_per_address=_positive(env, "ACCORD_SIGNIN_MAX_PER_ADDRESS", 20),
            signin_max_per_address_account=_positive(
                env, "ACCORD_SIGNIN_MAX_PER_ADDRESS_ACCOUNT", 5
            ),
            client_secret_max_per_address=_positive(
                env, "ACCORD_CLIENT_SECRET_MAX_PER_ADDRESS", 10
            ),
            client_secret_max_per_client=_positive(env, "ACCORD_CLIENT_SECRET_MAX_PER_CLIENT", 100),
            ops=Operations.from_env(env),
            token_retention_days=_positive(env, "ACCORD_TOKEN_RETENTION_DAYS", 30),
            audit_retention_days=_positive(env, "ACCORD_AUDIT_RETENTION_DAYS", 400),
        )


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.5 <= value <= 300:
        raise ConfigError(f"{name} must be a number of seconds from 0.5 to 300, not {raw!r}.")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name, "").strip().lower()
    if value not in ("", "0", "1", "true", "false", "yes", "no"):
        raise ConfigError(f"{name} must be 1 or 0, not {value!r}.")
    return default if value == "" else value in ("1", "true", "yes")


_positive = positive


def _local_key(data_dir: Path) -> bytes:
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        print(
            f"accord: warning: ACCORD_SECRET_KEY is not set; using a generated key in {path}. "
            "Set ACCORD_SECRET_KEY when Accord runs on more than one host.",
            file=sys.stderr,
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return _read_key(path)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    key = path.read_bytes().strip()
    if len(key) < 32:  # another process is still writing it, or it was truncated
        raise ConfigError(f"The key in {path} is empty or too short.")
    return key
