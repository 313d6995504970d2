"""The developer console at /console: projects, consent screens, OAuth clients,
organizations, service accounts. Server-rendered, no JavaScript, CSRF on every form; it calls only
``accord.services``, so it shows the same refusals as the admin API and the CLI."""

from __future__ import annotations

from starlette.routing import BaseRoute

from accord.console import (
    client,
    clients,
    consent,
    delegation,
    home,
    orgs,
    projects,
    sa_keys,
    sa_permissions,
    secret_once,
    service_account,
    service_accounts,
)

routes: list[BaseRoute] = [
    *home.routes,
    *projects.routes,
    *consent.routes,
    *clients.routes,
    *secret_once.routes,
    *client.routes,
    *orgs.routes,
    *service_accounts.routes,
    *service_account.routes,
    *sa_keys.routes,
    *sa_permissions.routes,
    *delegation.routes,
]

__all__ = ["routes"]
