"""What /readyz asks the database: reachable, and migrated to the code's head revision."""

from __future__ import annotations

import functools

from sqlalchemy import text

from accord.storage.database import Database
from accord.storage.guard import guard_of, unavailable


@functools.cache
def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    from accord.storage.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def problems(db: Database) -> dict[str, str]:
    """Empty when ready; else what is not, in words (``{"database": "unreachable"}``)."""
    guard = guard_of(db.engine)
    if guard is not None and guard.down:
        return {"database": "unreachable"}
    try:
        with db.engine.connect() as conn:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as error:
        if unavailable(error):
            return {"database": "unreachable"}
        return {"migrations": "no migration applied: run accord migrate"}
    head = head_revision()
    if current != head:
        return {"migrations": f"database at {current}, code at {head}: run accord migrate"}
    return {}
