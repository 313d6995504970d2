"""Google's answers while a backend is unavailable: 503 with Retry-After.

The token, revocation and tokeninfo endpoints answer ``internal_failure`` "Backend
Error", the error Google's OAuth endpoints send for backend failures and that google-auth
retries (with 500/503; reference §1.24); the status is 503 so that other clients see a
transient failure too. The demo APIs answer the API error envelope (reference §1.22)
with ``status`` UNAVAILABLE and ``reason`` backendError, as Google's APIs do.
"""

from __future__ import annotations

from typing import Any

STATUS = 503
RETRY_AFTER = "5"  # seconds; the breaker probes the database every second

TOKEN_BODY = {"error": "internal_failure", "error_description": "Backend Error"}

_MESSAGE = "The service is currently unavailable."


def api_body() -> dict[str, Any]:
    return {
        "error": {
            "code": STATUS,
            "message": _MESSAGE,
            "errors": [{"message": _MESSAGE, "domain": "global", "reason": "backendError"}],
            "status": "UNAVAILABLE",
        }
    }


PAGE = {
    "title": "That's an error.",
    "code": "Error 503",
    "description": "The service you requested is not available at this time. "
    "Try again in a few seconds.",
    "details": [],
}
