"""The IAM Credentials API's request bodies read as proto3 JSON (accord.google.iamcredentials.parse)."""

from __future__ import annotations

import json

import pytest

from accord.google import iamcredentials as iam
from accord.google.apis.errors import ApiError
from accord.protocol.iam import Method

DRIVE = "https://www.googleapis.com/auth/drive"
TARGET = "robot@proj.iam.gserviceaccount.com"


def parse(method: Method, body: object, project: str = "-") -> iam.IamRequest:
    return iam.parse(method, project, TARGET, json.dumps(body).encode())


def refused(method: Method, body: object, project: str = "-") -> dict[str, object]:
    with pytest.raises(ApiError) as caught:
        parse(method, body, project)
    assert caught.value.status == 400
    error: dict[str, object] = caught.value.body["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    return error


@pytest.mark.parametrize(
    ("lifetime", "seconds"), [(None, 3600), ("3600s", 3600), ("1s", 1), ("0.5s", 1),
                              ("599.000000001s", 600)],
)
def test_durations(lifetime: str | None, seconds: int) -> None:
    body = {"scope": [DRIVE], "lifetime": lifetime}
    assert parse(Method.GENERATE_ACCESS_TOKEN, body).values["lifetime"] == seconds


@pytest.mark.parametrize("lifetime", ["3600.5s", "3601s", "0s", "1h", "3600", "-5s", "s"])
def test_bad_or_long_durations(lifetime: str) -> None:
    refused(Method.GENERATE_ACCESS_TOKEN, {"scope": [DRIVE], "lifetime": lifetime})


def test_proto3_json_spellings() -> None:
    request = parse(Method.GENERATE_ID_TOKEN, {
        "audience": "aud", "include_email": "true", "useEmailAzp": False,
        "delegates": [f"projects/-/serviceAccounts/{TARGET}", "projects/-/serviceAccounts/123"],
    })
    assert request.values == {"audience": "aud", "includeEmail": True, "useEmailAzp": False}
    assert request.delegates == (TARGET, "123")
    defaults = parse(Method.GENERATE_ID_TOKEN, {"audience": "aud", "includeEmail": None})
    assert defaults.values["includeEmail"] is False and defaults.delegates == ()


def test_bytes_in_standard_or_url_safe_base64() -> None:
    assert parse(Method.SIGN_BLOB, {"payload": "+/8="}).values["payload"] == b"\xfb\xff"
    assert parse(Method.SIGN_BLOB, {"payload": "-_8"}).values["payload"] == b"\xfb\xff"


def test_unknown_and_duplicate_fields() -> None:
    error = refused(Method.SIGN_BLOB, {"payload": "AA==", "extra": 1})
    assert error["message"] == 'Invalid JSON payload received. Unknown name "extra": Cannot find field.'
    with pytest.raises(ApiError):
        iam.parse(Method.GENERATE_ID_TOKEN, "-", TARGET,
                  b'{"audience": "a", "includeEmail": true, "include_email": false}')


def test_the_wildcard_project() -> None:
    refused(Method.SIGN_BLOB, {"payload": "AA=="}, project="my-project")


def test_expire_time_has_whole_seconds() -> None:
    assert iam.expire_time(1_800_000_000) == "2027-01-15T08:00:00Z"
