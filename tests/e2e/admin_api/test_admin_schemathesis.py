"""Schemathesis holds the live admin API to the OpenAPI document it serves.

For every operation of ``/admin/v1/openapi.json`` it generates requests (valid ones
and, in its negative mode, invalid ones) and sends them with an admin token minted
by a real OAuth flow. Every answer must be no server error, a documented status, the
documented content type, and match the documented schema. Bounded and seeded; run on
the SQLite backend only (the API code is the same on both).
"""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accord.clock import SystemClock
from accord.services import Clients, Operator, Projects
from accord.services.delegation import Delegations
from accord.services.orgs import Organizations
from accord.services.service_accounts import ServiceAccounts
from tests.conftest import DRIVE_META, PASSWORD, Server, World
from tests.e2e.admin_api.support import token_for

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
MAX_EXAMPLES = 12
SEED = 20250603
OPERATOR = Operator()


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's lazy schemas read ``node._nodeid``, which pytest 9 renamed."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


def real_data(server: Server) -> tuple[str, dict[str, list[str | int]]]:
    """An admin of an organization who owns a project with a client: the token's account,
    and the real identifiers Schemathesis mixes into the path parameters (so that the
    operations reach past "not found")."""
    suffix = uuid.uuid4().hex[:10]
    org_id, domain = f"st-{suffix}", f"st{suffix}.com"
    engine, clock = server.admin.engine, SystemClock()
    Organizations(engine, clock).create(OPERATOR, org_id, "Fuzzed Org", [domain])
    boss, member = f"boss@{domain}", f"member@{domain}"
    server.admin.create_user(boss, PASSWORD, "Boss")
    server.admin.create_user(member, PASSWORD, "Member")
    Organizations(engine, clock).add_admin(OPERATOR, org_id, boss)
    projects = Projects(engine, clock)
    project_id, doomed = server.new_project(), server.new_project()
    for pid in (project_id, doomed):
        projects.add_member(OPERATOR, pid, boss, "owner")
    projects.add_member(OPERATOR, project_id, member, "viewer")
    projects.add_test_user(OPERATOR, project_id, member)
    client = server.new_client(project_id)
    secrets = Clients(engine, clock).secrets(OPERATOR, client.client_id)
    # The token's own client is elsewhere: disabling the fuzzed one must not end the run.
    own = server.new_client(server.new_project())
    token = token_for(server, World(boss, PASSWORD, "", own))
    accounts = ServiceAccounts(engine, clock)
    account, doomed_account = (
        accounts.create(OPERATOR, project_id, f"fuzzed-{n}-{suffix[:6]}") for n in (1, 2))
    key = accounts.create_key(OPERATOR, account.email, server.url).key
    doomed_key = accounts.create_key(OPERATOR, account.email, server.url).key
    Delegations(engine, clock).add(OPERATOR, org_id, account.unique_id, [DRIVE_META])
    return token, {
        "projects": [project_id], "doomed": [doomed], "orgs": [org_id],
        "clients": [client.client_id, account.unique_id], "emails": [member],
        "secrets": [secrets[0].secret_id], "accounts": [account.email, account.unique_id],
        "doomed_accounts": [doomed_account.email], "keys": [key.key_id],
        "doomed_keys": [doomed_key.key_id],
    }


def _bind(dictionary: str, probability: float = 0.7) -> dict[str, object]:
    return {"dictionary": dictionary, "probability": probability}


@pytest.fixture
def admin_schema(request: pytest.FixtureRequest, database_url: str) -> object:
    if not database_url.startswith("sqlite"):
        pytest.skip("schemathesis runs on the SQLite backend only")
    server: Server = request.getfixturevalue("server")
    token, values = real_data(server)
    config = SchemathesisConfig.from_dict({
        "seed": SEED,
        "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"max-examples": MAX_EXAMPLES},
        "dictionaries": {name: {"values": found} for name, found in values.items()},
        "parameters": {
            "path.projectId": _bind("projects"), "path.orgId": _bind("orgs"),
            "path.clientId": _bind("clients"), "path.email": _bind("emails", 0.5),
            "path.secretId": _bind("secrets"),
            "body.email": _bind("emails", 0.5), "body.clientId": _bind("clients"),
            "path.account": _bind("accounts"), "path.keyId": _bind("keys"),
        },
        # Deleting the project (an account, a key) would leave every later operation
        # "not found".
        "operations": [{
            "include-operation-id": "projects.delete",
            "parameters": {"path.projectId": _bind("doomed")},
        }, {
            "include-operation-id": "projects.serviceAccounts.delete",
            "parameters": {"path.account": _bind("doomed_accounts")},
        }, {
            "include-operation-id": "projects.serviceAccounts.keys.delete",
            "parameters": {"path.keyId": _bind("doomed_keys")},
        }],
    })
    return schemathesis.openapi.from_url(server.url + "/admin/v1/openapi.json", config=config)


schema = schemathesis.pytest.from_fixture("admin_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_admin_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
