"""Issue 11, "the first hour", the command line: the real ``python -m accord.cli`` in a
subprocess, on a fresh SQLite data directory."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]  # the repository
PASSWORD = "first-hour-password"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    values.update(ACCORD_DATA_DIR=str(tmp_path / "data"), ACCORD_PASSWORD_PROFILE="test",
                  ACCORD_SECRET_KEY="k" * 40)
    return values


def accord(env: dict[str, str], *args: str, stdin: str | None = None
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord.cli", *args], env=env, capture_output=True, text=True,
        timeout=60, cwd=ROOT, input=stdin if stdin is not None else "",
    )


def ok(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = accord(env, *args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_users_outside_organizations(env: dict[str, str]) -> None:
    """list, describe, create (JSON), disable, enable, set-password, delete; audited."""
    created = json.loads(ok(env, "users", "create", "ann@example.com", "--password", PASSWORD,
                            "--name", "Ann"))
    assert created["email"] == "ann@example.com" and created["name"] == "Ann"
    assert created["disabled"] is False and created["sub"].isdigit()
    assert json.loads(ok(env, "users", "describe", "Ann@Example.com")) == created
    ok(env, "users", "create", "bob@example.com", "--password", PASSWORD)
    listed = json.loads(ok(env, "users", "list"))
    assert [u["email"] for u in listed] == ["ann@example.com", "bob@example.com"]
    assert ok(env, "users", "disable", "bob@example.com") == "Disabled user bob@example.com.\n"
    assert json.loads(ok(env, "users", "describe", "bob@example.com"))["disabled"] is True
    assert ok(env, "users", "enable", "bob@example.com") == "Enabled user bob@example.com.\n"
    assert json.loads(ok(env, "users", "describe", "bob@example.com"))["disabled"] is False
    assert ok(env, "users", "update", "bob@example.com", "--password", "-",
              stdin="a-new-password\n") == "Set a new password for bob@example.com.\n"
    assert ok(env, "users", "set-password", "bob@example.com", stdin="another-password\n") \
        == "Set a new password for bob@example.com.\n"
    assert ok(env, "users", "delete", "bob@example.com") == "Deleted user bob@example.com.\n"
    missing = accord(env, "users", "describe", "bob@example.com")
    assert missing.returncode == 2 and "bob@example.com" in missing.stderr
    # --as EMAIL: only the operator manages other accounts.
    for args in (["list"], ["disable", "ann@example.com"], ["delete", "ann@example.com"],
                 ["set-password", "ann@example.com", "--password", PASSWORD]):
        refused = accord(env, "--as", "ann@example.com", "users", *args)
        assert refused.returncode == 2 and "operator" in refused.stderr, args
    assert json.loads(ok(env, "--as", "ann@example.com", "users", "describe",
                         "ann@example.com"))["email"] == "ann@example.com"


def test_passwords_off_the_command_line(env: dict[str, str]) -> None:
    """``--password -`` and no --password (stdin not a terminal) read standard input."""
    ok(env, "users", "create", "cat@example.com", "--password", "-", stdin=PASSWORD + "\n")
    ok(env, "users", "create", "dan@example.com", stdin=PASSWORD + "\n")
    short = accord(env, "users", "create", "eve@example.com", stdin="short\n")
    assert short.returncode == 2 and "at least 8" in short.stderr
    from accord.passwords import verify_password

    with sqlite3.connect(Path(env["ACCORD_DATA_DIR"]) / "accord.db") as conn:
        hashes = dict(conn.execute("SELECT email, password_hash FROM users"))
    assert verify_password(hashes["cat@example.com"], PASSWORD)
    assert verify_password(hashes["dan@example.com"], PASSWORD)
    assert "eve@example.com" not in hashes


def test_a_closed_pipe_ends_quietly(env: dict[str, str]) -> None:
    """``accord projects list | head -1``: the reader is gone; no BrokenPipeError."""
    for n in range(3):
        ok(env, "projects", "create", f"pipe-{n}-demo", "--name", f"Pipe {n}")
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "accord.cli", "projects", "list"], env=env, stdout=write,
            stderr=subprocess.PIPE, text=True, timeout=60, cwd=ROOT,
        )
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("url, cause", [
    ("foo://bar", "Can't load plugin"),
    ("not a url", "Could not parse"),
    ("postgresql://postgres:secret@127.0.0.1:1/accord", "Connection refused"),
    ("sqlite:////nonexistent/dir/accord.db", "unable to open database file"),
])
def test_a_wrong_database_url_is_one_line(env: dict[str, str], url: str, cause: str) -> None:
    """Every command, serve too: one line naming the setting and the cause, exit code 2."""
    env = {**env, "ACCORD_DATABASE_URL": url}
    for args in (["projects", "list"], ["serve", "--port", "1"], ["migrate"]):
        done = accord(env, *args)
        assert done.returncode == 2, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("accord: error: ACCORD_DATABASE_URL ")
        assert cause in lines[0] and "secret" not in lines[0]


def test_help_describes_every_option(env: dict[str, str]) -> None:
    """``serve --help`` and ``demo --help`` explain each option; no help has backticks."""
    for group in ("serve", "demo"):
        lines = ok(env, group, "--help").splitlines()
        options = [n for n, line in enumerate(lines) if line.startswith("  --")]
        assert len(options) >= 4, lines
        for n in options:
            words = lines[n].split()
            flag, rest = words[0], words[1:]
            if rest and rest[0] == flag.lstrip("-").replace("-", "_").upper():
                rest = rest[1:]  # the metavar
            described = rest or lines[n + 1].startswith(" " * 20)
            assert described, (group, lines[n])
    for args in ([], ["users"], ["users", "create"], ["users", "update"], ["serve"], ["demo"],
                 ["projects"], ["clients"], ["orgs"], ["keys"]):
        text = ok(env, *args, "--help")
        assert "`" not in text, (args, text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return bytes(response.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_serve_issuer_follows_the_port(env: dict[str, str]) -> None:
    """No ACCORD_ISSUER: discovery names --port; an explicit one on another port: warned."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "serve", "--port", str(port), "--no-access-log",
         "--log-level", "warning"], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )
    try:
        found = json.loads(wait_for(
            f"http://127.0.0.1:{port}/.well-known/openid-configuration", server))
        assert found["issuer"] == f"http://127.0.0.1:{port}"
        assert found["token_endpoint"].startswith(f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "warning" not in err
    explicit = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "serve", "--port", str(port)],
        env={**env, "ACCORD_ISSUER": "http://127.0.0.1:8400"}, cwd=ROOT,
        stderr=subprocess.PIPE, text=True,
    )
    try:
        assert explicit.stderr is not None
        line = explicit.stderr.readline()
    finally:
        explicit.terminate()
        explicit.communicate(timeout=30)
    assert line.startswith("accord: warning: ACCORD_ISSUER is http://127.0.0.1:8400")
    assert f"port {port}" in line and line.rstrip().endswith(".")


def test_two_demos_keep_their_own_state(env: dict[str, str], tmp_path: Path) -> None:
    """Without ACCORD_DATA_DIR, a demo on another port than 8400 keeps its database and its
    client_secret.json in ./.accord-PORT: a second demo leaves the first one's alone."""
    env = {k: v for k, v in env.items() if k not in ("ACCORD_DATA_DIR", "ACCORD_SECRET_KEY")}
    ports = [free_port(), free_port()]
    demos = [subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "demo", "--port", str(port), "--sample", ""],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ) for port in ports]
    try:
        for port, demo in zip(ports, demos, strict=True):
            wait_for(f"http://127.0.0.1:{port}/healthz", demo)
        secrets = [json.loads((tmp_path / f".accord-{port}" / "client_secret.json").read_text())
                   for port in ports]
    finally:
        for demo in demos:
            demo.terminate()
        for demo in demos:
            demo.wait(timeout=30)
    assert not (tmp_path / ".accord").exists()
    ids = [s["web"]["client_id"] for s in secrets]
    assert ids[0] != ids[1]
    for port, secret in zip(ports, secrets, strict=True):
        assert secret["web"]["auth_uri"].startswith(f"http://127.0.0.1:{port}/")
