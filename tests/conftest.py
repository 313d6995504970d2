"""Fixtures: a real ``accord serve`` process per database backend, and fresh data per test.

Backends: SQLite always; PostgreSQL when it answers at ACCORD_TEST_POSTGRES
(default postgresql://postgres@127.0.0.1:5432/test). In CI PostgreSQL must be
there: with CI set, a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

# Thousands of accounts are made here: a cheap argon2 cost (accord.passwords), before any
# accord module is imported. Servers started by the tests inherit it.
os.environ.setdefault("ACCORD_PASSWORD_PROFILE", "test")

from accord.clock import SystemClock
from accord.google.identifiers import client_secret_json
from accord.services import Admin
from accord.storage.engine import make_engine

os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")  # Accord runs on http://127.0.0.1 here
# As the seed's sample does: granted scopes may differ from requested ones (granular consent,
# incremental authorization), which oauthlib otherwise raises as "Scope has changed".
os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")

if TYPE_CHECKING:
    from playwright.sync_api import Browser as ChromiumBrowser

    from tests.chromium import ClientSite

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("ACCORD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIRECT_URI = "http://localhost:8080/oauth2callback"
PASSWORD = "correct horse battery"
DRIVE_META = "https://www.googleapis.com/auth/drive.metadata.readonly"
CALENDAR_RO = "https://www.googleapis.com/auth/calendar.readonly"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@dataclass
class PgDatabase:
    url: str
    name: str


def create_pg_database() -> PgDatabase:
    import psycopg

    name = "accord_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return PgDatabase(url=f"{base}/{name}", name=name)


def drop_pg_database(db: PgDatabase) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'accord.db'}"
        return
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and did not answer at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL is not reachable")
    db = create_pg_database()
    yield db.url
    drop_pg_database(db)


@dataclass
class Client:
    client_id: str
    client_secret: str
    project_id: str
    config: dict  # the client_secret.json content
    path: Path  # where client_secret.json was written


@dataclass
class World:
    """One user, one project with Drive and Calendar enabled, one web client."""

    email: str
    password: str
    sub: str
    client: Client


class Server:
    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.env = {
            **os.environ,
            "ACCORD_ISSUER": self.url,
            "ACCORD_DATABASE_URL": database_url,
            "ACCORD_DATA_DIR": str(data_dir),
            "ACCORD_SECRET_KEY": secrets.token_urlsafe(40),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self._admin: Admin | None = None

    @property
    def admin(self) -> Admin:
        """The same services the CLI uses, in-process on the server's database (fast)."""
        if self._admin is None:
            self._admin = Admin(make_engine(self.env["ACCORD_DATABASE_URL"]), SystemClock())
        return self._admin

    @property
    def issuer(self) -> str:
        return self.url

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "accord.cli", *args],
            env=self.env, capture_output=True, text=True, timeout=60, cwd=ROOT,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"accord {' '.join(args)} failed: {result.stderr}")
        return result

    def start(self) -> None:
        log = open(self.data_dir / "server.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", "serve", "--port", str(self.port),
             "--no-access-log", "--log-level", "warning"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.data_dir / "server.log").read_text())
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("accord serve did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    # Data ------------------------------------------------------------------
    def new_user(self, name: str = "Test User") -> tuple[str, str]:
        email = f"user-{uuid.uuid4().hex[:10]}@example.com"
        return email, self.admin.create_user(email, PASSWORD, name)

    def new_project(
        self, name: str = "Test App", apis: tuple[str, ...] = ("drive", "calendar")
    ) -> str:
        project_id = "p-" + uuid.uuid4().hex[:12]
        self.admin.create_project(project_id, name)
        if apis:
            self.admin.enable_apis(project_id, list(apis))
        return project_id

    def new_client(
        self, project_id: str, redirect_uris: tuple[str, ...] = (REDIRECT_URI,)
    ) -> Client:
        new = self.admin.create_client(project_id, "web", list(redirect_uris))
        config = client_secret_json(
            self.url, new.client_id, project_id, new.client_secret, new.redirect_uris
        )
        path = self.data_dir / f"client-{uuid.uuid4().hex[:8]}.json"
        path.write_text(json.dumps(config))
        return Client(new.client_id, new.client_secret, project_id, config, path)

    def new_world(self, app_name: str = "Test App") -> World:
        email, sub = self.new_user()
        client = self.new_client(self.new_project(app_name))
        return World(email, PASSWORD, sub, client)


@pytest.fixture(scope="session")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(database_url, tmp_path_factory.mktemp("accord"))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def world(server: Server) -> World:
    return server.new_world()


# Headless Chromium (tests/chromium.py): the client's site and one browser per test module.
@pytest.fixture(scope="module")
def site() -> Iterator[ClientSite]:
    from tests.chromium import ClientSite  # tests.chromium imports this module

    site = ClientSite()
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def chromium(site: ClientSite) -> Iterator[ChromiumBrowser]:
    from tests.chromium import CHROMIUM, launch

    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run scripts/install-system-deps.sh"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, site)
        yield browser
        browser.close()
