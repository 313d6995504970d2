"""``accord keys rotate`` and ``accord keys list`` on a database of their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from accord import cli
from accord.clock import SystemClock
from accord.settings import Settings
from accord.storage.keys import SqlKeyRing

# The command line ---------------------------------------------------------------------


def run_cli(settings: Settings, *argv: str) -> None:
    cli.run(settings, *argv)


def test_cli_rotate_and_list(
    db_url: str, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings("http://127.0.0.1:1", db_url, tmp_path, b"k" * 40)
    ring = SqlKeyRing(engine, settings.subkey("signing-keys"))
    first = ring.signing_key(SystemClock().now()).kid
    run_cli(settings, "keys", "rotate")
    out = capsys.readouterr().out
    [second] = {k.kid for k in ring.all_keys()} - {first}
    assert f"key {second} signs from " in out and f"until then key {first}" in out
    run_cli(settings, "keys", "rotate", "--now")
    assert f"key {second} signs from now" in capsys.readouterr().out
    fresh = SqlKeyRing(engine, settings.subkey("signing-keys"))  # no cache
    assert fresh.signing_key(SystemClock().now()).kid == second
    run_cli(settings, "keys", "list")
    listing = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{first}  retired") for line in listing)
    assert any(line.startswith(f"{second}  signing") for line in listing)
