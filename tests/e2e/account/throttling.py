"""Helpers of the sign-in abuse tests: the sign-in page's path and CSRF field, a fresh email."""

from __future__ import annotations

import re
import uuid

SIGNIN = "/signin/v2/identifier"
CSRF = re.compile(r'name="csrf" value="[^"]*"')


def unknown_email() -> str:
    return f"nobody-{uuid.uuid4().hex[:10]}@example.com"
