"""Configuration is validated once; HTTPS is required off loopback (RFC 6749 §3.1, §3.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.settings import ConfigError, Settings


@pytest.mark.parametrize(
    "issuer",
    ["http://127.0.0.1:8400", "http://localhost:9000", "http://[::1]:8400",
     "https://id.example.com", "https://id.example.com/"],
)
def test_accepted_issuers(issuer: str, tmp_path: Path) -> None:
    settings = Settings.from_env({"ACCORD_ISSUER": issuer, "ACCORD_DATA_DIR": str(tmp_path)})
    assert settings.issuer == issuer.rstrip("/")
    assert settings.secure_cookies is issuer.startswith("https")


@pytest.mark.parametrize(
    "issuer",
    ["http://id.example.com", "http://10.0.0.5:8400", "ftp://127.0.0.1", "127.0.0.1:8400",
     "https://id.example.com/?x=1", "https://user:pw@id.example.com"],
)
def test_refused_issuers(issuer: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env({"ACCORD_ISSUER": issuer, "ACCORD_DATA_DIR": str(tmp_path)})


def test_generated_key_is_kept_and_private(tmp_path: Path) -> None:
    first = Settings.from_env({"ACCORD_DATA_DIR": str(tmp_path)})
    second = Settings.from_env({"ACCORD_DATA_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert first.database_url == f"sqlite:///{tmp_path / 'accord.db'}"


def test_short_secret_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env({"ACCORD_SECRET_KEY": "short", "ACCORD_DATA_DIR": str(tmp_path)})
