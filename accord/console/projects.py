"""A project's overview: rename, delete, members and their roles, APIs."""

from __future__ import annotations

from typing import Any

from accord.console.base import Console, Done, Form, console_page
from accord.google import paths
from accord.services import ServiceError
from accord.services.actors import ROLES

PATH = paths.CONSOLE + "/projects/{project_id}"


async def overview(con: Console, project_id: str) -> tuple[str, dict[str, Any]]:
    project = con.projects.get(con.actor, project_id)
    return "project.html", {
        "project": project,
        "members": con.projects.members(con.actor, project_id),
        "apis": con.projects.apis(con.actor, project_id),
        "roles": ROLES,
    }


async def rename(con: Console, form: Form, project_id: str) -> Done:
    con.projects.rename(con.actor, project_id, form.get("name"))
    return Done("renamed")


async def delete(con: Console, form: Form, project_id: str) -> Done:
    # Google asks for the project ID typed out before it shuts a project down.
    if form.get("confirm") != project_id:
        raise ServiceError(f"Type the project ID {project_id} to confirm.", field="confirm")
    con.projects.delete(con.actor, project_id)
    return Done("project_deleted", paths.CONSOLE)


async def add_member(con: Console, form: Form, project_id: str) -> Done:
    con.projects.add_member(con.actor, project_id, form.get("email"), form.get("role"))
    return Done("member_added")


async def remove_member(con: Console, form: Form, project_id: str) -> Done:
    con.projects.remove_member(con.actor, project_id, form.get("email"))
    return Done("member_removed")


async def enable_api(con: Console, form: Form, project_id: str) -> Done:
    con.projects.enable_api(con.actor, project_id, form.get("api"))
    return Done("api_enabled")


async def disable_api(con: Console, form: Form, project_id: str) -> Done:
    con.projects.disable_api(con.actor, project_id, form.get("api"))
    return Done("api_disabled")


routes = [
    console_page(
        PATH,
        overview,
        {
            "rename": rename,
            "delete": delete,
            "add_member": add_member,
            "remove_member": remove_member,
            "enable_api": enable_api,
            "disable_api": disable_api,
        },
    ),
]
