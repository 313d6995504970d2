"""The initial schema: users, projects, clients, grants, codes, authorizations, interactions.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("sub", sa.String(32), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email_verified", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_users"),
        sa.UniqueConstraint("sub", name="uq_users_sub"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "projects",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_projects"),
        sa.UniqueConstraint("project_id", name="uq_projects_project_id"),
        sa.UniqueConstraint("number", name="uq_projects_number"),
    )
    op.create_table(
        "project_apis",
        sa.Column("project_pk", sa.Integer, nullable=False),
        sa.Column("api", sa.String(64), nullable=False),
        sa.Column("enabled_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("project_pk", "api", name="pk_project_apis"),
        sa.ForeignKeyConstraint(
            ["project_pk"], ["projects.pk"], ondelete="CASCADE",
            name="fk_project_apis_project_pk_projects",
        ),
    )
    op.create_table(
        "clients",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column("project_pk", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("redirect_uris", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_clients"),
        sa.UniqueConstraint("client_id", name="uq_clients_client_id"),
        sa.ForeignKeyConstraint(
            ["project_pk"], ["projects.pk"], ondelete="CASCADE",
            name="fk_clients_project_pk_projects",
        ),
    )
    op.create_table(
        "grants",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("user_pk", sa.Integer, nullable=False),
        sa.Column("project_pk", sa.Integer, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_grants"),
        sa.UniqueConstraint("user_pk", "project_pk", name="uq_grants_user_project"),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.pk"], ondelete="CASCADE", name="fk_grants_user_pk_users"
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"], ["projects.pk"], ondelete="CASCADE",
            name="fk_grants_project_pk_projects",
        ),
    )
    op.create_table(
        "authorizations",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("user_pk", sa.Integer, nullable=False),
        sa.Column("client_pk", sa.Integer, nullable=False),
        sa.Column("project_pk", sa.Integer, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("access_type", sa.String(16), nullable=False),
        sa.Column("refresh_hash", sa.String(64), nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("last_used_at", sa.BigInteger, nullable=False),
        sa.Column("revoked_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("pk", name="pk_authorizations"),
        sa.UniqueConstraint("refresh_hash", name="uq_authorizations_refresh_hash"),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.pk"], ondelete="CASCADE",
            name="fk_authorizations_user_pk_users",
        ),
        sa.ForeignKeyConstraint(
            ["client_pk"], ["clients.pk"], ondelete="CASCADE",
            name="fk_authorizations_client_pk_clients",
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"], ["projects.pk"], ondelete="CASCADE",
            name="fk_authorizations_project_pk_projects",
        ),
    )
    op.create_index("ix_authorizations_user_project", "authorizations", ["user_pk", "project_pk"])
    op.create_index("ix_authorizations_user_client", "authorizations", ["user_pk", "client_pk"])
    op.create_table(
        "codes",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("client_pk", sa.Integer, nullable=False),
        sa.Column("user_pk", sa.Integer, nullable=False),
        sa.Column("project_pk", sa.Integer, nullable=False),
        sa.Column("redirect_uri", sa.Text, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("access_type", sa.String(16), nullable=False),
        sa.Column("issue_refresh_token", sa.Boolean, nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=True),
        sa.Column("code_challenge_method", sa.String(8), nullable=True),
        sa.Column("nonce", sa.Text, nullable=True),
        sa.Column("auth_time", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("consumed_at", sa.BigInteger, nullable=True),
        sa.Column("authorization_pk", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("pk", name="pk_codes"),
        sa.UniqueConstraint("code_hash", name="uq_codes_code_hash"),
        sa.ForeignKeyConstraint(
            ["client_pk"], ["clients.pk"], ondelete="CASCADE", name="fk_codes_client_pk_clients"
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.pk"], ondelete="CASCADE", name="fk_codes_user_pk_users"
        ),
        sa.ForeignKeyConstraint(
            ["project_pk"], ["projects.pk"], ondelete="CASCADE",
            name="fk_codes_project_pk_projects",
        ),
        sa.ForeignKeyConstraint(
            ["authorization_pk"], ["authorizations.pk"], ondelete="SET NULL",
            name="fk_codes_authorization_pk_authorizations",
        ),
    )
    op.create_table(
        "interactions",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("browser_hash", sa.String(64), nullable=False),
        sa.Column("request", sa.Text, nullable=False),
        sa.Column("chosen_user_pk", sa.Integer, nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("finished_at", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("pk", name="pk_interactions"),
        sa.UniqueConstraint("id_hash", name="uq_interactions_id_hash"),
        sa.ForeignKeyConstraint(
            ["chosen_user_pk"], ["users.pk"], ondelete="CASCADE",
            name="fk_interactions_chosen_user_pk_users",
        ),
    )


def downgrade() -> None:
    for table in (
        "interactions", "codes", "authorizations", "grants", "clients",
        "project_apis", "projects", "users",
    ):
        op.drop_table(table)
