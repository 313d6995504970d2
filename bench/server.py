"""A fresh database per backend and a real ``accord serve`` process on a free port."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("ACCORD_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
# What counts as trouble in the server's log (run at --log-level warning).
_TROUBLE = re.compile(r"Traceback|ERROR|Exception|locked|OperationalError|500 Internal", re.I)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database(backend: str, workdir: Path) -> Iterator[str]:
    """A SQLAlchemy URL to an empty database, removed afterwards (the SQLite file goes with
    the temporary directory)."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'accord.db'}"
        return
    import psycopg

    name = "accord_bench_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Server:
    url: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes]

    def trouble(self, limit: int = 60) -> list[str]:
        """Lines of the server log that look like errors, with the lines after a traceback."""
        lines = self.log.read_text(errors="replace").splitlines()
        out: list[str] = []
        for i, line in enumerate(lines):
            if _TROUBLE.search(line):
                out += lines[i : i + 25] if "Traceback" in line else [line]
            if len(out) >= limit:
                break
        return out[:limit]


@contextmanager
def serve(database_url: str, workdir: Path, workers: int) -> Iterator[Server]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ACCORD_ISSUER": url,
        "ACCORD_DATABASE_URL": database_url,
        "ACCORD_DATA_DIR": str(workdir),
        "ACCORD_SECRET_KEY": secrets.token_urlsafe(40),
    }
    log = workdir / "server.log"
    command = [sys.executable, "-m", "accord.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT
        )
    server = Server(url, env, log, process)
    try:
        _wait_healthy(server)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"accord serve exited:\n{server.log.read_text()}")
        try:
            if requests.get(server.url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError("accord serve did not answer /healthz within 60 s")


@contextmanager
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as path:
        yield Path(path)
