"""Fixtures of the hardening tests: servers of their own (throttling counts every failure
from an address, so the shared ``server`` must not see these), and HTTP sessions that
connect from another loopback address (127.0.0.0/8 is all this machine's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.conftest import Server, create_pg_database, drop_pg_database

MakeServer = Callable[..., Server]


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address: str) -> requests.Session:
    """A requests session whose connections leave from ``address`` (say 127.0.0.7)."""
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    return session


@pytest.fixture(scope="module")
def make_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MakeServer]:
    """``accord serve`` on a new database of the backend under test, with extra
    environment (limits)."""
    started: list[Server] = []
    made = []

    def make(**env: str) -> Server:
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path_factory.mktemp('hardening') / 'accord.db'}"
        else:
            made.append(create_pg_database())
            url = made[-1].url
        srv = Server(url, tmp_path_factory.mktemp("accord-hardening"))
        srv.env.update(env)
        srv.start()
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()
    for db in made:
        drop_pg_database(db)
