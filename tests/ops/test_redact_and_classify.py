"""The credential filter's rules and which failures count as "the database is away"."""

from __future__ import annotations

import sqlite3

import pytest

from accord.ops.redact import redact
from accord.storage.guard import DatabaseUnavailable, failure_kind, unavailable


@pytest.mark.parametrize("line, secret", [
    ('"GET /tokeninfo?access_token=ya29.abc HTTP/1.1" 200', "ya29.abc"),
    ('"POST /revoke?token=1//0abc HTTP/1.1" 200', "1//0abc"),
    ("GET /o/oauth2/v2/auth?id_token_hint=eyJhbGciOi.eyJzdWIi.sig&x=1", "eyJhbGciOi"),
    ("GET /o/oauth2/v2/auth?login_hint=alice%40example.com", "alice%40example.com"),
    ("GET /signin?i=Zm9vYmFy&continue=%2Fo%2Fauth%3Fi%3Dsecret", "Zm9vYmFy"),
    ("GET /signin?x=%2Fauth%3Fi%3Dsecret%26y%3D1", "secret"),
    ("code=4/0AabcDEF&state=xyz", "4/0AabcDEF"),
    ('{"client_secret": "GOCSPX-abc", "password": "correct horse"}', "correct horse"),
    ("{'refresh_token': 'r-e-f'}", "r-e-f"),
    ("Authorization: Basic Zm9vOmJhcg==", "Zm9vOmJhcg=="),
    ("headers: cookie=__Host-session=abc123", "abc123"),
    ("bearer abc.def-ghi", "abc.def-ghi"),
])
def test_credentials_are_masked(line: str, secret: str) -> None:
    cleaned = redact(line)
    assert secret not in cleaned and "[REDACTED]" in cleaned


@pytest.mark.parametrize("line", [
    "GET /o/oauth2/v2/auth?response_type=code&state=xyz&scope=openid",
    "POST /token 400 3.2ms error=invalid_grant",
    "code_challenge_method=S256",
])
def test_harmless_text_is_kept(line: str) -> None:
    assert redact(line) == line


@pytest.mark.parametrize("error, kind", [
    (sqlite3.OperationalError("database or disk is full"), "storage"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "storage"),
    (sqlite3.OperationalError("database is locked"), "storage"),
    (sqlite3.OperationalError("no such table: users"), None),
    (DatabaseUnavailable("down"), "connection"),
    (ValueError("a bug"), None),
])
def test_failure_kinds(error: BaseException, kind: str | None) -> None:
    assert failure_kind(error) == kind


def test_psycopg_failures() -> None:
    import psycopg

    assert failure_kind(psycopg.OperationalError("connection refused")) == "connection"
    assert failure_kind(psycopg.errors.QueryCanceled("statement timeout")) == "timeout"
    assert failure_kind(psycopg.errors.UniqueViolation("duplicate")) is None


def test_a_wrapped_outage_is_still_an_outage() -> None:
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as inner:
            raise RuntimeError("while saving") from inner
    except RuntimeError as outer:
        assert unavailable(outer)
    assert not unavailable(RuntimeError("a bug"))
