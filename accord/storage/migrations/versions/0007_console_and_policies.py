"""The developer console and Google's access policies: consent screens, members, test
users, client types and lifecycle, rotating client secrets, organizations with their
domains, admins and API controls, refresh-token expiry, sign-in throttling, audit log.

Revision ID: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_NOW = sa.BigInteger


def _fk(column: str, table: str, ondelete: str = "CASCADE", **kw: object) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(column, sa.Integer, sa.ForeignKey(f"{table}.pk", ondelete=ondelete), **kw)  # type: ignore[arg-type]


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_organizations"),
        sa.UniqueConstraint("org_id", name="uq_organizations_org_id"),
    )
    op.create_table(
        "org_domains",
        sa.Column("domain", sa.String(253), primary_key=True),
        _fk("org_pk", "organizations", nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.PrimaryKeyConstraint("domain", name="pk_org_domains"),
    )
    op.create_table(
        "org_admins",
        _fk("org_pk", "organizations", primary_key=True),
        _fk("user_pk", "users", primary_key=True),
        sa.Column("created_at", _NOW, nullable=False),
        sa.PrimaryKeyConstraint("org_pk", "user_pk", name="pk_org_admins"),
    )
    op.create_table(
        "org_app_access",
        _fk("org_pk", "organizations", primary_key=True),
        sa.Column("client_id", sa.String(128), primary_key=True),
        sa.Column("access", sa.String(16), nullable=False),
        sa.Column("updated_at", _NOW, nullable=False),
        sa.PrimaryKeyConstraint("org_pk", "client_id", name="pk_org_app_access"),
    )
    op.create_table(
        "org_restricted_apis",
        _fk("org_pk", "organizations", primary_key=True),
        sa.Column("api", sa.String(64), primary_key=True),
        sa.Column("updated_at", _NOW, nullable=False),
        sa.PrimaryKeyConstraint("org_pk", "api", name="pk_org_restricted_apis"),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("domain", sa.String(253), nullable=False, server_default=""))
        batch.add_column(sa.Column("disabled_at", _NOW, nullable=True))
        batch.add_column(sa.Column("password_changed_at", _NOW, nullable=True))
        batch.create_index("ix_users_domain", ["domain"])
    users = sa.table("users", sa.column("pk", sa.Integer), sa.column("email"), sa.column("domain"))
    conn = op.get_bind()
    for pk, email in conn.execute(sa.select(users.c.pk, users.c.email)).all():
        domain = email.rsplit("@", 1)[-1].lower()
        conn.execute(users.update().where(users.c.pk == pk).values(domain=domain))

    with op.batch_alter_table("projects") as batch:
        batch.add_column(
            sa.Column(
                "org_pk",
                sa.Integer,
                sa.ForeignKey(
                    "organizations.pk",
                    ondelete="SET NULL",
                    name="fk_projects_org_pk_organizations",
                ),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("app_name", sa.String(200), nullable=False, server_default=""))
        for name in ("support_email", "logo_url", "home_url", "privacy_url", "terms_url"):
            length = 320 if name == "support_email" else 2048
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("authorized_domains", sa.Text, nullable=False, server_default="[]")
        )
        batch.add_column(
            sa.Column("user_type", sa.String(16), nullable=False, server_default="external")
        )
        batch.add_column(
            sa.Column(
                "publishing_status", sa.String(16), nullable=False, server_default="production"
            )
        )
    op.create_table(
        "project_members",
        _fk("project_pk", "projects", primary_key=True),
        _fk("user_pk", "users", primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.PrimaryKeyConstraint("project_pk", "user_pk", name="pk_project_members"),
    )
    op.create_index("ix_project_members_user", "project_members", ["user_pk"])
    op.create_table(
        "test_users",
        _fk("project_pk", "projects", primary_key=True),
        sa.Column("email", sa.String(320), primary_key=True),
        sa.Column("created_at", _NOW, nullable=False),
        sa.PrimaryKeyConstraint("project_pk", "email", name="pk_test_users"),
    )

    op.create_table(
        "client_secrets",
        sa.Column("pk", sa.Integer, primary_key=True),
        _fk("client_pk", "clients", nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("hint", sa.String(8), nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.Column("disabled_at", _NOW, nullable=True),
        sa.PrimaryKeyConstraint("pk", name="pk_client_secrets"),
        sa.UniqueConstraint("secret_hash", name="uq_client_secrets_secret_hash"),
    )
    op.create_index("ix_client_secrets_client", "client_secrets", ["client_pk"])
    conn.execute(
        sa.text(
            "INSERT INTO client_secrets (client_pk, secret_hash, hint, created_at) "
            "SELECT pk, secret_hash, '****', created_at FROM clients"
        )
    )
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("secret_hash")
        batch.add_column(sa.Column("type", sa.String(16), nullable=False, server_default="web"))
        batch.add_column(
            sa.Column("javascript_origins", sa.Text, nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("disabled_at", _NOW, nullable=True))
        batch.add_column(sa.Column("deleted_at", _NOW, nullable=True))

    with op.batch_alter_table("authorizations") as batch:
        batch.add_column(sa.Column("refresh_expires_at", _NOW, nullable=True))
    with op.batch_alter_table("codes") as batch:
        batch.add_column(sa.Column("refresh_lifetime", _NOW, nullable=True))

    op.create_table(
        "signin_throttle",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("window_start", _NOW, nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name="pk_signin_throttle"),
    )
    op.create_table(
        "audit_events",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("at", _NOW, nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("user_pk", sa.Integer, nullable=True),
        sa.Column("email", sa.String(320), nullable=False, server_default=""),
        sa.Column("org_pk", sa.Integer, nullable=True),
        sa.Column("project_pk", sa.Integer, nullable=True),
        sa.Column("client_id", sa.String(128), nullable=False, server_default=""),
        sa.Column("address", sa.String(64), nullable=False, server_default=""),
        sa.Column("outcome", sa.String(64), nullable=False, server_default=""),
        sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
        sa.PrimaryKeyConstraint("pk", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_org_at", "audit_events", ["org_pk", "at"])
    op.create_index("ix_audit_events_user_at", "audit_events", ["user_pk", "at"])


def downgrade() -> None:
    raise NotImplementedError("0007 is not reversible: client secrets moved to their own table")
