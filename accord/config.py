"""What ``accord serve`` needs before anything heavy loads: the configuration error and the
server process's settings (shutdown, limits on slow or large clients). ``accord serve
--help`` shows their defaults without importing the database, web or crypto libraries;
``accord.settings`` re-exports both."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


class ConfigError(ValueError):
    pass


def positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a positive integer, not {raw!r}.")
    return int(raw)


# The server process (accord serve): shutdown and the limits on slow or large clients. --------
@dataclass(frozen=True)
class ServerSettings:
    """What ``accord serve`` enforces on connections (accord/server/). Times in seconds."""

    shutdown_grace: float = 10.0  # SIGTERM: in-flight requests get this long, then exit
    header_timeout: float = 10.0  # a request's head, from its first byte (or the accept)
    body_timeout: float = 30.0  # a request's body, from the end of its head
    keep_alive_timeout: float = 5.0  # an idle kept-alive connection is closed after this
    max_header_bytes: int = 32 * 1024  # request line and header fields together
    max_headers: int = 100  # header fields per request

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerSettings:
        env = os.environ if env is None else env
        return cls(
            shutdown_grace=_duration(env, "ACCORD_SHUTDOWN_GRACE", cls.shutdown_grace),
            header_timeout=_duration(env, "ACCORD_HEADER_TIMEOUT", cls.header_timeout),
            body_timeout=_duration(env, "ACCORD_BODY_TIMEOUT", cls.body_timeout),
            keep_alive_timeout=_duration(env, "ACCORD_KEEP_ALIVE_TIMEOUT", cls.keep_alive_timeout),
            max_header_bytes=positive(env, "ACCORD_MAX_HEADER_BYTES", cls.max_header_bytes),
            max_headers=positive(env, "ACCORD_MAX_HEADERS", cls.max_headers),
        )


def _duration(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86400:
        raise ConfigError(f"{name} must be a number of seconds above 0, not {raw!r}.")
    return value
