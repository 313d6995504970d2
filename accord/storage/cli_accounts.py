"""The few reads and writes of the command line that no use case offers: the account that
``accord --as EMAIL`` names, and a new password for the demo user when ``accord demo``
finds it in a database its data directory did not record."""

from __future__ import annotations

from sqlalchemy import select, update

from accord.storage.database import Handle, engine_of
from accord.storage.schema import users


class CliAccounts:
    def __init__(self, db: Handle) -> None:
        self.engine = engine_of(db)

    def user_pk(self, email: str) -> int | None:
        """The account with this email (disabled ones too), if any."""
        with self.engine.connect() as conn:
            pk = conn.execute(
                select(users.c.pk).where(users.c.email == email.strip().lower())
            ).scalar()
        return None if pk is None else int(pk)

    def reset_password(self, email: str, password_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(users).where(users.c.email == email).values(password_hash=password_hash)
            )
