"""The demo APIs' partial responses (the ``fields`` parameter); no server needed."""

from __future__ import annotations

from typing import Any

import pytest

from accord.google.apis import fields
from accord.google.apis.errors import ApiError

# Partial responses (no server needed) --------------------------------------------------
RESOURCE = {
    "kind": "k",
    "nextPageToken": "t",
    "files": [{"id": "1", "name": "a", "size": "3", "owners": [{"me": True, "emailAddress": "e"}]}],
}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("kind", {"kind": "k"}),
        (
            "nextPageToken, files(id, name)",
            {"nextPageToken": "t", "files": [{"id": "1", "name": "a"}]},
        ),
        ("files/id,files/owners/me", {"files": [{"id": "1", "owners": [{"me": True}]}]}),
        ("files(owners(emailAddress)),files", {"files": RESOURCE["files"]}),
        ("*", RESOURCE),
        ("files(*)", {"files": RESOURCE["files"]}),
        ("missing", {}),
    ],
)
def test_google_partial_response_fields(selector: str, expected: dict[str, Any]) -> None:
    """The ``fields`` global parameter keeps the selected fields in the resource's order."""
    assert fields.select(RESOURCE, fields.parse(selector)) == expected


@pytest.mark.parametrize(
    "selector", ["", "files(", "files)", "a,,b", "files(id", "a(" * 40 + "b" + ")" * 40]
)
def test_google_partial_response_rejects_bad_selectors(selector: str) -> None:
    with pytest.raises(ApiError) as caught:
        fields.parse(selector)
    assert caught.value.status == 400
    assert caught.value.body["error"]["errors"][0]["location"] == "fields"
