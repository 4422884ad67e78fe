"""users, routing and review columns, corrections, document versions, audit log

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("teams", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("priority", sa.Integer()))
        batch.add_column(sa.Column("priority_reasons", sa.JSON()))
        batch.add_column(sa.Column("queue", sa.String(64)))
        batch.add_column(sa.Column("assigned_to", sa.Integer(), sa.ForeignKey("users.id", name="fk_messages_assigned_to")))
        batch.add_column(sa.Column("review_status", sa.String(16)))
        batch.add_column(sa.Column("reply_text", sa.Text()))
        batch.add_column(sa.Column("reviewed_by", sa.Integer(), sa.ForeignKey("users.id", name="fk_messages_reviewed_by")))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("rejection_reason", sa.Text()))
        batch.add_column(sa.Column("first_response_at", sa.DateTime(timezone=True)))
        batch.create_index("ix_messages_priority", ["priority"])
        batch.create_index("ix_messages_queue", ["queue"])
        batch.create_index("ix_messages_assigned_to", ["assigned_to"])
        batch.create_index("ix_messages_review_status", ["review_status"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("messages.id"), nullable=False, index=True),
        sa.Column("task", sa.String(16), nullable=False),
        sa.Column("old_label", sa.String(32)),
        sa.Column("new_label", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("note", sa.Text()),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kind", "name", "version", name="uq_documents_version"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(128), nullable=False),
        sa.Column("details", sa.JSON()),
    )


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("documents")
    op.drop_table("corrections")
    with op.batch_alter_table("messages") as batch:
        for index in ("ix_messages_priority", "ix_messages_queue", "ix_messages_assigned_to", "ix_messages_review_status"):
            batch.drop_index(index)
        for column in ("priority", "priority_reasons", "queue", "assigned_to", "review_status", "reply_text",
                       "reviewed_by", "reviewed_at", "rejection_reason", "first_response_at"):
            batch.drop_column(column)
    op.drop_table("users")
