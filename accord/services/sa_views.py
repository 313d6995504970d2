"""What the service-account use cases return, serialized (``as_json()``) in the IAM REST
API's field names. As Google's proto3 JSON does, empty strings and false booleans are
left out (``disabled`` appears only when true)."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from accord.google import iam
from accord.services.views import rfc3339


def etag(*parts: object) -> str:
    """Base64 of a hash of the content (Google's etags are opaque base64 strings)."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).digest()
    return base64.b64encode(digest[:12]).decode()


@dataclass(frozen=True)
class ServiceAccountView:
    project_id: str
    email: str
    unique_id: str
    display_name: str = ""
    description: str = ""
    disabled: bool = False
    created_at: int = 0
    deleted_at: int | None = None  # shown by the console for undelete; not in as_json

    @property
    def name(self) -> str:
        return iam.account_name(self.project_id, self.email)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "projectId": self.project_id,
            "uniqueId": self.unique_id,
            "email": self.email,
        }
        if self.display_name:
            out["displayName"] = self.display_name
        out["etag"] = etag(self.email, self.unique_id, self.display_name, self.description)
        if self.description:
            out["description"] = self.description
        out["oauth2ClientId"] = self.unique_id
        if self.disabled:
            out["disabled"] = True
        return out


@dataclass(frozen=True)
class KeyView:
    project_id: str
    email: str
    key_id: str
    key_type: str  # USER_MANAGED or SYSTEM_MANAGED
    key_origin: str  # GOOGLE_PROVIDED or USER_PROVIDED
    valid_after: int
    valid_before: int
    disabled: bool = False
    algorithm: str = iam.KEY_ALGORITHM

    @property
    def name(self) -> str:
        return iam.key_name(self.project_id, self.email, self.key_id)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "validAfterTime": rfc3339(self.valid_after),
            "validBeforeTime": rfc3339(self.valid_before),
            "keyAlgorithm": self.algorithm,
            "keyOrigin": self.key_origin,
            "keyType": self.key_type,
        }
        if self.disabled:
            out["disabled"] = True
        return out


@dataclass(frozen=True)
class NewKey:
    """A key made by Accord: its metadata and, once, the key file with its private half."""

    key: KeyView
    key_file: dict[str, str]

    @property
    def key_file_json(self) -> str:
        """The file as Google's console downloads it (indented, a final newline)."""
        return json.dumps(self.key_file, indent=2) + "\n"

    def as_json(self) -> dict[str, Any]:
        out = self.key.as_json()
        data = base64.b64encode(self.key_file_json.encode()).decode()
        return {"name": out.pop("name"), "privateKeyType": iam.PRIVATE_KEY_TYPE,
                "privateKeyData": data, **out}


@dataclass(frozen=True)
class PolicyView:
    """The IAM policy of a service account: ``{"version": 1, "etag", "bindings"}``."""

    bindings: tuple[tuple[str, tuple[str, ...]], ...]  # (role, members), sorted

    @property
    def etag(self) -> str:
        return etag(*[[role, list(members)] for role, members in self.bindings])

    def members(self, role: str) -> tuple[str, ...]:
        return next((m for r, m in self.bindings if r == role), ())

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": 1, "etag": self.etag}
        if self.bindings:
            out["bindings"] = [
                {"role": role, "members": list(members)} for role, members in self.bindings
            ]
        return out


@dataclass(frozen=True)
class DelegationView:
    """A client id an organization authorized for domain-wide delegation."""

    client_id: str
    scopes: tuple[str, ...]
    created_at: int
    updated_at: int
    service_account: str = ""  # the live account of that unique id, when there is one

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"clientId": self.client_id, "scopes": list(self.scopes)}
        if self.service_account:
            out["serviceAccount"] = self.service_account
        out["createTime"] = rfc3339(self.created_at)
        out["updateTime"] = rfc3339(self.updated_at)
        return out
