"""The confirmations shown after a successful action (Post/Redirect/Get).

The redirect carries only a key (``?ok=renamed``); the text comes from this table, so
a crafted link cannot put words of its own on a console page.
"""

from __future__ import annotations

OK: dict[str, str] = {
    "project_created": "Project created.",
    "project_deleted": "Project deleted.",
    "renamed": "Project renamed.",
    "member_added": "Member added.",
    "member_removed": "Member removed.",
    "api_enabled": "API enabled.",
    "api_disabled": "API disabled.",
    "consent_saved": "OAuth consent screen saved.",
    "test_user_added": "Test user added.",
    "test_user_removed": "Test user removed.",
    "client_saved": "OAuth client saved.",
    "client_disabled": "OAuth client disabled: it can no longer sign anyone in.",
    "client_enabled": "OAuth client enabled.",
    "client_deleted": "OAuth client deleted. You can restore it for 30 days.",
    "client_restored": "OAuth client restored.",
    "secret_disabled": "Client secret disabled.",
    "secret_enabled": "Client secret enabled.",
    "secret_deleted": "Client secret deleted.",
    "user_created": "User created.",
    "user_disabled": "User disabled: signed out everywhere, tokens revoked.",
    "user_enabled": "User enabled.",
    "user_deleted": "User deleted.",
    "access_set": "App access saved.",
    "api_restricted": "API restricted.",
    "api_unrestricted": "API no longer restricted.",
    "account_created": "Service account created.",
    "account_saved": "Service account saved.",
    "account_disabled": "Service account disabled: it gets no tokens, and its tokens stopped "
    "working.",
    "account_enabled": "Service account enabled.",
    "account_deleted": "Service account deleted. You can undelete it for 30 days.",
    "account_undeleted": "Service account undeleted.",
    "key_uploaded": "Key uploaded.",
    "key_disabled": "Key disabled.",
    "key_enabled": "Key enabled.",
    "key_deleted": "Key deleted.",
    "binding_added": "Role granted.",
    "binding_removed": "Role removed.",
    "delegation_added": "Domain-wide delegation saved.",
    "delegation_removed": "Domain-wide delegation deleted.",
}
