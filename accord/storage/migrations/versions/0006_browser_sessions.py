"""Browser sessions: a generation per session, so that old cookie copies stop working.

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_sessions",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_browser_sessions"),
        sa.UniqueConstraint("id_hash", name="uq_browser_sessions_id_hash"),
    )


def downgrade() -> None:
    op.drop_table("browser_sessions")
