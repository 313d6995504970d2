"""The console's front page (projects, organizations, a new project) and the scopes list."""

from __future__ import annotations

from typing import Any

from accord.console.base import Console, Done, Form, console_page
from accord.google import paths
from accord.google.apis import APIS
from accord.google.scopes import REGISTRY


async def index(con: Console) -> tuple[str, dict[str, Any]]:
    return "index.html", {
        "projects": con.projects.list(con.actor),
        "orgs": con.orgs.list(con.actor),
    }


async def create(con: Console, form: Form) -> Done:
    project = con.projects.create(con.actor, form.get("project_id"), form.get("name"))
    return Done("project_created", f"{paths.CONSOLE}/projects/{project.project_id}")


async def scopes(con: Console) -> tuple[str, dict[str, Any]]:
    """Every scope Accord knows, with its API and Google's sensitivity class."""
    titles = {name: api.title for name, api in APIS.items()}
    rows = [(s, titles.get(s.api or "", "")) for s in REGISTRY.values()]
    return "scopes.html", {"scopes": rows}


routes = [
    console_page(paths.CONSOLE, index, {"create": create}),
    console_page(paths.CONSOLE + "/scopes", scopes),
]
