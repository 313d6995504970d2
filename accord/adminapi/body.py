"""Request bodies: JSON objects read strictly, each described once by a :class:`Body`.

The same description validates the request and becomes its JSON Schema in the
OpenAPI document, so what the document promises is what the server accepts:
``application/json`` only, at most 64 KiB, one object, no duplicate or unknown
members, every member of its declared type. Anything else is a 400, never a 500.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from accord.adminapi.errors import InvalidArgument
from accord.protocol.params import small_number

MAX_BODY = 64 * 1024
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Field:
    name: str  # the camelCase JSON member
    kind: str = "string"  # string | strings | boolean | integer | object | objects
    required: bool = False
    max_length: int = 200
    min_length: int = 0
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    max_items: int = 100
    description: str = ""
    members: Body | None = None  # an object's (or each of the objects') members
    bounds: tuple[int, int] = (0, 2**31 - 1)  # an integer's

    def schema(self) -> dict[str, Any]:
        if self.kind == "boolean":
            return {"type": "boolean", "description": self.description}
        if self.kind == "integer":
            return {"type": "integer", "minimum": self.bounds[0], "maximum": self.bounds[1],
                    "description": self.description}
        if self.members is not None:
            inner = self.members.schema()
            if self.kind == "object":
                return {**inner, "description": self.description}
            return {"type": "array", "items": inner, "maxItems": self.max_items,
                    "description": self.description}
        text: dict[str, Any] = {"type": "string"}
        if self.choices:
            text["enum"] = list(self.choices)
        else:
            text.update(minLength=self.min_length, maxLength=self.max_length)
        if self.pattern:
            text["pattern"] = self.pattern
        if self.kind == "strings":
            return {"type": "array", "items": text, "maxItems": self.max_items,
                    "description": self.description}
        return {**text, "description": self.description}

    def check(self, value: object) -> object:
        if self.kind == "boolean":
            if not isinstance(value, bool):
                raise InvalidArgument(f"{self.name} must be a boolean", self.name)
            return value
        if self.kind == "integer":
            low, high = self.bounds
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidArgument(f"{self.name} must be an integer from {low} to {high}",
                                      self.name)
            return value
        if self.members is not None:
            return self._members(value)
        if self.kind == "strings":
            if not isinstance(value, list) or len(value) > self.max_items:
                raise InvalidArgument(
                    f"{self.name} must be an array of at most {self.max_items} strings", self.name
                )
            return [self._text(item) for item in value]
        return self._text(value)

    def _members(self, value: object) -> object:
        assert self.members is not None
        if self.kind == "object":
            if not isinstance(value, dict):
                raise InvalidArgument(f"{self.name} must be an object", self.name)
            return self.members.parse(value)
        if not isinstance(value, list) or len(value) > self.max_items:
            raise InvalidArgument(
                f"{self.name} must be an array of at most {self.max_items} objects", self.name
            )
        if not all(isinstance(item, dict) for item in value):
            raise InvalidArgument(f"{self.name} must be an array of objects", self.name)
        return [self.members.parse(item) for item in value]

    def _text(self, value: object) -> str:
        if not isinstance(value, str):
            raise InvalidArgument(f"{self.name} must be a string", self.name)
        if self.choices and value not in self.choices:
            raise InvalidArgument(f"{self.name} must be one of {', '.join(self.choices)}",
                                  self.name)
        if not self.min_length <= len(value) <= self.max_length:
            raise InvalidArgument(f"{self.name} must have {self.min_length} to "
                                  f"{self.max_length} characters", self.name)
        # ECMA-262's $ (JSON Schema) ends the text; Python's also admits a final newline.
        if self.pattern and not re.fullmatch(self.pattern.strip("^$"), value):
            raise InvalidArgument(f"{self.name} must match {self.pattern}", self.name)
        return clean(value, self.name)


def clean(value: str, name: str) -> str:
    """No NUL (PostgreSQL refuses it) and nothing UTF-8 cannot carry (lone surrogates)."""
    if "\x00" in value:
        raise InvalidArgument(f"{name} must not contain NUL characters", name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgument(f"{name} is not valid Unicode text", name) from None
    return value


@dataclass(frozen=True)
class Body:
    fields: tuple[Field, ...]

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {f.name: f.schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }

    def parse(self, raw: dict[str, Any]) -> dict[str, Any]:
        known = {f.name: f for f in self.fields}
        for name in raw:
            if name not in known:
                raise InvalidArgument(f'Invalid JSON payload received. Unknown name "{name}"',
                                      name)
        for f in self.fields:
            if f.required and f.name not in raw:
                raise InvalidArgument(f"{f.name} is required", f.name)
        return {name: known[name].check(value) for name, value in raw.items()}


NO_FIELDS = Body(())


@dataclass(frozen=True)
class RawBody:
    """The bytes as read; a refusal is kept until the caller is authenticated."""

    data: bytes
    content_type: str
    refusal: str | None = None

    def json(self) -> dict[str, Any]:
        """The body's JSON object; an empty body reads as ``{}``."""
        if self.refusal is not None:
            raise InvalidArgument(self.refusal)
        if not self.data.strip():
            return {}
        if self.content_type != JSON_TYPE:
            raise InvalidArgument(f"Unsupported content type {self.content_type or 'none'}; "
                                  f"use {JSON_TYPE}")
        try:
            value = json.loads(self.data, object_pairs_hook=_unique, parse_constant=_constant)
        except (ValueError, RecursionError) as exc:
            raise InvalidArgument(f"Invalid JSON payload received. {exc}") from None
        if not isinstance(value, dict):
            raise InvalidArgument("Invalid JSON payload received. Expected an object.")
        return value


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise ValueError(f'Duplicate name "{name}"')
        out[name] = value
    return out


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def read(request: Request) -> RawBody:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length")
    too_large = f"The request body is larger than {MAX_BODY} bytes."
    size = small_number(length, 12) if length is not None else 0
    if size is None or size > MAX_BODY:
        return RawBody(b"", content_type, too_large)
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            return RawBody(b"", content_type, too_large)
    return RawBody(data, content_type)
