"""Web app and API logins: users, the sponsors each may see, and bearer tokens (hashed)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_users")),
    )
    op.create_table(
        "user_sponsors",
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("sponsor_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["login"], ["users.login"], name=op.f("fk_user_sponsors_login_users")
        ),
        sa.PrimaryKeyConstraint("login", "sponsor_id", name=op.f("pk_user_sponsors")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["login"], ["users.login"], name=op.f("fk_api_tokens_login_users")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_api_tokens")),
    )
    op.create_index(op.f("ix_api_tokens_login"), "api_tokens", ["login"])


def downgrade() -> None:
    op.drop_index(op.f("ix_api_tokens_login"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_table("user_sponsors")
    op.drop_table("users")
