"""What the protocol reads of a project: enabled APIs, test users, the consent screen."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from accord.storage.hot import Prepared
from accord.storage.schema import project_apis, projects, test_users
from accord.storage.sqlbase import SqlBase

_SCREEN = ("logo_url", "home_url", "privacy_url", "terms_url", "support_email")


class SqlProjects(SqlBase):
    def _prepare(self) -> None:
        super()._prepare()
        self._apis = Prepared(
            select(project_apis.c.api).where(project_apis.c.project_pk == bindparam("key")),
            self.engine,
        )

    def enabled_apis(self, project_pk: int) -> frozenset[str]:
        return frozenset(row.api for row in self.hot.all(self._apis, key=project_pk))

    def is_test_user(self, project_pk: int, email: str) -> bool:
        query = select(test_users.c.email).where(
            test_users.c.project_pk == project_pk, test_users.c.email == email.lower()
        )
        with self.reader.connect() as conn:
            return conn.execute(query).first() is not None

    def consent_screen(self, project_pk: int) -> dict[str, str]:
        """What the consent page shows about the app besides its name: logo and links."""
        query = select(*(projects.c[name] for name in _SCREEN)).where(projects.c.pk == project_pk)
        with self.reader.connect() as conn:
            row = conn.execute(query).mappings().first()
        return dict(row) if row else {}
