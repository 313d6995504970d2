"""A real uvicorn server on a free port, in this process, reading a FrozenClock the test moves:
for expiries measured in days or months (refresh-token lifetimes), without sleeping.

It offers the same data helpers as ``tests.conftest.Server`` (new_user, new_project,
new_client, new_world), bound to the same clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from pathlib import Path

import requests
import uvicorn
from sqlalchemy import Engine

from accord.app import create_app
from accord.clock import FrozenClock
from accord.services import Admin
from accord.settings import Settings
from accord.storage.database import Database
from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from tests.conftest import Server, free_port

START = 1_800_000_000


class ClockedServer(Server):
    def __init__(self, data_dir: Path, **settings: object) -> None:
        super().__init__(f"sqlite:///{data_dir / 'clocked.db'}", data_dir)
        self.clock = FrozenClock(START)
        self.engine: Engine = make_engine(self.env["ACCORD_DATABASE_URL"])
        upgrade(self.engine)
        base = Settings(self.url, self.env["ACCORD_DATABASE_URL"], data_dir, b"c" * 40)
        self.settings = dataclasses.replace(base, **settings)  # type: ignore[arg-type]
        self._admin = Admin(self.engine, self.clock)
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        app = create_app(self.settings, self.clock, Database(self.engine))
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._uvicorn.serve()),  # type: ignore[union-attr]
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the clocked server did not start")

    def stop(self) -> None:
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.engine.dispose()


__all__ = ["ClockedServer", "START", "free_port"]
