"""The operator's facade of earlier versions (the CLI, the demo and the tests' fixtures):
each call is the matching use case with the :class:`Operator` as the actor."""

from __future__ import annotations

from accord.clock import Clock
from accord.services.actors import Operator
from accord.services.clients import Clients
from accord.services.errors import ServiceError
from accord.services.projects import Projects
from accord.services.service_accounts import ServiceAccounts
from accord.services.users import Profile, Users
from accord.services.views import NewClient
from accord.storage.database import Handle, database

OPERATOR = Operator()


class Admin:
    def __init__(self, db: Handle, clock: Clock) -> None:
        self.db = database(db)
        self.engine = self.db.engine  # for the CLI and demo until they use ``db``
        self.clock = clock
        self.users = Users(self.db, clock)
        self.projects = Projects(self.db, clock)
        self.clients = Clients(self.db, clock)
        self.service_accounts = ServiceAccounts(self.db, clock)  # take OPERATOR as actor

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
