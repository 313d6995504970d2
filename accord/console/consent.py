"""The OAuth consent screen of a project, and its test users."""

from __future__ import annotations

from typing import Any

from accord.console.base import Console, Done, Form, console_page
from accord.console.projects import PATH as PROJECT

USER_TYPES = ("external", "internal")
PUBLISHING = ("testing", "production")
TEXT_FIELDS = ("app_name", "support_email", "logo_url", "home_url", "privacy_url", "terms_url")


async def screen(con: Console, project_id: str) -> tuple[str, dict[str, Any]]:
    return "consent.html", {
        "project": con.projects.get(con.actor, project_id),
        "screen": con.projects.consent_screen(con.actor, project_id),
        "test_users": con.projects.test_users(con.actor, project_id),
        "user_types": USER_TYPES,
        "publishing": PUBLISHING,
    }


async def save(con: Console, form: Form, project_id: str) -> Done:
    fields: dict[str, Any] = {name: form.get(name) for name in TEXT_FIELDS}
    fields["authorized_domains"] = form.lines("authorized_domains")
    fields["user_type"] = form.get("user_type")
    fields["publishing_status"] = form.get("publishing_status")
    con.projects.update_consent_screen(con.actor, project_id, **fields)
    return Done("consent_saved")


async def add_test_user(con: Console, form: Form, project_id: str) -> Done:
    con.projects.add_test_user(con.actor, project_id, form.get("email"))
    return Done("test_user_added")


async def remove_test_user(con: Console, form: Form, project_id: str) -> Done:
    con.projects.remove_test_user(con.actor, project_id, form.get("email"))
    return Done("test_user_removed")


routes = [
    console_page(
        PROJECT + "/consent",
        screen,
        {"save": save, "add_test_user": add_test_user, "remove_test_user": remove_test_user},
    ),
]
