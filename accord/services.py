"""Administrative use cases, shared by the command line (and later the console and admin API)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.clock import Clock
from accord.google import identifiers
from accord.google.apis import APIS
from accord.passwords import hash_password
from accord.protocol.tokens import digest
from accord.settings import is_loopback
from accord.storage.schema import client_secrets, clients, project_apis, projects, users

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")


class ServiceError(ValueError):
    """A refused administrative request; the message says why."""


@dataclass(frozen=True)
class NewClient:
    client_id: str
    client_secret: str
    project_id: str
    redirect_uris: list[str]


@dataclass(frozen=True)
class Profile:
    """Profile claims to set (None leaves a claim as it is)."""

    given_name: str | None = None
    family_name: str | None = None
    picture: str | None = None
    locale: str | None = None
    email_verified: bool | None = None

    def changes(self) -> dict[str, object]:
        if self.picture and urlsplit(self.picture).scheme not in ("http", "https"):
            raise ServiceError(f"the picture must be an http(s) URL: {self.picture!r}")
        if self.locale and not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", self.locale):
            raise ServiceError(f"not a BCP 47 language tag: {self.locale!r}")
        return {k: v for k, v in self.__dict__.items() if v is not None}


class Admin:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def create_user(
        self, email: str, password: str, name: str = "", profile: Profile | None = None
    ) -> str:
        email = email.strip().lower()
        if not _EMAIL.match(email):
            raise ServiceError(f"not an email address: {email!r}")
        if len(password) < 8:
            raise ServiceError("the password must have at least 8 characters")
        sub = identifiers.new_sub()
        values: dict[str, object] = dict(
            sub=sub,
            email=email,
            name=name or email.split("@")[0],
            email_verified=True,  # new accounts count as verified unless told otherwise
            password_hash=hash_password(password),
            created_at=self.clock.now(),
            domain=email.rsplit("@", 1)[1],
        )
        values.update((profile or Profile()).changes())
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(users).values(**values))
        except IntegrityError:
            raise ServiceError(f"a user with the email {email} exists already") from None
        return sub

    def update_user(self, email: str, name: str | None, profile: Profile) -> None:
        values = profile.changes()
        if name is not None:
            values["name"] = name
        if not values:
            raise ServiceError("nothing to change")
        with self.engine.begin() as conn:
            found = conn.execute(
                update(users).where(users.c.email == email.strip().lower()).values(**values)
            )
        if found.rowcount != 1:
            raise ServiceError(f"no such user: {email}")

    def create_project(self, project_id: str, name: str = "") -> str:
        if not _PROJECT_ID.match(project_id):
            raise ServiceError(
                "a project ID has 6 to 30 lowercase letters, digits or hyphens, "
                "starts with a letter and does not end with a hyphen"
            )
        number = identifiers.new_project_number()
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(projects).values(
                        project_id=project_id,
                        number=number,
                        name=name or project_id,
                        created_at=self.clock.now(),
                    )
                )
        except IntegrityError:
            raise ServiceError(f"the project {project_id} exists already") from None
        return number

    def _project_pk(self, conn: object, project_id: str) -> int:
        pk = conn.execute(  # type: ignore[attr-defined]
            select(projects.c.pk).where(projects.c.project_id == project_id)
        ).scalar()
        if pk is None:
            raise ServiceError(f"no such project: {project_id}")
        return int(pk)

    def enable_apis(self, project_id: str, apis: list[str]) -> None:
        unknown = [api for api in apis if api not in APIS]
        if unknown:
            raise ServiceError(f"unknown API(s): {', '.join(unknown)}; known: {', '.join(APIS)}")
        with self.engine.begin() as conn:
            pk = self._project_pk(conn, project_id)
            enabled = set(
                conn.execute(
                    select(project_apis.c.api).where(project_apis.c.project_pk == pk)
                ).scalars()
            )
            for api in dict.fromkeys(apis):
                if api not in enabled:
                    conn.execute(
                        insert(project_apis).values(
                            project_pk=pk, api=api, enabled_at=self.clock.now()
                        )
                    )

    def create_client(self, project_id: str, name: str, redirect_uris: list[str]) -> NewClient:
        if not redirect_uris:
            raise ServiceError("a web client needs at least one redirect URI")
        for uri in redirect_uris:
            check_redirect_uri(uri)
        with self.engine.begin() as conn:
            pk = self._project_pk(conn, project_id)
            number = conn.execute(select(projects.c.number).where(projects.c.pk == pk)).scalar_one()
            client_id = identifiers.new_client_id(number)
            secret = identifiers.new_client_secret()
            client_pk = conn.execute(
                insert(clients)
                .values(
                    client_id=client_id,
                    project_pk=pk,
                    name=name,
                    redirect_uris=json.dumps(list(dict.fromkeys(redirect_uris))),
                    created_at=self.clock.now(),
                )
                .returning(clients.c.pk)
            ).scalar_one()
            conn.execute(
                insert(client_secrets).values(
                    client_pk=client_pk,
                    secret_hash=digest(secret),
                    hint=secret[-4:],
                    created_at=self.clock.now(),
                )
            )
        return NewClient(client_id, secret, project_id, list(dict.fromkeys(redirect_uris)))


def check_redirect_uri(uri: str) -> None:
    """The basic rules of Google's list (reference §1.11): absolute, HTTPS unless
    loopback, no userinfo, no fragment, no wildcard, printable ASCII only."""
    if any(ord(ch) < 0x21 or ord(ch) > 0x7E for ch in uri) or "*" in uri:
        raise ServiceError(f"invalid redirect URI {uri!r}: characters not allowed")
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServiceError(f"invalid redirect URI {uri!r}: must be an absolute http(s) URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ServiceError(f"invalid redirect URI {uri!r}: must use https unless it is localhost")
    if parts.username or parts.password or "@" in parts.netloc:
        raise ServiceError(f"invalid redirect URI {uri!r}: must not contain userinfo")
    if parts.fragment or "#" in uri:
        raise ServiceError(f"invalid redirect URI {uri!r}: must not contain a fragment")
