"""google-auth's impersonated credentials against the IAM Credentials API (reference §1.19):
a user's or a service account's own token, the TokenCreator role, delegate chains, and
every refusal in Google's envelope; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from google.auth import impersonated_credentials
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import service_account
from google.oauth2.credentials import Credentials

from tests.conftest import DRIVE_META, Server, World
from tests.e2e.apis.support import service
from tests.e2e.iam.conftest import Account, Accounts
from tests.flows import authorize

CLOUD = "https://www.googleapis.com/auth/cloud-platform"
IAM = "https://www.googleapis.com/auth/iam"


def endpoint(server: Server, target: str, verb: str = "generateAccessToken") -> str:
    return f"{server.url}/v1/projects/-/serviceAccounts/{target}:{verb}"


def user_creds(server: Server, scopes: list[str], apis: bool = True) -> tuple[World, Credentials]:
    world = server.new_world()
    if apis:
        server.admin.enable_apis(world.client.project_id, ["iamcredentials"])
    flow, _ = authorize(server, world, scopes)
    return world, flow.credentials


def sa_creds(account: Account) -> service_account.Credentials:
    assert account.key_file is not None
    return service_account.Credentials.from_service_account_file(str(account.key_file))


def impersonate(
    server: Server, source: Any, target: Account, delegates: list[str] | None = None, **kw: Any
) -> impersonated_credentials.Credentials:
    return impersonated_credentials.Credentials(
        source_credentials=source,
        target_principal=target.email,
        target_scopes=[DRIVE_META],
        delegates=delegates or [],
        iam_endpoint_override=endpoint(server, target.email),
        **kw,
    )


def refusal(exc: RefreshError) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc.args[1])
    return body


def test_a_user_impersonates_an_account_and_calls_drive_as_it(
    server: Server, accounts: Accounts
) -> None:
    world, source = user_creds(server, [CLOUD])
    target = accounts.account()
    accounts.bind(target, "user:" + world.email)
    creds = impersonate(server, source, target)
    creds.refresh(Request())
    assert creds.token and creds.expiry is not None
    info = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token}).json()
    assert info["azp"] == info["sub"] == target.unique_id
    assert info["scope"] == DRIVE_META and 3500 < int(info["expires_in"]) <= 3600
    files = service(server, "drive", "v3", creds).files().list(pageSize=3).execute()
    assert files["files"]


def test_a_service_account_impersonates_through_a_chain_of_delegates(
    server: Server, accounts: Accounts
) -> None:
    project = accounts.project()
    caller, first, second, target = (accounts.account(project) for _ in range(4))
    accounts.bind(first, caller.member)
    accounts.bind(second, first.member)
    accounts.bind(target, second.member)
    delegates = [f"projects/-/serviceAccounts/{a.email}" for a in (first, second)]
    creds = impersonate(server, sa_creds(caller), target, delegates, lifetime=600)
    creds.refresh(Request())  # the source refreshes through the JWT-bearer grant, iam scope
    info = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token}).json()
    assert int(info["expires_in"]) <= 600
    files = service(server, "drive", "v3", creds).files().list(pageSize=2).execute()
    assert "files" in files


def test_the_role_on_the_target_alone_does_not_open_a_chain(
    server: Server, accounts: Accounts
) -> None:
    project = accounts.project()
    caller, middle, target = (accounts.account(project) for _ in range(3))
    accounts.bind(target, caller.member)  # but nothing on the delegate
    accounts.bind(target, middle.member)
    creds = impersonate(
        server, sa_creds(caller), target, [f"projects/-/serviceAccounts/{middle.email}"]
    )
    with pytest.raises(RefreshError) as caught:
        creds.refresh(Request())
    error = refusal(caught.value)["error"]
    assert error == {
        "code": 403,
        "message": "Permission 'iam.serviceAccounts.getAccessToken' denied on resource "
        "(or it may not exist).",
        "status": "PERMISSION_DENIED",
        "details": [{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "IAM_PERMISSION_DENIED",
            "domain": "iam.googleapis.com",
            "metadata": {"permission": "iam.serviceAccounts.getAccessToken"},
        }],
    }


def test_without_the_role_google_auth_gets_permission_denied(
    server: Server, accounts: Accounts
) -> None:
    project = accounts.project()
    caller, target = accounts.account(project), accounts.account(project)
    accounts.bind(target, caller.member, "roles/iam.serviceAccountUser")  # not TokenCreator
    with pytest.raises(RefreshError) as caught:
        impersonate(server, sa_creds(caller), target).refresh(Request())
    assert refusal(caught.value)["error"]["status"] == "PERMISSION_DENIED"


def test_the_api_must_be_enabled_in_the_callers_project(
    server: Server, accounts: Accounts
) -> None:
    caller = accounts.account(accounts.project(("drive",)))
    target = accounts.account()
    accounts.bind(target, caller.member)
    with pytest.raises(RefreshError) as caught:
        impersonate(server, sa_creds(caller), target).refresh(Request())
    error = refusal(caught.value)["error"]
    assert error["code"] == 403 and error["status"] == "PERMISSION_DENIED"
    assert error["message"].startswith("IAM Service Account Credentials API has not been used")
    info = error["details"][0]
    assert info["reason"] == "SERVICE_DISABLED"
    assert info["metadata"]["service"] == "iamcredentials.googleapis.com"
    assert "errors" not in error


def test_a_source_token_without_the_cloud_scopes_is_refused(
    server: Server, accounts: Accounts
) -> None:
    world, source = user_creds(server, [DRIVE_META])
    target = accounts.account()
    accounts.bind(target, "user:" + world.email)
    with pytest.raises(RefreshError) as caught:
        impersonate(server, source, target).refresh(Request())
    error = refusal(caught.value)["error"]
    assert error["code"] == 403
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


def test_an_unknown_account_is_not_found(server: Server, accounts: Accounts) -> None:
    project = accounts.project()
    caller = accounts.account(project)
    ghost = Account(0, f"ghost-account@{project}.iam.gserviceaccount.com", "1" * 21, project)
    with pytest.raises(RefreshError) as caught:
        impersonate(server, sa_creds(caller), ghost).refresh(Request())
    assert refusal(caught.value)["error"] == {
        "code": 404,
        "message": f"Not found; Gaia id not found for email {ghost.email}",
        "status": "NOT_FOUND",
    }


def test_a_lifetime_over_an_hour_is_refused(server: Server, accounts: Accounts) -> None:
    project = accounts.project()
    caller, target = accounts.account(project), accounts.account(project)
    accounts.bind(target, caller.member)
    with pytest.raises(RefreshError) as caught:
        impersonate(server, sa_creds(caller), target, lifetime=7200).refresh(Request())
    error = refusal(caught.value)["error"]
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["details"][0]["fieldViolations"][0]["field"] == "lifetime"


def test_a_disabled_target_issues_nothing(server: Server, accounts: Accounts) -> None:
    project = accounts.project()
    caller, target = accounts.account(project), accounts.account(project)
    accounts.bind(target, caller.member)
    accounts.set_disabled(target)
    with pytest.raises(RefreshError) as caught:
        impersonate(server, sa_creds(caller), target).refresh(Request())
    error = refusal(caught.value)["error"]
    assert (error["code"], error["status"]) == (400, "FAILED_PRECONDITION")


def test_a_disabled_caller_account_kills_its_impersonated_tokens_source(
    server: Server, accounts: Accounts
) -> None:
    """Tokens of a disabled account are dead at once: its own token cannot call the API."""
    project = accounts.project()
    caller, target = accounts.account(project), accounts.account(project)
    accounts.bind(target, caller.member)
    source = sa_creds(caller).with_scopes([IAM])
    source.refresh(Request())
    accounts.set_disabled(caller)
    answer = requests.post(
        endpoint(server, target.email), json={"scope": [DRIVE_META]},
        headers={"Authorization": "Bearer " + source.token},
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["status"] == "UNAUTHENTICATED"


def test_accounts_keys_and_bindings_made_by_the_services(server: Server, accounts: Accounts) -> None:
    """The same flow with everything made through Accord's own use cases (what the console,
    the admin API and the CLI call): a key file written by create_key works unchanged."""
    from accord.services.admin import OPERATOR

    sas = server.admin.service_accounts
    project = accounts.project()
    caller = sas.create(OPERATOR, project, "iam-caller-" + project[-6:])
    target = sas.create(OPERATOR, project, "iam-target-" + project[-6:])
    key = sas.create_key(OPERATOR, caller.email, server.url)
    path = server.data_dir / f"services-{key.key.key_id[:8]}.json"
    path.write_text(key.key_file_json)
    sas.add_iam_policy_binding(OPERATOR, target.email, "serviceAccount:" + caller.email,
                               "roles/iam.serviceAccountTokenCreator")
    source = service_account.Credentials.from_service_account_file(str(path))
    creds = impersonated_credentials.Credentials(
        source_credentials=source, target_principal=target.email, target_scopes=[DRIVE_META],
        iam_endpoint_override=endpoint(server, target.email),
    )
    assert service(server, "drive", "v3", creds).files().list(pageSize=1).execute()["files"]


def test_a_self_signed_source_jwt_is_accepted(server: Server, accounts: Accounts) -> None:
    """A source with ``always_use_jwt_access`` never calls the token endpoint: google-auth
    sends the API a JWT with ``scope`` = the iam scope, signed by the caller's key."""
    project = accounts.project()
    caller, target = accounts.account(project), accounts.account(project)
    accounts.bind(target, caller.member)
    assert caller.key_file is not None
    source = service_account.Credentials.from_service_account_file(
        str(caller.key_file), always_use_jwt_access=True
    )
    creds = impersonate(server, source, target)
    creds.refresh(Request())
    assert creds._source_credentials.token.count(".") == 2  # a JWT, not an access token
    assert service(server, "drive", "v3", creds).files().list(pageSize=1).execute()["files"]


def test_set_up_through_the_command_line(server: Server, accounts: Accounts) -> None:
    """``accord service-accounts create``, ``keys create --output`` and
    ``add-iam-policy-binding`` (real subprocesses), then google-auth as is."""
    project = accounts.project()
    suffix = project[-6:]
    emails = {}
    for name in ("cli-caller-" + suffix, "cli-target-" + suffix):
        made = json.loads(server.cli("service-accounts", "create", project, name).stdout)
        emails[name.split("-")[1]] = made["email"]
    key_file = server.data_dir / f"cli-{suffix}.json"
    server.cli("service-accounts", "keys", "create", emails["caller"], "--output", str(key_file))
    server.cli("service-accounts", "add-iam-policy-binding", emails["target"],
               "--member", "serviceAccount:" + emails["caller"],
               "--role", "roles/iam.serviceAccountTokenCreator")
    source = service_account.Credentials.from_service_account_file(str(key_file))
    creds = impersonated_credentials.Credentials(
        source_credentials=source, target_principal=emails["target"],
        target_scopes=[DRIVE_META],
        iam_endpoint_override=endpoint(server, emails["target"]),
    )
    creds.refresh(Request())
    info = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token}).json()
    target = json.loads(server.cli("service-accounts", "describe", emails["target"]).stdout)
    assert info["azp"] == target["uniqueId"]
