"""The OAuth consent screen and its test users (reference §1.2)."""

from __future__ import annotations

from typing import Any

from accord.adminapi.body import Body, Field
from accord.adminapi.ops import Call, Op
from accord.services import rules

EMPTY: dict[str, Any] = {}

# JSON member -> the services' field name.
_SCREEN = {
    "appName": "app_name",
    "supportEmail": "support_email",
    "logoUrl": "logo_url",
    "homeUrl": "home_url",
    "privacyUrl": "privacy_url",
    "termsUrl": "terms_url",
    "authorizedDomains": "authorized_domains",
    "userType": "user_type",
    "publishingStatus": "publishing_status",
}


def _screen(call: Call) -> dict[str, Any]:
    return call.services.projects.consent_screen(call.actor, call.path["projectId"]).as_json()


def _update_screen(call: Call) -> dict[str, Any]:
    fields = {_SCREEN[name]: value for name, value in call.body.items()}
    view = call.services.projects.update_consent_screen(
        call.actor, call.path["projectId"], **fields
    )
    return view.as_json()


def _test_users(call: Call) -> dict[str, Any]:
    emails = call.services.projects.test_users(call.actor, call.path["projectId"])
    return {"testUsers": [{"email": e} for e in emails]}


def _add_test_user(call: Call) -> dict[str, Any]:
    email = rules.email(call.body["email"])
    call.services.projects.add_test_user(call.actor, call.path["projectId"], email)
    return {"email": email}


def _remove_test_user(call: Call) -> dict[str, Any]:
    call.services.projects.remove_test_user(call.actor, call.path["projectId"], call.path["email"])
    return EMPTY


_URL = "https URL (http only on a loopback host), or empty for none"
_PATCH = Body((
    Field("appName", min_length=1, max_length=120, description="the name users see"),
    Field("supportEmail", max_length=320, description="an email address, or empty"),
    Field("logoUrl", max_length=2048, description=_URL),
    Field("homeUrl", max_length=2048, description=_URL),
    Field("privacyUrl", max_length=2048, description=_URL),
    Field("termsUrl", max_length=2048, description=_URL),
    Field("authorizedDomains", kind="strings", max_length=253,
          description="registrable domains, like example.com"),
    Field("userType", choices=("external", "internal"),
          description="internal: only the owning organization's users (org projects only)"),
    Field("publishingStatus", choices=("testing", "production"),
          description="testing: only test users may authorize"),
))
_TEST_USER = Body((Field("email", required=True, max_length=320),))

P = "/projects/{projectId}"
OPS = (
    Op("GET", P + "/consentScreen", "projects.consentScreen.get", "The OAuth consent screen",
       _screen, "ConsentScreen"),
    Op("PATCH", P + "/consentScreen", "projects.consentScreen.patch",
       "Change the members given (editors)", _update_screen, "ConsentScreen", body=_PATCH),
    Op("GET", P + "/testUsers", "projects.testUsers.list",
       "Who may authorize while the app is in testing", _test_users, "TestUserList"),
    Op("POST", P + "/testUsers", "projects.testUsers.create",
       "Add a test user (at most 100; editors)", _add_test_user, "TestUser", body=_TEST_USER),
    Op("DELETE", P + "/testUsers/{email}", "projects.testUsers.delete",
       "Remove a test user (editors)", _remove_test_user, "Empty"),
)
