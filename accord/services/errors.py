"""Refusals of the administrative use cases; the web console, the admin API and the CLI
turn them into a message (``str(exc)``), an HTTP status (``status``) and a form field
(``field``).

    ServiceError (400)
     +-- NotFound (404)   missing, or not yours: a non-member learns nothing
     +-- Forbidden (403)  a member whose role is too low
     +-- Conflict (409)   exists already
"""

from __future__ import annotations


class ServiceError(ValueError):
    """A refused administrative request; the message says why."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409
