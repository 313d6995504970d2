"""A partial index for "does the user hold a live refresh token for this client?".

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LIVE = sa.text("refresh_hash IS NOT NULL AND revoked_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_authorizations_live_refresh",
        "authorizations",
        ["user_pk", "client_pk"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_authorizations_live_refresh", table_name="authorizations")
