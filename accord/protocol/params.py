"""Raw request parameters to a plain mapping.

RFC 6749 §3.1 and §3.2: "Request and response parameters MUST NOT be included
more than once." Empty values count as absent (§3.1: "Parameters sent without a
value MUST be treated as if they were omitted").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from accord.protocol.errors import InvalidRequest

MAX_VALUE_LENGTH = 4096
# Longer values some parameters may take: a signed assertion (RFC 7523 §2.1) with many scopes.
MAX_LENGTHS = {"assertion": 8192}
MAX_PARAMETERS = 64


def single_valued(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Collapse ``items`` into a dict, refusing repeats, oversized values and NUL bytes."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for count, (name, value) in enumerate(items, start=1):
        if count > MAX_PARAMETERS:
            raise InvalidRequest("Too many parameters.")
        if name in seen:
            raise InvalidRequest(f"Parameter included more than once: {name}")
        seen.add(name)
        if len(value) > MAX_LENGTHS.get(name, MAX_VALUE_LENGTH):
            raise InvalidRequest(f"Invalid parameter value for {name}: too long")
        if "\x00" in value:
            raise InvalidRequest(f"Invalid parameter value for {name}")
        if value != "":
            out[name] = value
    return out


def require(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if value is None:
        raise InvalidRequest(f"Missing required parameter: {name}")
    return value


def split_spaces(value: str | None) -> tuple[str, ...]:
    """Space-delimited list (scope: RFC 6749 §3.3; prompt: OIDC Core §3.1.2.1), order kept."""
    if not value:
        return ()
    out: list[str] = []
    for part in value.split(" "):
        if part and part not in out:
            out.append(part)
    return tuple(out)
