"""Malformed requests to the admin API: 400 (or a JSON 404), never 500."""

from __future__ import annotations

import pytest

from tests.e2e.admin_api.support import (
    Admin,
    error,
)

# Malformed requests: 400, never 500 -----------------------------------------------------
BAD_BODIES = [
    pytest.param(b'{"projectId": ', "application/json", id="malformed-json"),
    pytest.param(b'["projectId"]', "application/json", id="not-an-object"),
    pytest.param(b'{"projectId": 7}', "application/json", id="wrong-type"),
    pytest.param(b'{"projectId": "abcdef", "color": "red"}', "application/json", id="unknown"),
    pytest.param(b'{"projectId": "a", "projectId": "b"}', "application/json", id="duplicate"),
    pytest.param(b'{"projectId": NaN}', "application/json", id="nan"),
    pytest.param(b'{"projectId": "a\\u0000b"}', "application/json", id="nul"),
    pytest.param(b'{"projectId": "\\ud800x"}', "application/json", id="lone-surrogate"),
    pytest.param(b"\xff\xfe", "application/json", id="not-utf8"),
    pytest.param(b"projectId=abcdef", "application/x-www-form-urlencoded", id="form"),
    pytest.param(b'{"projectId": "abcdef"}', "text/plain", id="text-plain"),
    pytest.param(b"[" * 100000, "application/json", id="oversized"),
    pytest.param(b'{"projectId": "' + b"a" * 70000 + b'"}', "application/json", id="64KiB"),
]


@pytest.mark.parametrize(("data", "content_type"), BAD_BODIES)
def test_malformed_body_is_400_invalid_argument(
    owner: Admin, data: bytes, content_type: str
) -> None:
    response = owner("POST", "/projects", data=data, headers={"Content-Type": content_type})
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()["error"]
    assert (body["code"], body["status"]) == (400, "INVALID_ARGUMENT")


def test_bad_query_parameters_are_400(owner: Admin) -> None:
    assert owner("GET", "/projects?color=red").status_code == 400
    assert owner("GET", "/projects?prettyPrint=false").status_code == 200


def test_unknown_path_or_method_is_404_in_json(owner: Admin) -> None:
    """Google answers "Method not found." for both, as NOT_FOUND."""
    for method, path in (("GET", "/nothing"), ("PUT", "/projects"), ("GET", "/projects/")):
        response = owner(method, path)
        assert response.status_code == 404
        assert response.json() == error(404, "NOT_FOUND", "Method not found.")
