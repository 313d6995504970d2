"""accord serve's server settings: flags and environment, what it announces, what it
refuses, and uvicorn's access log left to the application."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from accord.settings import ConfigError, ServerSettings
from tests.conftest import ROOT, free_port
from tests.e2e.server.conftest import StartServe, connect, get, read_response

FLAGS = {
    "--shutdown-grace": "ACCORD_SHUTDOWN_GRACE",
    "--header-timeout": "ACCORD_HEADER_TIMEOUT",
    "--body-timeout": "ACCORD_BODY_TIMEOUT",
    "--keep-alive-timeout": "ACCORD_KEEP_ALIVE_TIMEOUT",
    "--max-header-bytes": "ACCORD_MAX_HEADER_BYTES",
    "--max-headers": "ACCORD_MAX_HEADERS",
}


def accord(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path),
           "ACCORD_SECRET_KEY": secrets.token_urlsafe(40), **extra}
    return subprocess.run([sys.executable, "-m", "accord.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_settings_defaults_and_environment() -> None:
    assert ServerSettings.from_env({}) == ServerSettings(10, 10, 30, 5, 32 * 1024, 100)
    s = ServerSettings.from_env({"ACCORD_SHUTDOWN_GRACE": "2.5", "ACCORD_MAX_HEADERS": "50"})
    assert s.shutdown_grace == 2.5 and s.max_headers == 50
    for name, bad in [("ACCORD_SHUTDOWN_GRACE", "soon"), ("ACCORD_HEADER_TIMEOUT", "0"),
                      ("ACCORD_BODY_TIMEOUT", "-1"), ("ACCORD_MAX_HEADER_BYTES", "1.5")]:
        with pytest.raises(ConfigError, match=name):
            ServerSettings.from_env({name: bad})


def test_help_documents_every_server_flag(tmp_path: Path) -> None:
    text = accord(tmp_path, "serve", "--help").stdout
    for flag, name in FLAGS.items():
        assert flag in text and name in text, flag
    assert "SO_REUSEPORT" in text and "ACCORD_ACCESS_LOG=0" in text


@pytest.mark.parametrize("args, extra, says", [
    (["--shutdown-grace", "0"], {}, "ACCORD_SHUTDOWN_GRACE must be a number of seconds"),
    ([], {"ACCORD_HEADER_TIMEOUT": "ten"}, "ACCORD_HEADER_TIMEOUT must be a number of seconds"),
    (["--workers", "0"], {}, "--workers must be at least 1."),
])
def test_bad_settings_are_one_line(tmp_path: Path, args: list[str], extra: dict[str, str],
                                   says: str) -> None:
    done = accord(tmp_path, "serve", "--port", str(free_port()), *args, **extra)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("accord: error: ") and says in lines[0]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_in_use_is_refused(tmp_path: Path, workers: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = accord(tmp_path, "serve", "--port", str(port), "--workers", workers)
    assert done.returncode == 3
    assert f"accord: cannot listen on 127.0.0.1:{port}: Address already in use." in done.stderr


def test_announces_its_limits_and_leaves_the_access_log_to_the_application(
    start_serve: StartServe,
) -> None:
    serve = start_serve("--max-headers", "50", "--keep-alive-timeout", "7", workers=2)
    for _ in range(3):
        with connect(serve.port) as sock:
            sock.sendall(get("/healthz?probe=1"))
            assert read_response(sock).status == 200
    log = serve.log()
    assert "with 2 workers" in log
    assert "50 fields" in log and "idle connections closed after 7 s" in log
    assert "GET /healthz?probe=1" not in log  # uvicorn's access log is off
    for pid in serve.worker_pids():  # --no-access-log reaches the application as a setting
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert b"ACCORD_ACCESS_LOG=0" in environ
        assert b"ACCORD_MAX_HEADERS=50" in environ
