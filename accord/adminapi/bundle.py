"""The services an admin-API call reaches, built on the application's engine and clock."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from accord.composition import deps
from accord.services.clients import Clients
from accord.services.orgs import Organizations
from accord.services.projects import Projects


@dataclass(frozen=True)
class Services:
    projects: Projects
    clients: Clients
    orgs: Organizations


def for_request(request: Request) -> Services:
    engine, clock = deps(request).engine, deps(request).ctx.clock
    return Services(Projects(engine, clock), Clients(engine, clock), Organizations(engine, clock))
