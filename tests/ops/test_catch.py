"""An unexpected exception is answered (500 internal_failure) on a real uvicorn, and the
keep-alive connection stays usable: no re-raise for uvicorn to close it on."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from accord.app import compose, health_routes
from accord.composition import build
from accord.settings import Settings
from accord.storage.database import Database
from accord.storage.migrate import upgrade
from tests.conftest import free_port

TOKEN = "ya29.a0-never-in-a-log-line"


async def _boom(request: Request) -> Response:
    raise RuntimeError(f"a bug, with {TOKEN} in its message")


async def _page_boom(request: Request) -> Response:
    request.state.page = True
    raise RuntimeError("a bug on a page")


def _failing() -> list[BaseRoute]:
    return [Route("/boom", _boom), Route("/page-boom", _page_boom)]


@pytest.fixture
def url(tmp_path: Path) -> Iterator[tuple[str, int]]:
    settings = Settings.from_env({"ACCORD_DATA_DIR": str(tmp_path),
                                  "ACCORD_SECRET_KEY": "k" * 40})
    db = Database.open(settings.database_url)
    upgrade(db)
    app = compose(build(settings, db=db), (health_routes, _failing), background=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(10)


def test_unexpected_errors_answer_500_and_keep_the_connection(url: tuple[str, int]) -> None:
    conn = http.client.HTTPConnection(*url, timeout=10)
    for _ in range(3):
        conn.request("GET", "/boom")
        answer = conn.getresponse()
        body = answer.read()
        assert answer.status == 500
        assert json.loads(body) == {"error": "internal_failure", "error_description": "Backend Error"}
        assert answer.getheader("Connection") != "close"
        assert answer.getheader("X-Request-Id")
        assert answer.getheader("X-Frame-Options") == "DENY"  # inside SecurityHeaders
        conn.request("GET", "/page-boom")
        page = conn.getresponse()
        assert page.status == 500 and "text/html" in (page.getheader("Content-Type") or "")
        page.read()
        conn.request("GET", "/healthz")  # the same connection still answers
        ok = conn.getresponse()
        assert ok.status == 200
        ok.read()
    conn.close()
