"""Issue 12: a password never has to be on the command line (where ``ps`` shows it to
every user of the machine). ``accord users create`` and ``accord orgs users create`` read
it from standard input (``--password -``, or no ``--password`` when stdin is not a
terminal) or ask for it twice on a terminal, without echo. The real CLI in a subprocess;
the terminal is a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.passwords import verify_password

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "a password typed at a prompt"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    values.update(ACCORD_DATA_DIR=str(tmp_path / "data"), ACCORD_PASSWORD_PROFILE="test",
                  ACCORD_SECRET_KEY="k" * 40)
    return values


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord.cli", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def hashes(env: dict[str, str]) -> dict[str, str]:
    with sqlite3.connect(Path(env["ACCORD_DATA_DIR"]) / "accord.db") as conn:
        return dict(conn.execute("SELECT email, password_hash FROM users"))


def on_a_terminal(env: dict[str, str], args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as stdin, answering each "Password" prompt."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "accord.cli", *args], env=env, cwd=ROOT,
                            stdin=follower, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen, pending = b"", list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if not ready:
            continue
        try:
            seen += os.read(leader, 1024)
        except OSError:
            break
        if pending and seen.count(b"Password") > len(answers) - len(pending):
            os.write(leader, pending.pop(0).encode() + b"\n")
    proc.wait(timeout=30)
    os.close(leader)
    assert proc.stdout is not None
    return proc.returncode, seen.decode(errors="replace") + proc.stdout.read().decode()


def test_users_create_asks_on_a_terminal_without_echo(env: dict[str, str]) -> None:
    code, output = on_a_terminal(env, ["users", "create", "tty@example.com"],
                                 [PASSWORD, PASSWORD])
    assert code == 0, output
    assert "Password: " in output and "Password again: " in output
    assert PASSWORD not in output  # getpass turned echo off
    assert verify_password(hashes(env)["tty@example.com"], PASSWORD)


def test_two_different_answers_create_nobody(env: dict[str, str]) -> None:
    code, output = on_a_terminal(env, ["users", "create", "typo@example.com"],
                                 [PASSWORD, PASSWORD + "!"])
    assert code != 0 and "differ" in output
    assert "typo@example.com" not in hashes(env)


def test_org_users_create_reads_standard_input(env: dict[str, str]) -> None:
    """``orgs users create`` required ``--password VALUE`` (on the command line) until now."""
    made = run(env, "orgs", "create", "acme", "--name", "Acme", "--domain", "acme-example.com")
    assert made.returncode == 0, made.stderr
    for email, args in (("a@acme-example.com", ["--password", "-"]), ("b@acme-example.com", [])):
        done = run(env, "orgs", "users", "create", "acme", email, *args, stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        assert verify_password(hashes(env)[email], PASSWORD)
    shown = run(env, "orgs", "users", "create", "--help")
    assert "standard input" in shown.stdout
