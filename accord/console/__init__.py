"""The developer console at /console: projects, consent screens, OAuth clients,
organizations. Server-rendered, no JavaScript, CSRF on every form; it calls only
``accord.services``, so it shows the same refusals as the admin API and the CLI."""

from __future__ import annotations

from starlette.routing import BaseRoute

from accord.console import client, clients, consent, home, orgs, projects, secret_once

routes: list[BaseRoute] = [
    *home.routes,
    *projects.routes,
    *consent.routes,
    *clients.routes,
    *secret_once.routes,
    *client.routes,
    *orgs.routes,
]

__all__ = ["routes"]
