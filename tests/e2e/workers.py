"""Two ``accord serve`` processes on one database, as two workers behind a load balancer:
the same issuer, secret key and data directory, each on its own port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import Server


@contextmanager
def two_workers(database_url: str, tmp: Path) -> Iterator[tuple[Server, Server]]:
    first = Server(database_url, tmp / "a")
    second = Server(database_url, tmp / "b")
    first.data_dir.mkdir(parents=True, exist_ok=True)
    second.data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("ACCORD_ISSUER", "ACCORD_SECRET_KEY", "ACCORD_DATA_DIR"):
        second.env[name] = first.env[name]
    first.start()
    try:
        second.start()
        try:
            yield first, second
        finally:
            second.stop()
    finally:
        first.stop()
