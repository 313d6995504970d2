"""An index on codes.authorization_pk: purging a dead authorization deletes its codes, and
the foreign key's ON DELETE SET NULL looks them up by it (without the index, one scan of
the codes table per deleted authorization).

Revision ID: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0009"  # the lead re-chains after merging
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_codes_authorization", "codes", ["authorization_pk"])


def downgrade() -> None:
    op.drop_index("ix_codes_authorization", table_name="codes")
