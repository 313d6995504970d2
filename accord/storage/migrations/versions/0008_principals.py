"""Authorizations belong to a principal: a user now, a service account or a federated
identity next. ``principal_kind`` names the kind; ``user_pk`` is set for users only.

Revision ID: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite rebuilds the table to relax NOT NULL and add the CHECK.
    with op.batch_alter_table("authorizations") as batch:
        batch.add_column(
            sa.Column("principal_kind", sa.String(32), nullable=False, server_default="user")
        )
        batch.alter_column("user_pk", existing_type=sa.Integer, nullable=True)
        batch.create_check_constraint(
            "ck_authorizations_user_principal", "principal_kind <> 'user' OR user_pk IS NOT NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("authorizations") as batch:
        batch.drop_constraint("ck_authorizations_user_principal", type_="check")
        batch.alter_column("user_pk", existing_type=sa.Integer, nullable=False)
        batch.drop_column("principal_kind")
