"""Stored interactions: an authorization request waiting for the user's pages.

    CREATED ──(signed in / chosen)──> ACCOUNT_CHOSEN ──(consented, or none needed)──> FINISHED
        └──────────────────(denied, or a prompt=none error)───────────────────────> FINISHED

An interaction is found by the SHA-256 of its opaque id, bound to the browser
session that started it, expires after 30 minutes, and finishes exactly once
(one conditional UPDATE).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Protocol

from accord.protocol.messages import AccessType, AuthorizationRequest, Prompt
from accord.protocol.tokens import digest, random_text
from accord.storage.interactions import InteractionRow

LIFETIME = 1800


@dataclass(frozen=True)
class Interaction:
    pk: int
    request: AuthorizationRequest
    browser_hash: str
    chosen_user_pk: int | None
    expires_at: int
    finished: bool

    @property
    def started_at(self) -> int:
        return self.expires_at - LIFETIME


def _dump(request: AuthorizationRequest) -> str:
    data = asdict(request)
    data["access_type"] = request.access_type.value
    data["prompt"] = [p.value for p in request.prompt]
    return json.dumps(data)


def _load(raw: str) -> AuthorizationRequest:
    data = json.loads(raw)
    data["access_type"] = AccessType(data["access_type"])
    data["prompt"] = tuple(Prompt(p) for p in data["prompt"])
    data["scopes"] = tuple(data["scopes"])
    data["response_type"] = tuple(data.get("response_type", ["code"]))
    return AuthorizationRequest(**data)


class InteractionRows(Protocol):
    """Where interactions are kept (``accord.storage.interactions.SqlInteractions``)."""

    def insert(
        self, id_hash: str, browser_hash: str, request: str, created_at: int, expires_at: int
    ) -> int: ...

    def by_id_hash(self, id_hash: str) -> InteractionRow | None: ...

    def choose(self, pk: int, user_pk: int) -> None: ...

    def finish(self, pk: int, now: int) -> bool: ...


class Interactions:
    def __init__(self, rows: InteractionRows) -> None:
        self.rows = rows

    def create(self, request: AuthorizationRequest, csrf: str, now: int) -> tuple[str, int]:
        interaction_id = random_text()
        pk = self.rows.insert(
            digest(interaction_id), digest(csrf), _dump(request), now, now + LIFETIME
        )
        return interaction_id, pk

    def find(self, interaction_id: str, csrf: str, now: int) -> Interaction | None:
        row = self.rows.by_id_hash(digest(interaction_id))
        if row is None or row.expires_at <= now or row.browser_hash != digest(csrf):
            return None
        return Interaction(
            row.pk, _load(row.request), row.browser_hash, row.chosen_user_pk, row.expires_at,
            row.finished,
        )

    def choose(self, pk: int, user_pk: int) -> None:
        self.rows.choose(pk, user_pk)

    def finish(self, pk: int, now: int) -> bool:
        return self.rows.finish(pk, now)
