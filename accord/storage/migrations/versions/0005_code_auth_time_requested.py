"""Whether the authorization request asked for auth_time through the claims parameter.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("codes") as batch:
        batch.add_column(
            sa.Column("auth_time_requested", sa.Boolean, nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("codes") as batch:
        batch.drop_column("auth_time_requested")
