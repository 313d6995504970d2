"""The profile claims Google returns about an account: given and family name, picture, locale.

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (("given_name", 200), ("family_name", 200), ("picture", 2048), ("locale", 35))


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        for name, length in COLUMNS:
            batch.add_column(
                sa.Column(name, sa.String(length), nullable=False, server_default="")
            )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
