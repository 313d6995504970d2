"""Page sizes, opaque page tokens and RFC 3339 times shared by the demo APIs."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from accord.google.apis.errors import invalid_value

T = TypeVar("T")
_PREFIX = "accord-page:"


def _small_number(text: str) -> bool:
    # Plain ASCII digits only: int() would also take "+5", " 5", "٥" or 5,000 digits.
    return text.isascii() and text.isdigit() and len(text) <= 9


def page_size(query: Mapping[str, str], name: str, default: int, maximum: int) -> int:
    """The requested page size; larger values are cut to ``maximum``, as Drive does."""
    raw = query.get(name)
    if raw is None:
        return default
    if not _small_number(raw):
        raise invalid_value(name)
    size = int(raw)
    if size < 1:
        raise invalid_value(name)
    return min(size, maximum)


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).rstrip(b"=").decode()


def decode_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid_value("pageToken") from None
    digits = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not _small_number(digits):
        raise invalid_value("pageToken")
    return int(digits)


def page(items: Sequence[T], query: Mapping[str, str], size: int) -> tuple[list[T], str | None]:
    """One page of ``items`` from the request's ``pageToken``, and the next page's token."""
    token = query.get("pageToken")
    start = decode_token(token) if token else 0
    end = start + size
    return list(items[start:end]), encode_token(end) if end < len(items) else None


def rfc3339(ts: int, millis: bool = True) -> str:
    """UTC time as Google writes it: ``2025-01-31T09:30:00.000Z``."""
    moment = datetime.fromtimestamp(ts, UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (".000Z" if millis else "Z")


def parse_rfc3339(raw: str, name: str) -> int:
    """An RFC 3339 time with an offset (Calendar refuses times without one)."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid_value(name) from None
    if moment.tzinfo is None:
        raise invalid_value(name)
    return int(moment.timestamp())
