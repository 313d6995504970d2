"""What a demo API method receives once its caller is admitted, and what it returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from accord.protocol.messages import TokenSubject

Body = dict[str, Any]


@dataclass(frozen=True)
class Call:
    subject: TokenSubject
    display_name: str
    query: Mapping[str, str]
    path: Mapping[str, str]
    now: int
    issuer: str


Handler = Callable[[Call], Body]
