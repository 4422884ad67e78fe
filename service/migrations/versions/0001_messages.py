"""messages: the feedback repository

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("author", sa.String(255)),
        sa.Column("thread_id", sa.String(255)),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("customer", sa.JSON()),
        sa.Column("nps_score", sa.Integer()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("labels", sa.JSON()),
        sa.Column("cluster_id", sa.String(32)),
        sa.Column("draft", sa.JSON()),
        sa.Column("embedding", sa.LargeBinary()),
        sa.Column("triaged_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("channel", "external_id", name="uq_messages_channel_external_id"),
    )
    op.create_index("ix_messages_thread_id", "messages", ["thread_id"])
    op.create_index("ix_messages_status", "messages", ["status"])
    op.create_index("ix_messages_cluster_id", "messages", ["cluster_id"])


def downgrade() -> None:
    op.drop_table("messages")
