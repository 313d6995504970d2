"""A project's OAuth clients: the list (deleted ones too, with Restore) and a new client,
whose secret is shown once, on the page the form redirects to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from accord.console import secret_once
from accord.console.base import Console, Done, Form, console_page
from accord.console.projects import PATH as PROJECT
from accord.services import ServiceError, rules

TYPES = (("web", "Web application"), ("desktop", "Desktop app"))


async def listing(con: Console, project_id: str) -> tuple[str, dict[str, Any]]:
    return "clients.html", {
        "project": con.projects.get(con.actor, project_id),
        "clients": con.clients.list(con.actor, project_id),
    }


async def restore(con: Console, form: Form, project_id: str) -> Done:
    client_id = form.get("client_id")
    if con.clients.get(con.actor, client_id).project_id != project_id:
        raise ServiceError(f"Client {client_id} is not in project {project_id}", "client_id")
    con.clients.restore(con.actor, client_id)
    return Done("client_restored")


async def new(con: Console, project_id: str) -> tuple[str, dict[str, Any]]:
    return "client_new.html", {
        "project": con.projects.get(con.actor, project_id),
        "types": TYPES,
    }


def check_fields(form: Form, client_type: str) -> None:
    """Every field of a client form checked at once (the services then check again),
    so that the form shows all its refusals, each wrong line by number."""
    checks: list[Callable[[], object]] = [lambda: rules.text(form.get("name"), "name")]
    if client_type == "web":
        checks.append(lambda: rules.redirect_uris(form.lines("redirect_uris"), "web"))
        checks.append(lambda: rules.javascript_origins(form.lines("javascript_origins")))
    rules.check_all(*checks)


async def create(con: Console, form: Form, project_id: str) -> Response:
    check_fields(form, form.get("type", "web"))
    created = con.clients.create(
        con.actor,
        project_id,
        form.get("name"),
        type=form.get("type", "web"),
        redirect_uris=form.lines("redirect_uris"),
        javascript_origins=form.lines("javascript_origins"),
    )
    # Post/Redirect/Get: the secret waits server-side for one GET (never in a URL).
    return secret_once.keep(con, created.client_id, created.client_secret, new_client=True)


routes = [
    console_page(PROJECT + "/clients", listing, {"restore": restore}),
    console_page(PROJECT + "/clients/new", new, {"create": create}),
]
