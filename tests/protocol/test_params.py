"""RFC 6749 §3.1: parameters sent without a value are omitted; none may repeat."""

from __future__ import annotations

import pytest

from accord.protocol.errors import InvalidRequest
from accord.protocol.params import MAX_VALUE_LENGTH, require, single_valued, split_spaces


def test_rfc6749_3_1_empty_values_count_as_absent() -> None:
    assert single_valued([("a", ""), ("b", "1")]) == {"b": "1"}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("scope", "a"), ("scope", "b")], "Parameter included more than once: scope"),
        ([("state", "")] * 2, "Parameter included more than once: state"),
        ([("state", "x" * (MAX_VALUE_LENGTH + 1))], "Invalid parameter value for state: too long"),
        ([("state", "a\x00b")], "Invalid parameter value for state"),
        ([(f"p{i}", "v") for i in range(65)], "Too many parameters."),
    ],
    ids=["duplicate", "duplicate-empty", "oversized", "nul", "too-many"],
)
def test_rfc6749_3_1_refused_parameters(pairs: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(InvalidRequest) as raised:
        single_valued(pairs)
    assert raised.value.description == message


def test_missing_parameter_is_named() -> None:
    with pytest.raises(InvalidRequest, match="Missing required parameter: code"):
        require({}, "code")


def test_space_delimited_lists_keep_order_and_drop_repeats() -> None:
    assert split_spaces("b a  b c") == ("b", "a", "c")
    assert split_spaces(None) == ()


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), ("42", 42), ("123456789", 123456789), ("1234567890", None), ("", None),
     ("\u00b2", None), ("\u0665", None), (" 5", None), ("+5", None), ("-1", None),
     ("5.0", None), ("9" * 5000, None)],
)
def test_small_number_takes_only_short_ascii_digits(text: str, value: int | None) -> None:
    """``str.isdigit`` accepts "²" (and int() then raises) and int() refuses 5,000 digits:
    every number read from a request goes through small_number."""
    from accord.protocol.params import small_number

    assert small_number(text) == value
