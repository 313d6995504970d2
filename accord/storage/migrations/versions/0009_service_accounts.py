"""Service accounts: accounts, keys, role bindings, domain-wide delegation; authorizations
may belong to a service account (``service_account_pk``) and have no OAuth client.

Revision ID: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_accounts",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column(
            "project_pk",
            sa.Integer,
            sa.ForeignKey("projects.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("account_id", sa.String(30), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("unique_id", sa.String(21), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("description", sa.String(256), nullable=False, server_default=""),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("disabled_at", sa.BigInteger, nullable=True),
        sa.Column("deleted_at", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_service_accounts_email", "service_accounts", ["email"])
    op.create_index("ix_service_accounts_project", "service_accounts", ["project_pk"])
    op.create_table(
        "service_account_keys",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column(
            "service_account_pk",
            sa.Integer,
            sa.ForeignKey("service_accounts.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key_id", sa.String(40), nullable=False, unique=True),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("algorithm", sa.String(32), nullable=False, server_default="KEY_ALG_RSA_2048"),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("certificate", sa.Text, nullable=False),
        sa.Column("private_key", sa.Text, nullable=True),
        sa.Column("valid_after", sa.BigInteger, nullable=False),
        sa.Column("valid_before", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("disabled_at", sa.BigInteger, nullable=True),
    )
    op.create_index(
        "ix_service_account_keys_account", "service_account_keys", ["service_account_pk"]
    )
    op.create_table(
        "service_account_bindings",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column(
            "service_account_pk",
            sa.Integer,
            sa.ForeignKey("service_accounts.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(128), nullable=False),
        sa.Column("member", sa.String(400), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("service_account_pk", "role", "member", name="uq_sa_bindings"),
    )
    op.create_table(
        "org_delegations",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column(
            "org_pk",
            sa.Integer,
            sa.ForeignKey("organizations.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("client_id", sa.String(21), nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("org_pk", "client_id", name="uq_org_delegations"),
    )
    with op.batch_alter_table("authorizations") as batch:
        batch.add_column(
            sa.Column(
                "service_account_pk",
                sa.Integer,
                sa.ForeignKey(
                    "service_accounts.pk",
                    ondelete="CASCADE",
                    name="fk_authorizations_service_account",
                ),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("access_expires_at", sa.BigInteger, nullable=True))
        batch.alter_column("client_pk", existing_type=sa.Integer, nullable=True)
        batch.create_check_constraint(
            "ck_authorizations_sa_principal",
            "principal_kind <> 'service_account' OR service_account_pk IS NOT NULL",
        )
        batch.create_check_constraint(
            "ck_authorizations_issued_to", "client_pk IS NOT NULL OR service_account_pk IS NOT NULL"
        )
        batch.create_index("ix_authorizations_service_account", ["service_account_pk"])


def downgrade() -> None:
    with op.batch_alter_table("authorizations") as batch:
        batch.drop_index("ix_authorizations_service_account")
        batch.drop_constraint("ck_authorizations_issued_to", type_="check")
        batch.drop_constraint("ck_authorizations_sa_principal", type_="check")
        batch.alter_column("client_pk", existing_type=sa.Integer, nullable=False)
        batch.drop_column("access_expires_at")
        batch.drop_constraint("fk_authorizations_service_account", type_="foreignkey")
        batch.drop_column("service_account_pk")
    op.drop_table("org_delegations")
    op.drop_table("service_account_bindings")
    op.drop_index("ix_service_account_keys_account", "service_account_keys")
    op.drop_table("service_account_keys")
    op.drop_index("ix_service_accounts_project", "service_accounts")
    op.drop_index("ix_service_accounts_email", "service_accounts")
    op.drop_table("service_accounts")
