"""The operator's facade of earlier versions (the CLI, the demo and the tests' fixtures):
each call is the matching use case with the :class:`Operator` as the actor."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.clock import Clock
from accord.services.actors import Operator
from accord.services.clients import Clients
from accord.services.errors import ServiceError
from accord.services.projects import Projects
from accord.services.users import Profile, Users
from accord.services.views import NewClient

OPERATOR = Operator()


class Admin:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.users = Users(engine, clock)
        self.projects = Projects(engine, clock)
        self.clients = Clients(engine, clock)

    def create_user(
        self, email: str, password: str, name: str = "", profile: Profile | None = None
    ) -> str:
        return self.users.create(OPERATOR, email, password, name, profile)

    def update_user(self, email: str, name: str | None, profile: Profile) -> None:
        self.users.update(OPERATOR, email, name, profile)

    def create_project(self, project_id: str, name: str = "") -> str:
        """The new project's number."""
        return self.projects.create(OPERATOR, project_id, name).number

    def enable_apis(self, project_id: str, apis: list[str]) -> None:
        self.projects.enable_apis(OPERATOR, project_id, apis)

    def create_client(self, project_id: str, name: str, redirect_uris: list[str]) -> NewClient:
        """A web client; here at least one redirect URI is required."""
        if not [uri for uri in redirect_uris if uri.strip()]:
            raise ServiceError("a web client needs at least one redirect URI",
                               field="redirect_uris")
        return self.clients.create(OPERATOR, project_id, name, "web", redirect_uris)
