"""Store provider connections with their encrypted credentials.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connections",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "project_id",
            sa.String(40),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("provider", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("auth_type", sa.String(40), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("status_message", sa.Text(), nullable=True),
        sa.Column("account", sa.JSON(), nullable=True),
        sa.Column("last_validated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("key_id", sa.String(40), nullable=True),
        sa.Column("credentials_ciphertext", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_connections_project_created", "connections", ["project_id", "created_at", "id"]
    )
    op.create_index("ix_connections_project_provider", "connections", ["project_id", "provider"])
    op.create_index("ix_connections_key_id", "connections", ["key_id"])


def downgrade() -> None:
    op.drop_index("ix_connections_key_id", table_name="connections")
    op.drop_index("ix_connections_project_provider", table_name="connections")
    op.drop_index("ix_connections_project_created", table_name="connections")
    op.drop_table("connections")
