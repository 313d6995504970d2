"""The demo Google APIs that make the flow useful: Drive and Calendar (reference §1.22)."""

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
}
