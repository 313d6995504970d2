"""Issue 11, "the first hour", the command line: the real ``python -m accord.cli`` in a
subprocess, on a fresh SQLite data directory."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
