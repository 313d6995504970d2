"""The operations block of the settings, and the libpq parameters it becomes."""

from __future__ import annotations

import pytest

from accord.settings import ConfigError, Operations
from accord.storage.engine import postgres_timeouts
from accord.storage.guard import Timeouts


def test_defaults() -> None:
    ops = Operations.from_env({})
    assert ops == Operations(3.0, 5.0, "text", True, False, "")


def test_values_are_read() -> None:
    ops = Operations.from_env({
        "ACCORD_DATABASE_CONNECT_TIMEOUT": "2", "ACCORD_DATABASE_TIMEOUT": "1.5",
        "ACCORD_LOG_FORMAT": "JSON", "ACCORD_ACCESS_LOG": "0", "ACCORD_METRICS": "1",
        "ACCORD_METRICS_TOKEN": " t ",
    })
    assert ops == Operations(2.0, 1.5, "json", False, True, "t")


@pytest.mark.parametrize("name, value", [
    ("ACCORD_DATABASE_TIMEOUT", "0"), ("ACCORD_DATABASE_TIMEOUT", "soon"),
    ("ACCORD_DATABASE_CONNECT_TIMEOUT", "1000"), ("ACCORD_LOG_FORMAT", "xml"),
    ("ACCORD_ACCESS_LOG", "maybe"), ("ACCORD_METRICS", "2"),
])
def test_bad_values_name_the_setting(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Operations.from_env({name: value})


def test_postgres_parameters_bound_connects_statements_and_silent_networks() -> None:
    params = postgres_timeouts(Timeouts(connect=3.0, statement=5.0))
    assert params["connect_timeout"] == 3
    assert params["options"] == "-c statement_timeout=5000 -c lock_timeout=5000"
    assert params["tcp_user_timeout"] == 3000
    assert params["keepalives"] == 1
    assert postgres_timeouts(Timeouts(connect=0.5, statement=1))["connect_timeout"] == 2
