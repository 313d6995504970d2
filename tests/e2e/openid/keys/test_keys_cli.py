"""``accord keys rotate`` and ``accord keys list`` on a database of their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from accord import cli
from accord.clock import SystemClock
from accord.settings import ConfigError, Settings
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
    out = capsys.readouterr().out
    assert f"key {second} signs from now: every server signs with it within 1 s" in out
    fresh = SqlKeyRing(engine, settings.subkey("signing-keys"))  # no cache
    assert fresh.signing_key(SystemClock().now()).kid == second
    run_cli(settings, "keys", "list")
    listing = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{first}  retired") for line in listing)
    assert any(line.startswith(f"{second}  signing") for line in listing)


def test_cli_rotate_now_unpublishes_the_old_key_early(
    db_url: str, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings("http://127.0.0.1:1", db_url, tmp_path, b"k" * 40)
    ring = SqlKeyRing(engine, settings.subkey("signing-keys"))
    now = SystemClock().now()
    first = ring.signing_key(now).kid
    run_cli(settings, "keys", "rotate", "--now", "--unpublish-after", "300")
    out = capsys.readouterr().out
    assert f"key {first} no longer signs; published until " in out
    [old] = [k for k in ring.all_keys() if k.kid == first]
    assert now + 300 <= old.expires_at <= SystemClock().now() + 300
    assert 0 < ring.key_set(SystemClock().now())[1] <= 300


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--unpublish-after", "60"), "needs --now"),
        (("--now", "--unpublish-after", "-1"), "0 or more"),
    ],
)
def test_cli_rotate_refuses_unpublishing_without_now(
    db_url: str, engine: Engine, tmp_path: Path, argv: tuple[str, ...], message: str
) -> None:
    settings = Settings("http://127.0.0.1:1", db_url, tmp_path, b"k" * 40)
    with pytest.raises(ConfigError, match=message):
        run_cli(settings, "keys", "rotate", *argv)
