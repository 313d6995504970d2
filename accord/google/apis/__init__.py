"""The Google APIs a project can enable: the demo APIs that make the flow useful (Drive and
Calendar, reference §1.22) and the IAM Credentials API (§1.19)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Api:
    name: str
    service: str  # the service name in Google's error envelopes
    title: str
    versions: tuple[str, ...]


APIS: dict[str, Api] = {
    "drive": Api("drive", "drive.googleapis.com", "Google Drive API", ("v2", "v3")),
    "calendar": Api("calendar", "calendar-json.googleapis.com", "Google Calendar API", ("v3",)),
    # The IAM Credentials API (reference §1.19): no discovery document of Accord's, only its
    # four methods (accord.google.iamcredentials); callers' projects must enable it.
    "iamcredentials": Api(
        "iamcredentials", "iamcredentials.googleapis.com", "IAM Service Account Credentials API", ()
    ),
}
