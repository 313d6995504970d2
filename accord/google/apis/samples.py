"""Per-user sample data for the demo APIs: the same user always sees the same files and events.

Everything is drawn from a random generator seeded with the user's ``sub``;
times are anchored at the start of the current UTC day (from the injected
clock), so files were modified in the last weeks and events lie in the next
two weeks, and nothing moves within a day.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

DAY = 86400
_ID = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_EVENT_ID = "abcdefghijklmnopqrstuv0123456789"  # Calendar IDs are base32hex

_FILE_NAMES = (
    "Quarterly report",
    "Project plan",
    "Team offsite agenda",
    "Budget",
    "Meeting notes",
    "Reading list",
    "Product roadmap",
    "Invoice 2041",
    "Holiday photos",
    "Recipes",
    "Training schedule",
    "Design review",
    "Customer survey results",
    "Onboarding checklist",
    "Release notes",
)
# (mimeType, file-name extension); Google-native types have no size.
_TYPES = (
    ("application/vnd.google-apps.document", ""),
    ("application/vnd.google-apps.spreadsheet", ""),
    ("application/vnd.google-apps.presentation", ""),
    ("application/vnd.google-apps.folder", ""),
    ("application/pdf", ".pdf"),
    ("image/jpeg", ".jpg"),
    ("text/plain", ".txt"),
)
_EVENTS = (
    ("Team standup", ""),
    ("1:1 with manager", ""),
    ("Dentist appointment", "Main Street 12"),
    ("Lunch with Sam", "Corner Café"),
    ("Project kickoff", "Room 4.01"),
    ("Sprint review", ""),
    ("Yoga class", "Studio Lotus"),
    ("Book club", "City Library"),
    ("Quarterly planning", "Room 2.14"),
    ("Call with the bank", ""),
)


@dataclass(frozen=True)
class SampleFile:
    id: str
    name: str
    mime_type: str
    created: int
    modified: int
    size: int | None
    starred: bool
    version: int


@dataclass(frozen=True)
class SampleEvent:
    id: str
    summary: str
    location: str
    start: int
    end: int
    created: int
    updated: int


def _rng(sub: str, purpose: str) -> random.Random:
    return random.Random(hashlib.sha256(f"accord-sample:{purpose}:{sub}".encode()).digest())


def _text(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def root_folder(sub: str) -> str:
    return "0A" + _text(_rng(sub, "root"), _ID[:62], 17)


def permission_id(sub: str) -> str:
    return str(int.from_bytes(hashlib.sha256(f"accord-permission:{sub}".encode()).digest()))[:20]


def files(sub: str, now: int) -> list[SampleFile]:
    """6 to 10 files, most recently modified first (Drive's listing without orderBy)."""
    rng = _rng(sub, "drive")
    today = now - now % DAY
    out = []
    for name in rng.sample(_FILE_NAMES, rng.randint(6, 10)):
        mime_type, extension = rng.choice(_TYPES)
        modified = today - rng.randint(0, 45) * DAY - rng.randint(1, DAY - 1)
        out.append(
            SampleFile(
                id="1" + _text(rng, _ID, 32),
                name=name + extension,
                mime_type=mime_type,
                created=modified - rng.randint(0, 300) * DAY - rng.randint(0, DAY - 1),
                modified=modified,
                size=rng.randint(2_000, 4_000_000) if extension else None,
                starred=rng.random() < 0.2,
                version=rng.randint(2, 400),
            )
        )
    return sorted(out, key=lambda f: (-f.modified, f.id))


def events(sub: str, now: int) -> list[SampleEvent]:
    """4 to 8 events between tomorrow and two weeks out, in start order."""
    rng = _rng(sub, "calendar")
    today = now - now % DAY
    out = []
    for summary, location in rng.sample(_EVENTS, rng.randint(4, 8)):
        start = today + rng.randint(1, 14) * DAY + rng.randint(8, 17) * 3600 + rng.choice((0, 1800))
        created = today - rng.randint(1, 30) * DAY + rng.randint(0, DAY - 1)
        out.append(
            SampleEvent(
                id=_text(rng, _EVENT_ID, 26),
                summary=summary,
                location=location,
                start=start,
                end=start + rng.choice((30, 45, 60, 90)) * 60,
                created=created,
                updated=min(created + rng.randint(0, 5) * DAY, today),
            )
        )
    return sorted(out, key=lambda e: (e.start, e.id))
