"""/metrics across two workers, /readyz's checks, /metrics's token."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import google.auth.transport.requests
import pytest
import requests

from accord import runtime
from tests.conftest import DRIVE_META
from tests.flows import authorize
from tests.ops.servers import OpsServer

SCOPES = ["openid", "email", DRIVE_META]


def _sample(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[OpsServer]:
    srv = OpsServer(f"sqlite:///{tmp_path / 'accord.db'}", tmp_path, ACCORD_METRICS="1",
                    ACCORD_METRICS_TOKEN="scrape-me")
    srv.env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # accord serve's workers find their own
    srv.start("--workers", "2", "--log-level", "warning")
    yield srv
    srv.stop()


def _scrape(server: OpsServer) -> str:
    # A new connection each time: either worker may answer.
    answer = requests.get(server.url + "/metrics", timeout=10,
                          headers={"Authorization": "Bearer scrape-me", "Connection": "close"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain")
    return answer.text


def test_metrics_count_across_two_workers(two_workers: OpsServer) -> None:
    server = two_workers
    assert requests.get(server.url + "/metrics", timeout=10).status_code == 401
    world = server.new_world()
    creds = authorize(server, world, SCOPES)[0].credentials
    for _ in range(3):
        creds.refresh(google.auth.transport.requests.Request())
    bad = requests.post(server.url + "/token", data={"grant_type": "refresh_token",
                        "refresh_token": "1//0nope", "client_id": world.client.client_id,
                        "client_secret": world.client.client_secret}, timeout=10)
    assert bad.json()["error"] == "invalid_grant"
    for _ in range(40):
        requests.get(server.url + "/tokeninfo", params={"access_token": creds.token},
                     headers={"Connection": "close"}, timeout=10)
    scrapes = [_scrape(server) for _ in range(6)]
    for text in scrapes:  # whichever worker answered, the totals are the same
        assert _sample(text, "accord_http_requests_total", route="/tokeninfo",
                       status="200") == 40
        assert _sample(text, "accord_tokens_issued_total", grant_type="authorization_code") == 1
        assert _sample(text, "accord_tokens_issued_total", grant_type="refresh_token") == 3
        assert _sample(text, "accord_oauth_errors_total", error="invalid_grant") == 1
        assert _sample(text, "accord_signin_attempts_total", outcome="success") == 1
        assert _sample(text, "accord_http_request_duration_seconds_count",
                       route="/tokeninfo") == 40
        assert _sample(text, "accord_database_statement_duration_seconds_count") > 0
        assert re.search(r"^accord_signing_key_age_seconds \d", text, re.M)
    # The workers share one directory named after accord serve's process (one file per
    # worker and kind); both started, and each counts what it answered.
    assert server.process is not None
    shared = list(Path(tempfile.gettempdir()).glob(f"accord-metrics-{server.process.pid}-*"))
    assert len(shared) == 1
    assert len(list(shared[0].glob("counter_*.db"))) == 2
    shutil.rmtree(shared[0])


def test_readyz_names_migrations_behind_and_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    srv = OpsServer(f"sqlite:///{path}", tmp_path)
    srv.start()
    try:
        assert requests.get(srv.url + "/readyz", timeout=10).json() == {"status": "ready"}
        with sqlite3.connect(path) as db:
            (head,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
            db.execute("UPDATE alembic_version SET version_num = '0001'")
        behind = requests.get(srv.url + "/readyz", timeout=10)
        assert behind.status_code == 503
        assert behind.json()["status"] == "not ready"
        assert "accord migrate" in behind.json()["problems"]["migrations"]
        assert requests.get(srv.url + "/healthz", timeout=10).status_code == 200
        with sqlite3.connect(path) as db:
            db.execute("UPDATE alembic_version SET version_num = ?", (head,))
        assert requests.get(srv.url + "/readyz", timeout=10).status_code == 200
        assert requests.get(srv.url + "/metrics", timeout=10).status_code == 404  # off
    finally:
        srv.stop()


def test_readyz_is_503_while_draining(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from accord.app import create_app
    from accord.settings import Settings

    settings = Settings.from_env({"ACCORD_DATA_DIR": str(tmp_path),
                                  "ACCORD_SECRET_KEY": "k" * 40})
    from accord.cli.wiring import migrate

    migrate(settings)
    with TestClient(create_app(settings), base_url=settings.issuer) as http:
        assert http.get("/readyz").status_code == 200
        runtime.start_draining()
        try:
            answer = http.get("/readyz")
            assert answer.status_code == 503
            assert answer.json() == {"status": "not ready",
                                     "problems": {"process": "shutting down"}}
            assert http.get("/healthz").status_code == 200
        finally:
            runtime._draining.clear()
