"""Administrative use cases, shared by the command line, the web console and the admin
API; none of those touches a table. Construct each as ``X(db, clock)`` on an
``accord.storage.database.Database``; every method takes the actor (:class:`Operator` or
:class:`Member`) first. Their rows come from ``accord.storage.admin``."""

from accord.services.actors import ROLES, Actor, Member, Operator
from accord.services.admin import Admin
from accord.services.clients import Clients, purge_deleted_clients
from accord.services.delegation import Delegations
from accord.services.errors import Conflict, Forbidden, NotFound, ServiceError
from accord.services.orgs import Organizations
from accord.services.projects import Projects
from accord.services.sa_views import (
    DelegationView,
    KeyView,
    NewKey,
    PolicyView,
    ServiceAccountView,
)
from accord.services.service_accounts import ServiceAccounts, purge_deleted_service_accounts
from accord.services.users import Profile, Users
from accord.services.views import (
    ApiView,
    AppAccessView,
    AuditView,
    ClientView,
    ConsentScreen,
    MemberView,
    NewClient,
    NewSecret,
    OrgView,
    ProjectView,
    SecretView,
    UserView,
)

__all__ = [
    "ROLES", "Actor", "Admin", "ApiView", "AppAccessView", "AuditView", "ClientView",
    "Clients", "Conflict", "ConsentScreen", "DelegationView", "Delegations", "Forbidden",
    "KeyView", "Member", "MemberView", "NewClient", "NewKey", "NewSecret", "NotFound",
    "Operator", "OrgView", "Organizations", "PolicyView", "Profile", "ProjectView",
    "Projects", "SecretView", "ServiceAccountView", "ServiceAccounts", "ServiceError",
    "UserView", "Users", "purge_deleted_clients", "purge_deleted_service_accounts",
]
