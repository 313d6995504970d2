"""Self-service sign-up (ACCORD_SIGNUP=1): one narrow use case, not the operator's facade.

A person signing up may create one account for an email nobody has checked, outside
every organization's domains (those accounts are made by the organization's
administrators); nothing else the operator may do is reachable from here.
"""

from __future__ import annotations

from collections.abc import Callable

from accord.services.actors import Operator
from accord.services.errors import ServiceError
from accord.services.users import Profile, Users

# The installation makes the account on the person's behalf, within the limits above.
_INSTALLATION = Operator()


class SignUp:
    def __init__(self, users: Users, org_of_domain: Callable[[str], int | None]) -> None:
        self._users = users
        self._org_of_domain = org_of_domain

    def sign_up(self, email: str, password: str, name: str) -> str:
        """The new account's sub; ServiceError when it cannot be made (taken, invalid,
        or an organization's domain)."""
        domain = email.rsplit("@", 1)[-1]
        if self._org_of_domain(domain) is not None:
            raise ServiceError("accounts of this domain are made by its organization",
                               field="email")
        # Nobody has checked that the address belongs to the person signing up.
        return self._users.create(
            _INSTALLATION, email, password, name, Profile(email_verified=False)
        )
