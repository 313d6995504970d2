"""Reading request parameters: the query string and urlencoded bodies, with limits."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from accord.protocol.errors import InvalidRequest
from accord.protocol.params import MAX_PARAMETERS, small_number

MAX_BODY = 64 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"


def parse_pairs(raw: str) -> list[tuple[str, str]]:
    try:
        pairs = parse_qsl(
            raw, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_PARAMETERS
        )
    except ValueError:
        raise InvalidRequest("Too many parameters.") from None
    for name, value in pairs:
        if "\x00" in name or "\x00" in value:  # no store or page should ever see one
            raise InvalidRequest(f"Invalid parameter value for {name.replace(chr(0), '')}")
    return pairs


def query_pairs(request: Request) -> list[tuple[str, str]]:
    return parse_pairs(request.scope["query_string"].decode("latin-1"))


async def body_pairs(request: Request, *, required: bool = True) -> list[tuple[str, str]]:
    """The urlencoded body; other content types are refused (RFC 6749 §3.2)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length")
    size = small_number(length, 12) if length is not None else 0
    if size is None or size > MAX_BODY:
        raise InvalidRequest("Request body too large.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise InvalidRequest("Request body too large.")
    if not body:
        if required and content_type != FORM_TYPE and content_type:
            raise InvalidRequest(f"Unsupported content type: {content_type}")
        return []
    if content_type != FORM_TYPE:
        raise InvalidRequest(
            f"Unsupported content type: {content_type or 'none'}; use {FORM_TYPE}"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequest("The request body is not valid UTF-8.") from None
    return parse_pairs(text)
