"""The rows behind the administrative use cases (``accord.services``), one group per
artefact, all on the connection of one transaction."""

from accord.storage.admin.access import AccessRows
from accord.storage.admin.clients import ClientRows
from accord.storage.admin.orgs import OrgRows
from accord.storage.admin.projects import ProjectRows
from accord.storage.admin.service_accounts import ServiceAccountRows
from accord.storage.admin.users import UserRows


class Rows(AccessRows, ProjectRows, ClientRows, UserRows, OrgRows, ServiceAccountRows):
    """Every administrative row operation, on one connection."""


__all__ = [
    "AccessRows", "ClientRows", "OrgRows", "ProjectRows", "Rows", "ServiceAccountRows",
    "UserRows",
]
