"""The services an admin-API call reaches: the application's, from the composition root."""

from __future__ import annotations

from starlette.requests import Request

from accord.composition import Services, deps


def for_request(request: Request) -> Services:
    return deps(request).services


__all__ = ["Services", "for_request"]
